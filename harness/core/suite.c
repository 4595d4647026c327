/* suite.c - suite loaders: JSON objects recognised by their fields, a file
 * of them as JSONL or a JSON array, gzipped or not (json_records_each). */
#include "core/suite.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/suite_repo.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

void suite_init(struct suite *s)
{
	memset(s, 0, sizeof(*s));
	strmap_init(&s->ids);
}

void task_release(struct task *t)
{
	free(t->id);
	free(t->language);
	free(t->kind);
	free(t->prompt);
	free(t->tests);
	free(t->reference);
	free(t->entry_point);
	free(t->cluster);
	free(t->origin);
	repo_task_free(t->repo);
}

void suite_release(struct suite *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		task_release(&s->tasks[i]);
	free(s->tasks);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i]);
		free(s->hashes[i]);
	}
	free(s->files);
	free(s->hashes);
	strmap_release(&s->ids);
	suite_init(s);
}

const struct task *suite_find(const struct suite *s, const char *id)
{
	long at;
	return strmap_get(&s->ids, id, &at) ? &s->tasks[at] : NULL;
}

void suite_reindex(struct suite *s)
{
	strmap_release(&s->ids);
	strmap_init(&s->ids);
	for (size_t i = 0; i < s->n; i++)
		strmap_put(&s->ids, s->tasks[i].id, (long)i);
}

void suite_keep(struct suite *s, const unsigned char *keep, long *where)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!keep[i]) {
			task_release(&s->tasks[i]);
			if (where)
				where[i] = -1;
			continue;
		}
		if (where)
			where[i] = (long)n;
		if (n != i)
			s->tasks[n] = s->tasks[i];
		n++;
	}
	s->n = n;
	suite_reindex(s);
}

static int language_supported(const char *lang)
{
	return strcmp(lang, "python") == 0 || strcmp(lang, "c") == 0 || strcmp(lang, "cpp") == 0 ||
	       strcmp(lang, "text") == 0;
}

static int load_native(struct task *t, const cJSON *o, const char *where)
{
	const char *kind = json_str(o, "kind", "function");
	int exact = strcmp(kind, "exact") == 0;
	const char *need[] = { "id", "prompt", "reference", "language", "tests" };
	/* exact-answer tasks need no language and no tests: the reference is the answer */
	for (size_t i = 0; i < (exact ? 3 : 5); i++)
		if (!json_str(o, need[i], NULL))
			return error("%s: native task without string field '%s'", where, need[i]);
	t->format = FMT_NATIVE;
	t->id = xstrdup(json_str(o, "id", NULL));
	t->language = xstrdup(exact ? "text" : json_str(o, "language", NULL));
	t->kind = xstrdup(kind);
	t->prompt = xstrdup(json_str(o, "prompt", NULL));
	t->tests = xstrdup(json_str(o, "tests", ""));
	t->reference = xstrdup(json_str(o, "reference", NULL));
	const char *ep = json_str(o, "entry_point", NULL);
	t->entry_point = ep ? xstrdup(ep) : NULL;
	const char *cl = json_str(o, "cluster", NULL);
	t->cluster = cl ? xstrdup(cl) : NULL;
	t->timeout_s = json_num(o, "timeout_s", 0);
	if (strcmp(t->kind, "function") != 0 && !exact)
		return error("%s: task '%s' has kind '%s' (this version runs 'function' and 'exact')",
			     where, t->id, t->kind);
	if (strcmp(t->language, "python") == 0 && !t->entry_point)
		return error("%s: Python task '%s' needs an 'entry_point'", where, t->id);
	return 0;
}

/* HumanEval-X names the language in the task id ("CPP/12", "Python/3") */
static const char *humaneval_language(const char *task_id)
{
	static const struct {
		const char *prefix, *lang;
	} map[] = { { "CPP/", "cpp" }, { "C++/", "cpp" }, { "Python/", "python" }, { "HumanEval/", "python" },
		    { "Go/", "go" },   { "Java/", "java" }, { "JavaScript/", "js" }, { "Rust/", "rust" } };
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strncmp(task_id, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].lang;
	return "python";
}

