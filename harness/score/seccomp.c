/* seccomp.c - the system-call filter of the sandbox, written as a classic BPF
 * program by hand (no libseccomp) and handed to bubblewrap through a memfd.
 *
 * bubblewrap installs it last, just before it execs the command, so its own
 * mounts and namespaces are built first and nothing the command starts can
 * shed it (no_new_privs is set, filters are inherited).
 *
 * The policy is a deny list: test code needs the ordinary calls of a
 * compiler, an interpreter and libc, so everything is allowed except what
 * only matters for escaping or tampering with the machine. Those calls get
 * EPERM, so a program that merely probes sees a plain failure and the
 * harness still scores it. Most of them would fail anyway (every capability
 * is dropped, nested user namespaces are disabled); the filter is the second
 * wall, and the one that also closes the calls no capability guards
 * (ptrace of a sibling, userfaultfd, io_uring, keyctl, perf_event_open).
 *
 * Only x86_64 system calls are understood. A call made through another ABI
 * (int 0x80 gives the i386 table, whose numbers mean other calls) kills the
 * process; x32 calls (bit 30 of the number) get ENOSYS, as on a kernel
 * without x32. clone3 gets ENOSYS too, because its flags sit behind a pointer
 * the filter cannot read; glibc then falls back to clone, whose flags it can.
 *
 * The rest of tokenbench builds and runs on any architecture: there, this
 * file builds no filter, seccomp_check says why, and the sandbox refuses to
 * start (sandbox_check), so untrusted code never runs without its filter
 * while report, plot, compare and the simulator work as anywhere. */
#define _GNU_SOURCE
#include "score/seccomp.h"

#include <asm/unistd.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/msg.h"

int seccomp_check(void)
{
#if defined(__x86_64__)
	return 0;
#else
	struct utsname u;
	return error("the sandbox's seccomp filter knows only the x86_64 system call table, and this machine is "
		     "%s: tokenbench runs no untrusted code here (report, plot, compare, show and sim work)",
		     uname(&u) == 0 ? u.machine : "another architecture");
#endif
}

#if defined(__x86_64__)

#define X32_SYSCALL_BIT 0x40000000u

/* namespaces a clone may not create; CLONE_NEWTIME is left out because in
 * clone's flags its bit belongs to the exit signal */
#define CLONE_NS_FLAGS                                                                              \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
	 CLONE_NEWNET)

#define RULE(name) { __NR_##name, #name }
static const struct seccomp_rule refused[] = {
	/* reading or steering other processes */
	RULE(ptrace), RULE(process_vm_readv), RULE(process_vm_writev), RULE(kcmp),
	RULE(pidfd_getfd), RULE(process_madvise),
	/* the mount table and namespaces */
	RULE(mount), RULE(umount2), RULE(pivot_root), RULE(chroot), RULE(unshare), RULE(setns),
	RULE(open_tree), RULE(move_mount), RULE(fsopen), RULE(fsconfig), RULE(fsmount),
	RULE(fspick), RULE(mount_setattr),
	/* the kernel itself */
	RULE(kexec_load), RULE(kexec_file_load), RULE(reboot), RULE(init_module),
	RULE(finit_module), RULE(delete_module), RULE(bpf), RULE(perf_event_open),
	RULE(userfaultfd), RULE(io_uring_setup), RULE(io_uring_enter), RULE(io_uring_register),
	RULE(syslog), RULE(_sysctl), RULE(uselib), RULE(lookup_dcookie), RULE(nfsservctl),
	RULE(iopl), RULE(ioperm), RULE(modify_ldt),
	/* keys */
	RULE(keyctl), RULE(add_key), RULE(request_key),
	/* machine-wide state */
	RULE(swapon), RULE(swapoff), RULE(acct), RULE(quotactl), RULE(quotactl_fd),
	RULE(settimeofday), RULE(clock_settime), RULE(clock_adjtime), RULE(adjtimex),
	RULE(sethostname), RULE(setdomainname), RULE(vhangup),
	/* files by handle, around the mount's view */
	RULE(open_by_handle_at), RULE(name_to_handle_at), RULE(fanotify_init),
};
#undef RULE

