/* sandbox.h - one untrusted command run under bubblewrap with a seccomp
 * filter, rlimits, a memory watchdog, a wall clock, capped output and a
 * private result channel. */
#ifndef TB_SANDBOX_H
#define TB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "util/buf.h"

struct sandbox_limits {
	double wall_s;      /* wall clock, then the whole tree is killed */
	double cpu_s;       /* RLIMIT_CPU (SIGXCPU; SIGKILL a second later) */
	long mem_mb;        /* RLIMIT_AS of each process, and the resident memory of all
			     * of the sandbox's processes together (the watchdog) */
	long nproc;         /* RLIMIT_NPROC (processes and threads of the sandbox uid) */
	long fsize_mb;      /* RLIMIT_FSIZE */
	long nofile;        /* RLIMIT_NOFILE */
	long tmp_mb;        /* size of the private /tmp */
	long shm_mb;        /* size of the private /dev/shm */
	long work_mb;       /* size of a tmpfs work directory (see sandbox_bind) */
	size_t out_keep;    /* bytes of output kept for the record */
	size_t out_max;     /* output read before the run is killed */
};

/* sensible limits for one test run */
void sandbox_limits_default(struct sandbox_limits *lim);
/* the most memory one sandbox with these limits can hold, in MB: its
 * processes' resident memory plus its tmpfs mounts */
long sandbox_footprint_mb(const struct sandbox_limits *lim);

struct sandbox_bind {
	const char *host;   /* borrowed; NULL: a private tmpfs of lim.work_mb at inside */
	const char *inside; /* borrowed */
	int writable;
};

struct sandbox_spec {
	const char *const *argv;          /* command inside the sandbox, NULL-terminated; borrowed */
	const struct sandbox_bind *binds; /* borrowed */
	size_t nbinds;
	const char *chdir;                /* inside path */
	const char *const *env;           /* "K=V" inside, NULL-terminated; borrowed; may be NULL */
	struct sandbox_limits lim;
	uid_t uid;                        /* run as this uid/gid when we are root; 0 = keep */
	const char *token;                /* sent on fd 3; the run passes only if it comes back */
};

struct sandbox_run {
	pid_t pid;                 /* the outer bwrap; 0 once reaped */
	pid_t init_pid;            /* the pid namespace's init (bwrap's "child-pid"); its end
				    * is the end of every process in the sandbox */
	int outer_done;            /* the outer bwrap was reaped; waiting for the init */
	double outer_end_ms;
	int out_fd, res_fd, st_fd; /* -1 once closed */
	double start_ms, deadline_ms, end_ms;
	double next_check_ms;      /* the memory watchdog's next look */
	long mem_kb;               /* the watchdog's limit */
	long peak_kb;              /* the most resident memory it saw */
	double cpu_ms;             /* user+system time of the tree, when its init was reaped here */
	double cpu_limit_ms;       /* RLIMIT_CPU */
	struct buf head;           /* first out_keep bytes of stdout+stderr */
	char tail[4096];           /* last bytes of output, a ring */
	size_t tail_pos;
	size_t out_total;
	size_t out_keep, out_max;
	struct buf res;            /* what the command wrote back on fd 3 */
	struct buf status;         /* bubblewrap's --json-status-fd stream */
	char token[80];
	/* outcome */
	int finished;
	int started;               /* bubblewrap reported the child started */
	int exit_code;             /* the command's exit code; 128+N for signal N */
	int timed_out, output_killed, truncated;
	int mem_killed;            /* the watchdog killed it */
	int harness_killed;        /* the harness sent a kill (a limit above, or a stop) */
	int outer_signal;          /* the outer bwrap died of this signal before it could
				    * report the command's end; 0 when it exited */
	long oom_start;            /* the kernel's OOM kills before the run (sandbox_oom_kills) */
	long oom_kills;            /* ... and during it; 0 when unknown */
	int token_ok;              /* the token came back intact */
};

/* r before a start: no fds, no outcome, the limits' output caps, memory
 * and CPU limits, and the token (may be NULL) */
void sandbox_run_init(struct sandbox_run *r, const struct sandbox_limits *lim, const char *token);
/* starts the command; 0, or -1 when the process could not be created (reported) */
int sandbox_start(struct sandbox_run *r, const struct sandbox_spec *spec);
/* reads whatever is ready, enforces the deadline and the output cap; call
 * after poll says something is ready or a timeout passed; sets r->finished */
void sandbox_poll(struct sandbox_run *r, double now_ms);
/* the fds a run can have open for reading: its output, its result channel
 * and bubblewrap's status */
#define SANDBOX_MAX_FDS 3
/* the fds worth polling, up to SANDBOX_MAX_FDS; returns how many (none once
 * the outer bwrap is gone: the run then waits on the clock for the tree's end) */
int sandbox_fds(const struct sandbox_run *r, int fds[SANDBOX_MAX_FDS]);
/* when sandbox_poll must run next even if no fd is ready (deadline or
 * watchdog), on clock_ms()'s clock; 0 when finished */
double sandbox_next_ms(const struct sandbox_run *r);
/* for a run whose processes another part of the harness started and
 * watches (a zygote's child, zygote.c), with out_fd and res_fd set: reads
 * what is ready as sandbox_poll does; 1 when its output passed out_max
 * (the caller kills it and sets output_killed), else 0 */
int sandbox_read(struct sandbox_run *r);
/* such a run is over (every process of it gone): reads what is left of
 * its output, checks the token, sets end_ms and finished */
void sandbox_end(struct sandbox_run *r, double now);
/* kills the whole tree now (used when the harness stops); the run then
 * says the harness killed it */
void sandbox_kill(struct sandbox_run *r);
/* how many processes the kernel's OOM killer has killed since boot
 * (/proc/vmstat oom_kill, which counts the kills of a cgroup's memory limit
 * too), or -1 when that cannot be read. The harness never sends SIGKILL for
 * the kernel: a count that rose while a step ran is how an OOM kill shows */
long sandbox_oom_kills(void);
/* the output tail as a string (last bytes, ring unrolled); malloced, caller frees */
char *sandbox_tail(const struct sandbox_run *r);
void sandbox_release(struct sandbox_run *r);

/* the uid for sandbox slot (0..255) of this process: base + 256 * (pid mod
 * 2^22) + slot. RLIMIT_NPROC counts per uid, so each tokenbench process
 * needs uids of its own: runs side by side must not share the count */
uid_t sandbox_uid(uid_t base, int slot);

/* makes this process the reaper of its sandboxes' orphans. bubblewrap
 * leaves its pid namespace's init to be reaped by whoever adopts it; where
 * that is a pid 1 that never reaps (a container's shell, a test runner) the
 * zombies pile up and count against the sandbox uid's process limit until
 * no sandbox can start. Affects the whole process. */
void sandbox_adopt_orphans(void);
/* reaps exited bubblewrap processes this process adopted, leaving alone
 * the children in live[0..n) (the outer bwraps sandbox_poll reaps itself)
 * and any child that is not a bwrap */
void sandbox_reap_orphans(const pid_t *live, size_t n);
/* after the last sandbox: reaps orphans for up to max_ms, until this
 * process has no child left (a killed sandbox's init dies a moment after
 * its parent), so that none is handed on to a pid 1 that may not reap */
void sandbox_reap_all(double max_ms);

/* whether bubblewrap can create a sandbox here, with our seccomp filter
 * (x86_64 only: seccomp_check); 0, or -1 after printing why not */
int sandbox_check(void);

#endif
