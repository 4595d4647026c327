/* stats.h - interval estimates, tests and planning (GSL underneath). Every
 * function here takes plain numbers; what the numbers are (tasks, clusters,
 * providers) is summary.c's and pairs.c's business. */
#ifndef TB_STATS_H
#define TB_STATS_H

#include <stddef.h>

/* the two-sided normal quantile for a confidence level, e.g. 1.959964 for 0.95 */
double stats_z(double level);
/* Wilson score interval for x successes out of n (both may be effective,
 * non-integer counts); 0 or -1 when n <= 0 */
int stats_wilson(double x, double n, double level, double *lo, double *hi);
/* Clopper-Pearson (exact) interval, from beta quantiles; x and n may be
 * non-integer; 0 or -1 when n <= 0 */
int stats_clopper_pearson(double x, double n, double level, double *lo, double *hi);
/* exact two-sided binomial test of x successes in n trials against p = 1/2
 * (McNemar's exact test on the discordant pairs); 1 when n == 0 */
double stats_binom_test_half(long x, long n);
/* Holm's step-down adjustment of n p-values (NAN entries are left NAN) */
void stats_holm(const double *p, double *adjusted, size_t n);
/* Bonett-Price interval for a paired difference of proportions: n10 pairs
 * where only the first succeeded, n01 where only the second, n in all;
 * the difference is second - first */
void stats_bonett_price(long n10, long n01, long n, double level, double *lo, double *hi);
/* Fieller's interval for the ratio mx/my of two means with variances vx,
 * vy and covariance cxy (of the means); returns 0 when bounded, 1 when
 * unbounded (my not distinguishable from 0), with *lo = *hi = NAN */
int stats_fieller(double mx, double my, double vx, double vy, double cxy, double level, double *lo,
		  double *hi);
/* Chen et al. (2021): the unbiased pass@k of one task with c passes in n
 * samples, in the stable product form; NAN when k > n */
double stats_pass_at_k(int n, int c, int k);
/* pass^k: the chance that k samples of the task all pass, C(c,k)/C(n,k) */
double stats_pass_hat_k(int n, int c, int k);
/* variances of the means of x and y, and their covariance, over n units
 * grouped by cluster[i] (cluster-robust, G/(G-1) corrected), or each unit
 * its own cluster when cluster is NULL; y may be NULL */
void stats_mean_cov(const double *x, const double *y, const int *cluster, size_t n, double *vx, double *vy,
		    double *cxy);
/* Pearson correlation; NAN when either side has no variance */
double stats_corr(const double *x, const double *y, size_t n);
/* the q-quantile (0..1) of v[0..n), which is sorted in place; NAN when n == 0 */
double stats_quantile(double *v, size_t n, double q);
double stats_mean(const double *v, size_t n);
/* sample variance (n-1 denominator); 0 when n < 2 */
double stats_var(const double *v, size_t n);

/* planning a paired comparison of two pass rates p and p + delta whose
 * per-task outcomes correlate by corr, with k samples per task and an
 * intra-task correlation icc between samples: the variance of one task's
 * difference */
double stats_plan_var(double p, double delta, double corr, int k, double icc);
/* tasks needed to detect delta with the given power at two-sided alpha */
double stats_plan_tasks(double p, double delta, double corr, int k, double icc, double alpha, double power);
/* the smallest difference detectable with n tasks (solved for delta) */
double stats_plan_mdd(double p, double n, double corr, int k, double icc, double alpha, double power);

#endif
