/* repojob.c - the steps of a repository task and their grading.
 *
 * Steps, each in the sandbox with /work the only writable place:
 *   checkout  git clone --shared of the pristine repository (/src, read
 *             only), checked out at the base commit: a fresh copy per sample
 *   apply     the answer's edit (git apply, falling back to patch with
 *             fuzz; or whole files), then the test files reset to the base
 *             and the test patch applied (/tbh/apply.sh)
 *   setup     the environment spec's setup commands, if any
 *   test      the test command, whose log is graded here
 * A patch that does not apply, a timeout, and an error before the tests
 * start each end the job with their own reason. An environment that
 * compiles the repository builds in the setup step with its build cache
 * (/cache, read-only); a checkout that finds that cache missing first
 * fills it from the environment commit (buildcache.h).
 *
 * The bash agent's work copy (workspace.c) is made by the same
 * checkout and setup, and its answer taken by agent_diff.sh. */
#include "score/repojob.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/suite_repo.h"
#include "score/edit.h"
#include "score/logparse.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/proc.h"
#include "util/xalloc.h"

static const char apply_sh[] =
	"#!/bin/sh\n"
	"# tokenbench: the answer's edit, then the task's test patch.\n"
	"# exit 3: the edit does not apply; 4: the test patch does not\n"
	"base=$1\n"
	"cd /work || exit 5\n"
	"if [ -s /tb/model.diff ]; then\n"
	"\tif ! git apply --whitespace=nowarn /tb/model.diff >/tmp/apply.log 2>&1; then\n"
	"\t\tpatch -p1 --batch --forward --fuzz=3 --no-backup-if-mismatch -i /tb/model.diff \\\n"
	"\t\t\t>>/tmp/apply.log 2>&1 || { cat /tmp/apply.log; exit 3; }\n"
	"\tfi\n"
	"fi\n"
	"if [ -d /tb/edit ]; then\n"
	"\t(cd /tb/edit && find . -type f) >/tmp/edit.list || exit 3\n"
	"\twhile IFS= read -r f; do\n"
	"\t\tmkdir -p \"$(dirname \"$f\")\" && cp \"/tb/edit/$f\" \"$f\" || exit 3\n"
	"\tdone </tmp/edit.list\n"
	"fi\n"
	"while IFS= read -r f; do\n"
	"\t[ -n \"$f\" ] || continue\n"
	"\tif git cat-file -e \"$base:$f\" 2>/dev/null; then\n"
	"\t\tgit checkout -q \"$base\" -- \"$f\" || exit 4\n"
	"\telse\n"
	"\t\trm -f -- \"$f\"\n"
	"\tfi\n"
	"done </tb/test_files\n"
	"git apply --whitespace=nowarn /tb/test.diff || exit 4\n";

/* the agent's answer: everything it changed in /work against the base,
 * new files included, as a text diff on stdout. The task's test files are
 * left out (the tests' own versions replace them anyway), and so are
 * binary files, which a text patch cannot carry. The work copy is the
 * model's: its git configuration may say anything, so what could run a
 * program or change the diff's form is set on the command line */
static const char agent_diff_sh[] =
	"#!/bin/sh\n"
	"# tokenbench: the work copy's changes against the base commit, as a text diff\n"
	"# exit 6: git could not read the work copy\n"
	"base=$1\n"
	"cd /work || exit 5\n"
	"g() {\n"
	"\tgit -c core.hooksPath=/dev/null -c core.fsmonitor=false -c core.quotePath=true \\\n"
	"\t\t-c diff.noprefix=false -c diff.mnemonicPrefix=false -c diff.relative=false \\\n"
	"\t\t-c diff.external= -c color.ui=never \"$@\"\n"
	"}\n"
	"g add -A . >/tmp/diff.log 2>&1 || { cat /tmp/diff.log; exit 6; }\n"
	"while IFS= read -r f; do\n"
	"\t[ -n \"$f\" ] && g reset -q \"$base\" -- \"$f\" >/dev/null 2>&1\n"
	"done </tb/test_files\n"
	"g diff --cached --numstat --no-renames \"$base\" 2>/dev/null | while IFS=\"$(printf '\\t')\" read -r a d f; do\n"
	"\t[ \"$a\" = - ] && g reset -q \"$base\" -- \"$f\" >/dev/null 2>&1\n"
	"done\n"
	"g diff --cached --no-renames --no-color --no-ext-diff --no-textconv --src-prefix=a/ --dst-prefix=b/ \"$base\" \\\n"
	"\t2>/tmp/diff.log || { cat /tmp/diff.log; exit 6; }\n";

