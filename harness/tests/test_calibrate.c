/* test_calibrate.c - the time-limit rule, where its cache lives, and how
 * many sandboxes fit in memory. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "check.h"
#include "score/calibrate.h"
#include "score/sandbox.h"
#include "score/score.h"
#include "tests.h"
#include "util/xalloc.h"

void test_calibrate_rule(void)
{
	static const struct {
		double ref_ms, floor_s, want_s;
	} cases[] = {
		{ 0, 5, 5 },           /* nothing measured: the floor */
		{ 40, 5, 5 },          /* a fast reference: start-up noise, the floor */
		{ 499, 5, 5 },
		{ 501, 5, 5.1 },       /* ten times, rounded up to a tenth */
		{ 1234, 5, 12.4 },
		{ 1234, 10, 12.4 },
		{ 900, 10, 10 },
		{ 59000, 5, 590 },
		{ 3600000, 5, CALIBRATE_MAX_S }, /* never above the ceiling */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		CHECK_NEAR(calibrate_limit_s(cases[i].ref_ms, cases[i].floor_s), cases[i].want_s, 1e-9);
}

void test_calibrate_cache_path(void)
{
	char *saved[3];
	static const char *const vars[] = { "TOKENBENCH_CACHE_DIR", "XDG_CACHE_HOME", "HOME" };
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		saved[i] = v ? xstrdup(v) : NULL;
		unsetenv(vars[i]);
	}
	CHECK(calibrate_cache_path("fp") == NULL);
	setenv("HOME", "/h", 1);
	char *p = calibrate_cache_path("fp");
	CHECK_STR(p, "/h/.cache/tokenbench/calibration-fp.jsonl");
	free(p);
	setenv("XDG_CACHE_HOME", "/x", 1);
	p = calibrate_cache_path("fp");
	CHECK_STR(p, "/x/tokenbench/calibration-fp.jsonl");
	free(p);
	setenv("TOKENBENCH_CACHE_DIR", "/t", 1);
	p = calibrate_cache_path("fp");
	CHECK_STR(p, "/t/calibration-fp.jsonl");
	free(p);
	for (int i = 0; i < 3; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		else
			unsetenv(vars[i]);
		free(saved[i]);
	}
}

void test_scorer_fit_jobs(void)
{
	struct sandbox_limits lim;
	sandbox_limits_default(&lim);
	/* the compile step's 2048 MB plus the tmpfs mounts set the footprint */
	long each = COMPILE_MEM_MB + lim.tmp_mb + lim.shm_mb + lim.work_mb;
	CHECK(scorer_fit_jobs(2, &lim, 24 * 1024) == 2);
	CHECK(scorer_fit_jobs(64, &lim, 24 * 1024) == (int)(24 * 1024 / each));
	CHECK(scorer_fit_jobs(8, &lim, 8 * each) == 8);
	CHECK(scorer_fit_jobs(9, &lim, 8 * each) == 8);
	CHECK(scorer_fit_jobs(4, &lim, 100) == 1); /* never fewer than one */
	lim.mem_mb = 8192; /* a run limit above the compiler's counts instead */
	CHECK(scorer_fit_jobs(16, &lim, 64 * 1024) == (int)(64 * 1024 / sandbox_footprint_mb(&lim)));
}

void test_verdict_limit_reasons(void)
{
	static const char *const limits[] = { "timeout", "memory", "cpu_limit", "file_size_limit",
					      "disk_limit", "output_limit", "forbidden_syscall" };
	static const char *const answers[] = { "wrong_answer", "no_code", "compile_error", "killed", "sandbox" };
	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++)
		CHECK(verdict_reason_is_limit(limits[i]));
	for (size_t i = 0; i < sizeof(answers) / sizeof(*answers); i++)
		CHECK(!verdict_reason_is_limit(answers[i]));
	CHECK(!verdict_reason_is_limit(NULL));
}
