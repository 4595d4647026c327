/* env.c - environment specs for repository tasks. */
#include "core/env.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/suite_repo.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

void env_init(struct env_spec *e)
{
	memset(e, 0, sizeof(*e));
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void env_release(struct env_spec *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nrepos; i++) {
		for (size_t j = 0; j < e->repos[i].n; j++) {
			struct env_entry *x = &e->repos[i].entries[j];
			free_strings(x->versions, x->nversions);
			free_strings(x->packages, x->npackages);
			free_strings(x->pythonpath, x->npythonpath);
			free_strings(x->build, x->nbuild);
			free_strings(x->setup, x->nsetup);
			free_strings(x->env, x->nenv);
			free_strings(x->deselect, x->ndeselect);
			free_strings(x->harness_edits, x->nharness_edits);
			free(x->test_cmd);
			free(x->log_parser);
		}
		free(e->repos[i].entries);
		free(e->repos[i].repo);
	}
	free(e->repos);
	cJSON_Delete(e->root);
	free(e->path);
	free(e->name);
	free(e->shims);
	env_init(e);
}

static char **strings(const cJSON *o, const char *key, size_t *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (cJSON_IsString(a)) {
		v = xmalloc(sizeof(*v));
		v[(*n)++] = xstrdup(a->valuestring);
		return v;
	}
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it))
			continue;
		XGROW(v, cap, *n + 1);
		v[(*n)++] = xstrdup(it->valuestring);
	}
	return v;
}

static int load_entry(struct env_entry *x, const cJSON *o, const char *where)
{
	memset(x, 0, sizeof(*x));
	x->versions = strings(o, "versions", &x->nversions);
	x->packages = strings(o, "packages", &x->npackages);
	x->pythonpath = strings(o, "pythonpath", &x->npythonpath);
	x->build = strings(o, "build", &x->nbuild);
	x->setup = strings(o, "setup", &x->nsetup);
	x->deselect = strings(o, "deselect", &x->ndeselect);
	x->harness_edits = strings(o, "harness_edits", &x->nharness_edits);
	const cJSON *env = cJSON_GetObjectItemCaseSensitive(o, "env"), *kv;
	size_t env_cap = 0;
	cJSON_ArrayForEach(kv, env) {
		if (!cJSON_IsString(kv))
			continue;
		XGROW(x->env, env_cap, x->nenv + 1);
		x->env[x->nenv++] = xasprintf("%s=%s", kv->string, kv->valuestring);
	}
	const char *cmd = json_str(o, "test_cmd", NULL), *parser = json_str(o, "log_parser", NULL);
	if (!cmd || !parser || !x->nversions)
		return error("%s: needs 'versions', 'test_cmd' and 'log_parser'", where);
	x->test_cmd = xstrdup(cmd);
	x->log_parser = xstrdup(parser);
	x->known_failures = cJSON_GetObjectItemCaseSensitive(o, "known_failures");
	x->unusable = cJSON_GetObjectItemCaseSensitive(o, "unusable");
	x->timeout_s = json_num(o, "timeout_s", 0);
	x->build_timeout_s = json_num(o, "build_timeout_s", 1800);
	x->untested_here = json_str(o, "untested_here", NULL);
	x->instance_timeout_s = cJSON_GetObjectItemCaseSensitive(o, "instance_timeout_s");
	const cJSON *it;
	cJSON_ArrayForEach(it, x->instance_timeout_s) {
		if (!cJSON_IsNumber(it) || it->valuedouble <= 0)
			return error("%s: instance_timeout_s of '%s' is not a number of seconds", where,
				     it->string ? it->string : "?");
	}
	if (x->instance_timeout_s && !cJSON_IsObject(x->instance_timeout_s))
		return error("%s: 'instance_timeout_s' is not an object", where);
	return 0;
}

