/* stats.c - intervals, tests and planning. Reference values for the tests
 * come from R (harness/tests/data/stats/). */
#include "stats/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

double stats_z(double level)
{
	return gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);
}

int stats_wilson(double x, double n, double level, double *lo, double *hi)
{
	if (!(n > 0)) {
		*lo = *hi = NAN;
		return -1;
	}
	double z = stats_z(level), z2 = z * z;
	double p = x / n;
	double denom = 1 + z2 / n;
	double center = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = center - half < 0 ? 0 : center - half;
	*hi = center + half > 1 ? 1 : center + half;
	return 0;
}

int stats_clopper_pearson(double x, double n, double level, double *lo, double *hi)
{
	if (!(n > 0)) {
		*lo = *hi = NAN;
		return -1;
	}
	double a = (1 - level) / 2;
	*lo = x <= 0 ? 0 : gsl_cdf_beta_Pinv(a, x, n - x + 1);
	*hi = x >= n ? 1 : gsl_cdf_beta_Pinv(1 - a, x + 1, n - x);
	return 0;
}

double stats_binom_test_half(long x, long n)
{
	if (n <= 0)
		return 1;
	long k = x < n - x ? x : n - x;
	/* symmetric at p = 1/2: twice the smaller tail, as R's binom.test */
	double p = 2 * gsl_cdf_binomial_P((unsigned)k, 0.5, (unsigned)n);
	if (2 * k == n)
		p = 1;
	return p > 1 ? 1 : p;
}

struct ranked {
	double p;
	size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->p, y = ((const struct ranked *)b)->p;
	return x < y ? -1 : x > y;
}

void stats_holm(const double *p, double *adjusted, size_t n)
{
	struct ranked *r = xmalloc((n + 1) * sizeof(*r));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		adjusted[i] = NAN;
		if (!isnan(p[i]))
			r[m++] = (struct ranked){ p[i], i };
	}
	qsort(r, m, sizeof(*r), cmp_ranked);
	double run = 0;
	for (size_t j = 0; j < m; j++) {
		double v = (double)(m - j) * r[j].p;
		if (v > run)
			run = v;
		adjusted[r[j].i] = run > 1 ? 1 : run;
	}
	free(r);
}

void stats_bonett_price(long n10, long n01, long n, double level, double *lo, double *hi)
{
	double z = stats_z(level);
	double p10 = (n10 + 1.0) / (n + 2.0), p01 = (n01 + 1.0) / (n + 2.0);
	double d = p01 - p10;
	double se = sqrt((p10 + p01 - d * d) / (n + 2.0));
	*lo = fmax(-1, d - z * se);
	*hi = fmin(1, d + z * se);
}

int stats_fieller(double mx, double my, double vx, double vy, double cxy, double level, double *lo,
		  double *hi)
{
	double t = stats_z(level), t2 = t * t;
	double g = my != 0 ? t2 * vy / (my * my) : INFINITY;
	if (!(g < 1)) {
		*lo = *hi = NAN;
		return 1;
	}
	double r = mx / my;
	double inner = vx - 2 * r * cxy + r * r * vy - g * (vx - (vy > 0 ? cxy * cxy / vy : 0));
	if (inner < 0)
		inner = 0;
	double center = r - g * (vy > 0 ? cxy / vy : 0);
	double half = t / fabs(my) * sqrt(inner);
	*lo = (center - half) / (1 - g);
	*hi = (center + half) / (1 - g);
	return 0;
}

double stats_pass_at_k(int n, int c, int k)
{
	if (k > n || k < 1)
		return NAN;
	if (n - c < k)
		return 1;
	double prod = 1;
	for (int i = n - c + 1; i <= n; i++)
		prod *= 1 - (double)k / i;
	return 1 - prod;
}

double stats_pass_hat_k(int n, int c, int k)
{
	if (k > n || k < 1)
		return NAN;
	if (c < k)
		return 0;
	double prod = 1;
	for (int i = 0; i < k; i++)
		prod *= (double)(c - i) / (n - i);
	return prod;
}

