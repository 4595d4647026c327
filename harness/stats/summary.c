/* summary.c - from sample records to the figures of a report.
 *
 * Tasks are the units. The pass rate is the mean over tasks of each task's
 * pass fraction; its interval is Wilson's, or Clopper-Pearson's when 5 or
 * fewer samples passed or failed. With several samples per task, or with
 * clusters, the interval is computed on the effective number of tasks
 * implied by the task-level (or cluster-robust) standard error, so K
 * samples of one task never count as K independent observations. Costs per
 * solved task get Fieller's interval for a ratio of means, cross-checked
 * against the bootstrap. */
#include "stats/summary.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score/swebench.h"
#include "stats/bootstrap.h"
#include "stats/frontier.h"
#include "stats/outcomes.h"
#include "stats/stats.h"
#include "stats/summary_anytime.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/xalloc.h"

void summary_opts_default(struct summary_opts *o)
{
	*o = (struct summary_opts){ .level = 0.95, .replicates = 10000, .seed = 20261128 };
}

/* counts one more name in v[0..*n) (*cap allocated) */
static void count_in(struct count **v, size_t *n, size_t *cap, const char *name, int error)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].name, name) == 0 && (*v)[i].error == error) {
			(*v)[i].n++;
			return;
		}
	XGROW(*v, *cap, *n + 1);
	(*v)[*n] = (struct count){ xstrdup(name), 1, error };
	(*n)++;
}

static void count_reason(struct provider_summary *ps, const char *name, int error)
{
	count_in(&ps->reasons, &ps->nreasons, &ps->reasons_cap, name, error);
}

static int cmp_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* what the records say beyond the outcomes table: counts, tokens, latency */
/* samples of one figure, for its quantiles */
struct series {
	double *v;
	size_t n, cap;
};

static void series_add(struct series *s, double v)
{
	if (isnan(v))
		return;
	XGROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = v;
}

/* latency, time to first token, output tokens per second */
struct timing {
	struct series lat, ttft, tps;
};

static void add_record_facts(struct provider_summary *ps, const struct record *r, struct timing *tm)
{
	ps->samples++;
	if (!ps->model && r->model)
		ps->model = xstrdup(r->model);
	switch (r->status) {
	case ST_PASSED: ps->passed++; break;
	case ST_FAILED: ps->failed++; count_reason(ps, r->fail_reason ? r->fail_reason : "failed", 0); break;
	case ST_ERROR: ps->errors++; count_reason(ps, r->error_kind ? r->error_kind : "error", 1); break;
	case ST_NOT_ATTEMPTED:
		ps->not_attempted++;
		count_in(&ps->skipped, &ps->nskipped, &ps->skipped_cap, r->error_kind ? r->error_kind : "not_attempted", 0);
		break;
	}
	ps->truncated += r->truncated;
	ps->tok_input += r->usage.input;
	ps->tok_cached += r->usage.cached_input;
	ps->tok_cache_write += r->usage.cache_write;
	ps->tok_output += r->usage.output;
	ps->tok_reasoning += r->usage.reasoning;
	if (!isnan(r->cache_saving_usd))
		ps->cache_saving_usd += r->cache_saving_usd;
	if (r->well_formed >= 0) {
		ps->edits++;
		ps->well_formed += r->well_formed;
	}
	if ((r->report || r->well_formed >= 0) && (r->status == ST_PASSED || r->status == ST_FAILED)) {
		ps->graded++;
		ps->resolved_adjusted += swebench_report_adjusted(r->report, r->status == ST_PASSED);
	}
	if (!r->cached) {
		series_add(&tm->lat, r->latency_ms);
		series_add(&tm->ttft, r->ttft_ms);
		series_add(&tm->tps, r->output_tps);
	}
}