/* git refuses repositories another uid owns unless told to trust them, and
 * a local clone passes no config from the environment to upload-pack: only
 * a global config file reaches it */
static const char gitconfig[] = "[safe]\n\tdirectory = *\n";

int repojob_write_harness(const char *dir)
{
	char *path = xasprintf("%s/apply.sh", dir), *cfg = xasprintf("%s/gitconfig", dir);
	char *diff = xasprintf("%s/agent_diff.sh", dir);
	int rc = file_write(path, apply_sh, sizeof(apply_sh) - 1, 0755);
	if (rc == 0)
		rc = file_write(cfg, gitconfig, sizeof(gitconfig) - 1, 0644);
	if (rc == 0)
		rc = file_write(diff, agent_diff_sh, sizeof(agent_diff_sh) - 1, 0755);
	free(path);
	free(cfg);
	free(diff);
	return rc;
}

void repojob_release(struct repojob *rj)
{
	if (!rj)
		return;
	for (int i = 0; i < RSTEP_DONE; i++)
		free(rj->cmd[i]);
	for (int i = 0; i < rj->nenv; i++)
		free(rj->owned_env[i]);
	free(rj->edit_error);
	free(rj->env_problem);
	if (rj->cache_tmp)
		buildcache_finish(rj->builds, rj->cache_dir, rj->cache_tmp, rj->task->id);
	free(rj->cache_dir);
	for (size_t i = 0; i < rj->nharness_touched; i++)
		free(rj->harness_touched[i]);
	free(rj->harness_touched);
	memset(rj, 0, sizeof(*rj));
}

static void add_env(struct repojob *rj, char *kv)
{
	if (rj->nenv >= REPOJOB_MAX_ENV) {
		free(kv);
		return;
	}
	rj->owned_env[rj->nenv] = kv;
	rj->envv[rj->nenv++] = kv;
	rj->envv[rj->nenv] = NULL;
}

/* for edit_parse: the base content of a file */
struct base_ctx {
	struct repo_store *rs;
	const struct repo_task *r;
};

static int base_file(void *arg, const char *path, struct buf *out)
{
	struct base_ctx *c = arg;
	return repo_show(c->rs, c->r, path, out);
}

/* whether a path runs through a symbolic link of the base tree */
static int through_symlink(void *arg, const char *path)
{
	struct base_ctx *c = arg;
	const char *dir = repo_pristine(c->rs, c->r);
	struct buf out = BUF_INIT;
	const char *argv[3 + 64 + 8] = { "git", "-c", "safe.directory=*", "-C", dir, "ls-tree", c->r->base_commit, "--" };
	char *prefixes[3 + 64 + 8]; /* argv[8..n), which are malloced */
	int n = 8, np = 0;
	char *copy = xstrdup(path);
	/* every prefix, a, a/b, ... and the path itself, as it names a tree, a file or a link */
	for (char *p = strchr(copy, '/'); p && n < 3 + 64 + 6; p = strchr(p + 1, '/')) {
		*p = '\0';
		argv[n++] = prefixes[np++] = xstrdup(copy);
		*p = '/';
	}
	argv[n++] = prefixes[np++] = xstrdup(copy);
	argv[n] = NULL;
	int link = 0;
	if (n > 8 && proc_run(argv, NULL, &out) == 0)
		link = strstr(buf_str(&out), "120000 ") != NULL;
	for (int i = 0; i < np; i++)
		free(prefixes[i]);
	free(copy);
	buf_release(&out);
	return link;
}

static int write_tb(const char *tb, const char *name, const char *data)
{
	char *path = xasprintf("%s/%s", tb, name);
	int rc = file_write(path, data, strlen(data), 0644);
	free(path);
	return rc;
}

/* notes a file the edit changes when SWE-bench's harness edits it too */
static void note_harness_edit(struct repojob *rj, const char *path)
{
	if (!env_harness_edits(rj->env, path))
		return;
	for (size_t i = 0; i < rj->nharness_touched; i++)
		if (strcmp(rj->harness_touched[i], path) == 0)
			return;
	XGROW(rj->harness_touched, rj->harness_touched_cap, rj->nharness_touched + 1);
	rj->harness_touched[rj->nharness_touched++] = xstrdup(path);
}

