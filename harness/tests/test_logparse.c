/* test_logparse.c - every log parser on its fixture in data/logs/. */
#include <stdlib.h>

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
	/* colour codes (sphinx) are ignored; a missing test does not pass */
	struct test_results r;
	test_results_init(&r);
	CHECK(logparse("pytest", "\033[32mPASSED\033[0m tests/a.py::t1\nFAILED tests/a.py::t2 - boom\n", &r) == 0);
	CHECK(test_passes(&r, "tests/a.py::t1") && !test_passes(&r, "tests/a.py::t2"));
	CHECK(!test_passes(&r, "tests/a.py::t3"));
	CHECK(logparse("nope", "", &r) == -1);
	test_results_release(&r);
}