/* the pass-rate interval, with its method's name */
static void rate_interval(struct provider_summary *ps, const struct outcomes *o, double level)
{
	size_t nt = o->nt, n = 0;
	double *m = xmalloc((nt + 1) * sizeof(*m));
	int *cl = xmalloc((nt + 1) * sizeof(*cl));
	long x = 0, samples = 0;
	int kmin = 0, kmax = 0;
	for (size_t t = 0; t < nt; t++) {
		int k = o->k[OUT_AT(o, ps->row, t)];
		if (!k)
			continue;
		int c = o->c[OUT_AT(o, ps->row, t)];
		m[n] = (double)c / k;
		cl[n] = o->cluster[t];
		x += c;
		samples += k;
		kmin = !kmin || k < kmin ? k : kmin;
		kmax = k > kmax ? k : kmax;
		n++;
	}
	ps->tasks = n;
	ps->k_min = kmin;
	ps->k_max = kmax;
	if (n == 0) {
		ps->pass_rate = ps->ci_low = ps->ci_high = NAN;
		ps->ci_method = "none";
		free(m);
		free(cl);
		return;
	}
	double p = stats_mean(m, n);
	ps->pass_rate = p;
	double succ = (double)x, trials = (double)samples;
	const char *adj = "";
	if (kmax > 1 || o->clustered) {
		double v;
		stats_mean_cov(m, NULL, o->clustered ? cl : NULL, n, &v, NULL, NULL);
		/* the effective number of tasks, between 1 and the number of samples */
		double neff = v > 0 ? p * (1 - p) / v : (double)n;
		neff = fmax(1, fmin(neff, trials));
		succ = p * neff;
		trials = neff;
		adj = o->clustered ? "_cluster_se" : "_task_se";
	}
	static const char *const names[] = { "wilson", "wilson_task_se", "wilson_cluster_se", "clopper_pearson",
					     "clopper_pearson_task_se", "clopper_pearson_cluster_se" };
	int exact = succ <= 5 || trials - succ <= 5;
	if (exact)
		stats_clopper_pearson(succ, trials, level, &ps->ci_low, &ps->ci_high);
	else
		stats_wilson(succ, trials, level, &ps->ci_low, &ps->ci_high);
	ps->ci_method = names[3 * exact + (*adj == 0 ? 0 : adj[1] == 't' ? 1 : 2)];
	free(m);
	free(cl);
}

/* the agent's figures: turns per sample, tokens per turn, its time, the
 * harness's overhead per turn, how samples ended. Answered samples only (a
 * sample stopped by the budget or an error says nothing of the model) */
static void agent_figures(struct provider_summary *ps, const struct recset *rs)
{
	struct series turns = { 0 }, time = { 0 }, overhead = { 0 };
	double tokens = 0, nturns = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (!r->agent || strcmp(r->provider, ps->name) != 0)
			continue;
		if (r->end_reason)
			count_in(&ps->ends, &ps->nends, &ps->ends_cap, r->end_reason, 0);
		if (r->status != ST_PASSED && r->status != ST_FAILED)
			continue;
		ps->agent_samples++;
		series_add(&turns, r->turns);
		series_add(&time, r->agent_ms);
		tokens += (double)(r->usage.input + r->usage.cached_input + r->usage.cache_write + r->usage.output);
		nturns += r->turns;
		cJSON *pt = r->per_turn ? cJSON_Parse(r->per_turn) : NULL;
		const cJSON *t;
		cJSON_ArrayForEach(t, pt)
			/* a turn answered from the cache cost the harness nothing to ask */
			if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "cached")))
				series_add(&overhead, json_num(t, "overhead_ms", NAN));
		cJSON_Delete(pt);
	}
	ps->turns_p50 = stats_quantile(turns.v, turns.n, 0.5);
	ps->turns_p90 = stats_quantile(turns.v, turns.n, 0.9);
	ps->turns_mean = stats_mean(turns.v, turns.n);
	ps->tokens_per_turn = nturns > 0 ? tokens / nturns : NAN;
	ps->agent_ms_p50 = stats_quantile(time.v, time.n, 0.5);
	ps->overhead_p50_ms = stats_quantile(overhead.v, overhead.n, 0.5);
	ps->overhead_mean_ms = stats_mean(overhead.v, overhead.n);
	if (ps->nends)
		qsort(ps->ends, ps->nends, sizeof(*ps->ends), cmp_count);
	free(turns.v);
	free(time.v);
	free(overhead.v);
}

/* with several tries per sample: the share passing within k tries, and what
 * each try cost, per sample (tasks as units for the rate) */