static int load_humaneval(struct task *t, const cJSON *o, const char *where)
{
	const char *id = json_str(o, "task_id", NULL);
	const char *prompt = json_str(o, "prompt", NULL);
	const char *test = json_str(o, "test", NULL);
	if (!id || !prompt || !test)
		return error("%s: HumanEval task without 'task_id', 'prompt' or 'test'", where);
	t->format = FMT_HUMANEVAL;
	t->id = xstrdup(id);
	t->language = xstrdup(humaneval_language(id));
	t->kind = xstrdup("function");
	t->prompt = xstrdup(prompt);
	t->tests = xstrdup(test);
	t->reference = xstrdup(json_str(o, "canonical_solution", ""));
	const char *ep = json_str(o, "entry_point", NULL);
	t->entry_point = ep ? xstrdup(ep) : NULL;
	t->timeout_s = json_num(o, "timeout_s", 0);
	if (!language_supported(t->language))
		return error("%s: task '%s' is in %s, which tokenbench cannot score yet", where, id,
			     t->language);
	return 0;
}

/* MBPP's tests are asserts calling the function; the first one names it */
static char *mbpp_entry_point(const cJSON *tests)
{
	const cJSON *first = cJSON_GetArrayItem(tests, 0);
	if (!cJSON_IsString(first))
		return NULL;
	const char *p = strstr(first->valuestring, "assert");
	if (!p)
		return NULL;
	p += strlen("assert");
	while (*p == ' ' || *p == '(' || strncmp(p, "not ", 4) == 0)
		p += *p == 'n' ? 4 : 1;
	if (strncmp(p, "math.isclose(", 13) == 0 || strncmp(p, "set(", 4) == 0)
		p = strchr(p, '(') + 1;
	const char *e = p;
	while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') ||
	       *e == '_')
		e++;
	return e > p && *e == '(' ? xstrndup(p, (size_t)(e - p)) : NULL;
}

static int load_mbpp(struct task *t, const cJSON *o, const char *where)
{
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(o, "test_list");
	const char *text = json_str(o, "text", json_str(o, "prompt", NULL));
	const cJSON *idj = cJSON_GetObjectItemCaseSensitive(o, "task_id");
	if (!cJSON_IsArray(tl) || !text || !idj)
		return error("%s: MBPP task without 'task_id', 'text' or 'test_list'", where);
	t->format = FMT_MBPP;
	t->id = cJSON_IsNumber(idj) ? xasprintf("Mbpp/%d", idj->valueint)
				    : xstrdup(cJSON_IsString(idj) ? idj->valuestring : "?");
	t->language = xstrdup("python");
	t->kind = xstrdup("function");
	struct buf tests = BUF_INIT, shown = BUF_INIT;
	const char *setup = json_str(o, "test_setup_code", "");
	buf_puts(&tests, setup);
	const cJSON *imports = cJSON_GetObjectItemCaseSensitive(o, "test_imports");
	const cJSON *it;
	cJSON_ArrayForEach(it, imports)
		if (cJSON_IsString(it))
			buf_printf(&tests, "%s\n", it->valuestring);
	buf_putc(&tests, '\n');
	cJSON_ArrayForEach(it, tl) {
		if (!cJSON_IsString(it))
			continue;
		buf_printf(&tests, "%s\n", it->valuestring);
		buf_printf(&shown, "%s\n", it->valuestring);
	}
	t->prompt = xasprintf("%s\nYour code should pass these tests:\n\n%s", text, buf_str(&shown));
	buf_release(&shown);
	t->tests = buf_detach(&tests);
	t->reference = xstrdup(json_str(o, "code", ""));
	t->entry_point = mbpp_entry_point(tl);
	t->timeout_s = json_num(o, "timeout_s", 0);
	return 0;
}