/* the answer's edit, written where apply.sh looks for it */
static int write_edit(struct repojob *rj, const char *tb, const char *answer, enum answer_mode mode,
		      struct repo_store *rs)
{
	const struct repo_task *r = rj->task->repo;
	struct base_ctx ctx = { rs, r };
	struct edit e;
	char *why = NULL;
	const char *p = answer;
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	if (!*p) {
		rj->empty = 1;
		rj->edit_format = "none";
		return write_tb(tb, "model.diff", "");
	}
	if (mode == ANSWER_SOLUTION) {
		/* a prediction's patch, as SWE-bench takes it: a diff, checked */
		memset(&e, 0, sizeof(e));
		e.format = EDIT_DIFF;
		e.diff = xstrdup(answer);
		struct udiff_file *f;
		size_t n;
		if (udiff_files(e.diff, &f, &n) < 0) {
			why = xstrdup("the patch names no file");
		} else {
			for (size_t i = 0; i < n; i++) {
				if (!why && (!f[i].path || !edit_path_ok(f[i].path)))
					why = xasprintf("refused: '%s' is outside the repository", f[i].path ? f[i].path : "?");
				else if (!why && f[i].symlink)
					why = xasprintf("refused: the patch makes '%s' a symbolic link", f[i].path);
				else if (!why && through_symlink(&ctx, f[i].path))
					why = xasprintf("refused: '%s' goes through a symbolic link", f[i].path);
				free(f[i].path);
			}
			free(f);
		}
		if (why)
			edit_release(&e);
	} else if (edit_parse(answer, base_file, &ctx, through_symlink, &e, &why) < 0 && (int)e.format >= 0) {
		rj->edit_format = edit_format_name(e.format);
	}
	if (why) {
		rj->edit_error = why;
		if (mode == ANSWER_SOLUTION)
			rj->edit_format = "diff";
		return 0;
	}
	rj->edit_format = edit_format_name(e.format);
	if (e.format == EDIT_DIFF) {
		struct udiff_file *f;
		size_t n;
		if (udiff_files(e.diff, &f, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				note_harness_edit(rj, f[i].path);
				free(f[i].path);
			}
			free(f);
		}
	} else {
		for (size_t i = 0; i < e.nfiles; i++)
			note_harness_edit(rj, e.files[i].path);
	}
	int rc = 0;
	if (e.format == EDIT_DIFF) {
		/* git apply wants the last line ended */
		size_t n = strlen(e.diff);
		char *d = n && e.diff[n - 1] != '\n' ? xasprintf("%s\n", e.diff) : xstrdup(e.diff);
		rc = write_tb(tb, "model.diff", d);
		free(d);
	} else {
		for (size_t i = 0; i < e.nfiles && rc == 0; i++) {
			char *path = xasprintf("%s/edit/%s", tb, e.files[i].path);
			char *slash = strrchr(path, '/');
			*slash = '\0';
			rc = dir_make(path, 0755);
			*slash = '/';
			if (rc == 0)
				rc = file_write(path, e.files[i].content, strlen(e.files[i].content), 0644);
			free(path);
		}
	}
	edit_release(&e);
	return rc;
}

static char *pythonpath(const struct repojob *rj)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; rj->env && i < rj->env->npythonpath; i++) {
		const char *e = rj->env->pythonpath[i];
		if (b.len)
			buf_putc(&b, ':');
		if (strncmp(e, "{shims}", 7) == 0)
			buf_printf(&b, "%s%s", ENV_SHIMS_MOUNT, e + 7);
		else if (strcmp(e, ".") == 0)
			buf_puts(&b, "/work");
		else if (e[0] == '/')
			buf_puts(&b, e);
		else
			buf_printf(&b, "/work/%s", e);
	}
	return b.len ? buf_detach(&b) : NULL;
}

/* a task this environment cannot score: one step that fails at once, which
 * repojob_step_failed turns into an "environment" error; takes why */
static int env_problem(struct repojob *rj, char *why)
{
	rj->env_problem = why;
	rj->cmd[RSTEP_CHECKOUT] = xstrdup("exit 1");
	return 0;
}

