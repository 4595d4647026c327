/* summary_anytime.c - confidence sequences in a report. Each task is one
 * observation (its pass fraction over the samples scored), taken in the
 * order the run took the tasks (run.json's plan; by task id when there is
 * none): the sequence at the last task is valid however the run came to
 * stop there, which a fixed-sample interval is not after a run that
 * stopped because its results looked decided. */
#include "stats/summary_anytime.h"

#include <math.h>
#include <stdlib.h>

#include "stats/anytime.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* the rows of o's tasks in the order given, then any others in o's order;
 * malloced, o->nt entries */
static size_t *task_order(const struct outcomes *o, const struct summary_opts *opts)
{
	size_t *v = xcalloc(o->nt + 1, sizeof(*v)), n = 0;
	char *seen = xcalloc(o->nt + 1, 1);
	struct strmap ids;
	strmap_init(&ids);
	for (size_t t = 0; t < o->nt; t++)
		strmap_put(&ids, o->task[t], (long)t);
	for (size_t i = 0; opts->order && i < opts->norder; i++) {
		long t;
		if (strmap_get(&ids, opts->order[i], &t) && !seen[t]) {
			seen[t] = 1;
			v[n++] = (size_t)t;
		}
	}
	for (size_t t = 0; t < o->nt; t++)
		if (!seen[t])
			v[n++] = t;
	strmap_release(&ids);
	free(seen);
	return v;
}

/* one sequence over the tasks in order: row b's fraction, minus row a's
 * when a >= 0 */
static void sequence(const struct outcomes *o, const size_t *order, int a, int b, double alpha, double *lo,
		     double *hi)
{
	struct cs c;
	cs_init(&c, alpha, a >= 0 ? -1 : 0, 1, CS_GRID_REPORT);
	for (size_t i = 0; i < o->nt; i++) {
		size_t t = order[i], ab = OUT_AT(o, b, t);
		if (!o->k[ab])
			continue;
		double x = (double)o->c[ab] / o->k[ab];
		if (a >= 0) {
			size_t aa = OUT_AT(o, a, t);
			if (!o->k[aa])
				continue;
			x -= (double)o->c[aa] / o->k[aa];
		}
		cs_push(&c, x);
	}
	if (cs_count(&c))
		cs_bounds(&c, lo, hi);
	else
		*lo = *hi = NAN;
	cs_release(&c);
}

void summary_anytime_pair(const struct outcomes *o, const struct summary_opts *opts, int a, int b, double alpha,
			  double *lo, double *hi)
{
	size_t *order = task_order(o, opts);
	sequence(o, order, a, b, alpha, lo, hi);
	free(order);
}

void summary_anytime(struct summary *s, const struct outcomes *o)
{
	size_t *order = task_order(o, &s->opts);
	double alpha = 1 - s->opts.level;
	for (size_t i = 0; i < s->n; i++)
		sequence(o, order, -1, s->p[i].row, alpha, &s->p[i].anytime_low, &s->p[i].anytime_high);
	for (size_t k = 0; k < s->npairs; k++) {
		struct pair_summary *q = &s->pairs[k];
		const struct provider_summary *pa = summary_find(s, q->a), *pb = summary_find(s, q->b);
		q->anytime_alpha = alpha / (double)s->npairs;
		sequence(o, order, pa->row, pb->row, q->anytime_alpha, &q->anytime_low, &q->anytime_high);
	}
	free(order);
}
