/* score.h - the pool of sandbox workers that scores answers while requests
 * are still in flight. It never blocks: the caller's event loop polls the
 * fds it hands out and calls scorer_step. */
#ifndef TB_SCORE_H
#define TB_SCORE_H

#include <stddef.h>
#include <sys/types.h>

#include "core/suite.h"
#include "score/program.h"
#include "score/sandbox.h"

struct verdict {
	int passed;
	int error;          /* the sandbox failed, not the answer */
	const char *reason; /* static; NULL when passed. Failures: wrong_answer, no_code,
			     * compile_error, timeout, memory, cpu_limit, file_size_limit,
			     * disk_limit, output_limit, forbidden_syscall, killed;
			     * repo tasks: malformed_edit, patch_does_not_apply,
			     * tests_did_not_run (the edit broke the build), tests_failed.
			     * Errors: sandbox, test_build; repo tasks: checkout,
			     * test_patch, setup, tests_did_not_run (with no edit: the
			     * environment) */
	char *detail;       /* malloced, owned by the verdict; short; may be NULL */
	int truncated;      /* output was cut */
	double test_ms;     /* wall time in the sandbox, compile included */
	double compile_ms;  /* the compile step's part of it; 0 without one */
	double run_ms;      /* the run step's part */
	double limit_s;     /* the run step's wall-clock limit */
	int near_limit;     /* the run finished, but above NEAR_LIMIT of its limit */
	int reused;         /* the verdict of an identical answer to the task, scored before */
	/* repository tasks */
	char *report;       /* SWE-bench's per-instance report (tests_status, flags) as JSON; malloced */
	char *log;          /* the test output (repository tasks; function tasks when they did
			     * not pass); malloced */
	const char *edit_format; /* the format of the answer's edit (static), or NULL */
	int well_formed;    /* 1: the edit parsed and applied; 0: it did not; -1: not a repo task */
	double step_ms[4];  /* time in checkout, apply, setup and test (repo tasks) */
};

/* a repository step's memory (and an agent command's), in MB */
#define REPO_MEM_MB 4096

/* a run that took more than this fraction of its time limit is flagged: on a
 * slower or busier machine it may time out */
#define NEAR_LIMIT 0.8
/* the compile step's limits when the task has none of its own */
#define COMPILE_WALL_S 60
#define COMPILE_MEM_MB 2048
#define COMPILE_FSIZE_MB 256

void verdict_release(struct verdict *v);
/* whether a failure reason says a sandbox limit stopped the answer (time,
 * memory, output, files, a forbidden call), rather than a wrong answer */
int verdict_reason_is_limit(const char *reason);

/* scores an exact-answer task without a sandbox: it passes when a line of
 * the answer, trimmed, equals the reference, trimmed */
void score_exact(const struct task *t, const char *answer, struct verdict *v);

typedef void (*score_done_fn)(void *arg, struct verdict *v);

struct repo_store;
struct env_spec;

struct scorer_opts {
	int jobs;                     /* sandboxes at once; scorer_new lowers it to what memory allows */
	struct repo_store *repos;     /* repository tasks' repositories; borrowed; may be NULL */
	const struct env_spec *env;   /* how to run SWE-bench repositories; borrowed; may be NULL */
	struct sandbox_limits lim;    /* for test runs; the task's limit_s or timeout_s sets wall and cpu */
	uid_t uid_base;               /* when root: slot i runs as sandbox_uid(uid_base, i) */
};

struct scorer;

/* a pool with its own scratch directory; NULL after reporting why. When
 * jobs sandboxes at their memory limits would not fit in the machine's
 * memory, it warns and runs fewer. Makes this process the reaper of its
 * sandboxes' orphans (sandbox_adopt_orphans), and reaps them. */
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
/* fds to poll for reading; returns how many were written (at most max) */
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
