/* test_django.c - django's runner log read as SWE-bench reads it, on a
 * log produced here (Debian's django 3.2.25 tests on Python 3.11, two
 * instances' test patches applied without their fixes), and the
 * multi-line results SWE-bench's parser finds. */
#include <stdlib.h>

#include "check.h"
#include "score/logparse.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static int status_of(const struct test_results *r, const char *name)
{
	long st = -1;
	return strmap_get(&r->by_name, name, &st) ? (int)st : -1;
}

void test_logparse_django(void)
{
	char *path = xasprintf("%s/logs/django.log", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse("django", buf_str(&b), &r) == 0);
	/* 143 tests ran; SWE-bench's parser (cross-checked on this log) also
	 * keeps the bare names after "FAIL:" and "ERROR:" */
	CHECK(r.n == 145);
	/* Python 3.11 names "test_x (mod.Class.test_x)", SWE-bench's lists "test_x (mod.Class)" */
	CHECK(status_of(&r, "test_Y_format_year_before_1000 (utils_tests.test_dateformat.DateFormatTests)") ==
	      TS_FAILED);
	CHECK(status_of(&r, "test_reversed (utils_tests.test_datastructures.OrderedSetTests)") == TS_ERROR);
	CHECK(status_of(&r, "test_Y_format_year_before_1000") == TS_FAILED);
	CHECK(status_of(&r, "test_reversed") == TS_ERROR);
	CHECK(test_passes(&r, "test_date (utils_tests.test_dateformat.DateFormatTests)"));
	CHECK(!strmap_get(&r.by_name, "test_date (utils_tests.test_dateformat.DateFormatTests.test_date)", NULL));
	/* a test with a docstring is named by its first line */
	CHECK(test_passes(&r, ".pyc and .pyo files are included in the files list."));
	CHECK(test_passes(&r, "Modules imported from zipped files have their archive location included"));
	CHECK(status_of(&r, "test_glob (utils_tests.test_autoreload.WatchmanReloaderTests)") == TS_SKIPPED);
	test_results_release(&r);

	/* SWE-bench's special cases: output between a name and its "ok" */
	test_results_init(&r);
	CHECK(logparse("django",
		       "test_a (m.T) ... Testing against Django installed in '/x/django'\n"
		       "Creating table x\n"
		       "System check identified no issues (0 silenced).\n"
		       "ok\n"
		       "test_b (m.T.test_b) ... Internal Server Error: /a/b/\n"
		       "ok\n"
		       "test_c (m.T) ... System check identified no issues (0 silenced)\n"
		       "ok\n"
		       "test_d (m.T) ... some output\n"
		       "more output\n"
		       "ok\n"
		       "  test_e (m.T) ...  OK\n"
		       "test_f (m.T) ... Internal Server Error: /a/b\n"
		       "ok, not alone\n"
		       "Applying sites.0002_alter_domain_unique...test_no_migrations (m.U) ... ok\n"
		       "the output says --version is equivalent to version here\n",
		       &r) == 0);
	static const char *const pass[] = { "test_a (m.T)", "test_b (m.T)", "test_c (m.T)", "test_d (m.T)",
					    "test_e (m.T)", "test_no_migrations (m.U)",
					    "--version is equivalent to version" };
	for (size_t i = 0; i < sizeof(pass) / sizeof(*pass); i++)
		if (!test_passes(&r, pass[i]))
			check_fail(__FILE__, __LINE__, pass[i]);
	/* "ok, not alone" starts with "ok": SWE-bench's line rule passes the
	 * test before it, though no multi-line rule does */
	CHECK(test_passes(&r, "test_f (m.T)"));
	test_results_release(&r);
	/* a result only the multi-line rule finds: the output had a " ... " of its own */
	test_results_init(&r);
	CHECK(logparse("django",
		       "test_g (m.T) ... Testing against Django installed in 'x'\na ... b\nc silenced).\nok\nx\n",
		       &r) == 0);
	CHECK(r.n == 2 && test_passes(&r, "test_g (m.T)") && test_passes(&r, "a"));
	test_results_release(&r);
	buf_release(&b);
	free(path);
}
