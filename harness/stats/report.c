/* report.c - rendering a summary: markdown, CSV, JSON (summary.json), table. */
#include "stats/report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/score.h"
#include "stats/fmt.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

int report_format_parse(const char *name, enum report_format *f)
{
	static const struct {
		const char *name;
		enum report_format f;
	} map[] = { { "md", REPORT_MD }, { "csv", REPORT_CSV }, { "json", REPORT_JSON }, { "table", REPORT_TABLE } };
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(name, map[i].name) == 0) {
			*f = map[i].f;
			return 0;
		}
	return -1;
}

/* ---- JSON ---- */

static cJSON *interval(double lo, double hi)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, isfinite(lo) ? cJSON_CreateNumber(lo) : cJSON_CreateNull());
	cJSON_AddItemToArray(a, isfinite(hi) ? cJSON_CreateNumber(hi) : cJSON_CreateNull());
	return a;
}

static cJSON *kstats(const struct kstat *v, int n)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "k", v[i].k);
		json_add_num(o, "value", v[i].value);
		json_add_num(o, "se", v[i].se);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *report_pair_json(const struct pair_summary *q)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "a", q->a);
	cJSON_AddStringToObject(o, "b", q->b);
	cJSON_AddNumberToObject(o, "n", (double)q->n);
	json_add_num(o, "diff", q->diff);
	json_add_num(o, "ci_low", q->ci_low);
	json_add_num(o, "ci_high", q->ci_high);
	json_add_num(o, "p_value", q->p_value);
	json_add_num(o, "p_holm", q->p_holm);
	cJSON_AddStringToObject(o, "method", q->method);
	json_add_num(o, "corr", q->corr);
	json_add_num(o, "mdd", q->mdd);
	if (strcmp(q->method, "mcnemar_exact") == 0) {
		cJSON_AddNumberToObject(o, "only_a_passed", (double)q->n10);
		cJSON_AddNumberToObject(o, "only_b_passed", (double)q->n01);
	}
	if (!isnan(q->anytime_alpha)) {
		json_add_num(o, "anytime_low", q->anytime_low);
		json_add_num(o, "anytime_high", q->anytime_high);
		json_add_num(o, "anytime_alpha", q->anytime_alpha);
	}
	return o;
}

