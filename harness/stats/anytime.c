/* anytime.c - confidence sequences for bounded means by betting.
 *
 * Waudby-Smith & Ramdas (2024), "Estimating means of bounded random
 * variables by betting", JRSS-B 86(1), section 4: for each candidate mean
 * m in [0, 1] two bettors start with capital 1; after each value x the
 * first multiplies it by 1 + l+ (x - m), the second by 1 - l- (x - m).
 * The bets are the predictable plug-in ones, set before x is seen from the
 * running estimates of mean and variance,
 *     l_t = sqrt(2 log(2/alpha) / (s2_{t-1} t log(1 + t))),
 *     mu_t = (1/2 + sum x) / (t + 1),  s2_t = (1/4 + sum (x_i - mu_i)^2) / (t + 1),
 * truncated to l+ = min(l_t, c/m) and l- = min(l_t, c/(1 - m)) with c = 1/2,
 * so that no bet can lose everything. Under the mean m both capitals are
 * nonnegative martingales, so is their average, and by Ville's inequality
 * max(K+/2, K-/2) passes 1/alpha at any time with chance <= alpha: the m
 * still below it form the hedged capital confidence sequence. K+ falls as
 * m grows and K- rises, so the set is an interval whose lower end depends
 * on K+ alone and its upper end on K- alone.
 *
 * A run checks the sequence after every task, so it is kept on a grid of
 * m values, each with its two capitals, updating only the points still
 * inside the running intersection; cs_bounds_at solves for the exact ends
 * at one time with GSL's Brent solver. */
#include "stats/anytime.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* the bet on the next observation, before it is seen */
static double bettor_lambda(const struct cs_bettor *b, double alpha)
{
	double t = (double)b->t + 1;
	double s2 = (0.25 + b->sumsq) / t;
	return sqrt(2 * log(2 / alpha) / (s2 * t * log(1 + t)));
}

static void bettor_add(struct cs_bettor *b, double x)
{
	b->t++;
	b->sum += x;
	double mu = (0.5 + b->sum) / ((double)b->t + 1);
	b->sumsq += (x - mu) * (x - mu);
}

/* the two truncated bets at candidate mean m */
static double bet_plus(double lambda, double m)
{
	return m > 0 ? fmin(lambda, CS_TRUNC / m) : lambda;
}

static double bet_minus(double lambda, double m)
{
	return m < 1 ? fmin(lambda, CS_TRUNC / (1 - m)) : lambda;
}

void cs_init(struct cs *c, double alpha, double min, double max, size_t ngrid)
{
	memset(c, 0, sizeof(*c));
	c->alpha = alpha;
	c->min = min;
	c->max = max;
	c->ngrid = ngrid < 3 ? 3 : ngrid;
	c->kplus = xmalloc(c->ngrid * sizeof(*c->kplus));
	c->kminus = xmalloc(c->ngrid * sizeof(*c->kminus));
	for (size_t g = 0; g < c->ngrid; g++)
		c->kplus[g] = c->kminus[g] = 1;
	c->lo = 0;
	c->hi = c->ngrid - 1;
}

void cs_release(struct cs *c)
{
	if (!c)
		return;
	free(c->kplus);
	free(c->kminus);
	free(c->x);
	memset(c, 0, sizeof(*c));
}

void cs_push(struct cs *c, double x)
{
	double u = (x - c->min) / (c->max - c->min);
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	XGROW(c->x, c->cap, c->bet.t + 1);
	c->x[c->bet.t] = u;
	double lambda = bettor_lambda(&c->bet, c->alpha), step = 1.0 / (double)(c->ngrid - 1);
	for (size_t g = c->lo; g <= c->hi; g++) {
		double m = (double)g * step;
		c->kplus[g] *= 1 + bet_plus(lambda, m) * (u - m);
		c->kminus[g] *= 1 - bet_minus(lambda, m) * (u - m);
	}
	bettor_add(&c->bet, u);
	/* K+ falls with m, K- rises: the points ruled out are at the ends. One
	 * point always stays, even if the data rule everything out (they then
	 * cannot have come from one fixed mean) */
	double bar = 2 / c->alpha;
	while (c->lo < c->hi && c->kplus[c->lo] >= bar)
		c->lo++;
	while (c->hi > c->lo && c->kminus[c->hi] >= bar)
		c->hi--;
}

