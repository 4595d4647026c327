/* test_summary.c - task-level aggregation, costs, reasons; the frontier. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "rundir/store.h"
#include "stats/fmt.h"
#include "stats/frontier.h"
#include "stats/stats.h"
#include "stats/summary.h"
#include "tests.h"
#include "util/xalloc.h"

static void put_cl(struct recset *rs, const char *task, const char *prov, int sample, enum status st,
		   double cost, const char *reason, const char *cluster)
{
	struct record r;
	record_init(&r);
	if (cluster)
		r.cluster = xstrdup(cluster);
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

static void put(struct recset *rs, const char *task, const char *prov, int sample, enum status st,
		double cost, const char *reason)
{
	put_cl(rs, task, prov, sample, st, cost, reason, NULL);
}

/* n tasks for prov, the first `pass` of them passed, k samples each (all
 * samples of a task alike unless `split`: then only sample 0 passes) */
static void tasks_for(struct recset *rs, const char *prov, int n, int pass, int k, double cost)
{
	for (int t = 0; t < n; t++)
		for (int j = 0; j < k; j++) {
			char id[16];
			snprintf(id, sizeof(id), "t%d", t);
			put(rs, id, prov, j, t < pass ? ST_PASSED : ST_FAILED, cost, t < pass ? NULL : "wrong_answer");
		}
}

static const struct summary_opts fast = { .level = 0.95, .replicates = 2000, .seed = 7 };

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
	CHECK(summary_build(&s, &rs, &fast) == 0);
	CHECK(s.n == 2);
	CHECK_STR(s.p[0].name, "B"); /* best first */
	const struct provider_summary *a = find(&s, "A"), *b = find(&s, "B");
	CHECK(a && a->tasks == 4 && a->samples == 8);
	CHECK_NEAR(a->pass_rate, 0.5, 1e-12);
	/* per-task means 1, .5, .5, 0: var 1/6, se^2 = 1/24, n_eff = .25 * 24 = 6,
	 * 3 effective successes: few enough for the exact interval */
	CHECK_STR(a->ci_method, "clopper_pearson_task_se");
	double lo, hi;
	stats_clopper_pearson(3, 6, 0.95, &lo, &hi);
	CHECK_NEAR(a->ci_low, lo, 1e-12);
	CHECK_NEAR(a->ci_high, hi, 1e-12);
	CHECK(b && b->tasks == 4);
	CHECK_STR(b->ci_method, "clopper_pearson");
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
	CHECK(summary_build(&s, &rs, &fast) == 0);
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

void test_summary_edge_cases(void)
{
	struct recset rs;
	recset_init(&rs);
	tasks_for(&rs, "all", 20, 20, 1, 0.01);    /* N successes */
	tasks_for(&rs, "none", 20, 0, 1, 0.01);    /* 0 successes: solved nothing */
	tasks_for(&rs, "one", 20, 1, 1, 0.01);     /* 1 of 20: not distinguishable from 0 */
	tasks_for(&rs, "twin", 20, 1, 1, 0.01);    /* identical to "one" */
	struct summary s;
	CHECK(summary_build(&s, &rs, &fast) == 0);
	const struct provider_summary *all = find(&s, "all"), *none = find(&s, "none"), *one = find(&s, "one");
	CHECK_STR(all->ci_method, "clopper_pearson");
	CHECK_NEAR(all->ci_low, pow(0.025, 1.0 / 20), 1e-9);
	CHECK(none->pass_rate == 0 && none->ci_low == 0);
	CHECK_STR(none->ci_method, "clopper_pearson");
	/* nothing solved: no number at all; one solved in 20: a number, an unbounded interval */
	CHECK(isnan(none->cost_per_solved) && isnan(none->cost_per_solved_low));
	CHECK(!isnan(one->cost_per_solved) && one->cost_per_solved_unbounded);
	CHECK(all->p_frontier > 0.99 && none->p_frontier < 0.01);
	for (size_t i = 0; i < s.npairs; i++) {
		const struct pair_summary *q = &s.pairs[i];
		CHECK_STR(q->method, "mcnemar_exact");
		if ((strcmp(q->a, "one") == 0 && strcmp(q->b, "twin") == 0) ||
		    (strcmp(q->a, "twin") == 0 && strcmp(q->b, "one") == 0)) {
			/* identical providers: no difference, p = 1, perfectly correlated */
			CHECK(q->diff == 0 && q->p_value == 1 && q->n10 == 0 && q->n01 == 0);
			CHECK_NEAR(q->corr, 1, 1e-12);
		}
		if (strcmp(q->b, "all") == 0 && strcmp(q->a, "none") == 0) {
			CHECK(q->diff == 1 && q->n01 == 20);
			CHECK_NEAR(q->p_value, 2 * pow(0.5, 20), 1e-15);
		}
	}
	/* every p-value is adjusted upwards by Holm */
	for (size_t i = 0; i < s.npairs; i++)
		CHECK(s.pairs[i].p_holm >= s.pairs[i].p_value);
	summary_release(&s);
	recset_release(&rs);

	/* a single task: figures, no crash */
	recset_init(&rs);
	put(&rs, "only", "x", 0, ST_PASSED, 0.1, NULL);
	put(&rs, "only", "y", 0, ST_FAILED, 0.1, "timeout");
	CHECK(summary_build(&s, &rs, &fast) == 0);
	CHECK(s.n == 2 && s.npairs == 1 && s.pairs[0].n == 1);
	CHECK(find(&s, "x")->tasks == 1 && find(&s, "x")->pass_rate == 1);
	summary_release(&s);
	recset_release(&rs);
}

