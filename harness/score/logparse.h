/* logparse.h - test logs into per-test outcomes: pytest (-rA), Python
 * unittest, TAP, simple PASS:/FAIL: lines, go test -v, cargo test and
 * sympy's bin/test --verbose. */
#ifndef TB_LOGPARSE_H
#define TB_LOGPARSE_H

#include <stddef.h>

#include "util/strmap.h"

enum test_status { TS_PASSED, TS_FAILED, TS_SKIPPED, TS_ERROR, TS_XFAIL };

struct test_results {
	struct strmap by_name; /* test name -> enum test_status */
	size_t n;
};

void test_results_init(struct test_results *r);
void test_results_release(struct test_results *r);
/* whether a parser of that name exists */
int logparse_known(const char *parser);
/* parses log with the named parser into r (a later line for the same test
 * wins); 0, or -1 when the parser is unknown */
int logparse(const char *parser, const char *log, struct test_results *r);
/* a test counts as passing when it PASSED or is an expected failure, as in
 * SWE-bench; a test missing from the log does not pass. A parametrized
 * name missing from the log is looked up in the other form pytest gives
 * duplicate ids ("[1234-1234_0]" / "[1234-12340]") */
int test_passes(const struct test_results *r, const char *name);
const char *test_status_name(enum test_status s);

#endif