static cJSON *provider_json(const struct provider_summary *p, int anytime)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", p->name);
	if (p->model)
		cJSON_AddStringToObject(o, "model", p->model);
	cJSON_AddNumberToObject(o, "tasks", (double)p->tasks);
	cJSON_AddNumberToObject(o, "samples", (double)p->samples);
	cJSON_AddNumberToObject(o, "passed", (double)p->passed);
	cJSON_AddNumberToObject(o, "failed", (double)p->failed);
	cJSON_AddNumberToObject(o, "errors", (double)p->errors);
	cJSON_AddNumberToObject(o, "not_attempted", (double)p->not_attempted);
	cJSON_AddNumberToObject(o, "samples_per_task_min", p->k_min);
	cJSON_AddNumberToObject(o, "samples_per_task_max", p->k_max);
	json_add_num(o, "pass_rate", p->pass_rate);
	json_add_num(o, "ci_low", p->ci_low);
	json_add_num(o, "ci_high", p->ci_high);
	cJSON_AddStringToObject(o, "ci_method", p->ci_method);
	if (anytime) {
		json_add_num(o, "anytime_low", p->anytime_low);
		json_add_num(o, "anytime_high", p->anytime_high);
	}
	cJSON_AddItemToObject(o, "pass_at_k", kstats(p->pass_at_k, p->nk));
	cJSON_AddItemToObject(o, "pass_hat_k", kstats(p->pass_hat_k, p->nk));
	json_add_num(o, "cost_usd", p->cost_usd);
	cJSON_AddNumberToObject(o, "estimated_costs", (double)p->estimated_costs);
	json_add_num(o, "cost_per_task", p->cost_per_task);
	cJSON_AddItemToObject(o, "cost_per_task_ci", interval(p->cost_per_task_low, p->cost_per_task_high));
	json_add_num(o, "cost_per_solved", p->cost_per_solved);
	cJSON_AddItemToObject(o, "cost_per_solved_ci", interval(p->cost_per_solved_low, p->cost_per_solved_high));
	cJSON_AddStringToObject(o, "cost_per_solved_ci_method", "fieller");
	cJSON_AddBoolToObject(o, "cost_per_solved_unbounded", p->cost_per_solved_unbounded);
	cJSON_AddItemToObject(o, "cost_per_solved_bootstrap_ci",
			      interval(p->cost_per_solved_boot_low, p->cost_per_solved_boot_high));
	cJSON *t = cJSON_AddObjectToObject(o, "tokens");
	cJSON_AddNumberToObject(t, "input", (double)p->tok_input);
	cJSON_AddNumberToObject(t, "cached_input", (double)p->tok_cached);
	cJSON_AddNumberToObject(t, "cache_write", (double)p->tok_cache_write);
	cJSON_AddNumberToObject(t, "output", (double)p->tok_output);
	cJSON_AddNumberToObject(t, "reasoning", (double)p->tok_reasoning);
	json_add_num(o, "cache_hit_ratio", p->cache_hit_ratio);
	json_add_num(o, "cache_saving_usd", p->cache_saving_usd);
	if (p->agent_samples || p->nends) {
		cJSON *a = cJSON_AddObjectToObject(o, "agent");
		cJSON_AddNumberToObject(a, "samples", (double)p->agent_samples);
		cJSON_AddNumberToObject(a, "resolved", (double)p->passed);
		json_add_num(a, "turns_p50", p->turns_p50);
		json_add_num(a, "turns_p90", p->turns_p90);
		json_add_num(a, "turns_mean", p->turns_mean);
		json_add_num(a, "tokens_per_turn", p->tokens_per_turn);
		json_add_num(a, "cost_per_sample", p->cost_per_task);
		json_add_num(a, "cost_per_resolved", p->cost_per_solved);
		cJSON_AddItemToObject(a, "cost_per_resolved_ci", interval(p->cost_per_solved_low, p->cost_per_solved_high));
		json_add_num(a, "sample_time_p50_ms", p->agent_ms_p50);
		json_add_num(a, "overhead_per_turn_p50_ms", p->overhead_p50_ms);
		json_add_num(a, "overhead_per_turn_mean_ms", p->overhead_mean_ms);
		cJSON *e = cJSON_AddObjectToObject(a, "ends");
		for (size_t j = 0; j < p->nends; j++)
			cJSON_AddNumberToObject(e, p->ends[j].name, (double)p->ends[j].n);
	}
	json_add_num(o, "latency_p50_ms", p->latency_p50_ms);
	json_add_num(o, "latency_p95_ms", p->latency_p95_ms);
	json_add_num(o, "ttft_p50_ms", p->ttft_p50_ms);
	if (p->edits) {
		json_add_num(o, "well_formed_rate", (double)p->well_formed / (double)p->edits);
		cJSON_AddNumberToObject(o, "edits", (double)p->edits);
	}
	if (p->graded)
		cJSON_AddNumberToObject(o, "resolved_adjusted", (double)p->resolved_adjusted);
	if (p->ntries) {
		cJSON *pt = cJSON_AddArrayToObject(o, "pass_at_try"), *ct = cJSON_AddArrayToObject(o, "cost_per_try");
		for (int k = 0; k < p->ntries; k++) {
			cJSON_AddItemToArray(pt, cJSON_CreateNumber(p->pass_try[k]));
			cJSON_AddItemToArray(ct, cJSON_CreateNumber(p->cost_try[k]));
		}
	}
	json_add_num(o, "output_tps_p50", p->output_tps_p50);
	cJSON_AddNumberToObject(o, "truncated", (double)p->truncated);
	cJSON *r = cJSON_AddObjectToObject(o, "reasons");
	for (size_t j = 0; j < p->nreasons; j++)
		cJSON_AddNumberToObject(r, p->reasons[j].name, (double)p->reasons[j].n);
	cJSON *na = cJSON_AddObjectToObject(o, "not_attempted_reasons");
	for (size_t j = 0; j < p->nskipped; j++)
		cJSON_AddNumberToObject(na, p->skipped[j].name, (double)p->skipped[j].n);
	cJSON_AddBoolToObject(o, "on_frontier", p->on_frontier);
	json_add_num(o, "p_frontier", p->p_frontier);
	return o;
}