int repojob_setup(struct repojob *rj, const struct task *t, struct repo_store *rs, const struct env_spec *spec,
		  const char *tb)
{
	memset(rj, 0, sizeof(*rj));
	const struct repo_task *r = t->repo;
	rj->task = t;
	rj->timeout_s = t->timeout_s;
	if (!rs)
		return error("task '%s': no repository store", t->id);
	rj->pristine = repo_pristine(rs, r);
	if (!rj->pristine)
		return -1;
	if (!r->test_cmd) {
		rj->env = spec ? env_find(spec, r->name, r->version) : NULL;
		if (!rj->env)
			return env_problem(rj, spec ? xasprintf("%s has no environment for %s %s", spec->path, r->name,
								r->version ? r->version : "(no version)")
						    : xasprintf("no environment spec for %s (give --env FILE)", r->name));
		const char *why = env_unusable(rj->env, t->id);
		if (why && !spec->run_unusable)
			return env_problem(rj, xasprintf("%s marks it unusable: %s", spec->path, why));
		rj->shims = spec->shims;
		if (rj->env->untested_here && !strmap_get(&rs->noted, r->name, NULL)) {
			strmap_put(&rs->noted, r->name, 1);
			note("%s: this environment was written without being run where %s was measured (%s); "
			     "--gold and --empty on this machine say which of its instances it can score",
			     r->name, spec->path, rj->env->untested_here);
		}
		if (env_timeout_s(rj->env, t->id) > 0)
			rj->timeout_s = env_timeout_s(rj->env, t->id);
	}
	rj->parser = r->log_parser ? r->log_parser : rj->env->log_parser;
	if (!logparse_known(rj->parser))
		return error("task '%s': unknown log parser '%s'", t->id, rj->parser);
	/* the test files to reset before the test patch goes in */
	char **files;
	size_t n;
	patch_files(r->test_patch, &files, &n);
	struct buf list = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_printf(&list, "%s\n", files[i]);
		free(files[i]);
	}
	free(files);
	int rc = write_tb(tb, "test_files", buf_str(&list));
	buf_release(&list);
	if (rc < 0)
		return -1;
	/* a compiled repository: its build cache, warmed up by this checkout
	 * when it is missing */
	rj->builds = &rs->builds;
	if (rj->env && rj->env->nbuild && r->env_commit) {
		rj->cache_dir = buildcache_dir(rj->builds, r->name, r->env_commit, rj->env);
		if (!rj->cache_dir)
			return -1;
		rj->cache_tmp = buildcache_claim(rj->builds, rj->cache_dir);
	}
	char *warm = rj->cache_tmp ? buildcache_warm_cmd(rj->env, r->env_commit) : NULL;
	/* git checks out what it can when the mirror lacks an object (a
	 * partial copy) and says so without failing: such a work copy is not
	 * the base commit, and the checkout fails naming what is missing */
	rj->cmd[RSTEP_CHECKOUT] = xasprintf("%s%sgit clone -q --shared --no-checkout /src /work && "
					    "git -C /work checkout -q %s && missing=$(git -C /work ls-files --deleted) && "
					    "{ [ -z \"$missing\" ] || { echo \"the repository mirror lacks files of %s:\" "
					    "$missing; exit 1; }; }",
					    warm ? warm : "", warm ? "; " : "", r->base_commit, r->base_commit);
	free(warm);
	if (rj->env && (rj->env->nsetup || rj->env->nbuild)) {
		struct buf b = BUF_INIT;
		if (rj->env->nbuild) {
			char *c = buildcache_build_cmd(rj->env, 0);
			buf_puts(&b, c);
			free(c);
		}
		for (size_t i = 0; i < rj->env->nsetup; i++) {
			char *c = env_expand(rj->env->setup[i]);
			buf_printf(&b, "%s(%s)", b.len ? " && " : "", c);
			free(c);
		}
		rj->cmd[RSTEP_SETUP] = buf_detach(&b);
	}
	rj->cmd[RSTEP_TEST] = r->test_cmd ? xstrdup(r->test_cmd) : env_test_cmd(rj->env, r->test_patch);
	/* git trusts the read-only repository and reads no system config; python
	 * writes no bytecode into the work copy */
	static const char *const fixed[] = { "GIT_CONFIG_GLOBAL=/tbh/gitconfig", "GIT_CONFIG_NOSYSTEM=1",
					     "PYTHONDONTWRITEBYTECODE=1", "MPLBACKEND=Agg", "TZ=UTC" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		add_env(rj, xstrdup(fixed[i]));
	char *pp = pythonpath(rj);
	if (pp) {
		add_env(rj, xasprintf("PYTHONPATH=%s", pp));
		free(pp);
	}
	for (size_t i = 0; rj->env && i < rj->env->nenv; i++)
		add_env(rj, xstrdup(rj->env->env[i]));
	return 0;
}

