/* test_edit.c - edit formats, unified diffs, path checks; environment specs;
 * SWE-bench instances. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/env.h"
#include "core/suite.h"
#include "score/edit.h"
#include "tests.h"
#include "util/xalloc.h"

static int base(void *arg, const char *path, struct buf *out)
{
	(void)arg;
	if (strcmp(path, "src/calc.py") == 0) {
		buf_puts(out, "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n");
		return 0;
	}
	return -1;
}

static int symlinked(void *arg, const char *path)
{
	(void)arg;
	return strncmp(path, "docs/", 5) == 0; /* docs is a link in the base tree */
}

void test_edit_formats(void)
{
	static const char diff[] = "diff --git a/src/calc.py b/src/calc.py\n--- a/src/calc.py\n+++ b/src/calc.py\n"
				   "@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n";
	struct edit e;
	char *why;
	char *fenced = xasprintf("Here is the fix:\n\n```diff\n%s```\n", diff);
	CHECK(edit_parse(fenced, base, NULL, symlinked, &e, &why) == 0);
	CHECK(e.format == EDIT_DIFF && strcmp(e.diff, diff) == 0);
	edit_release(&e);
	CHECK(edit_parse(diff, base, NULL, symlinked, &e, &why) == 0 && e.format == EDIT_DIFF);
	edit_release(&e);
	/* whole file: the path on the line before the block */
	const char *whole = "src/calc.py\n```python\ndef add(a, b):\n    return a + b\n```\n";
	CHECK(edit_parse(whole, base, NULL, symlinked, &e, &why) == 0);
	CHECK(e.format == EDIT_WHOLE && e.nfiles == 1 && strcmp(e.files[0].path, "src/calc.py") == 0);
	CHECK_STR(e.files[0].content, "def add(a, b):\n    return a + b\n");
	edit_release(&e);
	/* search/replace: applied to the base file, block by block */
	const char *sr = "src/calc.py\n```\n<<<<<<< SEARCH\ndef add(a, b):\n    return a - b\n=======\n"
			 "def add(a, b):\n    return a + b\n>>>>>>> REPLACE\n```\n";
	CHECK(edit_parse(sr, base, NULL, symlinked, &e, &why) == 0);
	CHECK(e.format == EDIT_SEARCH_REPLACE && e.nfiles == 1);
	CHECK_STR(e.files[0].content, "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n");
	edit_release(&e);
	/* a SEARCH that is not in the file, and an answer with no edit, are malformed */
	const char *miss = "src/calc.py\n<<<<<<< SEARCH\nnot there\n=======\nx\n>>>>>>> REPLACE\n";
	CHECK(edit_parse(miss, base, NULL, symlinked, &e, &why) == -1 && strstr(why, "not in src/calc.py"));
	free(why);
	CHECK(edit_parse("I think the bug is in add().", base, NULL, symlinked, &e, &why) == -1);
	free(why);
	free(fenced);
}

void test_edit_refuses(void)
{
	static const char *const bad[] = {
		"--- a/../outside.txt\n+++ b/../outside.txt\n@@ -1 +1 @@\n-a\n+b\n",
		"--- /dev/null\n+++ b//etc/cron.d/x\n@@ -0,0 +1 @@\n+* * * * * root true\n",
		"diff --git a/.git/hooks/pre-commit b/.git/hooks/pre-commit\nnew file mode 100755\n--- /dev/null\n"
		"+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+rm -rf /\n",
		"diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+/etc/passwd\n",
		"--- a/docs/readme.txt\n+++ b/docs/readme.txt\n@@ -1 +1 @@\n-a\n+b\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct edit e;
		char *why = NULL;
		CHECK(edit_parse(bad[i], base, NULL, symlinked, &e, &why) == -1);
		CHECK(why && strncmp(why, "refused", 7) == 0);
		free(why);
	}
	/* whole files get the same checks */
	struct edit e;
	char *why = NULL;
	CHECK(edit_parse("../../etc/passwd\n```\nroot::0:0::/:/bin/sh\n```\n", base, NULL, symlinked, &e, &why) == -1);
	free(why);
	CHECK(edit_path_ok("src/a.py") && !edit_path_ok("a/./b") && !edit_path_ok("") && !edit_path_ok("a//b"));
}

void test_udiff_apply(void)
{
	struct buf out = BUF_INIT;
	const char *orig = "a\nb\nc\nd\ne\n";
	const char *h = "@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n";
	CHECK(udiff_apply(orig, h, strlen(h), &out) == 0);
	CHECK_STR(buf_str(&out), "a\nb\nC\nd\ne\n");
	buf_reset(&out);
	const char *wrong = "@@ -2,3 +2,3 @@\n b\n-x\n+C\n d\n";
	CHECK(udiff_apply(orig, wrong, strlen(wrong), &out) == -1);
	buf_reset(&out);
	const char *create = "@@ -0,0 +1,2 @@\n+new\n+file\n";
	CHECK(udiff_apply("", create, strlen(create), &out) == 0);
	CHECK_STR(buf_str(&out), "new\nfile\n");
	buf_release(&out);
	struct udiff_file *f;
	size_t n;
	const char *two = "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-1\n+2\n"
			  "diff --git a/y.c b/y.c\nnew file mode 100644\n--- /dev/null\n+++ b/y.c\n@@ -0,0 +1 @@\n+3\n";
	CHECK(udiff_files(two, &f, &n) == 0 && n == 2);
	CHECK_STR(f[0].path, "x.c");
	CHECK(f[1].new_file && strcmp(f[1].path, "y.c") == 0);
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

void test_env_and_swebench(void)
{
	struct env_spec env;
	env_init(&env);
	char *path = xasprintf("%s/swe/envs.json", test_data_dir());
	CHECK(env_load(&env, path) == 0);
	const struct env_entry *x = env_find(&env, "acme/widgets", "1.1");
	CHECK(x && x->npythonpath == 2 && strcmp(x->log_parser, "pytest") == 0);
	CHECK(env_find(&env, "acme/widgets", "9.9") && strcmp(env_find(&env, "acme/widgets", "9.9")->log_parser, "unittest") == 0);
	CHECK(env_find(&env, "acme/other", "1.0") == NULL);
	struct suite s;
	suite_init(&s);
	char *inst = xasprintf("%s/swe/instance.jsonl", test_data_dir());
	CHECK(suite_load(&s, inst) == 0 && s.n == 1);
	const struct task *t = &s.tasks[0];
	CHECK(t->repo && t->format == FMT_SWEBENCH && strcmp(t->kind, "repo") == 0);
	/* FAIL_TO_PASS and PASS_TO_PASS arrive as JSON strings, as on Hugging Face */
	CHECK(t->repo->nf2p == 1 && t->repo->np2p == 2);
	CHECK_STR(t->repo->p2p[1], "tests/test_a.py::test_locale");
	CHECK(t->repo->nfiles == 1 && strcmp(t->repo->files[0], "src/w.py") == 0);
	CHECK_STR(t->cluster, "acme/widgets");
	char *cmd = env_test_cmd(x, t->repo->test_patch);
	/* data files are not run; the deselected test is left out */
	CHECK_STR(cmd, "python3 -m pytest -rA tests/test_a.py --deselect 'tests/test_net.py::test_live'");
	const cJSON *known = env_known_failures(x, "acme__widgets-7");
	CHECK(cJSON_GetArraySize(known) == 1);
	free(cmd);
	free(inst);
	free(path);
	suite_release(&s);
	env_release(&env);
}
