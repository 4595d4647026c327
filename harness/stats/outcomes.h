/* outcomes.h - the provider x task table every statistic starts from: per
 * task, how many samples were scored, how many passed, what they cost. */
#ifndef TB_OUTCOMES_H
#define TB_OUTCOMES_H

#include <stddef.h>

#include "rundir/store.h"

struct outcomes {
	size_t np, nt;
	const char **prov;  /* provider names, in order of appearance; borrowed from the records */
	const char **task;  /* task ids; borrowed */
	int *cluster;       /* per task: its cluster's index, or -1 */
	size_t ncl;         /* distinct clusters */
	int clustered;      /* every task carries a cluster and there are at least 2 */
	/* np x nt, row p at [p * nt] */
	int *k;             /* scored samples (passed + failed) */
	int *c;             /* passed samples */
	double *cost;       /* summed cost of every record of the task, 0 when none is known */
	int *have_cost;     /* some record of the provider carries a cost (per provider) */
};

/* builds the table; 0, or -1 when rs is empty */
int outcomes_build(struct outcomes *o, const struct recset *rs);
void outcomes_release(struct outcomes *o);
/* the index of a provider by name, or -1 */
int outcomes_provider(const struct outcomes *o, const char *name);

#define OUT_AT(o, p, t) ((size_t)(p) * (o)->nt + (size_t)(t))

#endif
