/* catalog.c - the public suites `tokenbench fetch` knows (catalog.h).
 * Digests are those of the files in the project's reference copies
 * (../shared/datasets, whose README gives their provenance): byte-identical
 * to the canonical files for HumanEval, HumanEval+ and HumanEval-X; for
 * MBPP the reference copy is not byte-identical to google-research's
 * current file, so a fetch from the canonical address reports a digest
 * mismatch naming both digests rather than using a file nobody checked.
 * SWE-bench's pins are the row count and ids digest of the reference
 * exports (swebench_lite_test.jsonl, swebench_verified_test.jsonl): rows
 * served as JSON are not byte-pinnable (HF may re-encode them), their
 * instances are. */
#include "core/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#define CODEGEEX "https://raw.githubusercontent.com/THUDM/CodeGeeX/2838420b7b4492cf3d16bce5320e26e65960c9e2/codegeex/benchmark/humaneval-x/"
#define HF_ROWS "https://datasets-server.huggingface.co/rows?dataset="

/* HumanEval-X's Go, Java, JavaScript and Rust translations are not here:
 * the scorer builds and runs Python, C and C++ programs only
 * (score/program.c), so their tasks would load and never be scored.
 * SWE-bench is a Hugging Face dataset; its files there are parquet, which
 * needs a library Debian does not package for C, so it is read through the
 * dataset viewer's JSON rows interface (at most 100 rows a page). */
static const struct catalog_entry entries[] = {
	{ .name = "humaneval", .kind = CATALOG_FILE,
	  .url = "https://raw.githubusercontent.com/openai/human-eval/6d43fb980f9fee3c892a914eda09951f772ad10d/data/"
		 "HumanEval.jsonl.gz",
	  .sha256 = "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef", .file = "HumanEval.jsonl.gz",
	  .what = "OpenAI's HumanEval, 164 Python tasks" },
	{ .name = "humaneval-plus", .kind = CATALOG_FILE,
	  .url = "https://github.com/evalplus/humanevalplus_release/releases/download/v0.1.10/HumanEvalPlus.jsonl.gz",
	  .sha256 = "272720b90ac375502c8ed23cd791c2a93dfb22a911641a494da74a426c09f101",
	  .file = "HumanEvalPlus.jsonl.gz", .what = "EvalPlus's HumanEval+ v0.1.10, 164 tasks with more tests" },
	{ .name = "mbpp", .kind = CATALOG_FILE,
	  .url = "https://raw.githubusercontent.com/google-research/google-research/master/mbpp/mbpp.jsonl",
	  .sha256 = "0b5e07b5b40fedd01c57b7c9177b79f8b2eebd72c304c928605d91a7237d2f33", .file = "mbpp.jsonl",
	  .what = "Google's MBPP, 974 Python tasks" },
	{ .name = "mbpp-sanitized", .kind = CATALOG_FILE,
	  .url = "https://raw.githubusercontent.com/google-research/google-research/master/mbpp/sanitized-mbpp.json",
	  .sha256 = "ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9", .file = "sanitized-mbpp.json",
	  .what = "MBPP sanitized, 427 hand-checked tasks (a JSON array)" },
	{ .name = "humaneval-x-cpp", .kind = CATALOG_FILE, .url = CODEGEEX "cpp/data/humaneval_cpp.jsonl.gz",
	  .sha256 = "dcf2e280a1e91bbc3c5f90edb41397e8a9ac1ccc9f5d2b70082f0b0fbfb6dbb0", .file = "humaneval_cpp.jsonl.gz",
	  .what = "HumanEval-X's C++ translation, 164 tasks" },
	{ .name = "humaneval-x-python", .kind = CATALOG_FILE, .url = CODEGEEX "python/data/humaneval_python.jsonl.gz",
	  .sha256 = "5752fb122efddb0e9b47c77907ae6ce9a15aac4dea14e44c46032c831e6b987a",
	  .file = "humaneval_python.jsonl.gz", .what = "HumanEval-X's Python version, 164 tasks" },
	{ .name = "swebench-lite", .kind = CATALOG_HF_ROWS,
	  .url = HF_ROWS "princeton-nlp/SWE-bench_Lite&config=default&split=test",
	  .sha256 = "6b9850decb64f71aaed19d394195eb254b666a4abe7f113365195b3e4de2b450",
	  .file = "swebench_lite_test.jsonl", .rows = 300, .id_key = "instance_id",
	  .what = "SWE-bench Lite, test split: 300 instances (Hugging Face rows interface)" },
	{ .name = "swebench-verified", .kind = CATALOG_HF_ROWS,
	  .url = HF_ROWS "princeton-nlp/SWE-bench_Verified&config=default&split=test",
	  .sha256 = "a6b0fd7c8c2969a0eef892e032250adcfa6d32362d395c246930e61b575ac9b9",
	  .file = "swebench_verified_test.jsonl", .rows = 500, .id_key = "instance_id",
	  .what = "SWE-bench Verified, test split: 500 instances (Hugging Face rows interface)" },
};

