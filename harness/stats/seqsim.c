/* seqsim.c - many simulated runs of a stopping rule (stats/stop.c), each
 * looking after every task, against the truth it was drawn from; and the
 * naive rule beside it: stop as soon as the fixed-sample 95% interval of
 * the paired difference (mean +- 1.96 standard errors over tasks) leaves
 * 0 out, which is what peeking at an ordinary report amounts to. */
#include "stats/seqsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/msg.h"
#include "util/xalloc.h"

/* the naive rule on one run's differences so far */
struct naive {
	double sum, sumsq;
	size_t n;
	int done, sign;
	size_t at;
};

static void naive_push(struct naive *v, double d, size_t from, double z)
{
	if (v->done)
		return;
	v->n++;
	v->sum += d;
	v->sumsq += d * d;
	if (v->n < from || v->n < 2)
		return;
	double n = (double)v->n, mean = v->sum / n;
	double var = (v->sumsq - n * mean * mean) / (n - 1);
	double half = z * sqrt(fmax(var, 0) / n);
	if (mean - half > 0 || mean + half < 0) {
		v->done = 1;
		v->sign = mean > 0 ? 1 : -1;
		v->at = v->n;
	}
}

/* judges one run's decision of a decided:A,B rule */
static void judge_pair(const struct seqsim_opts *o, const struct stop_state *s, struct seqsim_result *res)
{
	const struct stop_watch *w = &s->w[0];
	double truth = o->rates[w->seq[0].b] - o->rates[w->seq[0].a];
	double lo = cs_low(&w->seq[0].cs), hi = cs_high(&w->seq[0].cs);
	int sign = lo > 0 ? 1 : hi < 0 ? -1 : 0;
	res->claims += sign != 0;
	if (sign != 0) {
		*(sign * truth > 0 ? &res->right : &res->wrong) += 1;
	} else if (w->done) { /* equivalence */
		res->equivalent++;
		*(fabs(truth) < w->rule->margin ? &res->right : &res->wrong) += 1;
	}
}

/* one simulated run; *tasks_out gets where it ended */
static void one_run(const struct seqsim_opts *o, struct stop_state *s, struct seqsim_result *res, double *x,
		    double *cost, size_t *asked, double *tasks_out, double *pair_sums)
{
	struct naive nv = { 0 };
	double z = stats_z(0.95);
	size_t t = 0;
	memset(asked, 0, o->np * sizeof(*asked));
	while (t < o->tasks && !(s->stopped && (!o->naive || nv.done))) {
		o->draw(o->arg, x);
		t++;
		if (o->np >= 2) {
			pair_sums[0] += x[0];
			pair_sums[1] += x[1];
			pair_sums[2] += x[0] * x[0];
			pair_sums[3] += x[1] * x[1];
			pair_sums[4] += x[0] * x[1];
			pair_sums[5] += 1;
		}
		if (o->naive) {
			const struct stop_seq *q = &s->w[0].seq[0];
			naive_push(&nv, x[q->b] - x[q->a], o->naive_from, z);
		}
		if (s->stopped)
			continue;
		for (size_t p = 0; p < o->np; p++) {
			if (!stop_asks(s, p))
				x[p] = NAN;
			else
				asked[p]++;
		}
		stop_feed(s, x, cost);
	}
	*tasks_out = (double)(s->stopped ? s->stopped_after : o->tasks);
	res->stopped += s->stopped;
	double usd = 0;
	for (size_t p = 0; p < o->np; p++) {
		res->asked_mean[p] += (double)asked[p];
		res->dropped[p] += s->drop_why[p] != NULL;
		usd += (double)asked[p] * o->usd_per_task[p];
	}
	res->usd_mean += usd;
	if (o->rule->kind == STOP_DECIDED) {
		judge_pair(o, s, res);
	} else if (o->rule->kind == STOP_RACE) {
		size_t best = 0;
		for (size_t p = 1; p < o->np; p++)
			best = o->rates[p] > o->rates[best] ? p : best;
		/* a tie for the best: dropping one of them is no mistake */
		int kept = 0;
		for (size_t p = 0; p < o->np; p++)
			kept |= o->rates[p] == o->rates[best] && !s->drop_why[p];
		*(kept ? &res->right : &res->wrong) += 1;
	}
	if (o->naive) {
		const struct stop_seq *q = &s->w[0].seq[0];
		double truth = o->rates[q->b] - o->rates[q->a];
		res->naive_claims += nv.done;
		if (nv.done)
			*(nv.sign * truth > 0 ? &res->naive_right : &res->naive_wrong) += 1;
		res->naive_tasks_mean += (double)(nv.done ? nv.at : o->tasks);
	}
}

int seqsim_run(const struct seqsim_opts *o, struct seqsim_result *res)
{
	memset(res, 0, sizeof(*res));
	res->asked_mean = xcalloc(o->np + 1, sizeof(*res->asked_mean));
	res->dropped = xcalloc(o->np + 1, sizeof(*res->dropped));
	if (o->naive && o->rule->kind != STOP_DECIDED)
		return error("the naive rule compares two providers: it needs a decided rule");
	double *x = xcalloc(o->np + 1, sizeof(*x)), *cost = xcalloc(o->np + 1, sizeof(*cost));
	double *tasks = xcalloc((size_t)o->runs + 1, sizeof(*tasks));
	size_t *asked = xcalloc(o->np + 1, sizeof(*asked));
	double sums[6] = { 0 };
	int rc = 0;
	for (size_t p = 0; p < o->np; p++) {
		cost[p] = o->usd_per_task[p];
		res->usd_full += (double)o->tasks * o->usd_per_task[p];
	}
	for (int r = 0; r < o->runs; r++) {
		struct stop_state s;
		if (stop_init(&s, o->rule, 1, o->names, o->np, o->alpha, o->ngrid) < 0) {
			rc = -1;
			break;
		}
		one_run(o, &s, res, x, cost, asked, &tasks[r], sums);
		stop_release(&s);
		res->runs++;
	}
	if (res->runs) {
		double R = res->runs;
		res->tasks_mean = stats_mean(tasks, (size_t)res->runs);
		res->tasks_p50 = stats_quantile(tasks, (size_t)res->runs, 0.5);
		res->tasks_p90 = stats_quantile(tasks, (size_t)res->runs, 0.9);
		res->usd_mean /= R;
		res->naive_tasks_mean /= R;
		for (size_t p = 0; p < o->np; p++) {
			res->asked_mean[p] /= R;
			res->dropped[p] /= R;
		}
	}
	double n = sums[5];
	res->corr = res->var_diff = NAN;
	if (n > 1) {
		double ma = sums[0] / n, mb = sums[1] / n;
		double va = sums[2] / n - ma * ma, vb = sums[3] / n - mb * mb, cab = sums[4] / n - ma * mb;
		res->corr = va > 0 && vb > 0 ? cab / sqrt(va * vb) : NAN;
		res->var_diff = (va + vb - 2 * cab) * n / (n - 1);
	}
	free(x);
	free(cost);
	free(tasks);
	free(asked);
	return rc;
}

void seqsim_result_release(struct seqsim_result *res)
{
	if (!res)
		return;
	free(res->asked_mean);
	free(res->dropped);
	memset(res, 0, sizeof(*res));
}
