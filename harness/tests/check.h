/* check.h - the unit-test framework: CHECK macros that report file:line and
 * a table of test functions in unit.c. */
#ifndef TB_CHECK_H
#define TB_CHECK_H

#include <math.h>
#include <string.h>

void check_fail(const char *file, int line, const char *what);

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			check_fail(__FILE__, __LINE__, #cond); \
	} while (0)
#define CHECK_STR(a, b) \
	do { \
		const char *a_ = (a), *b_ = (b); \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) \
			check_fail(__FILE__, __LINE__, #a " == " #b); \
	} while (0)
#define CHECK_NEAR(a, b, tol) \
	do { \
		double a_ = (a), b_ = (b); \
		if (!(fabs(a_ - b_) <= (tol))) \
			check_fail(__FILE__, __LINE__, #a " ~ " #b); \
	} while (0)

/* the directory of test fixtures (harness/tests/data) */
const char *test_data_dir(void);
/* a fresh temporary directory for this test; removed by the runner */
const char *test_tmpdir(void);

/* a death test: runs fn(arg) in a forked child, whose standard error goes
 * to err (appended; may be NULL), and returns the child's exit code, 128+N
 * when signal N ended it, or -1 when it could not run. A child whose fn
 * returns exits with 0 through _exit (no exit hooks) */
struct buf;
int test_child(void (*fn)(void *), void *arg, struct buf *err);

#endif
