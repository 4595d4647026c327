/* frontier.h - the price-performance (Pareto) frontier. */
#ifndef TB_FRONTIER_H
#define TB_FRONTIER_H

#include <stddef.h>

struct summary;

/* whether point i is dominated: another point is no more expensive and at
 * least as good, and better in one of the two */
int frontier_dominated(const double *cost, const double *rate, size_t n, size_t i);
/* sets on_frontier for every provider with a pass rate and a cost */
void frontier_mark(struct summary *s);

#endif