int repojob_prepare(struct repojob *rj, const struct task *t, const char *answer, enum answer_mode mode,
		    struct repo_store *rs, const struct env_spec *spec, const char *tb)
{
	if (repojob_setup(rj, t, rs, spec, tb) < 0)
		return -1;
	/* a task the environment cannot score ends at its first step */
	if (rj->env_problem)
		return 0;
	if (write_tb(tb, "test.diff", t->repo->test_patch) < 0 || write_edit(rj, tb, answer, mode, rs) < 0)
		return -1;
	rj->cmd[RSTEP_APPLY] = xasprintf("/bin/sh /tbh/apply.sh %s", t->repo->base_commit);
	return 0;
}

char *repojob_diff_cmd(const struct repojob *rj)
{
	return xasprintf("/bin/sh /tbh/agent_diff.sh %s", rj->task->repo->base_commit);
}

enum repo_step repojob_next(const struct repojob *rj, enum repo_step s)
{
	while (s < RSTEP_DONE && !rj->cmd[s])
		s++;
	return s;
}

const char *const *repojob_argv(struct repojob *rj, enum repo_step s)
{
	rj->argv[0] = "/bin/sh";
	rj->argv[1] = "-c";
	rj->argv[2] = rj->cmd[s];
	rj->argv[3] = NULL;
	return rj->argv;
}

/* the last lines of out, at most max bytes; malloced */
static char *tail(const char *out, size_t max)
{
	size_t n = strlen(out);
	const char *p = n > max ? out + n - max : out;
	if (p > out) {
		const char *nl = strchr(p, '\n');
		if (nl)
			p = nl + 1;
	}
	char *t = xstrdup(p);
	for (char *q = t; *q; q++)
		if (*q == '\n')
			*q = ' ';
	return t;
}

int repojob_step_failed(const struct repojob *rj, enum repo_step s, int exit_code, const char *out,
			struct verdict *v)
{
	if (rj->env_problem) {
		v->error = 1;
		v->reason = "environment";
		v->detail = xstrdup(rj->env_problem);
		return 1;
	}
	switch (s) {
	case RSTEP_CHECKOUT:
		v->error = 1;
		v->reason = "checkout";
		break;
	case RSTEP_APPLY:
		if (exit_code == 3) {
			v->reason = "patch_does_not_apply";
			v->well_formed = 0;
		} else {
			v->error = 1;
			v->reason = "test_patch";
		}
		break;
	case RSTEP_SETUP:
		v->error = 1;
		v->reason = "setup";
		break;
	default:
		return 0;
	}
	v->detail = tail(out, 300);
	return 1;
}

int repojob_cache_bind(struct repojob *rj, enum repo_step s, uid_t uid, struct sandbox_bind *b)
{
	if (!rj->cache_dir)
		return 0;
	if (s == RSTEP_CHECKOUT && rj->cache_tmp) {
		if (buildcache_make_tmp(rj->cache_tmp, uid) < 0)
			return -1;
		*b = (struct sandbox_bind){ rj->cache_tmp, BUILDCACHE_MOUNT, 1 };
		return 1;
	}
	if (rj->cache_tmp) {
		buildcache_finish(rj->builds, rj->cache_dir, rj->cache_tmp, rj->task->id);
		rj->cache_tmp = NULL;
	}
	if (s == RSTEP_CHECKOUT || !path_is_dir(rj->cache_dir))
		return 0;
	*b = (struct sandbox_bind){ rj->cache_dir, BUILDCACHE_MOUNT, 0 };
	return 1;
}

double repojob_step_timeout(const struct repojob *rj, enum repo_step s)
{
	double build = rj->env && rj->env->nbuild ? rj->env->build_timeout_s : 0;
	switch (s) {
	case RSTEP_TEST:
		return rj->timeout_s;
	case RSTEP_SETUP:
		return 600 > build ? 600 : build;
	case RSTEP_CHECKOUT:
		return 600 + (rj->cache_tmp ? build : 0);
	default:
		return 600;
	}
}