static void tries_figures(struct provider_summary *ps, const struct recset *rs, int max_tries)
{
	struct strmap tasks;
	strmap_init(&tasks);
	double(*within)[MAX_TRIES] = xcalloc(rs->n + 1, sizeof(*within));
	double *count = xcalloc(rs->n + 1, sizeof(*count));
	size_t ntask = 0, samples = 0;
	double cost[MAX_TRIES] = { 0 };
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (strcmp(r->provider, ps->name) != 0 || (r->status != ST_PASSED && r->status != ST_FAILED))
			continue;
		cJSON *tr = r->tries ? cJSON_Parse(r->tries) : NULL;
		int used = cJSON_IsArray(tr) ? cJSON_GetArraySize(tr) : 1;
		if (used > MAX_TRIES)
			used = MAX_TRIES;
		if (cJSON_IsArray(tr)) {
			for (int k = 0; k < used; k++)
				cost[k] += json_num(cJSON_GetArrayItem(tr, k), "cost_usd", 0);
		} else if (!isnan(r->cost_usd)) {
			cost[0] += r->cost_usd;
		}
		cJSON_Delete(tr);
		long at;
		if (!strmap_get(&tasks, r->task, &at)) {
			at = (long)ntask++;
			strmap_put(&tasks, r->task, at);
		}
		count[at] += 1;
		for (int k = used - 1; k < MAX_TRIES && r->status == ST_PASSED; k++)
			within[at][k] += 1;
		samples++;
	}
	/* every provider had the same tries: one that never needed a second shows it too */
	ps->ntries = max_tries > 1 ? max_tries : 0;
	for (int k = 0; k < ps->ntries; k++) {
		double sum = 0;
		for (size_t t = 0; t < ntask; t++)
			sum += within[t][k] / count[t];
		ps->pass_try[k] = ntask ? sum / (double)ntask : NAN;
		ps->cost_try[k] = samples ? cost[k] / (double)samples : NAN;
	}
	free(within);
	free(count);
	strmap_release(&tasks);
}

/* pass@k and pass^k for k = 1 .. the smallest per-task sample count */
static void pass_at_k(struct provider_summary *ps, const struct outcomes *o)
{
	if (ps->k_min < 1)
		return;
	ps->nk = ps->k_min;
	ps->pass_at_k = xcalloc((size_t)ps->nk, sizeof(*ps->pass_at_k));
	ps->pass_hat_k = xcalloc((size_t)ps->nk, sizeof(*ps->pass_hat_k));
	double *a = xmalloc((o->nt + 1) * sizeof(*a)), *h = xmalloc((o->nt + 1) * sizeof(*h));
	int *cl = xmalloc((o->nt + 1) * sizeof(*cl));
	for (int k = 1; k <= ps->nk; k++) {
		size_t n = 0;
		for (size_t t = 0; t < o->nt; t++) {
			int kk = o->k[OUT_AT(o, ps->row, t)], c = o->c[OUT_AT(o, ps->row, t)];
			if (!kk)
				continue;
			a[n] = stats_pass_at_k(kk, c, k);
			h[n] = stats_pass_hat_k(kk, c, k);
			cl[n++] = o->cluster[t];
		}
		double va, vh;
		stats_mean_cov(a, NULL, o->clustered ? cl : NULL, n, &va, NULL, NULL);
		stats_mean_cov(h, NULL, o->clustered ? cl : NULL, n, &vh, NULL, NULL);
		ps->pass_at_k[k - 1] = (struct kstat){ k, stats_mean(a, n), sqrt(va) };
		ps->pass_hat_k[k - 1] = (struct kstat){ k, stats_mean(h, n), sqrt(vh) };
	}
	free(a);
	free(h);
	free(cl);
}

/* cost per answered sample and per solved sample, with their intervals:
 * both are ratios of task means (cost over samples, cost over passes) */
