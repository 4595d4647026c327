/* suite.h - tasks and the loaders that read suites (native, HumanEval, MBPP, HumanEval-X). */
#ifndef TB_SUITE_H
#define TB_SUITE_H

#include <stddef.h>

enum task_format {
	FMT_NATIVE,
	FMT_HUMANEVAL, /* HumanEval, HumanEval+ and HumanEval-X */
	FMT_MBPP,
};

struct task {
	char *id;
	char *language;    /* "python", "c", "cpp", or "text" for exact-answer tasks */
	char *kind;        /* "function" (tests in a sandbox) or "exact" (the answer is the reference) */
	enum task_format format;
	char *prompt;      /* what the model is asked to complete */
	char *tests;       /* harness-owned test code */
	char *reference;   /* a passing completion (for Python function tasks: the body) */
	char *entry_point; /* function under test; may be NULL for MBPP without one */
	char *cluster;     /* grouping for clustered statistics; may be NULL */
	double timeout_s;  /* wall-clock limit of one test run set by the suite; 0 when unset */
	double limit_s;    /* the run's wall-clock limit on this machine (calibrate.c); 0: timeout_s,
			    * else the sandbox default */
	double compile_limit_s; /* the compile step's, likewise; 0: the scorer's default */
	int difficulty;    /* 1..5, 0 when the suite does not say */
	char *origin;      /* "file:line", for messages */
};

struct suite {
	struct task *tasks; /* owned */
	size_t n, cap;
	char **files;       /* paths read, owned */
	char **hashes;      /* sha256 hex of each file, owned */
	size_t nfiles;
};

void suite_init(struct suite *s);
void suite_release(struct suite *s);
/* loads a JSONL file (plain or .gz) or every *.jsonl[.gz] in a directory;
 * 0 or -1 after reporting the file and line at fault */
int suite_load(struct suite *s, const char *path);
/* the task with this id, or NULL; borrowed */
const struct task *suite_find(const struct suite *s, const char *id);

#endif
