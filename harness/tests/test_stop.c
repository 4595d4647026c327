/* test_stop.c - stopping rules: parsing, a race that drops the weak and the
 * dominated, a decided pair, equivalence, widths, and the decision's JSON
 * and words. The data are drawn with known rates, so what each rule must
 * decide is known. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/provider.h"
#include "core/suite.h"
#include "rundir/store.h"
#include "stats/stop.h"
#include "stats/stop_run.h"
#include "tests.h"
#include "util/json.h"
#include "util/rng.h"
#include "util/xalloc.h"

void test_stop_parse(void)
{
	struct stop_rule r;
	CHECK(stop_rule_parse("decided:a,b", &r) == 0);
	CHECK(r.kind == STOP_DECIDED && strcmp(r.a, "a") == 0 && strcmp(r.b, "b") == 0 && r.margin == 0);
	stop_rule_release(&r);
	CHECK(stop_rule_parse("decided:x-1,y/2,margin=2pp", &r) == 0);
	CHECK_NEAR(r.margin, 0.02, 1e-15);
	CHECK_STR(r.b, "y/2");
	stop_rule_release(&r);
	CHECK(stop_rule_parse("race", &r) == 0 && r.kind == STOP_RACE && r.margin == 0);
	stop_rule_release(&r);
	CHECK(stop_rule_parse("race:margin=0.05", &r) == 0 && r.margin == 0.05);
	stop_rule_release(&r);
	CHECK(stop_rule_parse("width:10pp", &r) == 0 && r.kind == STOP_WIDTH);
	CHECK_NEAR(r.width, 0.1, 1e-15);
	CHECK_STR(r.text, "width:10pp");
	stop_rule_release(&r);
	static const char *const bad[] = { "decided:a", "decided:a,a", "decided:a,b,margin=x", "decided:a,b,c",
					   "race:0.1", "race:margin=1.5", "width", "width:0", "width:2",
					   "fastest", "decided:a,b,margin=0.1,x" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK(stop_rule_parse(bad[i], &r) == -1);
		CHECK(r.text == NULL && r.a == NULL);
	}
	/* a rule naming a provider the run does not have */
	const char *names[] = { "a", "b" };
	CHECK(stop_rule_parse("decided:a,c", &r) == 0);
	struct stop_state s;
	CHECK(stop_init(&s, &r, 1, names, 2, 0.05, CS_GRID_RUN) == -1);
	stop_rule_release(&r);
}

/* draws one task for providers with the given rates (one sample each) */
static void draw(struct rng *g, const double *rates, size_t np, double *x)
{
	for (size_t p = 0; p < np; p++)
		x[p] = rng_uniform(g) < rates[p] ? 1 : 0;
}

