/* test_logparse.c - every log parser on its fixture in data/logs/. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "score/logparse.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

struct want {
	const char *name;
	int status; /* enum test_status */
};

static void check_log(const char *parser, const char *file, const struct want *w, size_t nw, size_t total)
{
	char *path = xasprintf("%s/logs/%s", test_data_dir(), file);
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse(parser, buf_str(&b), &r) == 0);
	if (r.n != total)
		check_fail(__FILE__, __LINE__, file);
	for (size_t i = 0; i < nw; i++) {
		long st = -1;
		if (!strmap_get(&r.by_name, w[i].name, &st) || st != w[i].status)
			check_fail(__FILE__, __LINE__, w[i].name);
	}
	test_results_release(&r);
	buf_release(&b);
	free(path);
}

void test_logparse_all(void)
{
	static const struct want pytest[] = {
		{ "tests/test_fmt.py::test_align_left", TS_PASSED },
		{ "tests/test_fmt.py::test_center[3-abc]", TS_PASSED },
		{ "tests/test_fmt.py::test_unicode_width", TS_XFAIL },
		{ "tests/test_fmt.py::test_align_right", TS_FAILED },
		{ "tests/test_fmt.py::test_needs_fixture", TS_ERROR },
	};
	check_log("pytest", "pytest.log", pytest, sizeof(pytest) / sizeof(*pytest), 7);
	static const struct want unittest[] = {
		{ "test_parse (tests.test_ini.TestParse)", TS_PASSED },
		{ "test_comments (tests.test_ini.TestParse)", TS_PASSED }, /* status after its docstring */
		{ "test_sections (tests.test_ini.TestParse)", TS_FAILED },
		{ "test_unicode (tests.test_ini.TestParse)", TS_SKIPPED },
		{ "test_broken (tests.test_ini.TestParse)", TS_ERROR },
		{ "test_expected (tests.test_ini.TestParse)", TS_XFAIL },
	};
	check_log("unittest", "unittest.log", unittest, 6, 6);
	static const struct want tap[] = {
		{ "ring push and pop", TS_PASSED }, { "ring wraps around", TS_FAILED },
		{ "ring empty", TS_SKIPPED },       { "ring grows", TS_XFAIL },
		{ "ring full", TS_PASSED },
	};
	check_log("tap", "tap.log", tap, 5, 5);
	static const struct want simple[] = {
		{ "parse_empty", TS_PASSED }, { "parse_escaped_quote", TS_FAILED },
		{ "parse_crlf", TS_SKIPPED }, { "parse_huge", TS_ERROR },
	};
	check_log("simple", "simple.log", simple, 4, 6);
	static const struct want go[] = {
		{ "TestAdd", TS_PASSED },           { "TestSub", TS_FAILED },
		{ "TestTable/zero", TS_PASSED },    { "TestTable/negative", TS_FAILED },
		{ "TestTable", TS_FAILED },         { "TestSkip", TS_SKIPPED },
	};
	check_log("go", "go.log", go, 6, 6);
	static const struct want cargo[] = {
		{ "tests::add_works", TS_PASSED },   { "tests::sub_works", TS_FAILED },
		{ "tests::ignored_one", TS_SKIPPED }, { "parser::tests::parse_num", TS_PASSED },
	};
	check_log("cargo", "cargo.log", cargo, 4, 4);
	/* sympy's bin/test --verbose (fixture: tokenbench's own test files run
	 * by sympy 1.12's runner in the sandbox). Only "ok", "F" and "E" at the
	 * end of a "test_" line count; "f", "X" and skips do not, nor a result
	 * that the test's own output or the 80-column wrap moved to the next
	 * line, nor a file's last test, whose line ends with the runner's
	 * "[OK]"/"[FAIL]"; the traceback banners name file.py:test failed */
	static const struct want sympy[] = {
		{ "test_passes", TS_PASSED },
		{ "test_fails", TS_FAILED },
		{ "test_raises", TS_ERROR },
		{ "test_prints_no_newline_then_passes", TS_PASSED },
		{ "test_first", TS_PASSED },
		{ "sympy/core/tests/test_tbfixture.py:test_raises", TS_FAILED },
		{ "sympy/core/tests/test_tbfixture.py:test_fails", TS_FAILED },
		{ "sympy/core/tests/test_tbfixture_fail_last.py:test_fails_last", TS_FAILED },
	};
	check_log("sympy", "sympy.log", sympy, sizeof(sympy) / sizeof(*sympy), 8);
	static const char *const sympy_absent[] = { "test_skipped", "test_skip_decorated", "test_slow",
		"test_expected_failure", "test_unexpected_pass", "test_prints_then_passes",
		"test_with_a_name_long_enough_to_reach_past_the_edge_of_the_eighty_columns_the_runner_has",
		"test_last_in_file", "test_fails_last", "test_never_collected" };
	struct test_results sy;
	test_results_init(&sy);
	char *sylog = xasprintf("%s/logs/sympy.log", test_data_dir());
	struct buf syb = BUF_INIT;
	CHECK(file_read(sylog, &syb) == 0 && logparse("sympy", buf_str(&syb), &sy) == 0);
	for (size_t i = 0; i < sizeof(sympy_absent) / sizeof(*sympy_absent); i++)
		if (test_passes(&sy, sympy_absent[i]) || strmap_get(&sy.by_name, sympy_absent[i], NULL))
			check_fail(__FILE__, __LINE__, sympy_absent[i]);
	test_results_release(&sy);
	buf_release(&syb);
	free(sylog);
	/* the banner rule, on any line: from after the first space to the last
	 * ".py:" a space follows, on to the last space; results are read
	 * stripped, the banners raw; a result line wins over a banner */
	static const struct {
		const char *log, *name;
		int status; /* -1: absent */
	} sy_lines[] = {
		{ "___ a/test_b.py:test_c ___\n", "a/test_b.py:test_c", TS_FAILED },
		{ "x a.py:b c.py:d e\n", "a.py:b c.py:d", TS_FAILED },
		{ "x a.py:b c.py:d\n", "a.py:b", TS_FAILED },
		{ "x  a.py:b \r\n", " a.py:b", TS_FAILED },
		{ "a.py:b c\n", "a.py:b", -1 },
		{ "x a.py:b\n", "a.py:b", -1 },
		{ "\t test_d ok \r\n", "test_d", TS_PASSED },
		{ "test_d\tE\n", "test_d", -1 },
		{ "test_d ok\n_ test_d.py:x y\n", "test_d", TS_PASSED },
		{ "_ q.py:test_e _\ntest_e.py:x ok\n", "test_e.py:x", TS_PASSED },
		{ "test_f F\ntest_f ok\n", "test_f", TS_PASSED },
		{ "test_g ok\ntest_g E\n", "test_g", TS_ERROR },
		{ "\033[32mtest_h ok\033[0m\n", "test_h", -1 },
	};
	for (size_t i = 0; i < sizeof(sy_lines) / sizeof(*sy_lines); i++) {
		struct test_results t;
		long st = -1;
		test_results_init(&t);
		CHECK(logparse("sympy", sy_lines[i].log, &t) == 0);
		if (!strmap_get(&t.by_name, sy_lines[i].name, &st))
			st = -1;
		if (st != sy_lines[i].status)
			check_fail(__FILE__, __LINE__, sy_lines[i].log);
		test_results_release(&t);
	}
	/* colour codes (sphinx) are ignored; a missing test does not pass */
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse("pytest", "\033[32mPASSED\033[0m tests/a.py::t1\nFAILED tests/a.py::t2 - boom\n", &r) == 0);
	CHECK(test_passes(&r, "tests/a.py::t1") && !test_passes(&r, "tests/a.py::t2"));
	CHECK(!test_passes(&r, "tests/a.py::t3"));
	CHECK(logparse("nope", "", &r) == -1);
	test_results_release(&r);
}
