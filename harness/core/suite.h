/* suite.h - tasks and the loaders that read suites (native, HumanEval, MBPP, HumanEval-X). */
#ifndef TB_SUITE_H
#define TB_SUITE_H

#include <stddef.h>

#include "util/strmap.h"

enum task_format {
	FMT_NATIVE,
	FMT_HUMANEVAL, /* HumanEval, HumanEval+ and HumanEval-X */
	FMT_MBPP,
	FMT_SWEBENCH,  /* SWE-bench instances */
};

/* what a repository task adds: a repository at a commit, a fix, tests */
struct repo_task {
	char *source;      /* tarball or git directory (absolute); NULL: found in --repos by name */
	char *name;        /* "owner/name" (SWE-bench) or the repository's own name */
	char *base_commit;
	char *test_patch;  /* applied (test files reset first) before the tests run */
	char **f2p, **p2p; /* FAIL_TO_PASS, PASS_TO_PASS; owned */
	size_t nf2p, np2p;
	char *test_cmd;    /* NULL: from the environment spec */
	char *log_parser;  /* NULL: from the environment spec */
	char **files;      /* shown to the model; default: the files the reference patch touches */
	size_t nfiles;
	char *version;     /* SWE-bench's version, which picks the environment; may be NULL */
	char *env_commit;  /* SWE-bench's environment_setup_commit: the commit its environment
			    * was built at, which keys the build cache; may be NULL */
};

struct task {
	char *id;
	char *language;    /* "python", "c", "cpp", or "text" for exact-answer tasks */
	char *kind;        /* "function" (tests in a sandbox), "exact" (the answer is the
			    * reference) or "repo" (a patch to a repository) */
	enum task_format format;
	char *prompt;      /* what the model is asked to complete (repo: the problem statement) */
	char *tests;       /* harness-owned test code ("" for repo tasks) */
	char *reference;   /* a passing completion (Python functions: the body; repo: the patch) */
	char *entry_point; /* function under test; may be NULL for MBPP without one */
	char *cluster;     /* grouping for clustered statistics; may be NULL */
	double timeout_s;  /* wall-clock limit of one test run set by the suite; 0 when unset */
	double limit_s;    /* the run's wall-clock limit on this machine (calibrate.c); 0: timeout_s,
			    * else the sandbox default */
	double compile_limit_s; /* the compile step's, likewise; 0: the scorer's default */
	int difficulty;    /* 1..5, 0 when the suite does not say */
	char *origin;      /* "file:line", for messages */
	struct repo_task *repo; /* kind "repo" only; owned */
};

struct suite {
	struct task *tasks; /* owned */
	size_t n, cap;
	char **files;       /* paths read, owned */
	char **hashes;      /* sha256 hex of each file, owned */
	size_t nfiles, files_cap, hashes_cap;
	struct strmap ids;  /* task id -> index in tasks */
};

void suite_init(struct suite *s);
void suite_release(struct suite *s);
/* loads a JSONL file (plain or .gz) or every *.jsonl[.gz] in a directory;
 * 0 or -1 after reporting the file and line at fault */
int suite_load(struct suite *s, const char *path);
/* the task with this id, or NULL; borrowed */
const struct task *suite_find(const struct suite *s, const char *id);
/* frees what a task owns (the task itself is part of the suite's array) */
void task_release(struct task *t);

/* a subset of a suite (suite_select.c) */
struct suite_filter {
	const char *instances; /* --instances FILE: one task id a line, '#' comments; borrowed */
	char **repos;          /* --repo NAME: "owner/name", "owner__name" or "name"; owned */
	size_t nrepos, repos_cap;
};

void suite_filter_init(struct suite_filter *f);
void suite_filter_release(struct suite_filter *f);
void suite_filter_add_repo(struct suite_filter *f, const char *name);
/* keeps only the tasks the filter names (all of them when it names none);
 * 0, or -1 when the file is unreadable, names a task the suite lacks, or
 * nothing is left (reported); the id index is rebuilt */
int suite_select(struct suite *s, const struct suite_filter *f);
/* rebuilds the id index after tasks[] was changed in place (a selection) */
void suite_reindex(struct suite *s);
/* keeps the tasks whose keep[i] is set (i < s->n), in their order, releases
 * the others and reindexes; where (s->n entries, or NULL) gets each task's
 * new index, -1 for a task dropped. Pointers into tasks[] move with it. */
void suite_keep(struct suite *s, const unsigned char *keep, long *where);

/* how an answer relates to its task's prompt */
enum answer_mode {
	ANSWER_AUTO,       /* a chat answer: a whole function or a body, decided by its text */
	ANSWER_COMPLETION, /* continues the prompt (HumanEval `completion`) */
	ANSWER_SOLUTION,   /* stands alone (EvalPlus `solution`, MBPP code) */
};

#endif
