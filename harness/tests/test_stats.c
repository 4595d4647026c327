/* test_stats.c - intervals and quantiles against independent values. */
#include <math.h>

#include "check.h"
#include "stats.h"
#include "tests.h"

void test_stats_wilson(void)
{
	/* reference: R prop.test(x, n, correct = FALSE)$conf.int, from tests/data/stats/wilson.R */
	static const struct {
		double x, n, lo, hi;
	} cases[] = {
		{ 164, 164, 0.9771126, 1.0000000 },
		{ 0, 164, 0.0000000, 0.0228874 },
		{ 8, 10, 0.4901625, 0.9433178 },
		{ 401, 500, 0.7648260, 0.8345689 },
		{ 1, 3, 0.0614919, 0.7923404 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double lo, hi;
		CHECK(stats_wilson(cases[i].x, cases[i].n, 0.95, &lo, &hi) == 0);
		CHECK_NEAR(lo, cases[i].lo, 5e-6);
		CHECK_NEAR(hi, cases[i].hi, 5e-6);
	}
	double lo, hi;
	CHECK(stats_wilson(0, 0, 0.95, &lo, &hi) == -1 && isnan(lo));
	CHECK_NEAR(stats_z(0.95), 1.959964, 1e-6);
}

void test_stats_quantile(void)
{
	double v[] = { 5, 1, 4, 2, 3 };
	CHECK_NEAR(stats_quantile(v, 5, 0.5), 3, 1e-12);
	CHECK_NEAR(stats_quantile(v, 5, 0.95), 4.8, 1e-12);
	CHECK(isnan(stats_quantile(v, 0, 0.5)));
	double w[] = { 1, 1, 1, 0 };
	CHECK_NEAR(stats_mean(w, 4), 0.75, 1e-12);
	CHECK_NEAR(stats_var(w, 4), 0.25, 1e-12);
}
