/* score.h - the pool of sandbox workers that scores answers while requests
 * are still in flight. It never blocks: the caller's event loop polls the
 * fds it hands out and calls scorer_step. */
#ifndef TB_SCORE_H
#define TB_SCORE_H

#include <stddef.h>
#include <sys/types.h>

#include "program.h"
#include "sandbox.h"
#include "suite.h"

struct verdict {
	int passed;
	int error;          /* the sandbox failed, not the answer */
	const char *reason; /* static; NULL when passed. Failures: wrong_answer, no_code,
			     * compile_error, timeout, memory, cpu_limit, file_size_limit,
			     * output_limit, killed; repo tasks: malformed_edit,
			     * patch_does_not_apply, tests_did_not_run (the edit broke
			     * the build), tests_failed. Errors: sandbox, test_build;
			     * repo tasks: checkout, test_patch, setup,
			     * tests_did_not_run (with no edit: the environment) */
	char *detail;       /* malloced, owned by the verdict; short; may be NULL */
	int truncated;      /* output was cut */
	double test_ms;     /* wall time in the sandbox, compile included */
	/* repository tasks */
	char *report;       /* SWE-bench's per-instance report (tests_status, flags) as JSON; malloced */
	char *log;          /* the test output; malloced */
	const char *edit_format; /* the format of the answer's edit (static), or NULL */
	int well_formed;    /* 1: the edit parsed and applied; 0: it did not; -1: not a repo task */
	double step_ms[4];  /* time in checkout, apply, setup and test (repo tasks) */
};

void verdict_release(struct verdict *v);

/* scores an exact-answer task without a sandbox: it passes when a line of
 * the answer, trimmed, equals the reference, trimmed */
void score_exact(const struct task *t, const char *answer, struct verdict *v);

typedef void (*score_done_fn)(void *arg, struct verdict *v);

struct repo_store;
struct env_spec;

struct scorer_opts {
	int jobs;                     /* sandboxes at once */
	struct repo_store *repos;     /* repository tasks' repositories; borrowed; may be NULL */
	const struct env_spec *env;   /* how to run SWE-bench repositories; borrowed; may be NULL */
	struct sandbox_limits lim;    /* for test runs; the task's timeout_s sets wall and cpu */
	uid_t uid_base;               /* when root: slot i runs as uid_base + i; 0 picks a
				       * block of 256 uids of this process's own */
};

struct scorer;

/* a pool with its own scratch directory; NULL after reporting why */
struct scorer *scorer_new(const struct scorer_opts *opts);
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

#endif
