/* test_summary.c - task-level aggregation, costs, reasons; the frontier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "frontier.h"
#include "stats.h"
#include "store.h"
#include "summary.h"
#include "tests.h"
#include "xalloc.h"

static void put(struct recset *rs, const char *task, const char *prov, int sample, enum status st,
		double cost, const char *reason)
{
	struct record r;
	record_init(&r);
	r.task = xstrdup(task);
	r.provider = xstrdup(prov);
	r.sample = sample;
	r.status = st;
	r.cost_usd = cost;
	r.latency_ms = 100.0 * (sample + 1);
	if (reason)
		r.fail_reason = xstrdup(reason);
	XGROW(rs->v, rs->cap, rs->n + 1);
	rs->v[rs->n++] = r;
}

static const struct provider_summary *find(const struct summary *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->p[i].name, name) == 0)
			return &s->p[i];
	return NULL;
}

void test_summary_task_level(void)
{
	struct recset rs;
	recset_init(&rs);
	/* A: 4 tasks x 2 samples; task t0 passes both, t1 one, t2 one, t3 none: 4/8 */
	const int pass[4][2] = { { 1, 1 }, { 1, 0 }, { 0, 1 }, { 0, 0 } };
	for (int t = 0; t < 4; t++)
		for (int k = 0; k < 2; k++) {
			char id[16];
			snprintf(id, sizeof(id), "t%d", t);
			put(&rs, id, "A", k, pass[t][k] ? ST_PASSED : ST_FAILED, 0.01, pass[t][k] ? NULL : "wrong_answer");
		}
	/* B: one sample per task, 3 of 4 */
	for (int t = 0; t < 4; t++) {
		char id[16];
		snprintf(id, sizeof(id), "t%d", t);
		put(&rs, id, "B", 0, t < 3 ? ST_PASSED : ST_FAILED, 0.02, t < 3 ? NULL : "timeout");
	}
	struct summary s;
	CHECK(summary_build(&s, &rs) == 0);
	CHECK(s.n == 2);
	CHECK_STR(s.p[0].name, "B"); /* best first */
	const struct provider_summary *a = find(&s, "A"), *b = find(&s, "B");
	CHECK(a && a->tasks == 4 && a->samples == 8);
	CHECK_NEAR(a->pass_rate, 0.5, 1e-12);
	CHECK_STR(a->ci_method, "wilson_task_se");
	/* per-task means 1, .5, .5, 0: var 1/6, se^2 = 1/24, n_eff = .25 * 24 = 6 */
	double lo, hi;
	stats_wilson(3, 6, 0.95, &lo, &hi);
	CHECK_NEAR(a->ci_low, lo, 1e-12);
	CHECK_NEAR(a->ci_high, hi, 1e-12);
	CHECK(b && b->tasks == 4);
	CHECK_STR(b->ci_method, "wilson");
	CHECK_NEAR(b->pass_rate, 0.75, 1e-12);
	summary_release(&s);
	recset_release(&rs);
}

void test_summary_reasons_and_costs(void)
{
	struct recset rs;
	recset_init(&rs);
	put(&rs, "t0", "P", 0, ST_PASSED, 0.10, NULL);
	put(&rs, "t1", "P", 0, ST_FAILED, 0.30, "timeout");
	put(&rs, "t2", "P", 0, ST_FAILED, 0.20, "timeout");
	put(&rs, "t3", "P", 0, ST_FAILED, 0.40, "wrong_answer");
	put(&rs, "t4", "P", 0, ST_ERROR, 0, NULL);
	put(&rs, "t5", "P", 0, ST_NOT_ATTEMPTED, NAN, NULL);
	put(&rs, "t0", "Z", 0, ST_FAILED, 0.05, "no_code");
	struct summary s;
	CHECK(summary_build(&s, &rs) == 0);
	const struct provider_summary *p = find(&s, "P"), *z = find(&s, "Z");
	CHECK(p && p->tasks == 4 && p->errors == 1 && p->not_attempted == 1);
	CHECK_NEAR(p->cost_usd, 1.0, 1e-12);
	CHECK_NEAR(p->cost_per_task, 0.25, 1e-12);
	CHECK_NEAR(p->cost_per_solved, 1.0, 1e-12);
	CHECK(p->nreasons == 3);
	CHECK_STR(p->reasons[0].name, "timeout");
	CHECK(p->reasons[0].n == 2);
	/* nothing solved: no cost per solved task, not a number */
	CHECK(z && isnan(z->cost_per_solved) && z->pass_rate == 0);
	CHECK(p->on_frontier && z->on_frontier); /* Z is cheaper, P is better */
	summary_release(&s);
	recset_release(&rs);
}

void test_frontier_dominance(void)
{
	/* cost, rate: B dominates D (cheaper, better); A and C tie on cost, C is worse */
	double cost[] = { 1.0, 0.5, 1.0, 2.0, NAN };
	double rate[] = { 0.9, 0.8, 0.7, 0.75, 0.99 };
	CHECK(!frontier_dominated(cost, rate, 5, 0));
	CHECK(!frontier_dominated(cost, rate, 5, 1));
	CHECK(frontier_dominated(cost, rate, 5, 2));
	CHECK(frontier_dominated(cost, rate, 5, 3));
	/* two identical points do not dominate each other */
	double c2[] = { 1, 1 }, r2[] = { 0.5, 0.5 };
	CHECK(!frontier_dominated(c2, r2, 2, 0) && !frontier_dominated(c2, r2, 2, 1));
}