static void status_lists(const struct test_results *res, char **names, size_t n, const cJSON *skip, cJSON *into,
			 const char *key, size_t *ok, size_t *counted)
{
	cJSON *o = cJSON_AddObjectToObject(into, key);
	cJSON *succ = cJSON_AddArrayToObject(o, "success"), *fail = cJSON_AddArrayToObject(o, "failure");
	*ok = *counted = 0;
	for (size_t i = 0; i < n; i++) {
		int pass = test_passes(res, names[i]);
		cJSON_AddItemToArray(pass ? succ : fail, cJSON_CreateString(names[i]));
		int excluded = 0;
		const cJSON *k;
		cJSON_ArrayForEach(k, skip)
			excluded |= cJSON_IsString(k) && strcmp(k->valuestring, names[i]) == 0;
		if (excluded)
			continue;
		(*counted)++;
		*ok += pass;
	}
}

void repojob_grade(const struct repojob *rj, const char *log, int truncated, struct verdict *v)
{
	const struct repo_task *r = rj->task->repo;
	struct test_results res;
	test_results_init(&res);
	logparse(rj->parser, log, &res);
	v->log = xstrdup(log);
	v->truncated = truncated;
	if (res.n == 0) {
		/* nothing ran at all: the answer broke the build or the collection of
		 * the tests when it changed something, else the environment failed */
		v->error = rj->empty;
		v->reason = "tests_did_not_run";
		v->detail = tail(log, 300);
		test_results_release(&res);
		return;
	}
	const cJSON *known = rj->env ? env_known_failures(rj->env, rj->task->id) : NULL;
	cJSON *rep = cJSON_CreateObject();
	cJSON_AddBoolToObject(rep, "patch_is_None", 0);
	cJSON_AddBoolToObject(rep, "patch_exists", !rj->empty);
	cJSON_AddBoolToObject(rep, "patch_successfully_applied", 1);
	cJSON *ts = cJSON_CreateObject();
	size_t f2p_ok, f2p_n, p2p_ok, p2p_n, p2p_ok_adj, p2p_n_adj, f2p_ok_adj, f2p_n_adj;
	status_lists(&res, r->f2p, r->nf2p, NULL, ts, "FAIL_TO_PASS", &f2p_ok, &f2p_n);
	status_lists(&res, r->p2p, r->np2p, NULL, ts, "PASS_TO_PASS", &p2p_ok, &p2p_n);
	cJSON *scratch = cJSON_CreateObject();
	status_lists(&res, r->f2p, r->nf2p, known, scratch, "f", &f2p_ok_adj, &f2p_n_adj);
	status_lists(&res, r->p2p, r->np2p, known, scratch, "p", &p2p_ok_adj, &p2p_n_adj);
	cJSON_Delete(scratch);
	cJSON *empty = cJSON_CreateObject();
	cJSON_AddArrayToObject(empty, "success");
	cJSON_AddArrayToObject(empty, "failure");
	cJSON_AddItemToObject(ts, "FAIL_TO_FAIL", empty);
	cJSON_AddItemToObject(ts, "PASS_TO_FAIL", cJSON_Duplicate(empty, 1));
	int resolved = f2p_ok == f2p_n && p2p_ok == p2p_n;
	int adjusted = f2p_ok_adj == f2p_n_adj && p2p_ok_adj == p2p_n_adj;
	cJSON_AddBoolToObject(rep, "resolved", resolved);
	cJSON_AddItemToObject(rep, "tests_status", ts);
	cJSON_AddBoolToObject(rep, "resolved_adjusted", adjusted);
	if (known)
		cJSON_AddItemToObject(rep, "known_failures_excluded", cJSON_Duplicate(known, 1));
	if (rj->nharness_touched) {
		/* SWE-bench's harness edits these files before it applies a patch:
		 * there this patch may not apply, and nothing is tested */
		cJSON *a = cJSON_AddArrayToObject(rep, "edits_harness_edited_files");
		for (size_t i = 0; i < rj->nharness_touched; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(rj->harness_touched[i]));
	}
	struct buf b = BUF_INIT;
	json_print(&b, rep);
	cJSON_Delete(rep);
	v->report = buf_detach(&b);
	v->passed = resolved;
	v->reason = resolved ? NULL : "tests_failed";
	v->detail = xasprintf("FAIL_TO_PASS %zu/%zu, PASS_TO_PASS %zu/%zu%s", f2p_ok, f2p_n, p2p_ok, p2p_n,
			      !resolved && adjusted ? " (resolved once known environment failures are excluded)" : "");
	test_results_release(&res);
}
