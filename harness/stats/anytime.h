/* anytime.h - confidence sequences: intervals for a mean that hold at every
 * moment at once, so that a run may look after every task and stop when it
 * likes without breaking their level (Waudby-Smith & Ramdas's hedged
 * capital process with predictable plug-in bets, for values in a known
 * bounded range; README "Anytime-valid intervals" says why this one).
 *
 * The unit is whatever the caller pushes: tokenbench pushes one value per
 * task (a provider's pass fraction over the task's samples, or the paired
 * difference of two providers' fractions), in the plan's task order. */
#ifndef TB_ANYTIME_H
#define TB_ANYTIME_H

#include <stddef.h>

/* the truncation c of the bets (lambda <= c/m and c/(1-m)), WSR's 1/2 */
#define CS_TRUNC 0.5
/* grid points of a sequence watched while a run goes, and of a report's */
#define CS_GRID_RUN 2001
#define CS_GRID_REPORT 8001

/* the predictable plug-in bettor: the running mean and variance estimates
 * that set each observation's bet before it is seen */
struct cs_bettor {
	size_t t;           /* observations so far */
	double sum, sumsq;  /* of x, and of (x - mean estimate after x)^2 */
};

/* a confidence sequence kept on a grid of candidate means, with its
 * running intersection (once a value is ruled out it stays out) */
struct cs {
	double alpha;        /* the sequence misses the mean at some time with chance <= alpha */
	double min, max;     /* the range of the values pushed; the grid spans it */
	size_t ngrid;
	double *kplus, *kminus; /* each grid point's capital betting the mean is above / below it; owned */
	size_t lo, hi;       /* grid points still in the sequence: [lo, hi] */
	struct cs_bettor bet;
	double *x;           /* every value pushed, scaled to 0..1; owned */
	size_t cap;
};

/* a sequence at level 1 - alpha for values in [min, max] on ngrid points
 * (at least 3); starts as the whole range */
void cs_init(struct cs *c, double alpha, double min, double max, size_t ngrid);
void cs_release(struct cs *c);
/* one more observation (clamped into [min, max]) */
void cs_push(struct cs *c, double x);
/* observations so far */
size_t cs_count(const struct cs *c);
/* the running intersection's bounds, from the grid, widened by one grid
 * step so that they contain the exact sequence's; min and max before any
 * observation */
double cs_low(const struct cs *c);
double cs_high(const struct cs *c);
/* the bounds as a report gives them: the grid's, tightened by the exact
 * interval at the last observation where that is narrower (both contain
 * the exact running intersection) */
void cs_bounds(const struct cs *c, double *lo, double *hi);
/* the mean of the observations; NAN before any */
double cs_mean(const struct cs *c);

/* the two bettors' capital at candidate mean m after x[0..n), all in 0..1:
 * kplus bets the mean is above m, kminus below */
void cs_capital(const double *x, size_t n, double alpha, double m, double *kplus, double *kminus);
/* the confidence set at time n alone (no running intersection), in 0..1:
 * the m where either capital stays below 2/alpha, found with GSL's Brent
 * solver (each capital is monotone in m); 0, or -1 when the solver fails */
int cs_bounds_at(const double *x, size_t n, double alpha, double *lo, double *hi);

#endif