int env_load(struct env_spec *e, const char *path)
{
	struct buf data = BUF_INIT;
	if (file_read(path, &data) < 0)
		return -1;
	e->root = json_parse(buf_str(&data), data.len);
	buf_release(&data);
	const cJSON *repos = cJSON_GetObjectItemCaseSensitive(e->root, "repos");
	if (!cJSON_IsObject(repos))
		return error("%s: not an environment spec (no \"repos\" object)", path);
	e->path = xstrdup(path);
	e->name = xstrdup(json_str(e->root, "name", "env"));
	const char *shims = json_str(e->root, "shims", NULL);
	if (shims) {
		const char *slash = strrchr(path, '/');
		char *joined = shims[0] == '/' ? xstrdup(shims)
					       : xasprintf("%.*s/%s", slash ? (int)(slash - path) : 1,
							   slash ? path : ".", shims);
		char real[PATH_MAX];
		e->shims = realpath(joined, real) ? xstrdup(real) : NULL;
		int missing = !e->shims;
		if (missing)
			error("%s: shims directory '%s' not found", path, joined);
		free(joined);
		if (missing)
			return -1;
	}
	const cJSON *r;
	size_t repos_cap = 0;
	cJSON_ArrayForEach(r, repos) {
		XGROW(e->repos, repos_cap, e->nrepos + 1);
		struct env_repo *er = &e->repos[e->nrepos++];
		er->repo = xstrdup(r->string);
		er->n = 0;
		er->entries = xcalloc((size_t)cJSON_GetArraySize(r) + 1, sizeof(*er->entries));
		const cJSON *o;
		int k = 0;
		cJSON_ArrayForEach(o, r) {
			char *where = xasprintf("%s: %s entry %d", path, r->string, ++k);
			int rc = load_entry(&er->entries[er->n++], o, where);
			free(where);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

const struct env_entry *env_find(const struct env_spec *e, const char *repo, const char *version)
{
	for (size_t i = 0; i < e->nrepos; i++) {
		if (strcmp(e->repos[i].repo, repo) != 0)
			continue;
		for (size_t j = 0; j < e->repos[i].n; j++) {
			const struct env_entry *x = &e->repos[i].entries[j];
			for (size_t k = 0; k < x->nversions; k++)
				if (strcmp(x->versions[k], "*") == 0 || (version && strcmp(x->versions[k], version) == 0))
					return x;
		}
	}
	return NULL;
}

/* data files a test patch may touch that are not tests to run */
static int is_data_file(const char *path)
{
	static const char *const ext[] = { ".json", ".png", ".csv", ".txt", ".md", ".jpg", ".pkl", ".yml", ".yaml",
					   ".toml", ".rst", ".cfg", ".ini", ".svg", ".html", ".xml", NULL };
	size_t n = strlen(path);
	for (const char *const *e = ext; *e; e++) {
		size_t k = strlen(*e);
		if (n > k && strcmp(path + n - k, *e) == 0)
			return 1;
	}
	return 0;
}

/* s with each {tests} replaced by tests, each {labels} by labels and
 * each {shims} by the shims' mount point inside the sandbox; malloced */
static char *expand(const char *s, const char *tests, const char *labels)
{
	const struct {
		const char *key, *value;
	} keys[] = { { "{tests}", tests }, { "{labels}", labels }, { "{shims}", ENV_SHIMS_MOUNT } };
	struct buf out = BUF_INIT;
	while (*s) {
		size_t k = 0;
		while (k < sizeof(keys) / sizeof(*keys) && strncmp(s, keys[k].key, strlen(keys[k].key)) != 0)
			k++;
		if (k == sizeof(keys) / sizeof(*keys)) {
			buf_putc(&out, *s++);
			continue;
		}
		buf_puts(&out, keys[k].value);
		s += strlen(keys[k].key);
	}
	return buf_detach(&out);
}

char *env_expand(const char *s)
{
	return expand(s, "", "");
}

/* a test file as a module label, as SWE-bench gives django's runner:
 * "tests/a/b.py" -> "a.b" (without "tests/" and ".py", "/" as ".") */
static void put_label(struct buf *labels, const char *file)
{
	size_t n = strlen(file);
	if (n > 3 && strcmp(file + n - 3, ".py") == 0)
		n -= 3;
	if (strncmp(file, "tests/", 6) == 0) {
		file += 6;
		n -= 6;
	}
	if (labels->len)
		buf_putc(labels, ' ');
	for (size_t i = 0; i < n; i++)
		buf_putc(labels, file[i] == '/' ? '.' : file[i]);
}

/* a name pytest's -k can hold: deselect entries without "::" are test
 * names matched wherever they are, so that one entry covers the test in
 * every version of a suite whatever class or file holds it */
static int is_k_name(const char *d)
{
	if (!*d || strstr(d, "::"))
		return 0;
	for (const char *p = d; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			return 0;
	return 1;
}

char *env_test_cmd(const struct env_entry *x, const char *test_patch)
{
	char **files;
	size_t n;
	patch_test_paths(test_patch, &files, &n);
	struct buf tests = BUF_INIT, labels = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!is_data_file(files[i])) {
			buf_printf(&tests, "%s%s", tests.len ? " " : "", files[i]);
			put_label(&labels, files[i]);
		}
		free(files[i]);
	}
	free(files);
	char *expanded = expand(x->test_cmd, buf_str(&tests), buf_str(&labels));
	buf_release(&labels);
	struct buf cmd = BUF_INIT;
	buf_puts(&cmd, expanded);
	free(expanded);
	if (strstr(x->test_cmd, "pytest")) {
		struct buf k = BUF_INIT;
		for (size_t i = 0; i < x->ndeselect; i++) {
			if (is_k_name(x->deselect[i]))
				buf_printf(&k, "%snot %s", k.len ? " and " : "", x->deselect[i]);
			else
				buf_printf(&cmd, " --deselect '%s'", x->deselect[i]);
		}
		if (k.len)
			buf_printf(&cmd, " -k '%s'", buf_str(&k));
		buf_release(&k);
	}
	buf_release(&tests);
	return buf_detach(&cmd);
}

const cJSON *env_known_failures(const struct env_entry *x, const char *instance_id)
{
	return cJSON_GetObjectItemCaseSensitive(x->known_failures, instance_id);
}

double env_timeout_s(const struct env_entry *x, const char *instance_id)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(x->instance_timeout_s, instance_id);
	return cJSON_IsNumber(t) ? t->valuedouble : x->timeout_s;
}

const char *env_unusable(const struct env_entry *x, const char *instance_id)
{
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(x->unusable, instance_id);
	return cJSON_IsString(why) ? why->valuestring : NULL;
}

int env_harness_edits(const struct env_entry *x, const char *path)
{
	for (size_t i = 0; x && path && i < x->nharness_edits; i++)
		if (strcmp(x->harness_edits[i], path) == 0)
			return 1;
	return 0;
}
