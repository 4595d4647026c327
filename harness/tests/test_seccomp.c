/* test_seccomp.c - the filter, run two ways: through a small classic-BPF
 * interpreter over a table of calls (every branch, no kernel needed), and
 * installed in a forked child where the kernel enforces it. On another
 * architecture than x86_64 there is no filter: both check that the sandbox
 * refuses to start. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"
#include "score/sandbox.h"
#include "score/seccomp.h"
#include "tests.h"

#if defined(__x86_64__)

/* runs prog over d; the instructions seccomp_build uses and nothing more
 * (returns 0xdead on anything else, which no CHECK expects) */
static uint32_t bpf_run(const struct sock_filter *prog, int n, const struct seccomp_data *d)
{
	uint32_t a = 0;
	for (int pc = 0; pc >= 0 && pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k + 4 > sizeof(*d))
				return 0xdead;
			memcpy(&a, (const char *)d + f->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += a >= f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: pc += (a & f->k) ? f->jt : f->jf; break;
		case BPF_RET | BPF_K: return f->k;
		default: return 0xdead;
		}
	}
	return 0xdead; /* fell off the end: the kernel rejects such a program */
}

static uint32_t decide(const struct sock_filter *prog, int n, uint32_t arch, int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	d.args[0] = a0;
	d.args[1] = a1;
	return bpf_run(prog, n, &d);
}

#define EPERM_RET (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_RET (SECCOMP_RET_ERRNO | ENOSYS)

void test_seccomp_filter_table(void)
{
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	int n = seccomp_build(prog, SECCOMP_MAX_INSNS);
	CHECK(n > 10 && n <= SECCOMP_MAX_INSNS);
	CHECK(seccomp_build(prog, 5) == -1); /* too small a buffer is refused, not overrun */
	n = seccomp_build(prog, SECCOMP_MAX_INSNS);
	const uint32_t x86 = AUDIT_ARCH_X86_64;
	static const struct {
		uint32_t arch;
		int nr;
		uint64_t a0, a1;
		uint32_t want;
	} cases[] = {
		{ AUDIT_ARCH_X86_64, SYS_getpid, 0, 0, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_write, 1, 0, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_ptrace, 16, 1, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_mount, 0, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_unshare, CLONE_NEWUSER, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_bpf, 0, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_keyctl, 0, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_userfaultfd, 0, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_clock_settime, 0, 0, EPERM_RET },
		/* clone: a fork or a thread passes, a new namespace does not */
		{ AUDIT_ARCH_X86_64, SYS_clone, SIGCHLD, 0, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD, 0,
		  SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_clone, CLONE_NEWNET, 0, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_clone, 0xffffffff00000000ull | SIGCHLD, 0, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_clone3, 0, 0, ENOSYS_RET },
		/* ioctl: only the terminal-injection requests */
		{ AUDIT_ARCH_X86_64, SYS_ioctl, 0, TCGETS, SECCOMP_RET_ALLOW },
		{ AUDIT_ARCH_X86_64, SYS_ioctl, 0, TIOCSTI, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_ioctl, 0, TIOCLINUX, EPERM_RET },
		{ AUDIT_ARCH_X86_64, SYS_ioctl, 0, 0x100000000ull | TIOCSTI, EPERM_RET },
		/* other ABIs */
		{ AUDIT_ARCH_X86_64, 0x40000000 | SYS_getpid, 0, 0, ENOSYS_RET },
		{ AUDIT_ARCH_X86_64, 0x40000000 | SYS_ptrace, 0, 0, ENOSYS_RET },
		{ AUDIT_ARCH_I386, 20 /* getpid on i386 */, 0, 0, SECCOMP_RET_KILL_PROCESS },
		{ AUDIT_ARCH_AARCH64, SYS_getpid, 0, 0, SECCOMP_RET_KILL_PROCESS },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint32_t got = decide(prog, n, cases[i].arch, cases[i].nr, cases[i].a0, cases[i].a1);
		if (got != cases[i].want)
			fprintf(stderr, "  case %zu: nr %d arch %#x: got %#x, want %#x\n", i, cases[i].nr,
				cases[i].arch, got, cases[i].want);
		CHECK(got == cases[i].want);
	}
	/* every refused call, and no harmless one by mistake */
	size_t nr;
	const struct seccomp_rule *r = seccomp_refused(&nr);
	CHECK(nr >= 40);
	for (size_t i = 0; i < nr; i++) {
		CHECK(decide(prog, n, x86, r[i].nr, 0, 0) == EPERM_RET);
		CHECK(r[i].nr != SYS_read && r[i].nr != SYS_execve && r[i].nr != SYS_mmap && r[i].nr != SYS_wait4);
	}
	int allowed = 0;
	for (int sys = 0; sys < 470; sys++)
		allowed += decide(prog, n, x86, sys, 0, 0) == SECCOMP_RET_ALLOW;
	CHECK(allowed > 350); /* a deny list: the rest of the table stays usable */
}