size_t cs_count(const struct cs *c)
{
	return c->bet.t;
}

double cs_low(const struct cs *c)
{
	if (c->lo == 0)
		return c->min;
	return c->min + (c->max - c->min) * (double)(c->lo - 1) / (double)(c->ngrid - 1);
}

double cs_high(const struct cs *c)
{
	if (c->hi == c->ngrid - 1)
		return c->max;
	return c->min + (c->max - c->min) * (double)(c->hi + 1) / (double)(c->ngrid - 1);
}

double cs_mean(const struct cs *c)
{
	if (!c->bet.t)
		return NAN;
	return c->min + (c->max - c->min) * c->bet.sum / (double)c->bet.t;
}

void cs_bounds(const struct cs *c, double *lo, double *hi)
{
	*lo = cs_low(c);
	*hi = cs_high(c);
	double a, b;
	if (c->bet.t && cs_bounds_at(c->x, c->bet.t, c->alpha, &a, &b) == 0) {
		*lo = fmax(*lo, c->min + (c->max - c->min) * a);
		*hi = fmin(*hi, c->min + (c->max - c->min) * b);
	}
	/* a set the data emptied keeps its last point (cs_push) */
	if (*lo > *hi)
		*lo = *hi = 0.5 * (*lo + *hi);
}

/* log K+ and log K- at m */
static void log_capital(const double *x, size_t n, double alpha, double m, double *lp, double *lm)
{
	struct cs_bettor b = { 0 };
	*lp = *lm = 0;
	for (size_t i = 0; i < n; i++) {
		double lambda = bettor_lambda(&b, alpha);
		*lp += log1p(bet_plus(lambda, m) * (x[i] - m));
		*lm += log1p(-bet_minus(lambda, m) * (x[i] - m));
		bettor_add(&b, x[i]);
	}
}

void cs_capital(const double *x, size_t n, double alpha, double m, double *kplus, double *kminus)
{
	double lp, lm;
	log_capital(x, n, alpha, m, &lp, &lm);
	*kplus = exp(lp);
	*kminus = exp(lm);
}

struct side {
	const double *x;
	size_t n;
	double alpha;
	int upper; /* 0: K+ (the lower end), 1: K- (the upper end) */
};

static double side_excess(double m, void *arg)
{
	const struct side *s = arg;
	double lp, lm;
	log_capital(s->x, s->n, s->alpha, m, &lp, &lm);
	return (s->upper ? lm : lp) - log(2 / s->alpha);
}

/* the m in [0, 1] where one capital crosses 2/alpha: f(0) > 0 > f(1) for
 * the lower end, f(0) < 0 < f(1) for the upper; *out gets the end of the
 * last bracket that keeps the interval wide */
static int side_root(struct side *s, double *out)
{
	gsl_function f = { side_excess, s };
	gsl_root_fsolver *sol = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!sol)
		return -1;
	int rc = -1;
	if (gsl_root_fsolver_set(sol, &f, 0, 1) != GSL_SUCCESS)
		goto out;
	for (int it = 0; it < 200; it++) {
		if (gsl_root_fsolver_iterate(sol) != GSL_SUCCESS)
			goto out;
		double a = gsl_root_fsolver_x_lower(sol), b = gsl_root_fsolver_x_upper(sol);
		if (gsl_root_test_interval(a, b, 1e-14, 0) == GSL_SUCCESS) {
			*out = s->upper ? b : a;
			rc = 0;
			break;
		}
	}
out:
	gsl_root_fsolver_free(sol);
	return rc;
}

int cs_bounds_at(const double *x, size_t n, double alpha, double *lo, double *hi)
{
	*lo = 0;
	*hi = 1;
	struct side s = { x, n, alpha, 0 };
	if (side_excess(0, &s) > 0 && side_root(&s, lo) < 0)
		return -1;
	s.upper = 1;
	if (side_excess(1, &s) > 0 && side_root(&s, hi) < 0)
		return -1;
	return 0;
}
