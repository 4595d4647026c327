/* summary.c - aggregation at the task level.
 *
 * With K samples per task the tasks, not the K*N samples, are the units:
 * the pass rate is the mean of per-task pass fractions, and with K > 1 the
 * Wilson interval uses the effective number of tasks implied by the
 * task-level standard error. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frontier.h"
#include "stats.h"
#include "strmap.h"
#include "xalloc.h"

struct acc {
	struct provider_summary *ps;
	struct strmap tasks;     /* task -> index in per_task */
	struct {
		double passed, scored;
	} *per_task;
	size_t ntasks, cap;
	double *lat;
	size_t nlat, latcap;
	int have_cost;
	int max_k;
};

static void count_reason(struct provider_summary *ps, const char *name)
{
	if (!name)
		return;
	for (size_t i = 0; i < ps->nreasons; i++)
		if (strcmp(ps->reasons[i].name, name) == 0) {
			ps->reasons[i].n++;
			return;
		}
	ps->reasons = xrealloc(ps->reasons, (ps->nreasons + 1) * sizeof(*ps->reasons));
	ps->reasons[ps->nreasons].name = xstrdup(name);
	ps->reasons[ps->nreasons].n = 1;
	ps->nreasons++;
}

static void add_record(struct acc *a, const struct record *r)
{
	struct provider_summary *ps = a->ps;
	ps->samples++;
	if (!ps->model && r->model)
		ps->model = xstrdup(r->model);
	switch (r->status) {
	case ST_PASSED: ps->passed++; break;
	case ST_FAILED: ps->failed++; count_reason(ps, r->fail_reason ? r->fail_reason : "failed"); break;
	case ST_ERROR: ps->errors++; count_reason(ps, r->error_kind ? r->error_kind : "error"); break;
	case ST_NOT_ATTEMPTED: ps->not_attempted++; break;
	}
	ps->truncated += r->truncated;
	if (!isnan(r->cost_usd)) {
		a->have_cost = 1;
		ps->cost_usd += r->cost_usd;
	}
	ps->tok_input += r->usage.input;
	ps->tok_cached += r->usage.cached_input;
	ps->tok_cache_write += r->usage.cache_write;
	ps->tok_output += r->usage.output;
	ps->tok_reasoning += r->usage.reasoning;
	if (!isnan(r->latency_ms) && !r->cached) {
		XGROW(a->lat, a->latcap, a->nlat + 1);
		a->lat[a->nlat++] = r->latency_ms;
	}
	if (r->status != ST_PASSED && r->status != ST_FAILED)
		return;
	long at;
	if (!strmap_get(&a->tasks, r->task, &at)) {
		XGROW(a->per_task, a->cap, a->ntasks + 1);
		a->per_task[a->ntasks].passed = a->per_task[a->ntasks].scored = 0;
		at = (long)a->ntasks++;
		strmap_put(&a->tasks, r->task, at);
	}
	a->per_task[at].scored += 1;
	a->per_task[at].passed += r->status == ST_PASSED;
	if ((int)a->per_task[at].scored > a->max_k)
		a->max_k = (int)a->per_task[at].scored;
}

static void finish(struct acc *a, double level)
{
	struct provider_summary *ps = a->ps;
	ps->tasks = a->ntasks;
	double *means = xmalloc((a->ntasks + 1) * sizeof(*means));
	for (size_t i = 0; i < a->ntasks; i++)
		means[i] = a->per_task[i].passed / a->per_task[i].scored;
	size_t n = a->ntasks;
	ps->pass_rate = n ? stats_mean(means, n) : NAN;
	if (n == 0) {
		ps->ci_low = ps->ci_high = NAN;
		ps->ci_method = "none";
	} else if (a->max_k <= 1) {
		stats_wilson(ps->pass_rate * (double)n, (double)n, level, &ps->ci_low, &ps->ci_high);
		ps->ci_method = "wilson";
	} else {
		/* the effective number of tasks, p(1-p) / se^2 with the task-level
		 * standard error, between 1 and the number of samples */
		double p = ps->pass_rate, se2 = stats_var(means, n) / (double)n;
		double neff = se2 > 0 ? p * (1 - p) / se2 : (double)n;
		double nsamp = (double)(ps->passed + ps->failed);
		if (neff > nsamp)
			neff = nsamp;
		if (neff < 1)
			neff = 1;
		stats_wilson(p * neff, neff, level, &ps->ci_low, &ps->ci_high);
		ps->ci_method = "wilson_task_se";
	}
	free(means);
	size_t answered = ps->passed + ps->failed;
	if (!a->have_cost) {
		ps->cost_usd = ps->cost_per_task = ps->cost_per_solved = NAN;
	} else {
		ps->cost_per_task = answered ? ps->cost_usd / (double)answered : NAN;
		ps->cost_per_solved = ps->passed ? ps->cost_usd / (double)ps->passed : NAN;
	}
	ps->latency_p50_ms = stats_quantile(a->lat, a->nlat, 0.5);
	ps->latency_p95_ms = stats_quantile(a->lat, a->nlat, 0.95);
	for (size_t i = 1; i < ps->nreasons; i++)
		for (size_t j = i; j > 0 && ps->reasons[j].n > ps->reasons[j - 1].n; j--) {
			struct count t = ps->reasons[j];
			ps->reasons[j] = ps->reasons[j - 1];
			ps->reasons[j - 1] = t;
		}
}

static int cmp_provider(const void *a, const void *b)
{
	const struct provider_summary *x = a, *y = b;
	double px = isnan(x->pass_rate) ? -1 : x->pass_rate, py = isnan(y->pass_rate) ? -1 : y->pass_rate;
	if (px != py)
		return px > py ? -1 : 1;
	return strcmp(x->name, y->name);
}

int summary_build(struct summary *s, const struct recset *rs)
{
	memset(s, 0, sizeof(*s));
	s->level = 0.95;
	/* first pass: the providers, in order of appearance */
	struct strmap which;
	strmap_init(&which);
	for (size_t i = 0; i < rs->n; i++)
		if (!strmap_get(&which, rs->v[i].provider, NULL))
			strmap_put(&which, rs->v[i].provider, (long)s->n++);
	s->p = xcalloc(s->n + 1, sizeof(*s->p));
	struct acc *accs = xcalloc(s->n + 1, sizeof(*accs));
	for (size_t i = 0; i < s->n; i++) {
		strmap_init(&accs[i].tasks);
		accs[i].ps = &s->p[i];
	}
	/* second pass: accumulate */
	for (size_t i = 0; i < rs->n; i++) {
		long at;
		strmap_get(&which, rs->v[i].provider, &at);
		if (!s->p[at].name)
			s->p[at].name = xstrdup(rs->v[i].provider);
		add_record(&accs[at], &rs->v[i]);
	}
	for (size_t i = 0; i < s->n; i++) {
		finish(&accs[i], s->level);
		strmap_release(&accs[i].tasks);
		free(accs[i].per_task);
		free(accs[i].lat);
	}
	free(accs);
	strmap_release(&which);
	qsort(s->p, s->n, sizeof(*s->p), cmp_provider);
	frontier_mark(s);
	return s->n ? 0 : -1;
}

void summary_release(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->p[i].name);
		free(s->p[i].model);
		for (size_t j = 0; j < s->p[i].nreasons; j++)
			free(s->p[i].reasons[j].name);
		free(s->p[i].reasons);
	}
	free(s->p);
	memset(s, 0, sizeof(*s));
}