static cJSON *summary_json(const struct summary *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *ps = cJSON_AddArrayToObject(root, "providers");
	for (size_t i = 0; i < s->n; i++)
		cJSON_AddItemToArray(ps, provider_json(&s->p[i], s->opts.anytime));
	cJSON *pairs = cJSON_AddArrayToObject(root, "pairs");
	for (size_t i = 0; i < s->npairs; i++)
		cJSON_AddItemToArray(pairs, report_pair_json(&s->pairs[i]));
	cJSON *fr = cJSON_AddArrayToObject(root, "frontier");
	for (size_t i = 0; i < s->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", s->p[i].name);
		json_add_num(o, "p_frontier", s->p[i].p_frontier);
		cJSON_AddBoolToObject(o, "on_frontier", s->p[i].on_frontier);
		json_add_num(o, "cost_per_task", s->p[i].cost_per_task);
		json_add_num(o, "pass_rate", s->p[i].pass_rate);
		cJSON_AddItemToArray(fr, o);
	}
	cJSON *lc = cJSON_AddObjectToObject(root, "lambda_curve");
	cJSON *lam = cJSON_AddArrayToObject(lc, "lambda");
	for (size_t l = 0; l < s->nlambda; l++)
		cJSON_AddItemToArray(lam, cJSON_CreateNumber(s->lambda[l]));
	cJSON *best = cJSON_AddObjectToObject(lc, "p_best");
	for (size_t i = 0; i < s->n && s->nlambda; i++) {
		cJSON *a = cJSON_AddArrayToObject(best, s->p[i].name);
		for (size_t l = 0; l < s->nlambda; l++)
			cJSON_AddItemToArray(a, cJSON_CreateNumber(s->p_best[i * s->nlambda + l]));
	}
	cJSON *st = cJSON_AddObjectToObject(root, "statistics");
	cJSON_AddNumberToObject(st, "level", s->opts.level);
	cJSON_AddNumberToObject(st, "bootstrap_replicates", s->opts.replicates);
	cJSON_AddNumberToObject(st, "seed", (double)s->opts.seed);
	cJSON_AddStringToObject(st, "units", s->clustered ? "clusters" : "tasks");
	if (s->opts.anytime) {
		cJSON *a = cJSON_AddObjectToObject(st, "anytime");
		cJSON_AddStringToObject(a, "method", "betting_hedged");
		cJSON_AddStringToObject(a, "reference", "Waudby-Smith and Ramdas (2024), JRSS-B 86(1)");
		cJSON_AddStringToObject(a, "unit", "task");
		cJSON_AddStringToObject(a, "order", s->opts.order ? "plan" : "task_id");
		cJSON_AddStringToObject(a, "pairs", "bonferroni");
	}
	if (s->decision)
		cJSON_AddStringToObject(root, "decision", s->decision);
	return root;
}

/* a row of cells, rendered as a table or as markdown */
struct table {
	int ncols;
	const char *const *head;
	struct buf *cells; /* nrows x ncols */
	size_t nrows;
	size_t cap;        /* cells allocated */
};

static struct buf *table_row(struct table *t)
{
	XGROW(t->cells, t->cap, st_mult(t->nrows + 1, (size_t)t->ncols));
	struct buf *row = &t->cells[t->nrows++ * (size_t)t->ncols];
	for (int i = 0; i < t->ncols; i++)
		buf_init(&row[i]);
	return row;
}