void test_stop_race(void)
{
	/* a strong and dear, a weak and cheap, a weak and dear (dominated by
	 * the strong one), a middling cheap one; margin 0.25: the cheap weak
	 * one is within it of nobody... */
	const char *names[] = { "strong", "weak-cheap", "weak-dear", "mid-cheap" };
	const double rates[] = { 0.9, 0.3, 0.3, 0.75 }, cost[] = { 1.0, 0.01, 2.0, 0.1 };
	struct stop_rule r;
	CHECK(stop_rule_parse("race:margin=0.25", &r) == 0);
	struct stop_state s;
	CHECK(stop_init(&s, &r, 1, names, 4, 0.05, CS_GRID_RUN) == 0);
	CHECK(s.w[0].nseq == 6 && fabs(s.w[0].alpha - 0.05 / 6) < 1e-15);
	struct rng g;
	rng_seed(&g, 11);
	double x[4];
	for (int t = 0; t < 2000 && !s.stopped; t++) {
		draw(&g, rates, 4, x);
		for (size_t p = 0; p < 4; p++)
			if (!stop_asks(&s, p))
				x[p] = NAN;
		stop_feed(&s, x, cost);
	}
	/* the strong one stays; both weak ones go (one for being worse by more
	 * than the margin, the dear one at least as soon); mid-cheap is within
	 * the margin and cheaper, so it stays too, and the race ends once the
	 * two left are shown within 25 pp of each other */
	CHECK(stop_asks(&s, 0) == 0 && s.stopped && s.drop_why[0] == NULL && s.drop_why[3] == NULL);
	CHECK(s.drop_why[1] && strstr(s.drop_why[1], "worse than strong by more than 25.0 pp"));
	CHECK(s.drop_why[2] != NULL);
	CHECK(s.dropped_after[2] <= s.dropped_after[1]);
	CHECK(s.w[0].done && strstr(s.w[0].why, "the 2 left are within 25.0 pp"));
	CHECK(s.stopped_after > s.dropped_after[1] && s.stopped_after < 2000);
	/* dropped providers' sequences stop where they were dropped */
	CHECK(s.cost_n[1] == s.dropped_after[1]);
	cJSON *j = stop_json(&s);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(j, "stopped")));
	CHECK(json_num(j, "stopped_after_tasks", 0) == (double)s.stopped_after);
	const cJSON *pv = cJSON_GetObjectItem(j, "providers");
	CHECK(cJSON_GetArraySize(pv) == 4);
	CHECK(json_num(cJSON_GetArrayItem(pv, 1), "dropped_after_tasks", 0) == (double)s.dropped_after[1]);
	CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(pv, 0), "why") == NULL);
	const cJSON *rule = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "rules"), 0);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(rule, "sequences")) == 6);
	cJSON_Delete(j);
	struct buf b = BUF_INIT;
	stop_words(&s, &b);
	char head[64];
	snprintf(head, sizeof(head), "stopped after %zu tasks: ", s.stopped_after);
	CHECK(strncmp(buf_str(&b), head, strlen(head)) == 0);
	CHECK(strstr(buf_str(&b), "weak-cheap dropped after") && strstr(buf_str(&b), "anytime-valid 95%"));
	buf_release(&b);
	stop_release(&s);
	stop_rule_release(&r);
}

void test_stop_decided(void)
{
	const char *names[] = { "a", "b", "c" };
	struct stop_rule r[2];
	CHECK(stop_rule_parse("decided:a,b", &r[0]) == 0);
	CHECK(stop_rule_parse("width:0.3", &r[1]) == 0);
	struct stop_state s;
	CHECK(stop_init(&s, r, 2, names, 3, 0.05, CS_GRID_RUN) == 0);
	/* alpha split over the rules, then over the width rule's providers */
	CHECK_NEAR(s.w[0].alpha, 0.025, 1e-15);
	CHECK_NEAR(s.w[1].alpha, 0.025 / 3, 1e-15);
	const double rates[] = { 0.4, 0.8, 0.6 }, cost[] = { NAN, NAN, NAN };
	struct rng g;
	rng_seed(&g, 5);
	double x[3];
	size_t dropped = 0;
	for (int t = 0; t < 3000 && !s.stopped; t++) {
		draw(&g, rates, 3, x);
		dropped = stop_feed(&s, x, cost);
	}
	/* both rules must have their answer; the run stops asking everyone */
	CHECK(s.stopped && dropped == 3 && !stop_asks(&s, 0) && !stop_asks(&s, 2));
	CHECK(s.w[0].done && strstr(s.w[0].why, "b is better: b − a in [+"));
	CHECK(s.w[1].done && s.stopped_after == (s.w[0].done_after > s.w[1].done_after ? s.w[0].done_after
											 : s.w[1].done_after));
	for (size_t p = 0; p < 3; p++)
		CHECK(cs_high(&s.w[1].seq[p].cs) - cs_low(&s.w[1].seq[p].cs) < 0.3);
	/* what stopped is no longer fed */
	size_t n = cs_count(&s.w[0].seq[0].cs);
	stop_feed(&s, x, cost);
	CHECK(cs_count(&s.w[0].seq[0].cs) == n);
	stop_release(&s);
	stop_rule_release(&r[0]);
	stop_rule_release(&r[1]);

	/* equal providers: no difference is ever declared; with a margin,
	 * equivalence is */
	CHECK(stop_rule_parse("decided:a,b,margin=0.1", &r[0]) == 0);
	CHECK(stop_init(&s, r, 1, names, 3, 0.05, CS_GRID_RUN) == 0);
	const double same[] = { 0.7, 0.7, 0.7 };
	rng_seed(&g, 9);
	for (int t = 0; t < 5000 && !s.stopped; t++) {
		draw(&g, same, 3, x);
		x[1] = x[0]; /* perfectly correlated: the difference is 0 on every task */
		stop_feed(&s, x, cost);
	}
	CHECK(s.stopped && strstr(s.w[0].why, "equivalent within 10.0 pp"));
	stop_release(&s);
	stop_rule_release(&r[0]);
}

