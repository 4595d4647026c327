/* stats.h - interval estimates and summary statistics (GSL underneath). */
#ifndef TB_STATS_H
#define TB_STATS_H

#include <stddef.h>

/* the two-sided normal quantile for a confidence level, e.g. 1.959964 for 0.95 */
double stats_z(double level);
/* Wilson score interval for x successes out of n (n may be an effective,
 * non-integer count); 0 or -1 when n <= 0 */
int stats_wilson(double x, double n, double level, double *lo, double *hi);
/* the q-quantile (0..1) of v[0..n), which is sorted in place; NAN when n == 0 */
double stats_quantile(double *v, size_t n, double q);
double stats_mean(const double *v, size_t n);
/* sample variance (n-1 denominator); 0 when n < 2 */
double stats_var(const double *v, size_t n);

#endif