static void cost_intervals(struct provider_summary *ps, const struct outcomes *o, double level)
{
	ps->cost_per_task_low = ps->cost_per_task_high = NAN;
	ps->cost_per_solved_low = ps->cost_per_solved_high = NAN;
	if (!o->have_cost[ps->row])
		return;
	size_t n = 0;
	double *cost = xmalloc((o->nt + 1) * sizeof(*cost)), *k = xmalloc((o->nt + 1) * sizeof(*k));
	double *c = xmalloc((o->nt + 1) * sizeof(*c));
	int *cl = xmalloc((o->nt + 1) * sizeof(*cl));
	for (size_t t = 0; t < o->nt; t++) {
		size_t at = OUT_AT(o, ps->row, t);
		if (!o->k[at])
			continue;
		cost[n] = o->cost[at];
		k[n] = o->k[at];
		c[n] = o->c[at];
		cl[n++] = o->cluster[t];
	}
	if (n >= 2) {
		const int *g = o->clustered ? cl : NULL;
		double mc = stats_mean(cost, n), mk = stats_mean(k, n), mp = stats_mean(c, n);
		double vc, vk, cck, vp, ccp;
		stats_mean_cov(cost, k, g, n, &vc, &vk, &cck);
		if (stats_fieller(mc, mk, vc, vk, cck, level, &ps->cost_per_task_low, &ps->cost_per_task_high) != 0)
			ps->cost_per_task_low = ps->cost_per_task_high = NAN;
		stats_mean_cov(cost, c, g, n, &vc, &vp, &ccp);
		if (ps->passed > 0)
			ps->cost_per_solved_unbounded =
				stats_fieller(mc, mp, vc, vp, ccp, level, &ps->cost_per_solved_low,
					      &ps->cost_per_solved_high) != 0;
	}
	free(cost);
	free(k);
	free(c);
	free(cl);
}

/* the paired comparison of rows a and b (b - a) on the tasks both completed */
static void pair_compute(const struct outcomes *o, int a, int b, double *boot_diffs, int replicates,
			 double level, struct pair_summary *ps)
{
	memset(ps, 0, sizeof(*ps));
	size_t nt = o->nt, n = 0;
	double *ma = xmalloc((nt + 1) * sizeof(*ma)), *mb = xmalloc((nt + 1) * sizeof(*mb));
	double *d = xmalloc((nt + 1) * sizeof(*d));
	int *cl = xmalloc((nt + 1) * sizeof(*cl));
	int single = 1;
	for (size_t t = 0; t < nt; t++) {
		int ka = o->k[OUT_AT(o, a, t)], kb = o->k[OUT_AT(o, b, t)];
		if (!ka || !kb)
			continue;
		single &= ka == 1 && kb == 1;
		ma[n] = (double)o->c[OUT_AT(o, a, t)] / ka;
		mb[n] = (double)o->c[OUT_AT(o, b, t)] / kb;
		d[n] = mb[n] - ma[n];
		if (single) {
			ps->n10 += ma[n] > mb[n];
			ps->n01 += mb[n] > ma[n];
		}
		cl[n++] = o->cluster[t];
	}
	ps->n = n;
	ps->diff = n ? stats_mean(d, n) : NAN;
	ps->corr = stats_corr(ma, mb, n);
	double v;
	stats_mean_cov(d, NULL, o->clustered ? cl : NULL, n, &v, NULL, NULL);
	/* detectable with 80% power at two-sided alpha 0.05: (z_.975 + z_.8) * se */
	ps->mdd = n >= 2 ? (gsl_cdf_ugaussian_Pinv(0.975) + gsl_cdf_ugaussian_Pinv(0.8)) * sqrt(v) : NAN;
	ps->ci_low = ps->ci_high = ps->p_value = ps->p_holm = NAN;
	ps->anytime_low = ps->anytime_high = ps->anytime_alpha = NAN;
	if (n == 0) {
		ps->method = "none";
	} else if (single && !o->clustered) {
		ps->method = "mcnemar_exact";
		ps->p_value = stats_binom_test_half(ps->n10 < ps->n01 ? ps->n10 : ps->n01, ps->n10 + ps->n01);
		stats_bonett_price(ps->n10, ps->n01, (long)n, level, &ps->ci_low, &ps->ci_high);
	} else if (boot_diffs) {
		ps->method = "paired_bootstrap";
		size_t extreme = 0, valid = 0;
		for (int r = 0; r < replicates; r++) {
			if (isnan(boot_diffs[r]))
				continue;
			valid++;
			/* the bootstrap distribution shifted to the null of no difference */
			extreme += fabs(boot_diffs[r] - ps->diff) >= fabs(ps->diff) - 1e-12;
		}
		ps->p_value = (double)(extreme + 1) / (double)(valid + 1);
		if (ps->p_value > 1)
			ps->p_value = 1;
		boot_percentile(boot_diffs, (size_t)replicates, level, &ps->ci_low, &ps->ci_high);
	}
	free(ma);
	free(mb);
	free(d);
	free(cl);
}

