/* stats.c - intervals and descriptive statistics. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

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