static size_t display_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void table_render(struct table *t, int md, struct buf *out)
{
	size_t *width = xcalloc((size_t)t->ncols, sizeof(*width));
	for (int c = 0; c < t->ncols; c++)
		width[c] = display_width(t->head[c]);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			size_t w = display_width(buf_str(&t->cells[r * (size_t)t->ncols + c]));
			width[c] = w > width[c] ? w : width[c];
		}
	if (md) {
		buf_putc(out, '|');
		for (int c = 0; c < t->ncols; c++)
			buf_printf(out, " %s |", t->head[c]);
		buf_puts(out, "\n|");
		for (int c = 0; c < t->ncols; c++)
			buf_puts(out, c == 0 ? "---|" : "---:|");
		buf_putc(out, '\n');
	} else {
		for (int c = 0; c < t->ncols; c++)
			buf_printf(out, "%s%s%*s", c ? "  " : "", t->head[c],
				   c + 1 < t->ncols ? (int)(width[c] - display_width(t->head[c])) : 0, "");
		buf_putc(out, '\n');
	}
	for (size_t r = 0; r < t->nrows; r++) {
		if (md)
			buf_putc(out, '|');
		for (int c = 0; c < t->ncols; c++) {
			const char *v = buf_str(&t->cells[r * (size_t)t->ncols + c]);
			if (md) {
				buf_putc(out, ' ');
				fmt_cell(out, v, 1);
				buf_puts(out, " |");
			} else {
				buf_puts(out, c ? "  " : "");
				fmt_cell(out, v, 0);
				buf_printf(out, "%*s", c + 1 < t->ncols ? (int)(width[c] - display_width(v)) : 0, "");
			}
			buf_release(&t->cells[r * (size_t)t->ncols + c]);
		}
		buf_putc(out, '\n');
	}
	free(t->cells);
	free(width);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static const char *const provider_cols[] = { "provider", "tasks", "samples", "pass rate [95% CI]", "cost",
					     "$/task", "$/solved [95% CI]", "tokens in/cached/out/reasoning",
					     "latency p50/p95", "errors", "frontier" };
static const char *const provider_cols_anytime[] = { "provider", "tasks", "samples", "pass rate [95% CI]",
						     "anytime-valid 95%", "cost", "$/task", "$/solved [95% CI]",
						     "tokens in/cached/out/reasoning", "latency p50/p95", "errors",
						     "frontier" };

static void bounds_pp(struct buf *b, double lo, double hi, int sign)
{
	if (isnan(lo))
		buf_puts(b, "—");
	else
		buf_printf(b, sign ? "[%+.1f, %+.1f]" : "[%.1f, %.1f]", 100 * lo, 100 * hi);
}

static void provider_table(const struct summary *s, int md, struct buf *out)
{
	int any = s->opts.anytime;
	struct table t = { .ncols = 11 + any, .head = any ? provider_cols_anytime : provider_cols };
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		struct buf *c = table_row(&t);
		buf_puts(&c[0], p->name);
		buf_printf(&c[1], "%zu", p->tasks);
		buf_printf(&c[2], "%zu", p->samples);
		fmt_rate_ci(&c[3], p);
		if (any)
			bounds_pp(&c[4], p->anytime_low, p->anytime_high, 0);
		c += any;
		fmt_money(&c[4], p->cost_usd);
		if (p->estimated_costs)
			buf_printf(&c[4], " (%zu est.)", p->estimated_costs);
		fmt_money(&c[5], p->cost_per_task);
		fmt_money_ci(&c[6], p->cost_per_solved, p->cost_per_solved_low, p->cost_per_solved_high,
			 p->cost_per_solved_unbounded);
		fmt_tokens(&c[7], p->tok_input);
		buf_putc(&c[7], '/');
		fmt_tokens(&c[7], p->tok_cached);
		buf_putc(&c[7], '/');
		fmt_tokens(&c[7], p->tok_output);
		buf_putc(&c[7], '/');
		fmt_tokens(&c[7], p->tok_reasoning);
		fmt_ms(&c[8], p->latency_p50_ms);
		buf_putc(&c[8], '/');
		fmt_ms(&c[8], p->latency_p95_ms);
		buf_printf(&c[9], "%zu", p->errors);
		if (p->not_attempted)
			buf_printf(&c[9], " (+%zu not attempted)", p->not_attempted);
		if (!isnan(p->p_frontier))
			buf_printf(&c[10], "%s%.0f%%", p->on_frontier ? "yes, " : "", 100 * p->p_frontier);
	}
	table_render(&t, md, out);
}

static int any_agent(const struct summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i].agent_samples || s->p[i].nends)
			return 1;
	return 0;
}

static const char *const agent_cols[] = { "provider", "samples", "resolved", "turns p50/p90", "tokens/turn",
					  "$/sample [95% CI]", "$/resolved [95% CI]", "cache hit", "caching saved",
					  "overhead/turn p50", "ended" };