void stats_mean_cov(const double *x, const double *y, const int *cluster, size_t n, double *vx, double *vy,
		    double *cxy)
{
	*vx = 0;
	if (vy)
		*vy = 0;
	if (cxy)
		*cxy = 0;
	if (n < 2)
		return;
	double mx = stats_mean(x, n), my = y ? stats_mean(y, n) : 0;
	/* sums of deviations per cluster */
	int maxc = -1;
	for (size_t i = 0; cluster && i < n; i++)
		if (cluster[i] > maxc)
			maxc = cluster[i];
	size_t g = cluster ? (size_t)maxc + 1 : n;
	double *sx = xcalloc(g + 1, sizeof(*sx)), *sy = xcalloc(g + 1, sizeof(*sy));
	char *used = xcalloc(g + 1, 1);
	for (size_t i = 0; i < n; i++) {
		size_t c = cluster ? (size_t)cluster[i] : i;
		sx[c] += x[i] - mx;
		if (y)
			sy[c] += y[i] - my;
		used[c] = 1;
	}
	size_t G = 0;
	double axx = 0, ayy = 0, axy = 0;
	for (size_t c = 0; c < g; c++) {
		if (!used[c])
			continue;
		G++;
		axx += sx[c] * sx[c];
		ayy += sy[c] * sy[c];
		axy += sx[c] * sy[c];
	}
	if (G >= 2) {
		double f = (double)G / ((double)G - 1) / ((double)n * (double)n);
		*vx = axx * f;
		if (vy)
			*vy = ayy * f;
		if (cxy)
			*cxy = axy * f;
	}
	free(sx);
	free(sy);
	free(used);
}

double stats_corr(const double *x, const double *y, size_t n)
{
	if (n < 2)
		return NAN;
	double sx = sqrt(stats_var(x, n)), sy = sqrt(stats_var(y, n));
	if (sx == 0 || sy == 0)
		return NAN;
	return gsl_stats_correlation(x, 1, y, 1, n);
}

double stats_quantile(double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	gsl_sort(v, 1, n);
	return gsl_stats_quantile_from_sorted_data(v, 1, n, q);
}

double stats_mean(const double *v, size_t n)
{
	return n ? gsl_stats_mean(v, 1, n) : NAN;
}

double stats_var(const double *v, size_t n)
{
	return n < 2 ? 0 : gsl_stats_variance(v, 1, n);
}

double stats_plan_var(double p, double delta, double corr, int k, double icc)
{
	double p1 = fmin(fmax(p, 0), 1), p2 = fmin(fmax(p + delta, 0), 1);
	/* K samples per task average away only the within-task part */
	double shrink = k > 1 ? (1 + (k - 1) * icc) / k : 1;
	double v1 = p1 * (1 - p1) * shrink, v2 = p2 * (1 - p2) * shrink;
	double v = v1 + v2 - 2 * corr * sqrt(v1 * v2);
	return v > 0 ? v : 0;
}

double stats_plan_tasks(double p, double delta, double corr, int k, double icc, double alpha, double power)
{
	if (delta == 0)
		return INFINITY;
	double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + gsl_cdf_ugaussian_Pinv(power);
	return ceil(z * z * stats_plan_var(p, delta, corr, k, icc) / (delta * delta));
}

double stats_plan_mdd(double p, double n, double corr, int k, double icc, double alpha, double power)
{
	double z = gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + gsl_cdf_ugaussian_Pinv(power);
	/* the variance depends on delta: a few fixed-point steps settle it */
	double d = 0.05;
	for (int i = 0; i < 50; i++) {
		double next = z * sqrt(stats_plan_var(p, d, corr, k, icc) / n);
		if (fabs(next - d) < 1e-12)
			break;
		d = next;
	}
	return d;
}
