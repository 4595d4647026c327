/* outcomes.c - builds the provider x task table from sample records. */
#include "stats/outcomes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"
#include "util/xalloc.h"

int outcomes_build(struct outcomes *o, const struct recset *rs)
{
	memset(o, 0, sizeof(*o));
	if (rs->n == 0)
		return -1;
	struct strmap pm, tm, cm;
	strmap_init(&pm);
	strmap_init(&tm);
	strmap_init(&cm);
	o->prov = xcalloc(rs->n, sizeof(*o->prov));
	o->task = xcalloc(rs->n, sizeof(*o->task));
	int *task_cluster = xcalloc(rs->n, sizeof(*task_cluster));
	int all_clustered = 1;
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (!strmap_get(&pm, r->provider, NULL)) {
			strmap_put(&pm, r->provider, (long)o->np);
			o->prov[o->np++] = r->provider;
		}
		if (!strmap_get(&tm, r->task, NULL)) {
			strmap_put(&tm, r->task, (long)o->nt);
			long cl = -1;
			if (r->cluster) {
				if (!strmap_get(&cm, r->cluster, &cl)) {
					cl = (long)o->ncl++;
					strmap_put(&cm, r->cluster, cl);
				}
			} else {
				all_clustered = 0;
			}
			task_cluster[o->nt] = (int)cl;
			o->task[o->nt++] = r->task;
		}
	}
	o->cluster = task_cluster;
	o->clustered = all_clustered && o->ncl >= 2;
	size_t cells = o->np * o->nt;
	o->k = xcalloc(cells + 1, sizeof(*o->k));
	o->c = xcalloc(cells + 1, sizeof(*o->c));
	o->cost = xcalloc(cells + 1, sizeof(*o->cost));
	o->have_cost = xcalloc(o->np + 1, sizeof(*o->have_cost));
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		long p, t;
		strmap_get(&pm, r->provider, &p);
		strmap_get(&tm, r->task, &t);
		size_t at = OUT_AT(o, p, t);
		if (!isnan(r->cost_usd)) {
			o->cost[at] += r->cost_usd;
			o->have_cost[p] = 1;
		}
		if (r->status == ST_PASSED || r->status == ST_FAILED) {
			o->k[at]++;
			o->c[at] += r->status == ST_PASSED;
		}
	}
	strmap_release(&pm);
	strmap_release(&tm);
	strmap_release(&cm);
	return 0;
}

void outcomes_release(struct outcomes *o)
{
	if (!o)
		return;
	free(o->prov);
	free(o->task);
	free(o->cluster);
	free(o->k);
	free(o->c);
	free(o->cost);
	free(o->have_cost);
	memset(o, 0, sizeof(*o));
}

int outcomes_provider(const struct outcomes *o, const char *name)
{
	for (size_t p = 0; p < o->np; p++)
		if (strcmp(o->prov[p], name) == 0)
			return (int)p;
	return -1;
}