/* the bash agent's figures, one row per provider that ran it */
static void agent_table(const struct summary *s, int md, struct buf *out)
{
	struct table t = { .ncols = 11, .head = agent_cols };
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (!p->agent_samples && !p->nends)
			continue;
		struct buf *c = table_row(&t);
		buf_puts(&c[0], p->name);
		buf_printf(&c[1], "%zu", p->agent_samples);
		buf_printf(&c[2], "%zu", p->passed);
		fmt_num(&c[3], p->turns_p50, "%.0f");
		buf_putc(&c[3], '/');
		fmt_num(&c[3], p->turns_p90, "%.1f");
		fmt_num(&c[4], p->tokens_per_turn, "%.0f");
		fmt_money_ci(&c[5], p->cost_per_task, p->cost_per_task_low, p->cost_per_task_high, 0);
		fmt_money_ci(&c[6], p->cost_per_solved, p->cost_per_solved_low, p->cost_per_solved_high,
			 p->cost_per_solved_unbounded);
		fmt_ratio(&c[7], p->cache_hit_ratio);
		fmt_money(&c[8], p->cache_saving_usd);
		fmt_ms(&c[9], p->overhead_p50_ms);
		for (size_t j = 0; j < p->nends; j++)
			buf_printf(&c[10], "%s%s %zu", j ? ", " : "", p->ends[j].name, p->ends[j].n);
	}
	table_render(&t, md, out);
}

static const char *const pair_cols[] = { "comparison", "tasks", "difference [95% CI]", "p", "p (Holm)",
					 "method", "correlation", "detectable" };
static const char *const pair_cols_anytime[] = { "comparison", "tasks", "difference [95% CI]",
						 "anytime-valid (Bonferroni)", "p", "p (Holm)", "method",
						 "correlation", "detectable" };

static void pair_table(const struct summary *s, int md, struct buf *out)
{
	int any = s->opts.anytime;
	struct table t = { .ncols = 8 + any, .head = any ? pair_cols_anytime : pair_cols };
	for (size_t i = 0; i < s->npairs; i++) {
		const struct pair_summary *q = &s->pairs[i];
		struct buf *c = table_row(&t);
		buf_printf(&c[0], "%s − %s", q->b, q->a);
		buf_printf(&c[1], "%zu", q->n);
		if (isnan(q->diff))
			buf_puts(&c[2], "—");
		else
			buf_printf(&c[2], "%+.1f pp [%+.1f, %+.1f]", 100 * q->diff, 100 * q->ci_low, 100 * q->ci_high);
		if (any)
			bounds_pp(&c[3], q->anytime_low, q->anytime_high, 1);
		c += any;
		fmt_pvalue(&c[3], q->p_value);
		fmt_pvalue(&c[4], q->p_holm);
		buf_puts(&c[5], q->method);
		if (isnan(q->corr))
			buf_puts(&c[6], "—");
		else
			buf_printf(&c[6], "%.2f", q->corr);
		if (isnan(q->mdd))
			buf_puts(&c[7], "—");
		else
			buf_printf(&c[7], "%.1f pp", 100 * q->mdd);
	}
	table_render(&t, md, out);
}

static const char *const k_cols[] = { "provider", "k", "pass@k", "se", "pass^k", "se" };

static void passk_table(const struct summary *s, int md, struct buf *out)
{
	struct table t = { .ncols = 6, .head = k_cols };
	for (size_t i = 0; i < s->n; i++)
		for (int k = 0; k < s->p[i].nk; k++) {
			struct buf *c = table_row(&t);
			buf_puts(&c[0], s->p[i].name);
			buf_printf(&c[1], "%d", s->p[i].pass_at_k[k].k);
			buf_printf(&c[2], "%.1f%%", 100 * s->p[i].pass_at_k[k].value);
			buf_printf(&c[3], "%.1f", 100 * s->p[i].pass_at_k[k].se);
			buf_printf(&c[4], "%.1f%%", 100 * s->p[i].pass_hat_k[k].value);
			buf_printf(&c[5], "%.1f", 100 * s->p[i].pass_hat_k[k].se);
		}
	table_render(&t, md, out);
}

static const char *const cost_cols[] = { "provider", "$/task [95% CI]", "$/solved [Fieller 95% CI]",
					 "$/solved [bootstrap 95% CI]" };