void test_summary_k10_pass_at_k(void)
{
	struct recset rs;
	recset_init(&rs);
	/* 30 tasks x 10 samples: task t passes its first (t % 11) samples */
	for (int t = 0; t < 30; t++)
		for (int j = 0; j < 10; j++) {
			char id[16];
			snprintf(id, sizeof(id), "t%d", t);
			put(&rs, id, "P", j, j < t % 11 ? ST_PASSED : ST_FAILED, 0.001, NULL);
			put(&rs, id, "Q", j, j < (t + 3) % 11 ? ST_PASSED : ST_FAILED, 0.002, NULL);
		}
	struct summary s;
	CHECK(summary_build(&s, &rs, &fast) == 0);
	const struct provider_summary *p = find(&s, "P");
	CHECK(p->nk == 10 && p->k_min == 10);
	CHECK_NEAR(p->pass_at_k[0].value, p->pass_rate, 1e-12);
	CHECK_NEAR(p->pass_hat_k[0].value, p->pass_rate, 1e-12);
	for (int k = 1; k < 10; k++) {
		CHECK(p->pass_at_k[k].value >= p->pass_at_k[k - 1].value);
		CHECK(p->pass_hat_k[k].value <= p->pass_hat_k[k - 1].value);
		CHECK(p->pass_at_k[k].se >= 0);
	}
	/* pass@10 with 10 samples: the share of tasks with any pass */
	int any = 0;
	for (int t = 0; t < 30; t++)
		any += t % 11 > 0;
	CHECK_NEAR(p->pass_at_k[9].value, any / 30.0, 1e-12);
	CHECK(strstr(p->ci_method, "_task_se") != NULL);
	/* K = 10: the pair is compared with the paired bootstrap */
	CHECK(s.npairs == 1);
	CHECK_STR(s.pairs[0].method, "paired_bootstrap");
	CHECK(s.pairs[0].ci_low <= s.pairs[0].diff && s.pairs[0].diff <= s.pairs[0].ci_high);
	CHECK(s.pairs[0].p_value > 0 && s.pairs[0].p_value <= 1);
	/* the same seed gives the same figures */
	struct summary again;
	CHECK(summary_build(&again, &rs, &fast) == 0);
	CHECK(again.pairs[0].p_value == s.pairs[0].p_value && again.pairs[0].ci_low == s.pairs[0].ci_low);
	summary_release(&again);
	summary_release(&s);
	recset_release(&rs);
}

void test_summary_clusters(void)
{
	struct recset rs;
	recset_init(&rs);
	/* clusters of sizes 1, 2, 3, 6, 12: a cluster either passes or fails as a whole */
	static const int sizes[] = { 1, 2, 3, 6, 12 };
	int t = 0;
	for (int g = 0; g < 5; g++) {
		char cl[16];
		snprintf(cl, sizeof(cl), "repo%d", g);
		for (int i = 0; i < sizes[g]; i++, t++) {
			char id[16];
			snprintf(id, sizeof(id), "t%d", t);
			put_cl(&rs, id, "P", 0, g % 2 ? ST_PASSED : ST_FAILED, 0.01, NULL, cl);
			put_cl(&rs, id, "Q", 0, g < 3 ? ST_PASSED : ST_FAILED, 0.01, NULL, cl);
		}
	}
	struct summary s;
	CHECK(summary_build(&s, &rs, &fast) == 0);
	CHECK(s.clustered);
	const struct provider_summary *p = find(&s, "P");
	CHECK(strstr(p->ci_method, "_cluster_se") != NULL);
	/* 8 of 24 tasks pass, but in only 2 of 5 clusters: far wider than Wilson on 24 tasks */
	double lo, hi;
	stats_wilson(8, 24, 0.95, &lo, &hi);
	CHECK(p->ci_high - p->ci_low > hi - lo);
	/* with clusters even one sample per task is compared by the (cluster) bootstrap */
	CHECK_STR(s.pairs[0].method, "paired_bootstrap");
	summary_release(&s);
	recset_release(&rs);
}

/* money keeps an interval's ends apart: as many decimals as it takes, the
 * same for the three; amounts that do not differ keep cents */
void test_fmt_money_ends(void)
{
	static const struct {
		double v, lo, hi;
		const char *want;
	} cases[] = {
		{ 0.0312, 0.0294, 0.0331, "$0.031 [$0.029, $0.033]" },
		{ 0.0312, 0.0311, 0.0314, "$0.0312 [$0.0311, $0.0314]" },
		{ 1.5, 1.2, 1.9, "$1.50 [$1.20, $1.90]" },
		{ 2.0, 2.0, 2.0, "$2.00 [$2.00, $2.00]" },
		{ 0.00034, 0.00030, 0.00038, "$0.00034 [$0.00030, $0.00038]" },
		{ 0.0300004, 0.0300001, 0.0300009, "$0.0300004 [$0.0300001, $0.0300009]" },
		{ 0.03, NAN, NAN, "$0.03" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf b = BUF_INIT;
		fmt_money_ci(&b, cases[i].v, cases[i].lo, cases[i].hi, 0);
		if (strcmp(buf_str(&b), cases[i].want) != 0)
			fprintf(stderr, "case %zu: got '%s'\n", i, buf_str(&b));
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
	struct buf b = BUF_INIT;
	fmt_money_ci(&b, 0.5, NAN, NAN, 1);
	CHECK_STR(buf_str(&b), "$0.50 [unbounded]");
	buf_release(&b);
}
