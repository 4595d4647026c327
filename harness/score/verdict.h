/* verdict.h - what scoring an answer concludes: passed, failed (and why) or
 * an infrastructure error, with its timings. The pool (score.h) hands one
 * to its caller for every job; verdict.c tells a finished sandbox run's
 * limits apart from a wrong answer. */
#ifndef TB_VERDICT_H
#define TB_VERDICT_H

#include "core/suite.h"
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

/* a run that took more than this fraction of its time limit is flagged: on a
 * slower or busier machine it may time out */
#define NEAR_LIMIT 0.8

/* frees the verdict's strings (not v); accepts NULL */
void verdict_release(struct verdict *v);
/* dst becomes a copy of v that owns its own strings */
void verdict_copy(struct verdict *dst, const struct verdict *v);
/* whether a failure reason says a sandbox limit stopped the answer (time,
 * memory, output, files, a forbidden call), rather than a wrong answer */
int verdict_reason_is_limit(const char *reason);

/* scores an exact-answer task without a sandbox: it passes when a line of
 * the answer, trimmed, equals the reference, trimmed */
void score_exact(const struct task *t, const char *answer, struct verdict *v);

/* what a finished function-task step says about the answer (compile: the
 * step compiles, its success only lets the run go on). The limits are told
 * apart from a wrong answer by what the harness saw (its clock, the output
 * it read, the watchdog, the exit signal, the tree's CPU time) and, where
 * the answer only got an error back from the kernel, by the message a
 * runtime prints for it. Fills v, which starts zeroed */
void verdict_classify(const struct sandbox_run *r, int compile, struct verdict *v);

/* the whole output of a run, for a log: the kept head (NUL bytes shown as
 * spaces), and the tail when it was cut; malloced */
char *verdict_run_output(const struct sandbox_run *r);
/* the last non-empty line of text, cut at 200 bytes, for a detail; malloced */
char *verdict_last_line(const char *text);

#endif