static void cost_table(const struct summary *s, int md, struct buf *out)
{
	struct table t = { .ncols = 4, .head = cost_cols };
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		struct buf *c = table_row(&t);
		buf_puts(&c[0], p->name);
		fmt_money_ci(&c[1], p->cost_per_task, p->cost_per_task_low, p->cost_per_task_high, 0);
		fmt_money_ci(&c[2], p->cost_per_solved, p->cost_per_solved_low, p->cost_per_solved_high,
			 p->cost_per_solved_unbounded);
		fmt_money_ci(&c[3], p->cost_per_solved, p->cost_per_solved_boot_low, p->cost_per_solved_boot_high, 0);
	}
	table_render(&t, md, out);
}

/* what the anytime-valid columns are, and a decision to stop early */
static void anytime_note(const struct summary *s, struct buf *out)
{
	if (s->decision)
		buf_printf(out, "\n**Stopped early** (run --stop-when): %s.\n", s->decision);
	if (!s->opts.anytime)
		return;
	buf_printf(out,
		   "\nAnytime-valid: confidence sequences (Waudby-Smith & Ramdas's betting, hedged capital) over "
		   "tasks in %s, each task counted once with its pass fraction; they hold at every task at "
		   "once, so they stay valid however the run came to stop. Pairs: Bonferroni over the %zu "
		   "pairs.\n",
		   s->opts.order ? "the order the run took them" : "task-id order", s->npairs);
}

/* which costs are estimates, when any is: "N est." in the cost column */
static void estimates_note(const struct summary *s, struct buf *out)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += s->p[i].estimated_costs;
	if (!n)
		return;
	buf_printf(out, "\nEstimated costs: %zu sample%s (", n, n == 1 ? "" : "s");
	const char *sep = "";
	for (size_t i = 0; i < s->n; i++) {
		if (!s->p[i].estimated_costs)
			continue;
		buf_printf(out, "%s%s %zu", sep, s->p[i].name, s->p[i].estimated_costs);
		sep = ", ";
	}
	buf_puts(out, ") came back without a usage block; their tokens were counted from the text and "
		      "priced from the price table (cost_source \"estimate\").\n");
}

