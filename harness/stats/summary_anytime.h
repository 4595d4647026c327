/* summary_anytime.h - the anytime-valid intervals of a report: each
 * provider's pass rate and each pair's difference as confidence sequences
 * over tasks in the order the run took them (stats/anytime.h). */
#ifndef TB_SUMMARY_ANYTIME_H
#define TB_SUMMARY_ANYTIME_H

#include "stats/outcomes.h"
#include "stats/summary.h"

/* fills anytime_low/high of every provider (each at 1 - level) and of
 * every pair (Bonferroni over the pairs: each at (1 - level) / npairs) */
void summary_anytime(struct summary *s, const struct outcomes *o);
/* the sequence of pass(b) - pass(a) (rows of o) at alpha over the tasks
 * both completed, taken in opts' order; NAN when they share no task */
void summary_anytime_pair(const struct outcomes *o, const struct summary_opts *opts, int a, int b, double alpha,
			  double *lo, double *hi);

#endif