static int cmp_provider(const void *a, const void *b)
{
	const struct provider_summary *x = a, *y = b;
	double px = isnan(x->pass_rate) ? -1 : x->pass_rate, py = isnan(y->pass_rate) ? -1 : y->pass_rate;
	if (px != py)
		return px > py ? -1 : 1;
	return strcmp(x->name, y->name);
}

int summary_build(struct summary *s, const struct recset *rs, const struct summary_opts *opts)
{
	memset(s, 0, sizeof(*s));
	if (opts)
		s->opts = *opts;
	else
		summary_opts_default(&s->opts);
	struct outcomes o;
	if (outcomes_build(&o, rs) < 0)
		return -1;
	s->n = o.np;
	s->clustered = o.clustered;
	s->p = xcalloc(s->n + 1, sizeof(*s->p));
	struct timing *tm = xcalloc(s->n + 1, sizeof(*tm));
	for (size_t p = 0; p < o.np; p++) {
		s->p[p].name = xstrdup(o.prov[p]);
		s->p[p].row = (int)p;
		s->p[p].anytime_low = s->p[p].anytime_high = NAN;
	}
	for (size_t i = 0; i < rs->n; i++) {
		int p = outcomes_provider(&o, rs->v[i].provider);
		add_record_facts(&s->p[p], &rs->v[i], &tm[p]);
	}
	int max_tries = 1;
	for (size_t i = 0; i < rs->n; i++) {
		cJSON *tr = rs->v[i].tries ? cJSON_Parse(rs->v[i].tries) : NULL;
		if (cJSON_IsArray(tr) && cJSON_GetArraySize(tr) > max_tries)
			max_tries = cJSON_GetArraySize(tr) < MAX_TRIES ? cJSON_GetArraySize(tr) : MAX_TRIES;
		cJSON_Delete(tr);
	}
	for (size_t p = 0; p < s->n; p++) {
		struct provider_summary *ps = &s->p[p];
		rate_interval(ps, &o, s->opts.level);
		pass_at_k(ps, &o);
		tries_figures(ps, rs, max_tries);
		agent_figures(ps, rs);
		long in = ps->tok_input + ps->tok_cached + ps->tok_cache_write;
		ps->cache_hit_ratio = in > 0 ? (double)ps->tok_cached / (double)in : NAN;
		size_t answered = ps->passed + ps->failed;
		if (!o.have_cost[p]) {
			ps->cost_usd = ps->cost_per_task = ps->cost_per_solved = NAN;
		} else {
			for (size_t t = 0; t < o.nt; t++)
				ps->cost_usd += o.cost[OUT_AT(&o, p, t)];
			ps->cost_per_task = answered ? ps->cost_usd / (double)answered : NAN;
			ps->cost_per_solved = ps->passed ? ps->cost_usd / (double)ps->passed : NAN;
		}
		cost_intervals(ps, &o, s->opts.level);
		ps->estimated_costs = summary_estimated_costs(rs, ps->name);
		ps->latency_p50_ms = stats_quantile(tm[p].lat.v, tm[p].lat.n, 0.5);
		ps->latency_p95_ms = stats_quantile(tm[p].lat.v, tm[p].lat.n, 0.95);
		ps->ttft_p50_ms = stats_quantile(tm[p].ttft.v, tm[p].ttft.n, 0.5);
		ps->output_tps_p50 = stats_quantile(tm[p].tps.v, tm[p].tps.n, 0.5);
		if (ps->nreasons)
			qsort(ps->reasons, ps->nreasons, sizeof(*ps->reasons), cmp_count);
		if (ps->nskipped)
			qsort(ps->skipped, ps->nskipped, sizeof(*ps->skipped), cmp_count);
		free(tm[p].lat.v);
		free(tm[p].ttft.v);
		free(tm[p].tps.v);
	}
	free(tm);
	qsort(s->p, s->n, sizeof(*s->p), cmp_provider);
	frontier_mark(s);

	/* every two providers, the better one as b, sharing one bootstrap */
	s->npairs = s->n * (s->n - 1) / 2;
	s->pairs = xcalloc(s->npairs + 1, sizeof(*s->pairs));
	struct boot_pair *bp = xcalloc(s->npairs + 1, sizeof(*bp));
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = i + 1; j < s->n; j++, k++)
			bp[k] = (struct boot_pair){ s->p[j].row, s->p[i].row, NULL };
	struct boot_result br;
	boot_run(&o, s->opts.replicates, s->opts.seed, bp, s->npairs, &br);
	k = 0;
	double *pv = xmalloc((s->npairs + 1) * sizeof(*pv)), *adj = xmalloc((s->npairs + 1) * sizeof(*adj));
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = i + 1; j < s->n; j++, k++) {
			pair_compute(&o, bp[k].a, bp[k].b, bp[k].diffs, br.replicates, s->opts.level, &s->pairs[k]);
			s->pairs[k].a = s->p[j].name;
			s->pairs[k].b = s->p[i].name;
			pv[k] = s->pairs[k].p_value;
			free(bp[k].diffs);
		}
	stats_holm(pv, adj, s->npairs);
	for (k = 0; k < s->npairs; k++)
		s->pairs[k].p_holm = adj[k];
	free(pv);
	free(adj);
	free(bp);
	size_t R = (size_t)br.replicates;
	for (size_t i = 0; i < s->n; i++) {
		struct provider_summary *ps = &s->p[i];
		ps->p_frontier = br.p_frontier[ps->row];
		ps->cost_per_solved_boot_low = ps->cost_per_solved_boot_high = NAN;
		if (o.have_cost[ps->row] && ps->passed > 0)
			boot_percentile(br.cps + (size_t)ps->row * R, R, s->opts.level, &ps->cost_per_solved_boot_low,
					&ps->cost_per_solved_boot_high);
	}
	s->nlambda = br.nlambda;
	s->lambda = br.lambda;
	br.lambda = NULL;
	s->p_best = xcalloc(s->n * s->nlambda + 1, sizeof(*s->p_best));
	for (size_t i = 0; i < s->n; i++)
		for (size_t l = 0; l < s->nlambda; l++)
			s->p_best[i * s->nlambda + l] = br.p_best[(size_t)s->p[i].row * s->nlambda + l];
	boot_result_release(&br);
	if (s->opts.anytime)
		summary_anytime(s, &o);
	outcomes_release(&o);
	return 0;
}

