/* zygote.h - a warm interpreter per sandbox slot: a long-lived Python
 * process in the slot's own sandbox (bubblewrap, seccomp, rlimits, the
 * slot's uid) that forks one fresh child per test. The child drops to the
 * test's limits, takes its own fds and session, and runs the harness's
 * driver logic (the anti-cheat token included); when it ends the zygote
 * kills everything else in the slot's pid namespace and empties every
 * writable place before the next test. A zygote that dies, hangs or
 * answers garbage is replaced, and the test it held is run again on the
 * ordinary path (a fresh sandbox), so its verdict is the one that path
 * gives. */
#ifndef TB_ZYGOTE_H
#define TB_ZYGOTE_H

#include "score/sandbox.h"

struct zygote {
	struct sandbox_run run; /* the zygote's own sandbox; its res_fd moves to ctl */
	int ctl;                /* the control socket (the zygote's fd 3), -1 when none */
	int on;                 /* started, not known dead */
	int ready;              /* it said it is ready for a test */
	int was_ready;          /* it said so at least once */
	int busy;               /* a test was handed to it and has not ended */
	int pending[2];         /* a test's fds (output, token channel) waiting for ready; -1 */
	long pending_cpu;       /* its CPU limit, s */
	char path[64];          /* the program it runs */
	int kill_sent;          /* the harness asked it to kill the test */
	struct buf in;          /* what it said, not yet a whole line */
	unsigned tests;         /* tests it ran */
};

/* the zygote's Python source into dir (mounted at /tbh); 0 or -1 */
int zygote_write_harness(const char *dir);
/* z unused: no process */
void zygote_init(struct zygote *z);
/* starts the zygote in the sandbox spec describes (spec->argv is ignored:
 * the interpreter runs /tbh/zygote.py; the wall clock and CPU limit are the
 * zygote's whole life, the test's own are set in each child); 0 or -1 */
int zygote_start(struct zygote *z, const struct sandbox_spec *spec);
/* hands it a test: the program at path (inside the sandbox) under the
 * limits lim, with token; r is initialised and gets the test's output and
 * token channel. 0, or -1 (reported; r is left unstarted) */
int zygote_test(struct zygote *z, struct sandbox_run *r, const struct sandbox_limits *lim, const char *path,
		const char *token);
/* the test's progress: output, the deadline (the zygote is asked to kill the
 * test), the zygote's end. Returns 1 while the test is running or once it
 * finished with a verdict to give (r->finished), -1 when the zygote failed
 * (died, hung, said garbage) before the test's end: r is finished but says
 * nothing, the zygote is stopped, and the test must be run another way;
 * -2 likewise, for a zygote that never became ready (it cannot start) */
int zygote_poll(struct zygote *z, struct sandbox_run *r, double now);
/* the zygote's own fds worth polling (up to SANDBOX_MAX_FDS + 1) */
int zygote_fds(const struct zygote *z, int *fds);
/* pids a reaper must leave alone (the outer bwrap, its init): up to 2 */
int zygote_pids(const struct zygote *z, pid_t pids[2]);
/* kills it and waits (bounded) until its sandbox is empty; accepts one
 * that is not running */
void zygote_stop(struct zygote *z);

#endif
