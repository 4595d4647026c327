/* bootstrap.h - one joint bootstrap over tasks (or clusters of tasks): in
 * each replicate every provider sees the same resampled tasks, so the
 * correlations between providers are kept. */
#ifndef TB_BOOTSTRAP_H
#define TB_BOOTSTRAP_H

#include <stddef.h>

#include "stats/outcomes.h"

struct boot_pair {
	int a, b;        /* provider rows; the difference is b - a */
	double *diffs;   /* filled: one per replicate (NAN when no common task was drawn); owned */
};

struct boot_result {
	int replicates;
	double *p_frontier;  /* per provider row: share of replicates where no one dominates it */
	double *cps;         /* per row x replicate: cost per solved sample (INFINITY when none passed) */
	double *rate;        /* per row x replicate: pass rate */
	double *cpt;         /* per row x replicate: cost per answered sample */
	size_t nlambda;
	double *lambda;      /* USD per solved task */
	double *p_best;      /* row x lambda: share of replicates where the row maximises lambda*rate - cost */
};

/* runs the replicates; pairs (may be NULL) get their differences */
void boot_run(const struct outcomes *o, int replicates, unsigned long seed, struct boot_pair *pairs,
	      size_t npairs, struct boot_result *r);
void boot_result_release(struct boot_result *r);
/* the percentile interval of v[0..n) ignoring NANs (v is reordered) */
void boot_percentile(double *v, size_t n, double level, double *lo, double *hi);

#endif
