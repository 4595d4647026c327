/* suite_repo.c - loaders for repository tasks: native `kind: "repo"` lines
 * and SWE-bench instances (whose FAIL_TO_PASS / PASS_TO_PASS are lists, or
 * JSON-encoded strings of lists as on Hugging Face). */
#include "core/suite_repo.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void repo_task_free(struct repo_task *r)
{
	if (!r)
		return;
	free(r->source);
	free(r->name);
	free(r->base_commit);
	free(r->test_patch);
	free_list(r->f2p, r->nf2p);
	free_list(r->p2p, r->np2p);
	free(r->test_cmd);
	free(r->log_parser);
	free_list(r->files, r->nfiles);
	free(r->version);
	free(r->env_commit);
	free(r);
}

/* a list of strings, given as a JSON array or as a string holding one */
static int string_list(const cJSON *o, const char *key, char ***out, size_t *n, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	cJSON *parsed = NULL;
	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (cJSON_IsString(v)) {
		parsed = cJSON_Parse(v->valuestring);
		v = parsed;
	}
	if (!cJSON_IsArray(v)) {
		cJSON_Delete(parsed);
		return error("%s: '%s' is not a list of strings", where, key);
	}
	const cJSON *it;
	size_t cap = 0;
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it))
			continue;
		XGROW(*out, cap, *n + 1);
		(*out)[(*n)++] = xstrdup(it->valuestring);
	}
	cJSON_Delete(parsed);
	return 0;
}

/* appends f (malloced) to the list unless it holds it already */
static void push_path(char ***out, size_t *n, size_t *cap, char *f)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*out)[i], f) == 0) {
			free(f);
			return;
		}
	XGROW(*out, *cap, *n + 1);
	(*out)[(*n)++] = f;
}

void patch_files(const char *diff, char ***out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	for (const char *p = diff; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *path = NULL;
		if (strncmp(p, "+++ b/", 6) == 0)
			path = p + 6;
		else if (strncmp(p, "--- a/", 6) == 0)
			path = p + 6;
		if (!path)
			continue;
		size_t len = strcspn(path, "\t\n");
		while (len && path[len - 1] == ' ')
			len--;
		push_path(out, n, &cap, xstrndup(path, len));
	}
}

void patch_test_paths(const char *diff, char ***out, size_t *n)
{
	size_t cap = 0;
	int headers = 0;
	*out = NULL;
	*n = 0;
	for (const char *p = diff; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "diff --git a/", 13) != 0)
			continue;
		headers = 1;
		size_t len = strcspn(p, "\n");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
			len--;
		/* SWE-bench's "diff --git a/.* b/(.*)": after the last " b/" */
		const char *b = NULL;
		for (const char *q = p + 13; q + 3 <= p + len; q++)
			if (strncmp(q, " b/", 3) == 0)
				b = q + 3;
		if (!b || b == p + len)
			continue;
		push_path(out, n, &cap, xstrndup(b, (size_t)(p + len - b)));
	}
	if (!headers)
		patch_files(diff, out, n);
}

static int common(struct task *t, struct repo_task *r, const cJSON *o, const char *where)
{
	const char *base = json_str(o, "base_commit", NULL), *test_patch = json_str(o, "test_patch", NULL);
	if (!base || !test_patch || !json_str(o, "patch", NULL))
		return error("%s: repository task without 'base_commit', 'patch' or 'test_patch'", where);
	r->base_commit = xstrdup(base);
	r->test_patch = xstrdup(test_patch);
	t->reference = xstrdup(json_str(o, "patch", ""));
	t->tests = xstrdup("");
	t->kind = xstrdup("repo");
	if (string_list(o, "FAIL_TO_PASS", &r->f2p, &r->nf2p, where) < 0 ||
	    string_list(o, "PASS_TO_PASS", &r->p2p, &r->np2p, where) < 0 ||
	    string_list(o, "files", &r->files, &r->nfiles, where) < 0)
		return -1;
	if (!r->nf2p)
		return error("%s: repository task '%s' has no FAIL_TO_PASS test", where, t->id);
	if (!r->nfiles)
		patch_files(t->reference, &r->files, &r->nfiles);
	const char *v = json_str(o, "version", NULL);
	r->version = v ? xstrdup(v) : NULL;
	const char *ec = json_str(o, "environment_setup_commit", NULL);
	r->env_commit = ec ? xstrdup(ec) : NULL;
	t->timeout_s = json_num(o, "timeout_s", 300);
	return 0;
}

int load_repo_native(struct task *t, const cJSON *o, const char *where, const char *dir)
{
	struct repo_task *r = t->repo = xcalloc(1, sizeof(*r));
	const char *src = json_str(o, "repo", NULL), *prompt = json_str(o, "problem_statement", NULL);
	if (!src || !prompt)
		return error("%s: repository task without 'repo' or 'problem_statement'", where);
	t->format = FMT_NATIVE;
	t->id = xstrdup(json_str(o, "id", NULL));
	t->language = xstrdup(json_str(o, "language", "python"));
	t->prompt = xstrdup(prompt);
	const char *cl = json_str(o, "cluster", NULL);
	t->cluster = cl ? xstrdup(cl) : NULL;
	if (common(t, r, o, where) < 0)
		return -1;
	/* the repository, relative to the suite file */
	char *joined = src[0] == '/' ? xstrdup(src) : xasprintf("%s/%s", dir, src);
	char real[PATH_MAX];
	if (!realpath(joined, real)) {
		int rc = error("%s: repository '%s' not found", where, joined);
		free(joined);
		return rc;
	}
	free(joined);
	r->source = xstrdup(real);
	const char *b = strrchr(real, '/');
	b = b ? b + 1 : real;
	r->name = xstrndup(b, strcspn(b, "."));
	const char *cmd = json_str(o, "test_cmd", NULL), *parser = json_str(o, "log_parser", NULL);
	if (!cmd || !parser)
		return error("%s: repository task '%s' needs 'test_cmd' and 'log_parser'", where, t->id);
	r->test_cmd = xstrdup(cmd);
	r->log_parser = xstrdup(parser);
	return 0;
}

int load_swebench(struct task *t, const cJSON *o, const char *where)
{
	struct repo_task *r = t->repo = xcalloc(1, sizeof(*r));
	const char *id = json_str(o, "instance_id", NULL), *repo = json_str(o, "repo", NULL);
	if (!id || !repo)
		return error("%s: SWE-bench instance without 'instance_id' or 'repo'", where);
	t->format = FMT_SWEBENCH;
	t->id = xstrdup(id);
	t->language = xstrdup("python");
	t->prompt = xstrdup(json_str(o, "problem_statement", ""));
	r->name = xstrdup(repo);
	/* the repository is the cluster: instances of one repository go together */
	t->cluster = xstrdup(repo);
	return common(t, r, o, where);
}
