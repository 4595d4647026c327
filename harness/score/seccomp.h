/* seccomp.h - the system-call filter every sandboxed command runs under: a
 * classic BPF program we assemble ourselves and hand to bubblewrap. */
#ifndef TB_SECCOMP_H
#define TB_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>

/* room for the whole program; seccomp_build checks it */
#define SECCOMP_MAX_INSNS 256

/* 0 when this build has a filter for the machine's system call table
 * (x86_64); otherwise -1, reported: no untrusted code may run here */
int seccomp_check(void);

/* writes the filter into prog (cap instructions); returns its length, or -1
 * when it does not fit (a programming error, reported) or seccomp_check fails */
int seccomp_build(struct sock_filter *prog, size_t cap);

/* a memfd holding the filter, offset 0, close-on-exec, ready for bwrap's
 * --seccomp FD after a dup2; -1 after reporting why */
int seccomp_memfd(void);

/* the system calls the filter refuses with EPERM (for tests and docs):
 * their numbers and names, n entries (none without a filter) */
struct seccomp_rule {
	int nr;
	const char *name;
};
const struct seccomp_rule *seccomp_refused(size_t *n);

#endif
