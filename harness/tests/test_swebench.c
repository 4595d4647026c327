/* test_swebench.c - what SWE-bench instances need beyond the loaders:
 * environment spec expansion and deselection, instances marked unusable,
 * subsets of a suite, pytest logs read as SWE-bench reads them, and the
 * adjusted verdict in reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/env.h"
#include "core/suite.h"
#include "score/edit.h"
#include "score/logparse.h"
#include "score/swebench.h"
#include "tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

void test_env_expand_deselect(void)
{
	struct env_spec env;
	env_init(&env);
	char *path = xasprintf("%s/swe/envs.json", test_data_dir());
	CHECK(env_load(&env, path) == 0);
	const struct env_entry *x = env_find(&env, "acme/widgets", "2.0");
	CHECK(x != NULL);
	const char *patch = "--- a/tests/test_b.py\n+++ b/tests/test_b.py\n@@ -1 +1 @@\n-a\n+b\n";
	char *cmd = env_test_cmd(x, patch);
	/* {shims} is the mount point; node ids are --deselect'ed, bare names go to -k
	 * wherever the test lives */
	CHECK_STR(cmd, "python3 /shims/wrap.py python3 -m pytest -rA tests/test_b.py --deselect "
		       "'tests/test_b.py::test_slow[1]' -k 'not test_tarpit and not test_tarpit_total'");
	/* a renamed test file runs under its new name, as SWE-bench's harness
	 * reads "diff --git a/OLD b/NEW" (astropy__astropy-7336) */
	const char *renamed = "diff --git a/tests/py3_test_b.py b/tests/test_b.py\nsimilarity index 60%\n"
			      "rename from tests/py3_test_b.py\nrename to tests/test_b.py\n--- a/tests/py3_test_b.py\n"
			      "+++ b/tests/test_b.py\n@@ -1 +1 @@\n-a\n+b\n"
			      "diff --git a/tests/test_c.py b/tests/test_c.py\n--- a/tests/test_c.py\n"
			      "+++ b/tests/test_c.py\n@@ -1 +1 @@\n-a\n+b\n";
	char *cmd2 = env_test_cmd(x, renamed);
	CHECK(strstr(cmd2, "-rA tests/test_b.py tests/test_c.py --deselect") != NULL);
	CHECK(strstr(cmd2, "py3_test_b") == NULL);
	free(cmd2);
	char *setup = env_expand(x->setup[0]);
	CHECK_STR(setup, "python3 /shims/prep.py");
	CHECK_STR(env_unusable(x, "acme__widgets-9"), "needs the live service");
	CHECK(env_unusable(x, "acme__widgets-7") == NULL);
	CHECK(env_unusable(env_find(&env, "acme/widgets", "1.0"), "acme__widgets-9") == NULL);
	/* the slowest instances get their own time limit, the others the entry's */
	CHECK(env_timeout_s(x, "acme__widgets-12") == 900 && env_timeout_s(x, "acme__widgets-7") == 120);
	CHECK(env_timeout_s(env_find(&env, "acme/widgets", "1.0"), "acme__widgets-12") == 0);
	free(setup);
	free(cmd);
	free(path);
	env_release(&env);
	/* a limit that is not a number of seconds names the spec and its entry */
	char tmpl[] = "/tmp/tb-env.XXXXXX";
	CHECK(mkdtemp(tmpl) != NULL);
	char *bad = xasprintf("%s/bad.json", tmpl);
	static const char spec[] = "{\"repos\": {\"a/b\": [{\"versions\": [\"1\"], \"test_cmd\": \"t\", "
				   "\"log_parser\": \"sympy\", \"instance_timeout_s\": {\"a__b-1\": \"600\"}}]}}";
	CHECK(file_write(bad, spec, sizeof(spec) - 1, 0644) == 0);
	env_init(&env);
	CHECK(env_load(&env, bad) == -1);
	env_release(&env);
	unlink(bad);
	rmdir(tmpl);
	free(bad);
}

