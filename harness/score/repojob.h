/* repojob.h - what scoring a repository task takes: a fresh work copy at
 * the base commit, the answer's edit, the task's test patch, the setup and
 * the tests, each a sandboxed step; then SWE-bench's grading. */
#ifndef TB_REPOJOB_H
#define TB_REPOJOB_H

#include "core/env.h"
#include "core/suite.h"
#include "score/repo.h"
#include "score/sandbox.h"
#include "score/score.h"

enum repo_step { RSTEP_CHECKOUT, RSTEP_APPLY, RSTEP_SETUP, RSTEP_TEST, RSTEP_DONE };

#define REPOJOB_MAX_ENV 32

struct repojob {
	const struct task *task;     /* borrowed */
	const struct env_entry *env; /* borrowed; may be NULL */
	const char *pristine;        /* borrowed from the repo store */
	const char *shims;           /* the env spec's shims directory, or NULL */
	const char *parser;          /* borrowed */
	char *cmd[RSTEP_DONE];       /* per step: a shell command; NULL skips the step */
	const char *argv[4];         /* sh -c CMD */
	const char *envv[REPOJOB_MAX_ENV + 1]; /* "K=V", NULL-terminated */
	char *owned_env[REPOJOB_MAX_ENV];
	int nenv;
	const char *edit_format;     /* what the answer held (static), or NULL */
	char *edit_error;            /* a malformed or refused edit: nothing runs; owned */
	int empty;                   /* the answer is no edit at all (an empty patch) */
	char **harness_touched;      /* the files the edit changes that SWE-bench's harness
				      * edits before applying a patch (env_harness_edits); owned */
	size_t nharness_touched, harness_touched_cap;
	char *env_problem;           /* why the environment cannot score this task: the job
				      * ends as an "environment" error, never as the answer's
				      * failure; owned */
	double timeout_s;
	struct buildcache *builds;   /* borrowed from the repo store */
	char *cache_dir;             /* the build cache of the task's environment commit, or
				      * NULL (no build, or no environment commit); owned */
	char *cache_tmp;             /* where this job's checkout warms the cache up, or NULL;
				      * owned */
};

/* what every use of a task's repository needs: its pristine repository,
 * environment, checkout, setup and test commands, and the list of the test
 * patch's files written into the task dir tb (mounted at /tb); 0, or -1
 * when the task cannot run here (reported) */
int repojob_setup(struct repojob *rj, const struct task *t, struct repo_store *rs, const struct env_spec *spec,
		  const char *tb);
/* repojob_setup, then the answer: reads it (an edit, or with mode ANSWER_SOLUTION a patch as is),
 * and writes what the steps read into the task dir tb (mounted at /tb);
 * 0, or -1 when the job cannot be prepared (reported). A malformed answer
 * is not an error: rj->edit_error says why, and nothing needs to run */
int repojob_prepare(struct repojob *rj, const struct task *t, const char *answer, enum answer_mode mode,
		    struct repo_store *rs, const struct env_spec *spec, const char *tb);
void repojob_release(struct repojob *rj);
/* the first step to run at or after s (steps without a command are skipped) */
enum repo_step repojob_next(const struct repojob *rj, enum repo_step s);
/* sh -c and the step's command; borrowed */
const char *const *repojob_argv(struct repojob *rj, enum repo_step s);
/* the command that prints the agent's answer: the work copy's changes
 * against the base commit as a text diff, leaving out the test files named
 * in /tb/test_files and binary files (exit 6: git failed); malloced */
char *repojob_diff_cmd(const struct repojob *rj);
/* the shared apply and diff scripts, written into the harness dir once */
int repojob_write_harness(const char *dir);
/* the verdict of a finished step that was not a plain success (exit code,
 * output); returns 1 when the job ends here */
int repojob_step_failed(const struct repojob *rj, enum repo_step s, int exit_code, const char *out,
			struct verdict *v);
/* the build cache bind a step needs, if any: the checkout that warms the
 * cache up writes it, the later steps read it; returns how many binds
 * were written to b (0 or 1). A warm-up that finished is put in place
 * here (buildcache_finish); -1 when the warm-up's directory cannot be made */
int repojob_cache_bind(struct repojob *rj, enum repo_step s, uid_t uid, struct sandbox_bind *b);
/* the wall clock of a step: the test's timeout; a build's, and the
 * warm-up's on top of a checkout; else 600 s */
double repojob_step_timeout(const struct repojob *rj, enum repo_step s);
/* grades the test log as SWE-bench does: resolved when every FAIL_TO_PASS
 * and PASS_TO_PASS test passes; fills v->report and v->passed */
void repojob_grade(const struct repojob *rj, const char *log, int truncated, struct verdict *v);

#endif
