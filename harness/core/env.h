/* env.h - environment specs: how to run a repository's tests, per
 * repository and version, kept as data (tasks/swebench/envs/NAME.json). */
#ifndef TB_ENV_H
#define TB_ENV_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* where the spec's shims directory is mounted in the sandbox; "{shims}" in
 * pythonpath, setup and test_cmd stands for it */
#define ENV_SHIMS_MOUNT "/shims"

struct env_entry {
	char **versions;     /* versions it serves; "*" serves any */
	size_t nversions;
	char **packages;     /* Debian packages (scripts/install-deps --swebench) */
	size_t npackages;
	char **pythonpath;   /* relative to the work copy, or "{shims}" */
	size_t npythonpath;
	char **build;        /* shell commands that compile the work copy, run before setup
			      * with ccache as the compiler and the build cache (see
			      * score/buildcache.h) read-only */
	size_t nbuild;
	double build_timeout_s; /* the wall clock of a build, and of the build cache's warm-up */
	char **setup;        /* shell commands run in the work copy before the tests */
	size_t nsetup;
	char **env;          /* "NAME=value" */
	size_t nenv;
	char *test_cmd;      /* {tests}: the test files the test patch touches */
	char *log_parser;
	char **deselect;     /* tests never run here: node ids (pytest --deselect) or bare
			      * test names (pytest -k "not NAME", wherever the test is) */
	size_t ndeselect;
	char **harness_edits; /* files SWE-bench's own harness edits in the work copy before it
			       * applies a patch (its pre-install step); a patch that edits
			       * them too may not apply there, though it applies here */
	size_t nharness_edits;
	const cJSON *known_failures; /* {instance_id: [tests that fail here even with the gold patch]}; borrowed */
	const cJSON *unusable;       /* {instance_id: why this environment cannot score it}; borrowed */
	double timeout_s;    /* 0: the task's */
	const char *untested_here; /* why this entry was never run where the spec was measured
				    * (written from SWE-bench's published settings), or NULL;
				    * borrowed */
	const cJSON *instance_timeout_s; /* {instance_id: seconds}, for the slowest instances; borrowed */
};

struct env_repo {
	char *repo;          /* "owner/name" */
	struct env_entry *entries;
	size_t n;
};

struct env_spec {
	char *path, *name;
	cJSON *root;         /* owned; entries borrow from it */
	struct env_repo *repos;
	size_t nrepos;
	char *shims;         /* the spec's shims directory (absolute), or NULL */
	int run_unusable;    /* score instances marked unusable anyway (--gold, --empty:
			      * re-checking the spec); otherwise they are environment errors */
};

void env_init(struct env_spec *e);
void env_release(struct env_spec *e);
/* 0, or -1 naming the file and entry at fault */
int env_load(struct env_spec *e, const char *path);
/* the entry for a repository at a version, or NULL */
const struct env_entry *env_find(const struct env_spec *e, const char *repo, const char *version);
/* the test command for a test patch: {tests} (the test files it touches,
 * data files left out), {labels} (the same as module labels, as django's
 * runner takes them: "tests/a/b.py" is "a.b") and {shims} replaced,
 * --deselect and -k added for pytest; malloced */
char *env_test_cmd(const struct env_entry *x, const char *test_patch);
/* a setup command with {shims} replaced; malloced */
char *env_expand(const char *s);
/* the tests of an instance known to fail here under the gold patch (may be empty) */
const cJSON *env_known_failures(const struct env_entry *x, const char *instance_id);
/* the test run's wall clock for an instance: its own (instance_timeout_s),
 * else the entry's timeout_s; 0: the task's */
double env_timeout_s(const struct env_entry *x, const char *instance_id);
/* whether SWE-bench's harness edits this file before it applies a patch */
int env_harness_edits(const struct env_entry *x, const char *path);
/* why this environment cannot score an instance (its "unusable" map), or
 * NULL; borrowed */
const char *env_unusable(const struct env_entry *x, const char *instance_id);

#endif