/* three instances of two repositories, by hand */
static void three_instances(struct suite *s, const char *dir)
{
	char *file = xasprintf("%s/three.jsonl", dir);
	static const char *const ids[] = { "acme__widgets-7", "acme__widgets-8", "other__gadgets-1" };
	struct buf b = BUF_INIT;
	for (int i = 0; i < 3; i++)
		buf_printf(&b,
			   "{\"repo\": \"%s\", \"instance_id\": \"%s\", \"base_commit\": \"abc\", \"patch\": "
			   "\"--- a/x\\n+++ b/x\\n\", \"test_patch\": \"--- a/t\\n+++ b/t\\n\", "
			   "\"FAIL_TO_PASS\": \"[\\\"t::a\\\"]\", \"PASS_TO_PASS\": \"[]\", \"version\": \"1.0\"}\n",
			   i < 2 ? "acme/widgets" : "other/gadgets", ids[i]);
	CHECK(file_write(file, b.data, b.len, 0644) == 0);
	CHECK(suite_load(s, file) == 0 && s->n == 3);
	buf_release(&b);
	free(file);
}

struct select_case {
	struct suite *s;
	const struct suite_filter *f;
};

static void select_in_child(void *arg)
{
	struct select_case *c = arg;
	_exit(suite_select(c->s, c->f) == -1 ? 9 : 0);
}

void test_suite_select(void)
{
	char tmpl[] = "/tmp/tb-select.XXXXXX";
	CHECK(mkdtemp(tmpl) != NULL);
	struct suite s;
	struct suite_filter f;
	/* --instances: the ids in the file, comments and blank lines skipped */
	suite_init(&s);
	suite_filter_init(&f);
	three_instances(&s, tmpl);
	char *ids = xasprintf("%s/swe/select.txt", test_data_dir());
	f.instances = ids;
	CHECK(suite_select(&s, &f) == 0 && s.n == 1);
	CHECK_STR(s.tasks[0].id, "acme__widgets-8");
	/* the id index follows the tasks that moved: a lookup finds the kept
	 * task where it now sits, and none of the dropped ones */
	CHECK(suite_find(&s, "acme__widgets-8") == &s.tasks[0]);
	CHECK(suite_find(&s, "acme__widgets-7") == NULL);
	CHECK(suite_find(&s, "other__gadgets-1") == NULL);
	suite_release(&s);
	/* --repo by owner/name, owner__name or name; several add up */
	const char *names[] = { "acme/widgets", "acme__widgets", "widgets" };
	for (int i = 0; i < 3; i++) {
		suite_init(&s);
		suite_filter_init(&f);
		three_instances(&s, tmpl);
		suite_filter_add_repo(&f, names[i]);
		CHECK(suite_select(&s, &f) == 0 && s.n == 2);
		CHECK(suite_find(&s, "acme__widgets-8") == &s.tasks[1]);
		suite_filter_add_repo(&f, "gadgets");
		CHECK(suite_select(&s, &f) == 0 && s.n == 2);
		suite_filter_release(&f);
		suite_release(&s);
	}
	suite_init(&s);
	suite_filter_init(&f);
	three_instances(&s, tmpl);
	suite_filter_add_repo(&f, "gadgets");
	f.instances = ids;
	/* both: the ids of that repository; nothing left is an error */
	CHECK(suite_select(&s, &f) == -1 && s.n == 0);
	suite_filter_release(&f);
	suite_release(&s);
	/* an id the suite lacks is an error naming the line */
	suite_init(&s);
	suite_filter_init(&f);
	three_instances(&s, tmpl);
	char *bad = xasprintf("%s/bad.txt", tmpl);
	CHECK(file_write(bad, "acme__widgets-7\nnope-1\n", 23, 0644) == 0);
	f.instances = bad;
	CHECK(suite_select(&s, &f) == -1);
	suite_release(&s);
	/* blank lines and comments count as lines: the unknown id is on line 5 */
	static const char blanks[] = "# ids\n\nacme__widgets-7\n\n  nope-2  # a typo\r\n\nacme__widgets-8\n";
	CHECK(file_write(bad, blanks, sizeof(blanks) - 1, 0644) == 0);
	suite_init(&s);
	three_instances(&s, tmpl);
	struct buf err = BUF_INIT;
	CHECK(test_child(select_in_child, &(struct select_case){ &s, &f }, &err) == 9);
	char *want = xasprintf("%s:5: 'nope-2' is not in the suite", bad);
	if (!strstr(buf_str(&err), want))
		fprintf(stderr, "  wanted '%s' in '%s'\n", want, buf_str(&err));
	CHECK(strstr(buf_str(&err), want) != NULL);
	free(want);
	buf_release(&err);
	suite_release(&s);
	/* and a good file with blank lines selects what it names */
	static const char good[] = "\n\nacme__widgets-8\n\n# end\n";
	CHECK(file_write(bad, good, sizeof(good) - 1, 0644) == 0);
	suite_init(&s);
	three_instances(&s, tmpl);
	CHECK(suite_select(&s, &f) == 0 && s.n == 1 && suite_find(&s, "acme__widgets-8"));
	suite_release(&s);
	/* no filter keeps everything */
	suite_init(&s);
	suite_filter_init(&f);
	three_instances(&s, tmpl);
	CHECK(suite_select(&s, &f) == 0 && s.n == 3);
	suite_release(&s);
	free(bad);
	free(ids);
	dir_remove(tmpl);
}