size_t summary_estimated_costs(const struct recset *rs, const char *provider)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++)
		n += rs->v[i].cost_source && strcmp(rs->v[i].cost_source, "estimate") == 0 &&
		     strcmp(rs->v[i].provider, provider) == 0;
	return n;
}

const struct provider_summary *summary_find(const struct summary *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->p[i].name, name) == 0)
			return &s->p[i];
	return NULL;
}

int summary_compare(const struct recset *rs, const struct summary_opts *opts, const char *a, const char *b,
		    struct pair_summary *out)
{
	struct outcomes o;
	if (outcomes_build(&o, rs) < 0)
		return -1;
	int ra = outcomes_provider(&o, a), rb = outcomes_provider(&o, b);
	if (ra < 0 || rb < 0) {
		outcomes_release(&o);
		return -1;
	}
	struct boot_pair bp = { ra, rb, NULL };
	struct boot_result br;
	boot_run(&o, opts->replicates, opts->seed, &bp, 1, &br);
	pair_compute(&o, ra, rb, bp.diffs, br.replicates, opts->level, out);
	out->a = a;
	out->b = b;
	out->p_holm = out->p_value;
	if (opts->anytime) {
		out->anytime_alpha = 1 - opts->level;
		summary_anytime_pair(&o, opts, ra, rb, out->anytime_alpha, &out->anytime_low, &out->anytime_high);
	}
	free(bp.diffs);
	boot_result_release(&br);
	outcomes_release(&o);
	return 0;
}

void summary_release(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->p[i].name);
		free(s->p[i].model);
		free(s->p[i].pass_at_k);
		free(s->p[i].pass_hat_k);
		for (size_t j = 0; j < s->p[i].nreasons; j++)
			free(s->p[i].reasons[j].name);
		free(s->p[i].reasons);
		for (size_t j = 0; j < s->p[i].nskipped; j++)
			free(s->p[i].skipped[j].name);
		free(s->p[i].skipped);
		for (size_t j = 0; j < s->p[i].nends; j++)
			free(s->p[i].ends[j].name);
		free(s->p[i].ends);
	}
	free(s->p);
	free(s->pairs);
	free(s->lambda);
	free(s->p_best);
	free(s->decision);
	memset(s, 0, sizeof(*s));
}