/* installs the filter on this process, as bwrap does; 0 or -1 */
static int install_filter(void)
{
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	int n = seccomp_build(prog, SECCOMP_MAX_INSNS);
	struct sock_fprog fp = { .len = (unsigned short)n, .filter = prog };
	if (n < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return -1;
	return 0;
}

/* in a forked child: install the filter, try what it refuses, exit with a
 * bit per surprise (0 when the kernel did what the table says) */
static int child_probe(void)
{
	if (install_filter() < 0)
		return 100;
	int bad = 0;
	if (syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0) != -1 || errno != EPERM)
		bad |= 1;
	if (syscall(SYS_unshare, CLONE_NEWUSER) != -1 || errno != EPERM)
		bad |= 2;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		bad |= 4;
	if (syscall(SYS_userfaultfd, 0) != -1 || errno != EPERM)
		bad |= 8;
	if (syscall(SYS_getpid) != getpid())
		bad |= 16;
	pid_t p = fork(); /* clone without namespace flags still works */
	if (p == 0)
		_exit(7);
	int st = 0;
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
		bad |= 32;
	return bad;
}

/* the wait status of a child that calls i386 getpid through int 0x80 */
static int i386_getpid_status(int filtered)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (filtered && install_filter() < 0)
			_exit(100);
		signal(SIGSEGV, SIG_DFL); /* not AddressSanitizer's report */
		long ret;
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
		_exit(ret > 0 ? 1 : 2);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

void test_seccomp_filter_kernel(void)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_probe()); /* _exit: LeakSanitizer's exit hook would need ptrace */
	int st = 0;
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fprintf(stderr, "  child status %#x (exit bits: 1 ptrace, 2 unshare, 4 clone3, 8 userfaultfd, "
				"16 getpid, 32 fork, 100 install)\n", st);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* an i386 call through int 0x80 kills the process with SIGSYS, where the
	 * machine has that entry at all (some hypervisors fault on it: SIGSEGV
	 * without the filter too) */
	int unfiltered = i386_getpid_status(0), filtered = i386_getpid_status(1);
	if (WIFSIGNALED(unfiltered) && WTERMSIG(unfiltered) == SIGSEGV)
		CHECK(WIFSIGNALED(filtered) && (WTERMSIG(filtered) == SIGSYS || WTERMSIG(filtered) == SIGSEGV));
	else
		CHECK(WIFSIGNALED(filtered) && WTERMSIG(filtered) == SIGSYS);
}

#else /* elsewhere there is no filter, and the sandbox refuses to start */

void test_seccomp_filter_table(void)
{
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = 1;
	CHECK(seccomp_check() == -1);
	CHECK(seccomp_build(prog, SECCOMP_MAX_INSNS) == -1);
	CHECK(seccomp_refused(&n) == NULL && n == 0);
}

void test_seccomp_filter_kernel(void)
{
	CHECK(seccomp_memfd() == -1);
	CHECK(sandbox_check() == -1);
}

#endif
