/* sandbox.h - one untrusted command run under bubblewrap with rlimits, a wall
 * clock, capped output and a private result channel. */
#ifndef TB_SANDBOX_H
#define TB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

struct sandbox_limits {
	double wall_s;      /* wall clock, then the whole tree is killed */
	double cpu_s;       /* RLIMIT_CPU */
	long mem_mb;        /* RLIMIT_AS */
	long nproc;         /* RLIMIT_NPROC (processes and threads of the sandbox uid) */
	long fsize_mb;      /* RLIMIT_FSIZE */
	long nofile;        /* RLIMIT_NOFILE */
	long tmp_mb;        /* size of the private /tmp */
	size_t out_keep;    /* bytes of output kept for the record */
	size_t out_max;     /* output read before the run is killed */
};

/* sensible limits for one test run */
void sandbox_limits_default(struct sandbox_limits *lim);

struct sandbox_bind {
	const char *host;   /* borrowed */
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
	pid_t pid;
	int out_fd, res_fd, st_fd; /* -1 once closed */
	double start_ms, deadline_ms, end_ms;
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
	int token_ok;              /* the token came back intact */
};

/* starts the command; 0, or -1 when the process could not be created (reported) */
int sandbox_start(struct sandbox_run *r, const struct sandbox_spec *spec);
/* reads whatever is ready, enforces the deadline and the output cap; call
 * after poll says something is ready or a timeout passed; sets r->finished */
void sandbox_poll(struct sandbox_run *r, double now_ms);
/* the fds worth polling, up to 3; returns how many */
int sandbox_fds(const struct sandbox_run *r, int fds[3]);
/* kills the whole tree now (used when the harness stops) */
void sandbox_kill(struct sandbox_run *r);
/* the output tail as a string (last bytes, ring unrolled); malloced, caller frees */
char *sandbox_tail(const struct sandbox_run *r);
void sandbox_release(struct sandbox_run *r);

/* milliseconds on the monotonic clock */
double now_ms(void);
/* whether bubblewrap can create a sandbox here; prints why not */
int sandbox_check(void);

#endif
