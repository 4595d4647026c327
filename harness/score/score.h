/* score.h - the pool of sandbox workers that scores answers while requests
 * are still in flight. It never blocks: the caller's event loop polls the
 * fds it hands out and calls scorer_step. Its jobs are of three kinds:
 * a function task's answer (score_func.c), a repository task's answer
 * (score_repo.c) and a command in an agent's work copy (workspace.c); what
 * they conclude is a verdict (verdict.h) or, for a command, an exec_result. */
#ifndef TB_SCORE_H
#define TB_SCORE_H

#include <stddef.h>
#include <sys/types.h>

#include "core/suite.h"
#include "score/program.h"
#include "score/sandbox.h"
#include "score/verdict.h"

/* the most sandbox jobs a pool runs at once: each slot's uid is one of the
 * 256 this process owns (sandbox_uid) */
#define SCORER_MAX_JOBS 256

/* a repository step's memory (and an agent command's), in MB */
#define REPO_MEM_MB 4096

/* the compile step's limits when the task has none of its own */
#define COMPILE_WALL_S 60
#define COMPILE_MEM_MB 2048
#define COMPILE_FSIZE_MB 256

typedef void (*score_done_fn)(void *arg, struct verdict *v);

struct repo_store;
struct env_spec;

struct scorer_opts {
	int jobs;                     /* sandboxes at once; scorer_new lowers it to what memory allows */
	struct repo_store *repos;     /* repository tasks' repositories; borrowed; may be NULL */
	const struct env_spec *env;   /* how to run SWE-bench repositories; borrowed; may be NULL */
	struct sandbox_limits lim;    /* for test runs; the task's limit_s or timeout_s sets wall and cpu */
	uid_t uid_base;               /* when root: slot i runs as sandbox_uid(uid_base, i) */
	int zygote;                   /* Python function tests run as children of a warm
				       * interpreter per slot (zygote.h); 0: a fresh sandbox each */
};

struct scorer;

/* a pool with its own scratch directory; NULL after reporting why (no
 * sandbox here: sandbox_check; no secret for the anti-cheat tokens: the
 * kernel's getrandom failed, and no answer may be scored without one; no
 * scratch directory). When jobs sandboxes at their memory limits would not
 * fit in the machine's memory, it warns and runs fewer. Makes this process
 * the reaper of its sandboxes' orphans (sandbox_adopt_orphans), and reaps
 * them. */
struct scorer *scorer_new(const struct scorer_opts *opts);
/* how many sandboxes it runs at once */
int scorer_jobs(const struct scorer *s);
/* the most memory one job's sandbox can hold, compile step or test run,
 * in MB: its memory limit plus its tmpfs mounts */
long scorer_slot_mb(const struct sandbox_limits *lim);
/* the most jobs whose sandboxes fit in mem_mb of memory (scorer_slot_mb
 * each), at least 1 */
int scorer_fit_jobs(int jobs, const struct sandbox_limits *lim, long mem_mb);
/* kills what runs, removes the scratch directory; accepts NULL */
void scorer_free(struct scorer *s);
/* queues code for scoring; done(arg, verdict) is called from scorer_step.
 * The task is borrowed and must outlive the job; code is copied. */
void scorer_submit(struct scorer *s, const struct task *t, const char *code, enum answer_mode mode,
		   score_done_fn done, void *arg);
/* the fds of one slot: its job's sandbox, and its zygote's sandbox and
 * control socket */
#define SCORER_SLOT_FDS (2 * SANDBOX_MAX_FDS + 1)
/* the most fds scorer_fds can ever write: SCORER_SLOT_FDS for each of its
 * scorer_jobs, so at most SCORER_SLOT_FDS * SCORER_MAX_JOBS (1792). Size the
 * poll set from it */
int scorer_max_fds(const struct scorer *s);
/* fds to poll for reading; returns how many were written, at most max.
 * With max >= scorer_max_fds(s), none is ever left out */
int scorer_fds(const struct scorer *s, int *fds, int max);
/* reads output, finishes and starts jobs; calls done callbacks */
void scorer_step(struct scorer *s);
/* ms until the next deadline, or -1 when nothing runs */
long scorer_timeout_ms(const struct scorer *s);
/* jobs queued or running */
size_t scorer_pending(const struct scorer *s);
/* runs the loop until nothing is pending or the user asked to stop (for
 * callers with no other work) */
void scorer_drain(struct scorer *s);

/* ---- workspaces: the bash agent's work copies ----
 *
 * A workspace is a checkout of a repository task at its base commit that
 * lives across commands (one agent sample's), made and set up (the
 * environment's setup commands) in the sandbox before its first command.
 * Its files belong to a uid of its own when tokenbench is root. Each
 * command runs in a fresh sandbox with the limits of a repository step, in
 * the pool's slots like any scoring job. */
struct workspace;

struct exec_result {
	int error;            /* the command could not run: an infrastructure failure */
	const char *reason;   /* with error: "checkout", "setup", "sandbox" or "environment" (the spec
			       * cannot score the task) (static) */
	char *detail;         /* with error; malloced */
	int exit_code;        /* 128+N for signal N */
	int timed_out, output_killed, mem_killed; /* what the sandbox killed it for */
	double limit_s;       /* its wall-clock limit */
	struct buf head;      /* its output (stdout and stderr) from the start, up to 16 MB */
	char *tail;           /* its last bytes when head is not all of it; malloced, may be NULL */
	size_t tail_len;
	size_t total;         /* the bytes it wrote in all */
	double run_ms;        /* the command in its sandbox, the sandbox's start-up included */
	double setup_ms;      /* making the work copy first (checkout and setup); 0 when it was there */
	double wait_ms;       /* queued for a free slot */
	double harness_ms;    /* the pool's own work on it, outside the sandbox */
};

void exec_result_release(struct exec_result *r);
typedef void (*exec_done_fn)(void *arg, struct exec_result *r);

/* a workspace for repository task t (borrowed; it must outlive the
 * workspace); NULL after reporting why the task cannot run here */
struct workspace *scorer_workspace_new(struct scorer *s, const struct task *t);
/* removes its files; accepts NULL; none of its commands may be queued or running */
void scorer_workspace_free(struct workspace *w);
/* queues a bash command (cmd, copied) for the workspace, killed after
 * wall_s; with cmd NULL, the workspace's answer instead: its changes
 * against the base commit as a text diff (repojob_diff_cmd). done(arg,
 * result) is called from scorer_step; the result is released after it */
void scorer_exec(struct scorer *s, struct workspace *w, const char *cmd, double wall_s, exec_done_fn done,
		 void *arg);

#endif