void test_logparse_swebench(void)
{
	/* as SWE-bench's parser: any line starting with a status word, the
	 * next word the name, runs of spaces skipped, " - message" dropped */
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse("pytest",
		       "PASSED                                                    [100%]\n"
		       "PASSED [ 50%]\n"
		       "FAILED testing/t.py::test_x - assert 0\n"
		       "PASSED testing/t.py::test_p[a b]\n"
		       "XFAIL testing/t.py::test_xf - reason\n"
		       "ERROR testing/t.py\n"
		       "FAILED\n"
		       "  PASSED indented::is_not_a_result\n",
		       &r) == 0);
	CHECK(test_passes(&r, "[100%]") && test_passes(&r, "["));
	CHECK(!test_passes(&r, "testing/t.py::test_x") && strmap_get(&r.by_name, "testing/t.py::test_x", NULL));
	CHECK(test_passes(&r, "testing/t.py::test_p[a"));
	CHECK(test_passes(&r, "testing/t.py::test_xf"));
	CHECK(!test_passes(&r, "indented::is_not_a_result"));
	long st = -1;
	CHECK(strmap_get(&r.by_name, "testing/t.py", &st) && st == TS_ERROR);
	CHECK(r.n == 6);
	test_results_release(&r);
}

void test_logparse_param_ids(void)
{
	/* Debian 12's pytest names duplicate ids "[1234-12340]"; SWE-bench's
	 * lists, made with a newer pytest, "[1234-1234_0]": either form finds
	 * the other, only when the name itself is not in the log */
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse("pytest",
		       "PASSED t.py::test_dup[1234-12340]\n"
		       "FAILED t.py::test_dup[1234-12341] - boom\n"
		       "PASSED t.py::test_new[5-5_0]\n"
		       "PASSED t.py::test_word[ab0]\n"
		       "FAILED t.py::test_both[7_0]\n"
		       "PASSED t.py::test_both[70]\n",
		       &r) == 0);
	CHECK(test_passes(&r, "t.py::test_dup[1234-1234_0]"));
	CHECK(!test_passes(&r, "t.py::test_dup[1234-1234_1]")); /* it failed */
	CHECK(!test_passes(&r, "t.py::test_dup[1234-1234_2]")); /* not there at all */
	CHECK(test_passes(&r, "t.py::test_new[5-50]"));
	/* only an id that ends in a digit takes "_" before its index */
	CHECK(test_passes(&r, "t.py::test_word[ab0]") && !test_passes(&r, "t.py::test_word[ab_0]"));
	/* a name in the log is taken as it is, never in its other form */
	CHECK(!test_passes(&r, "t.py::test_both[7_0]") && test_passes(&r, "t.py::test_both[70]"));
	CHECK(!test_passes(&r, "t.py::test_dup") && !test_passes(&r, "t.py::test_dup[]"));
	test_results_release(&r);
	/* requests and pylint (SWE-bench's parse_log_pytest_options): a parameter
	 * that is an absolute path is cut to its last component */
	test_results_init(&r);
	CHECK(logparse("pytest_options",
		       "PASSED t.py::test_stdin[/work/tests/m.py-m-/work/tests/m.py]\n"
		       "PASSED t.py::test_rel[a/b]\n"
		       "PASSED t.py::test_unc[//host/x]\n"
		       "PASSED t.py::test_glob[/a/*.py]\n"
		       "FAILED t.py::test_tail[/x/y]z - boom\n",
		       &r) == 0);
	CHECK(test_passes(&r, "t.py::test_stdin[/m.py]") && test_passes(&r, "t.py::test_rel[a/b]"));
	CHECK(test_passes(&r, "t.py::test_unc[//host/x]") && test_passes(&r, "t.py::test_glob[/a/*.py]"));
	CHECK(strmap_get(&r.by_name, "t.py::test_tail[/y]", NULL) && r.n == 5);
	test_results_release(&r);
	/* matplotlib's lists name mouse buttons by number, as older enums printed them */
	test_results_init(&r);
	CHECK(logparse("matplotlib",
		       "PASSED lib/t.py::test_click[MouseButton.LEFT-MouseButton.RIGHT]\n"
		       "FAILED lib/t.py::test_drag[MouseButton.LEFT] - boom\n",
		       &r) == 0);
	CHECK(test_passes(&r, "lib/t.py::test_click[1-3]") && strmap_get(&r.by_name, "lib/t.py::test_drag[1]", NULL));
	CHECK(!test_passes(&r, "lib/t.py::test_drag[1]") && r.n == 2);
	test_results_release(&r);
}