/* a task's numbers, whatever its format: checked here, once */
static int task_numbers(struct task *t, const cJSON *o, const char *where)
{
	double timeout_s, difficulty;
	if (json_num_checked(o, "timeout_s", t->timeout_s, 0, 86400, 0, where, &timeout_s) < 0 ||
	    json_num_checked(o, "difficulty", 0, 0, 5, 1, where, &difficulty) < 0)
		return -1;
	t->timeout_s = timeout_s;
	t->difficulty = (int)difficulty;
	return 0;
}

struct file_loader {
	struct suite *s;
	const char *dir; /* the suite file's directory */
};

/* one record of a suite file (json_records_each's callback) */
static int load_record(void *arg, const cJSON *o, const char *where)
{
	struct suite *s = ((struct file_loader *)arg)->s;
	const char *dir = ((struct file_loader *)arg)->dir;
	if (!cJSON_IsObject(o))
		return error("%s: not a JSON object", where);
	XGROW(s->tasks, s->cap, s->n + 1);
	struct task *t = &s->tasks[s->n];
	memset(t, 0, sizeof(*t));
	int rc;
	if (cJSON_GetObjectItemCaseSensitive(o, "instance_id"))
		rc = load_swebench(t, o, where);
	else if (json_str(o, "id", NULL) && strcmp(json_str(o, "kind", ""), "repo") == 0)
		rc = load_repo_native(t, o, where, dir);
	else if (json_str(o, "id", NULL) && (json_str(o, "language", NULL) || json_str(o, "kind", NULL)))
		rc = load_native(t, o, where);
	else if (cJSON_GetObjectItemCaseSensitive(o, "test_list"))
		rc = load_mbpp(t, o, where);
	else if (json_str(o, "task_id", NULL) && json_str(o, "test", NULL))
		rc = load_humaneval(t, o, where);
	else
		rc = error("%s: unknown task format (no 'id' with 'language' or 'kind', 'task_id' with 'test', or 'test_list')",
			   where);
	if (rc == 0)
		rc = task_numbers(t, o, where);
	if (rc == 0 && !language_supported(t->language))
		rc = error("%s: task '%s' has unsupported language '%s'", where, t->id, t->language);
	if (rc == 0 && str_has_control(t->id))
		rc = error("%s: task id has a control character (a newline, a tab)", where);
	if (rc == 0 && suite_find(s, t->id))
		rc = error("%s: duplicate task id '%s'", where, t->id);
	if (rc < 0) {
		task_release(t);
		return -1;
	}
	t->origin = xstrdup(where);
	strmap_put(&s->ids, t->id, (long)s->n);
	s->n++;
	return 0;
}

static int load_file(struct suite *s, const char *path)
{
	char hash[65];
	size_t before = s->n;
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	struct file_loader fl = { s, dir };
	/* read (and refused when not a regular file or too large) before it is hashed */
	int rc = json_records_each(path, load_record, &fl);
	free(dir);
	if (rc == 0 && file_sha256(path, hash) < 0)
		rc = -1;
	if (rc == 0 && s->n == before)
		rc = error("'%s' holds no tasks", path);
	if (rc == 0) {
		XGROW(s->files, s->files_cap, s->nfiles + 1);
		XGROW(s->hashes, s->hashes_cap, s->nfiles + 1);
		s->files[s->nfiles] = xstrdup(path);
		s->hashes[s->nfiles] = xstrdup(hash);
		s->nfiles++;
	}
	return rc;
}

int suite_load(struct suite *s, const char *path)
{
	if (!path_is_dir(path))
		return load_file(s, path);
	static const char *const suffixes[] = { ".jsonl", ".jsonl.gz", ".json", ".json.gz", NULL };
	char **names;
	size_t n;
	if (dir_list(path, suffixes, &names, &n) < 0)
		return -1;
	int rc = n ? 0 : error("no *.jsonl, *.json or their .gz files in '%s'", path);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *f = xasprintf("%s/%s", path, names[i]);
			rc = load_file(s, f);
			free(f);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}