const struct catalog_entry *catalog_all(int *n)
{
	*n = (int)(sizeof(entries) / sizeof(*entries));
	return entries;
}

const struct catalog_entry *catalog_find(const char *name)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(*entries); i++)
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

char *catalog_dir(void)
{
	const char *d = getenv("TOKENBENCH_DATA"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (d && *d)
		return xstrdup(d);
	if (xdg && *xdg)
		return xasprintf("%s/tokenbench/suites", xdg);
	return xasprintf("%s/.cache/tokenbench/suites", home && *home ? home : ".");
}

char *catalog_url(const struct catalog_entry *e)
{
	const char *mirror = getenv("TOKENBENCH_FETCH_MIRROR");
	if (!mirror || !*mirror)
		return xstrdup(e->url);
	const char *rest = strstr(e->url, "://");
	size_t n = strlen(mirror);
	while (n && mirror[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s", (int)n, mirror, rest ? rest + 3 : e->url);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void catalog_ids_digest(char **ids, size_t n, char out[65])
{
	struct sha256 h;
	qsort(ids, n, sizeof(*ids), cmp_str);
	sha256_init(&h);
	for (size_t i = 0; i < n; i++) {
		sha256_update(&h, ids[i], strlen(ids[i]));
		sha256_update(&h, "\n", 1);
	}
	sha256_hex(&h, out);
}

struct ids {
	const char *key;
	char **v;
	size_t n, cap;
};

static int take_id(void *arg, const cJSON *o, const char *where)
{
	struct ids *ids = arg;
	const char *id = cJSON_IsObject(o) ? json_str(o, ids->key, NULL) : NULL;
	if (!id)
		return error("%s: not a record with a string '%s'", where, ids->key);
	XGROW(ids->v, ids->cap, ids->n + 1);
	ids->v[ids->n++] = xstrdup(id);
	return 0;
}

int catalog_file_ids(const struct catalog_entry *e, const char *path, size_t *n, char out[65])
{
	struct ids ids = { .key = e->id_key };
	int rc = json_records_each(path, take_id, &ids);
	if (rc == 0)
		catalog_ids_digest(ids.v, ids.n, out);
	*n = ids.n;
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	return rc;
}

char *catalog_suite_path(const char *arg, int *missing)
{
	*missing = 0;
	const struct catalog_entry *e = path_exists(arg) ? NULL : catalog_find(arg);
	if (!e)
		return NULL;
	char *dir = catalog_dir(), *path = xasprintf("%s/%s", dir, e->file);
	if (!path_exists(path)) {
		error("suite '%s' is not fetched yet (no %s): run `tokenbench fetch %s`", arg, path, arg);
		*missing = -1;
		free(path);
		path = NULL;
	}
	free(dir);
	return path;
}
