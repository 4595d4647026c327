/* frontier.c - Pareto frontier over (cost per task, pass rate). */
#include "stats/frontier.h"

#include <math.h>
#include <stdlib.h>

#include "stats/summary.h"
#include "util/xalloc.h"

int frontier_dominated(const double *cost, const double *rate, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++) {
		if (j == i || isnan(cost[j]) || isnan(rate[j]))
			continue;
		if (cost[j] <= cost[i] && rate[j] >= rate[i] && (cost[j] < cost[i] || rate[j] > rate[i]))
			return 1;
	}
	return 0;
}

void frontier_mark(struct summary *s)
{
	double *cost = xmalloc((s->n + 1) * sizeof(*cost)), *rate = xmalloc((s->n + 1) * sizeof(*rate));
	for (size_t i = 0; i < s->n; i++) {
		cost[i] = s->p[i].cost_per_task;
		rate[i] = s->p[i].pass_rate;
	}
	for (size_t i = 0; i < s->n; i++)
		s->p[i].on_frontier = !isnan(cost[i]) && !isnan(rate[i]) &&
				      !frontier_dominated(cost, rate, s->n, i);
	free(cost);
	free(rate);
}