const struct seccomp_rule *seccomp_refused(size_t *n)
{
	*n = sizeof(refused) / sizeof(*refused);
	return refused;
}

/* an assembler that refuses to run past the buffer */
struct prog {
	struct sock_filter *v;
	size_t n, cap;
};

static void emit(struct prog *p, unsigned short code, unsigned char jt, unsigned char jf, unsigned k)
{
	if (p->n < p->cap)
		p->v[p->n] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	p->n++;
}

#define LOAD(p, field) emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (unsigned)offsetof(struct seccomp_data, field))
/* the low 32 bits of argument i (x86_64 is little-endian) */
#define LOAD_ARG_LO(p, i) \
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, (unsigned)offsetof(struct seccomp_data, args[i]))
#define RET(p, action) emit(p, BPF_RET | BPF_K, 0, 0, action)

/* "if nr == sys: return action"; two instructions, no long jumps */
static void refuse(struct prog *p, int sys, unsigned action)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (unsigned)sys);
	RET(p, action);
}

/* "if nr == sys: return (low word of arg i & mask) ? action : allow";
 * used where the argument, not the call, is the danger */
static void refuse_if_set(struct prog *p, int sys, int i, unsigned mask, unsigned action)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, (unsigned)sys);
	LOAD_ARG_LO(p, i);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, 0, 1, mask);
	RET(p, action);
	RET(p, SECCOMP_RET_ALLOW);
}

/* "if nr == sys: return (low word of arg i is one of vals) ? action : allow" */
static void refuse_if_one_of(struct prog *p, int sys, int i, const unsigned *vals, unsigned char n,
			     unsigned action)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (unsigned char)(n + 3), (unsigned)sys);
	LOAD_ARG_LO(p, i);
	for (unsigned char j = 0; j < n; j++)
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (unsigned char)(n - j), 0, vals[j]);
	RET(p, SECCOMP_RET_ALLOW);
	RET(p, action);
}

int seccomp_build(struct sock_filter *v, size_t cap)
{
	const unsigned eperm = SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA);
	const unsigned enosys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);
	struct prog p = { v, 0, cap };

	LOAD(&p, arch);
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	RET(&p, SECCOMP_RET_KILL_PROCESS);
	LOAD(&p, nr);
	emit(&p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, X32_SYSCALL_BIT);
	RET(&p, enosys);
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		refuse(&p, refused[i].nr, eperm);
	refuse(&p, __NR_clone3, enosys);
	/* the rules below load an argument, so each returns: keep them last */
	refuse_if_set(&p, __NR_clone, 0, CLONE_NS_FLAGS, eperm);
	/* pushing bytes into a terminal's input queue, or its console ioctls;
	 * ioctl's request is an unsigned int to the kernel: the low word is all of it */
	static const unsigned tty_requests[] = { TIOCSTI, TIOCLINUX };
	refuse_if_one_of(&p, __NR_ioctl, 1, tty_requests, 2, eperm);
	RET(&p, SECCOMP_RET_ALLOW);
	if (p.n > cap)
		return error("the seccomp filter needs %zu instructions, more than %zu", p.n, cap);
	return (int)p.n;
}

#else /* no filter for this architecture's system call table */

const struct seccomp_rule *seccomp_refused(size_t *n)
{
	*n = 0;
	return NULL;
}

int seccomp_build(struct sock_filter *v, size_t cap)
{
	(void)v;
	(void)cap;
	return seccomp_check();
}

#endif

int seccomp_memfd(void)
{
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	int n = seccomp_build(prog, SECCOMP_MAX_INSNS);
	if (n < 0)
		return -1;
	int fd = memfd_create("tokenbench-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return error("cannot create the seccomp memfd: %s", strerror(errno));
	size_t len = (size_t)n * sizeof(*prog);
	if (write(fd, prog, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		int e = errno;
		close(fd);
		return error("cannot write the seccomp filter: %s", strerror(e));
	}
	return fd;
}