static void render_md(const struct summary *s, struct buf *out)
{
	buf_puts(out, "# tokenbench report\n\n");
	if (s->decision)
		buf_printf(out, "%s\n\n", s->decision);
	provider_table(s, 1, out);
	buf_printf(out,
		   "\nThe pass rate is the mean over tasks of each task's pass fraction, with a %.0f%% "
		   "interval (method per provider in summary.json: Wilson, or Clopper-Pearson with 5 or "
		   "fewer passes or failures; with several samples per task or with clusters, on the "
		   "effective number of %s from the %s standard error). $/task is per answered sample, "
		   "$/solved per passed sample. Frontier: on the price-performance frontier, and the share "
		   "of %d bootstrap replicates (resampling %s) in which it is. Errors are infrastructure "
		   "failures and never count as model failures.\n",
		   100 * s->opts.level, s->clustered ? "clusters" : "tasks",
		   s->clustered ? "cluster-robust" : "task-level", s->opts.replicates,
		   s->clustered ? "clusters" : "tasks");
	anytime_note(s, out);
	estimates_note(s, out);
	if (s->npairs) {
		buf_puts(out, "\n## Paired comparisons\n\n");
		pair_table(s, 1, out);
		buf_puts(out, "\nOn the tasks both providers completed. With one sample per task: McNemar's exact "
			      "test and the Bonett-Price interval; otherwise a paired bootstrap over tasks. p (Holm) "
			      "adjusts for all comparisons; `detectable` is the difference this data would detect "
			      "with 80% power at α = 0.05.\n");
	}
	int any_k = 0;
	for (size_t i = 0; i < s->n; i++)
		any_k |= s->p[i].nk > 1;
	if (any_k) {
		buf_puts(out, "\n## pass@k and pass^k\n\n");
		passk_table(s, 1, out);
		buf_puts(out, "\npass@k: Chen et al.'s unbiased estimator; pass^k: the chance that all k samples "
			      "pass. Standard errors over tasks.\n");
	}
	buf_puts(out, "\n## Costs\n\n");
	cost_table(s, 1, out);
	int any_repo = 0;
	for (size_t i = 0; i < s->n; i++)
		any_repo |= s->p[i].edits > 0 || s->p[i].ntries > 0;
	if (any_repo) {
		buf_puts(out, "\n## Repository tasks\n\n| provider | resolved | resolved, adjusted | well-formed edits | pass@try1 | pass@try2 | $/sample try 1 | $/sample try 2 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
		for (size_t i = 0; i < s->n; i++) {
			const struct provider_summary *p = &s->p[i];
			buf_puts(out, "| ");
			fmt_cell(out, p->name, 1);
			buf_printf(out, " | %zu/%zu | ", p->passed, p->samples);
			if (p->graded)
				buf_printf(out, "%zu/%zu", p->resolved_adjusted, p->samples);
			else
				buf_puts(out, "—");
			buf_puts(out, " | ");
			if (p->edits)
				buf_printf(out, "%.1f%% (%zu/%zu)", 100.0 * (double)p->well_formed / (double)p->edits,
					   p->well_formed, p->edits);
			else
				buf_puts(out, "—");
			for (int k = 0; k < 2; k++) {
				buf_puts(out, " | ");
				if (k < p->ntries)
					buf_printf(out, "%.1f%%", 100 * p->pass_try[k]);
				else
					buf_puts(out, k == 0 ? "—" : "");
			}
			for (int k = 0; k < 2; k++) {
				buf_puts(out, " | ");
				if (k < p->ntries)
					fmt_money(out, p->cost_try[k]);
			}
			buf_puts(out, " |\n");
		}
		buf_puts(out, "\nResolved: SWE-bench's rule, every FAIL_TO_PASS and PASS_TO_PASS test passes. "
			      "Adjusted: the same with the tests that the environment spec lists as failing here "
			      "even with the reference patch (known_failures) left out. Well-formed: the answer's "
			      "edit parsed and applied. pass@try2: passing within two tries, the second after "
			      "seeing the failing tests' output.\n");
	}
	if (any_agent(s)) {
		buf_puts(out, "\n## Agent (--agent bash)\n\n");
		agent_table(s, 1, out);
		buf_puts(out, "\nPer sample the agent took turns (one request each, the whole conversation re-sent) "
			      "until it submitted or a limit stopped it. tokens/turn: input (cached and cache-written "
			      "included) and output tokens over turns. $/resolved: cost per resolved task, Fieller's "
			      "interval. cache hit: cached input over all input tokens (every sample, not only the "
			      "agent's); caching saved: those tokens at the full input price minus what they cost. "
			      "overhead/turn: tokenbench's own time on a turn, not the model's, the command's or its "
			      "queues'. ended: submitted, or the limit (turn_limit, cost_limit, time_limit), or "
			      "why it did not run to the end (error, budget, interrupted).\n");
	}
	int any_stream = 0;
	for (size_t i = 0; i < s->n; i++)
		any_stream |= !isnan(s->p[i].ttft_p50_ms);
	if (any_stream) {
		buf_puts(out, "\n## Streaming\n\n| provider | time to first token p50 | output tokens/s p50 |\n|---|---:|---:|\n");
		for (size_t i = 0; i < s->n; i++) {
			if (isnan(s->p[i].ttft_p50_ms))
				continue;
			buf_puts(out, "| ");
			fmt_cell(out, s->p[i].name, 1);
			buf_puts(out, " | ");
			fmt_ms(out, s->p[i].ttft_p50_ms);
			if (isnan(s->p[i].output_tps_p50))
				buf_puts(out, " | — |\n"); /* no stream finished */
			else
				buf_printf(out, " | %.0f |\n", s->p[i].output_tps_p50);
		}
	}
	int any = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (!p->nreasons)
			continue;
		if (!any++)
			buf_puts(out, "\n## Why samples did not pass\n\n"
				      "| provider | wrong answer | stopped by a sandbox limit | error (not scored) |\n"
				      "|---|---|---|---|\n");
		buf_puts(out, "| ");
		fmt_cell(out, p->name, 1);
		buf_puts(out, " |");
		for (int group = 0; group < 3; group++) {
			int k = 0;
			buf_putc(out, ' ');
			for (size_t j = 0; j < p->nreasons; j++) {
				const struct count *c = &p->reasons[j];
				int g = c->error ? 2 : verdict_reason_is_limit(c->name) ? 1 : 0;
				if (g == group)
					buf_printf(out, "%s%s %zu", k++ ? ", " : "", c->name, c->n);
			}
			buf_puts(out, k ? " |" : "— |");
		}
		buf_putc(out, '\n');
	}	/* a provider that failed preflight or went down shows here with its count */
	any = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (!p->nskipped)
			continue;
		if (!any++)
			buf_puts(out, "\n## Samples not attempted\n\n"
				      "| provider | why (preflight: failed its check before the run; provider_down: "
				      "given up by the circuit breaker) |\n|---|---|\n");
		buf_printf(out, "| %s |", p->name);
		for (size_t j = 0; j < p->nskipped; j++)
			buf_printf(out, "%s%s %zu", j ? ", " : " ", p->skipped[j].name, p->skipped[j].n);
		buf_puts(out, " |\n");
	}
}

