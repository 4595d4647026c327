/* score_job.h - the sandbox pool's insides, shared by the files that make
 * it up (private to them: everything else uses score.h):
 *   score.c       the pool: slots, the queue, the poll interface, and the
 *                 one switch on a job's kind for each thing a job does;
 *   score_func.c  a function task's answer: object, compile and run steps,
 *                 the anti-cheat token, the reuse of identical answers;
 *   score_repo.c  a repository task's answer: repojob.c's steps;
 *   workspace.c   an agent's work copy and the commands run in it.
 * A job is one of three kinds, told by its tag, each with its own state. */
#ifndef TB_SCORE_JOB_H
#define TB_SCORE_JOB_H

#include <stdint.h>

#include "score/repojob.h"
#include "score/score.h"
#include "score/zygote.h"
#include "util/strmap.h"

enum job_kind {
	JOB_FUNCTION, /* a function task's answer (scorer_submit) */
	JOB_REPO,     /* a repository task's answer (scorer_submit) */
	JOB_EXEC,     /* a command in an agent's workspace (scorer_exec) */
};

/* a function task's steps */
enum { STEP_OBJECT, STEP_COMPILE, STEP_RUN };
/* an exec job's steps */
enum { EXEC_CHECKOUT, EXEC_SETUP, EXEC_COMMAND };

struct func_job {
	char key[65];            /* of the task and the answer, for reuse */
	struct program prog;
	double compile_ms, run_ms;
	double limit_s;          /* the run step's wall clock */
	int in_zygote;           /* the run step is a child of the slot's zygote */
	int no_zygote;           /* the zygote failed it: the ordinary path runs it again */
};

struct repo_job {
	struct repojob rj;
	double step_ms[RSTEP_DONE]; /* time in each step */
};

struct exec_job {
	struct workspace *ws;    /* borrowed */
	exec_done_fn done;
	double wall_s;
	int answer;              /* the command takes the workspace's answer */
	double wait_ms, setup_ms, harness_ms;
};

struct job {
	enum job_kind kind;
	const struct task *task; /* borrowed */
	char *code;              /* the answer, or the command; NULL for an agent's answer */
	enum answer_mode mode;
	score_done_fn done;      /* scoring jobs: function and repository */
	void *arg;
	int step;                /* STEP_*, enum repo_step or EXEC_*, by kind */
	struct sandbox_run run;
	double sandbox_ms;       /* in sandboxes, all steps */
	double queued_ms;        /* when it was queued (now_ms) */
	union {
		struct func_job fn;
		struct repo_job repo;
		struct exec_job exec;
	} u;                     /* by kind */
	struct job *next;
};

struct slot {
	struct job *job; /* running, or NULL */
	char *dir, *tb, *work;
	uid_t uid;
	struct zygote zy;  /* the slot's warm interpreter, when the pool uses one */
	int zy_fails;      /* zygotes in a row that could not start: at ZYGOTE_MAX_FAILS the slot stops
			    * using them */
};

#define ZYGOTE_MAX_FAILS 3

/* the secret the anti-cheat tokens come from: drawn once from the kernel,
 * each token a hash of it and a counter */
struct token_key {
	unsigned char key[32];
	uint64_t n;              /* tokens made */
};

struct scorer {
	struct scorer_opts opts;
	char *root;          /* scratch root, removed at the end */
	char *harness;       /* root/h, mounted at /tbh */
	char *objects;       /* root/o, mounted at /obj: the tests' objects */
	int have_driver[2];  /* driver.o, driver_cpp.o built */
	struct token_key token;
	struct slot *slots;
	struct job *head, *tail; /* queue */
	size_t queued;
	unsigned workspaces;     /* made so far: each gets the next spare uid */
	/* function tasks' verdicts by job key */
	struct strmap seen;
	struct verdict *verdicts;
	size_t nverdicts, verdicts_cap;
};

/* score.c: queues a job of any kind */
void score_job_enqueue(struct scorer *s, struct job *j);
/* score.c: delivers the verdict of the slot's scoring job (and releases
 * it), then frees the job: the slot is free again */
void score_job_finish(struct slot *sl, struct verdict *v);
/* score.c: frees a job that is in no slot and no queue; accepts NULL */
void score_job_free(struct job *j);

/* Each kind has a begin (the job has just taken slot sl: reuse a verdict,
 * write its files, start its first step) and a step_done (the slot's job
 * finished a step: start the next, or deliver the verdict or result and
 * free the job). Neither fails: what goes wrong becomes the job's verdict. */

/* score_func.c */
/* the job's key for reuse: its task, mode, limits and answer */
void func_job_key(struct job *j);
void func_job_begin(struct scorer *s, struct slot *sl, struct job *j);
void func_step_done(struct scorer *s, struct slot *sl);
/* the slot's function job's step: sandbox_poll, or its zygote's progress
 * (a failed zygote's test starts again on the ordinary path) */
void func_job_poll(struct scorer *s, struct slot *sl, double now);
/* the compile step's limits: the compiler gets room of its own (t may be NULL) */
void compile_limits(struct sandbox_limits *lim, const struct task *t);
/* the secret for the pool's tokens; 0, or -1 when the kernel gives no random
 * bytes (reported: the pool must not run) */
int token_key_init(struct token_key *k);

/* score_repo.c */
void repo_job_begin(struct scorer *s, struct slot *sl, struct job *j);
void repo_step_done(struct scorer *s, struct slot *sl);
/* a repository step's limits (and an agent command's), with a wall clock */
void repo_limits(const struct scorer *s, double wall_s, struct sandbox_limits *lim);

/* workspace.c */
void exec_job_begin(struct scorer *s, struct slot *sl, struct job *j);
void exec_step_done(struct scorer *s, struct slot *sl);

#endif
