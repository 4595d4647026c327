/* catalog.c - the public suites `tokenbench fetch` knows (catalog.h).
 * Digests are those of the files in the project's reference copies
 * (../shared/datasets, whose README gives their provenance): byte-identical
 * to the canonical files for HumanEval, HumanEval+ and HumanEval-X; for
 * MBPP the reference copy is not byte-identical to google-research's
 * current file, so a fetch from the canonical address reports a digest
 * mismatch naming both digests rather than using a file nobody checked. */
#include "core/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

static const struct catalog_entry entries[] = {
	{ "humaneval",
	  "https://raw.githubusercontent.com/openai/human-eval/6d43fb980f9fee3c892a914eda09951f772ad10d/data/"
	  "HumanEval.jsonl.gz",
	  "b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef", "HumanEval.jsonl.gz",
	  "OpenAI's HumanEval, 164 Python tasks" },
	{ "humaneval-plus",
	  "https://github.com/evalplus/humanevalplus_release/releases/download/v0.1.10/HumanEvalPlus.jsonl.gz",
	  "272720b90ac375502c8ed23cd791c2a93dfb22a911641a494da74a426c09f101", "HumanEvalPlus.jsonl.gz",
	  "EvalPlus's HumanEval+ v0.1.10, 164 tasks with more tests" },
	{ "mbpp", "https://raw.githubusercontent.com/google-research/google-research/master/mbpp/mbpp.jsonl",
	  "0b5e07b5b40fedd01c57b7c9177b79f8b2eebd72c304c928605d91a7237d2f33", "mbpp.jsonl",
	  "Google's MBPP, 974 Python tasks" },
	{ "mbpp-sanitized",
	  "https://raw.githubusercontent.com/google-research/google-research/master/mbpp/sanitized-mbpp.json",
	  "ca95deaa9a01ef0a6f439f88bcf0dd3db3563d22f22aad6cae04ebb9a8d8c8e9", "sanitized-mbpp.json",
	  "MBPP sanitized, 427 hand-checked tasks (a JSON array)" },
	{ "humaneval-x-cpp",
	  "https://raw.githubusercontent.com/THUDM/CodeGeeX/2838420b7b4492cf3d16bce5320e26e65960c9e2/codegeex/"
	  "benchmark/humaneval-x/cpp/data/humaneval_cpp.jsonl.gz",
	  "dcf2e280a1e91bbc3c5f90edb41397e8a9ac1ccc9f5d2b70082f0b0fbfb6dbb0", "humaneval_cpp.jsonl.gz",
	  "HumanEval-X's C++ translation, 164 tasks" },
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