static void render_text(const struct summary *s, struct buf *out)
{
	if (s->decision)
		buf_printf(out, "%s\n\n", s->decision);
	provider_table(s, 0, out);
	estimates_note(s, out);
	if (any_agent(s)) {
		buf_putc(out, '\n');
		agent_table(s, 0, out);
	}
	if (s->npairs) {
		buf_putc(out, '\n');
		pair_table(s, 0, out);
	}
}

void report_pair_words(const struct pair_summary *q, double level, struct buf *out)
{
	if (q->n == 0) {
		buf_printf(out, "%s and %s have no task in common: nothing to compare\n", q->a, q->b);
		return;
	}
	buf_printf(out, "%s − %s = %+.1f pp, %.0f%% CI [%+.1f, %+.1f], p = ", q->b, q->a, 100 * q->diff,
		   100 * level, 100 * q->ci_low, 100 * q->ci_high);
	fmt_pvalue(out, q->p_value);
	int sig = q->p_value < 1 - level;
	if (!sig)
		buf_printf(out, ": not distinguishable on these %zu tasks", q->n);
	else
		buf_printf(out, ": %s is %s on these %zu tasks", q->b, q->diff > 0 ? "better" : "worse", q->n);
	buf_printf(out, " (%s", strcmp(q->method, "mcnemar_exact") == 0 ? "McNemar's exact test" : "paired bootstrap");
	if (!isnan(q->mdd))
		buf_printf(out, "; this data detects differences of about %.1f pp with 80%% power", 100 * q->mdd);
	if (!isnan(q->corr))
		buf_printf(out, "; per-task correlation %.2f", q->corr);
	buf_puts(out, ")\n");
	if (!isnan(q->anytime_alpha))
		buf_printf(out, "anytime-valid %.0f%%: %s − %s in [%+.1f, %+.1f] pp (a confidence sequence over the tasks "
			   "in the order the run took them: valid however the run came to stop%s)\n",
			   100 * (1 - q->anytime_alpha), q->b, q->a, 100 * q->anytime_low, 100 * q->anytime_high,
			   q->anytime_low > 0 || q->anytime_high < 0 ? "; it leaves 0 out" : "; it holds 0");
}

void report_render(const struct summary *s, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_MD: render_md(s, out); break;
	case REPORT_CSV: report_csv_table(s, "providers", out); break;
	case REPORT_TABLE: render_text(s, out); break;
	case REPORT_JSON: {
		cJSON *j = summary_json(s);
		json_pretty(out, j);
		cJSON_Delete(j);
		break;
	}
	}
}

int report_write_files(const struct summary *s, const char *dir)
{
	struct buf json = BUF_INIT, md = BUF_INIT;
	report_render(s, REPORT_JSON, &json);
	report_render(s, REPORT_MD, &md);
	char *pj = xasprintf("%s/summary.json", dir), *pm = xasprintf("%s/report.md", dir);
	int rc = file_write_atomic(pj, json.data, json.len);
	if (rc == 0)
		rc = file_write_atomic(pm, md.data, md.len);
	free(pj);
	free(pm);
	buf_release(&json);
	buf_release(&md);
	return rc;
}
