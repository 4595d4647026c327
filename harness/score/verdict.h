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
			     * disk_limit, output_limit, forbidden_syscall, killed (the
			     * answer's own process died of a signal);
			     * repo tasks: malformed_edit, patch_does_not_apply,
			     * tests_did_not_run (the edit broke the build), tests_failed.
			     * Errors: sandbox, test_build, killed (a signal from outside
			     * the answer's reach), oom (the kernel's OOM killer); repo tasks: checkout,
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

/* How a sandboxed step ended, as the harness saw it: what
 * verdict_end_cause classifies. A step run under bubblewrap fills it from
 * its run (verdict_step_end); a process the harness waits for itself fills
 * it from its raw wait status. */
struct step_end {
	int wstatus;         /* the step's command's raw wait status (waitpid's) */
	int harness_killed;  /* the harness sent the kill (a limit, or a stop) */
	const char *limit;   /* with harness_killed: "time", "memory", "output", or NULL (a stop) */
	int rlimit_hit;      /* an rlimit the harness set ended it (SIGXCPU, SIGXFSZ, the CPU
			      * limit's SIGKILL) */
	int outside_signal;  /* a process the answer cannot reach (bubblewrap outside the
			      * sandbox's pid namespace) died of this signal, not sent by the
			      * harness; 0: none */
	long oom_kills;      /* OOM kills the kernel counted while the step ran */
	double wall_ms;
};

enum end_cause {
	END_EXIT,    /* it exited, or its own process died of a signal: the step's outcome */
	END_LIMIT,   /* the harness ended it: a limit it enforces (its kill, an rlimit) */
	END_KILLED,  /* a signal from outside, which the harness did not send */
	END_OOM,     /* the kernel's OOM killer */
};

/* which of the above ended step e. answer_runs: the answer's code runs in
 * this step (a function's tests, a repository's tests, an agent's command),
 * so that its own processes may signal themselves.
 *
 * The rule, from what the harness can tell apart: it knows every kill it
 * sends and every rlimit it sets (END_LIMIT). It cannot see who sent a
 * signal to a process inside the sandbox: a SIGKILL carries no sender to a
 * waiting parent, and the answer killing itself (os.kill(os.getpid(), 9),
 * abort(), a segfault) ends the same way as a kill from outside. So:
 * - a SIGKILL while the kernel's OOM counter rose is the OOM killer (END_OOM):
 *   the sandbox's limits are meant to stop the answer first, so an OOM kill
 *   means the machine ran short, not that the answer broke a limit;
 * - a signal that ended the outer bubblewrap is from outside (END_KILLED): it
 *   sits outside the sandbox's pid namespace, out of the answer's reach;
 * - in a step where nothing of the answer runs (a checkout, applying its
 *   patch, a build of the task's own tests, a compiler), a signal death is
 *   from outside too (END_KILLED);
 * - in a step where the answer runs, a signal death of its process is the
 *   answer's (END_EXIT), named in the record's detail. */
enum end_cause verdict_end_cause(const struct step_end *e, int answer_runs);
/* "test step: exit 1", "test step: SIGKILL after 2.3 s, killed by the
 * harness at its time limit", "..., 1 OOM kill while it ran"; the wall time
 * where a kill ended it (elsewhere it is the record's test_ms); malloced */
char *verdict_end_text(const struct step_end *e, const char *step);
/* when e's end is an infrastructure error (END_KILLED, END_OOM), makes v
 * that error (error_kind killed or oom, the signal named in detail) and
 * returns 1; 0 otherwise, v untouched */
int verdict_end_infra(const struct step_end *e, const char *step, int answer_runs, struct verdict *v);
/* a finished bubblewrap run's end (bwrap reports a command's death by
 * signal N as exit code 128+N, taken as that signal) */
void verdict_step_end(const struct sandbox_run *r, struct step_end *e);
/* adds how the step ended to a verdict that did not pass: "(test step: exit
 * 1)" after its detail, or as its detail when it has none, so
 * that no failed or error verdict has an empty detail */
void verdict_note_end(struct verdict *v, const struct step_end *e, const char *step);

/* when the harness stopped run r at one of its limits (the memory watchdog,
 * the wall clock, the output cap), makes v that failure (memory, timeout,
 * output_limit) and returns 1; 0 otherwise, v untouched */
int verdict_harness_limit(const struct sandbox_run *r, struct verdict *v);

/* the whole output of a run, for a log: the kept head (NUL bytes shown as
 * spaces), and the tail when it was cut; malloced */
char *verdict_run_output(const struct sandbox_run *r);
/* the last non-empty line of text, cut at 200 bytes, for a detail; malloced */
char *verdict_last_line(const char *text);

#endif