void test_swebench_report_fields(void)
{
	const char *rep = "{\"resolved\": false, \"resolved_adjusted\": true, \"tests_status\": "
			  "{\"FAIL_TO_PASS\": {\"success\": [\"a\", \"b\"], \"failure\": []}}}";
	CHECK(swebench_report_adjusted(rep, 0) == 1);
	CHECK(swebench_report_adjusted("{\"resolved\": true}", 1) == 1);
	CHECK(swebench_report_adjusted(NULL, 0) == 0);
	CHECK(swebench_report_count(rep, "FAIL_TO_PASS", "success") == 2);
	CHECK(swebench_report_count(rep, "FAIL_TO_PASS", "failure") == 0);
	CHECK(swebench_report_count(rep, "PASS_TO_PASS", "success") == -1);
	CHECK(swebench_report_count(NULL, "FAIL_TO_PASS", "success") == -1);
	/* the files a patch edits that SWE-bench's harness edits first */
	cJSON *a = swebench_report_harness_edits("{\"resolved\": true, \"edits_harness_edited_files\": [\"tox.ini\"]}");
	CHECK(cJSON_IsArray(a) && cJSON_GetArraySize(a) == 1);
	CHECK_STR(cJSON_GetArrayItem(a, 0)->valuestring, "tox.ini");
	cJSON_Delete(a);
	CHECK(swebench_report_harness_edits(rep) == NULL);
	CHECK(swebench_report_harness_edits("{\"edits_harness_edited_files\": []}") == NULL);
	CHECK(swebench_report_harness_edits(NULL) == NULL);
}

void test_env_harness_edits(void)
{
	struct env_spec env;
	env_init(&env);
	char *path = xasprintf("%s/swe/envs.json", test_data_dir());
	CHECK(env_load(&env, path) == 0);
	const struct env_entry *x = env_find(&env, "acme/widgets", "1.0");
	CHECK(x && x->nharness_edits == 2);
	CHECK(env_harness_edits(x, "tox.ini") && env_harness_edits(x, "setup.py"));
	/* whole paths only: a file of the same name elsewhere is another file */
	CHECK(!env_harness_edits(x, "docs/tox.ini") && !env_harness_edits(x, "src/widgets/core.py"));
	CHECK(!env_harness_edits(env_find(&env, "acme/widgets", "2.0"), "tox.ini"));
	CHECK(!env_harness_edits(NULL, "tox.ini") && !env_harness_edits(x, NULL));
	free(path);
	env_release(&env);
}

void test_udiff_git_header_only(void)
{
	/* a published patch that also creates an empty file: no ---/+++ lines,
	 * the path comes from the "diff --git" line */
	const char *d = "diff --git a/src/m.py b/src/m.py\n--- a/src/m.py\n+++ b/src/m.py\n@@ -1 +1 @@\n-a\n+b\n"
			"diff --git a/out.txt b/out.txt\nnew file mode 100644\nindex 000000000..e69de29bb\n"
			"diff --git a/x b y.txt b/x b y.txt\nnew file mode 100644\n";
	struct udiff_file *f;
	size_t n;
	CHECK(udiff_files(d, &f, &n) == 0 && n == 3);
	CHECK_STR(f[0].path, "src/m.py");
	CHECK_STR(f[1].path, "out.txt");
	CHECK_STR(f[2].path, "x b y.txt");
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}