/* records in any order feed tasks in the plan's order; a provider runs
 * only a few tasks ahead; a dropped one is never asked again, and a
 * resumed run rebuilds the same decision from the records */
void test_stop_run_records(void)
{
	enum { NT = 120, NP = 2, K = 2 };
	static struct task tasks[NT];
	static char ids[NT][8];
	char na[] = "strong", nb[] = "weak";
	struct provider provs[NP] = { { .name = na, .max_concurrency = 4 }, { .name = nb, .max_concurrency = 4 } };
	static struct plan_item plan[NT * NP * K];
	size_t n = 0;
	for (int t = 0; t < NT; t++) {
		snprintf(ids[t], sizeof(ids[t]), "z%03d", NT - t); /* ids that sort against the plan */
		tasks[t].id = ids[t];
	}
	for (int k = 0; k < K; k++) /* sample-major, as run builds it */
		for (int t = 0; t < NT; t++)
			for (int p = 0; p < NP; p++)
				plan[n++] = (struct plan_item){ &tasks[t], &provs[p], k };
	struct stop_rule rule;
	CHECK(stop_rule_parse("race", &rule) == 0);
	struct stop_run r;
	CHECK(stop_run_init(&r, &rule, 1, 0.05, plan, n) == 0);
	CHECK(r.nt == NT && r.np == NP && r.k == K && r.window[0] == 3);
	/* task 1 first: nothing is fed until task 0 is whole */
	struct record rec;
	record_init(&rec);
	rec.task = ids[1];
	rec.provider = na;
	rec.status = ST_PASSED;
	rec.cost_usd = 0.5;
	for (int k = 0; k < K; k++) {
		rec.sample = k;
		stop_run_record(&r, &rec, 0);
	}
	CHECK(r.cursor == 0 && r.st.tasks == 0);
	/* the strong one may not run past the window: task 3 waits, task 2 not */
	CHECK(stop_run_ask(&r, &(struct plan_item){ &tasks[2], &provs[0], 0 }) == STOP_ASK_NOW);
	CHECK(stop_run_ask(&r, &(struct plan_item){ &tasks[3], &provs[0], 0 }) == STOP_ASK_LATER);
	/* the rest, strong always right, weak always wrong; an error is a
	 * sample ended without a verdict */
	size_t dropped = 0, fed_at_drop = 0;
	for (int t = 0; t < NT && !r.st.stopped; t++)
		for (int p = 0; p < NP; p++)
			for (int k = 0; k < K; k++) {
				if (t == 1 && p == 0)
					continue;
				rec.task = ids[t];
				rec.provider = p ? nb : na;
				rec.sample = k;
				rec.status = t == 5 && k == 1 ? ST_ERROR : p ? ST_FAILED : ST_PASSED;
				rec.cost_usd = p ? 0.01 : 0.5;
				size_t d = stop_run_record(&r, &rec, 0);
				if (d && !dropped)
					fed_at_drop = r.st.tasks;
				dropped += d;
			}
	CHECK(dropped >= 1 && r.st.drop_why[1] && r.st.stopped);
	CHECK(r.st.stopped_after == fed_at_drop && r.decided_at[0]);
	CHECK(stop_run_ask(&r, &(struct plan_item){ &tasks[NT - 1], &provs[1], 1 }) == STOP_ASK_NEVER);
	/* what a stopped sample's record says: its provider dropped, or every
	 * rule answered */
	struct buf why = BUF_INIT;
	stop_run_why(&r, &(struct plan_item){ &tasks[NT - 1], &provs[1], 1 }, &why);
	CHECK(strncmp(buf_str(&why), "--stop-when dropped weak after ", 31) == 0 &&
	      strstr(buf_str(&why), "worse than strong"));
	buf_reset(&why);
	stop_run_why(&r, &(struct plan_item){ &tasks[NT - 1], &provs[0], 1 }, &why);
	CHECK(strstr(buf_str(&why), "every rule has its answer after ") && strstr(buf_str(&why), "strong is left"));
	buf_release(&why);
	/* the run's records: what it answered, and what the rule stopped */
	struct recset rs;
	recset_init(&rs);
	for (int t = 0; t < NT; t++)
		for (int p = 0; p < NP; p++)
			for (int k = 0; k < K; k++) {
				struct record x;
				record_init(&x);
				x.task = xstrdup(ids[t]);
				x.provider = xstrdup(p ? nb : na);
				x.sample = k;
				if ((size_t)t < fed_at_drop) {
					x.status = t == 5 && k == 1 ? ST_ERROR : p ? ST_FAILED : ST_PASSED;
					x.cost_usd = p ? 0.01 : 0.5;
				} else {
					x.status = ST_NOT_ATTEMPTED;
					x.error_kind = xstrdup(REASON_STOPPED_EARLY);
				}
				XGROW(rs.v, rs.cap, rs.n + 1);
				rs.v[rs.n++] = x;
			}
	cJSON *j = stop_run_json(&r, &rs);
	size_t not_asked = (NT - fed_at_drop) * NP * K;
	CHECK(json_num(j, "samples_not_asked", 0) == (double)not_asked);
	/* each at its provider's cost per answered sample (errors cost too) */
	CHECK_NEAR(json_num(j, "usd_not_spent", 0), (NT - fed_at_drop) * K * (0.5 + 0.01), 1e-9);
	CHECK(strstr(json_str(j, "words", ""), "not spent (") && strstr(json_str(j, "words", ""), "strong is left"));
	CHECK(json_num(j, "tasks_planned", 0) == NT);
	cJSON_Delete(j);
	/* resumed: the same records give the same decision at the same task;
	 * a budget's not_attempted is asked again, so it ends nothing */
	struct stop_run again;
	CHECK(stop_run_init(&again, &rule, 1, 0.05, plan, n) == 0);
	for (size_t i = 0; i < rs.n; i++)
		stop_run_record(&again, &rs.v[i], 1);
	CHECK(again.st.stopped && again.st.stopped_after == r.st.stopped_after);
	CHECK(again.st.dropped_after[1] == r.st.dropped_after[1]);
	stop_run_release(&again);
	CHECK(stop_run_init(&again, &rule, 1, 0.05, plan, n) == 0);
	free(rs.v[0].error_kind);
	rs.v[0].status = ST_NOT_ATTEMPTED;
	rs.v[0].error_kind = xstrdup("budget");
	for (size_t i = 0; i < rs.n; i++)
		stop_run_record(&again, &rs.v[i], 1);
	CHECK(again.cursor == 0 && !again.st.stopped);
	stop_run_release(&again);
	recset_release(&rs);
	stop_run_release(&r);
	stop_rule_release(&rule);
}
