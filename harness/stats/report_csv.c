/* report_csv.c - the report as CSV, one table per file so that each loads
 * as it is (Python's csv, pandas, a spreadsheet): providers, pairs,
 * pass_at_k, reasons; numbers in full precision, empty when not known. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/report.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

static void csv_num(struct buf *b, double v, const char *fmt)
{
	if (isfinite(v))
		buf_printf(b, fmt, v);
}

static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void csv_providers(const struct summary *s, struct buf *out)
{
	buf_printf(out, "name,model,tasks,samples,passed,failed,errors,not_attempted,pass_rate,ci_low,"
		      "ci_high,ci_method,pass_at_1,cost_usd,estimated_costs,cost_per_task,cost_per_task_low,cost_per_task_high,"
		      "cost_per_solved,cost_per_solved_low,cost_per_solved_high,cost_per_solved_boot_low,"
		      "cost_per_solved_boot_high,tokens_input,tokens_cached_input,tokens_cache_write,"
		      "tokens_output,tokens_reasoning,latency_p50_ms,latency_p95_ms,on_frontier,p_frontier,"
		      "cache_hit_ratio,cache_saving_usd,agent_samples,agent_turns_p50,agent_turns_p90,"
		      "agent_tokens_per_turn,agent_overhead_per_turn_p50_ms%s\n",
		   s->opts.anytime ? ",anytime_low,anytime_high" : "");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		csv_field(out, p->name);
		buf_putc(out, ',');
		csv_field(out, p->model ? p->model : "");
		buf_printf(out, ",%zu,%zu,%zu,%zu,%zu,%zu,", p->tasks, p->samples, p->passed, p->failed,
			   p->errors, p->not_attempted);
		const double rates[] = { p->pass_rate, p->ci_low, p->ci_high };
		for (int j = 0; j < 3; j++) {
			csv_num(out, rates[j], "%.6f");
			buf_putc(out, ',');
		}
		buf_printf(out, "%s,", p->ci_method);
		csv_num(out, p->nk ? p->pass_at_k[0].value : NAN, "%.6f");
		buf_putc(out, ',');
		csv_num(out, p->cost_usd, "%.8g");
		buf_printf(out, ",%zu", p->estimated_costs);
		const double costs[] = { p->cost_per_task, p->cost_per_task_low, p->cost_per_task_high,
					 p->cost_per_solved, p->cost_per_solved_low, p->cost_per_solved_high,
					 p->cost_per_solved_boot_low, p->cost_per_solved_boot_high };
		for (size_t j = 0; j < sizeof(costs) / sizeof(*costs); j++) {
			buf_putc(out, ',');
			csv_num(out, costs[j], "%.8g");
		}
		buf_printf(out, ",%ld,%ld,%ld,%ld,%ld,", p->tok_input, p->tok_cached, p->tok_cache_write,
			   p->tok_output, p->tok_reasoning);
		csv_num(out, p->latency_p50_ms, "%.1f");
		buf_putc(out, ',');
		csv_num(out, p->latency_p95_ms, "%.1f");
		buf_printf(out, ",%s,", p->on_frontier ? "true" : "false");
		csv_num(out, p->p_frontier, "%.4f");
		buf_putc(out, ',');
		csv_num(out, p->cache_hit_ratio, "%.6f");
		buf_putc(out, ',');
		csv_num(out, p->cache_saving_usd, "%.8g");
		buf_printf(out, ",%zu,", p->agent_samples);
		const double ag[] = { p->turns_p50, p->turns_p90, p->tokens_per_turn, p->overhead_p50_ms };
		for (size_t j = 0; j < 4; j++) {
			if (j)
				buf_putc(out, ',');
			csv_num(out, ag[j], "%.4g");
		}
		if (s->opts.anytime) {
			buf_putc(out, ',');
			csv_num(out, p->anytime_low, "%.6f");
			buf_putc(out, ',');
			csv_num(out, p->anytime_high, "%.6f");
		}
		buf_putc(out, '\n');
	}
}

static void csv_pairs(const struct summary *s, struct buf *out)
{
	buf_printf(out, "a,b,n,diff,ci_low,ci_high,p_value,p_holm,method,corr,mdd%s\n",
		   s->opts.anytime ? ",anytime_low,anytime_high,anytime_alpha" : "");
	for (size_t i = 0; i < s->npairs; i++) {
		const struct pair_summary *q = &s->pairs[i];
		csv_field(out, q->a);
		buf_putc(out, ',');
		csv_field(out, q->b);
		buf_printf(out, ",%zu", q->n);
		const double v[] = { q->diff, q->ci_low, q->ci_high, q->p_value, q->p_holm };
		for (size_t j = 0; j < 5; j++) {
			buf_putc(out, ',');
			csv_num(out, v[j], "%.6g");
		}
		buf_printf(out, ",%s,", q->method);
		csv_num(out, q->corr, "%.4f");
		buf_putc(out, ',');
		csv_num(out, q->mdd, "%.6f");
		if (s->opts.anytime) {
			const double av[] = { q->anytime_low, q->anytime_high, q->anytime_alpha };
			for (size_t j = 0; j < 3; j++) {
				buf_putc(out, ',');
				csv_num(out, av[j], "%.6g");
			}
		}
		buf_putc(out, '\n');
	}
}

/* pass@k and pass^k, a row per provider and k */
static void csv_pass_at_k(const struct summary *s, struct buf *out)
{
	buf_puts(out, "provider,k,pass_at_k,pass_at_k_se,pass_hat_k,pass_hat_k_se\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		for (int k = 0; k < p->nk; k++) {
			csv_field(out, p->name);
			buf_printf(out, ",%d,", p->pass_at_k[k].k);
			const double v[] = { p->pass_at_k[k].value, p->pass_at_k[k].se, p->pass_hat_k[k].value,
					     p->pass_hat_k[k].se };
			for (size_t j = 0; j < 4; j++) {
				if (j)
					buf_putc(out, ',');
				csv_num(out, v[j], "%.6f");
			}
			buf_putc(out, '\n');
		}
	}
}

/* why samples failed, errored or were not attempted: a row per provider and reason */
static void csv_reasons(const struct summary *s, struct buf *out)
{
	buf_puts(out, "provider,status,reason,samples\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		for (size_t j = 0; j < p->nreasons; j++) {
			csv_field(out, p->name);
			buf_printf(out, ",%s,", p->reasons[j].error ? "error" : "failed");
			csv_field(out, p->reasons[j].name);
			buf_printf(out, ",%zu\n", p->reasons[j].n);
		}
		for (size_t j = 0; j < p->nskipped; j++) {
			csv_field(out, p->name);
			buf_puts(out, ",not_attempted,");
			csv_field(out, p->skipped[j].name);
			buf_printf(out, ",%zu\n", p->skipped[j].n);
		}
	}
}

static const struct {
	const char *name;
	void (*fn)(const struct summary *s, struct buf *out);
} tables[] = {
	{ "providers", csv_providers },
	{ "pairs", csv_pairs },
	{ "pass_at_k", csv_pass_at_k },
	{ "reasons", csv_reasons },
};

void report_csv_names(struct buf *out)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++)
		buf_printf(out, "%s%s", i ? ", " : "", tables[i].name);
}

int report_csv_table(const struct summary *s, const char *name, struct buf *out)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		if (strcmp(tables[i].name, name) == 0) {
			tables[i].fn(s, out);
			return 0;
		}
	}
	return -1;
}

int report_csv_write(const struct summary *s, const char *dir, struct buf *written)
{
	if (dir_make(dir, 0755) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables) && rc == 0; i++) {
		struct buf b = BUF_INIT;
		tables[i].fn(s, &b);
		char *path = xasprintf("%s/%s.csv", dir, tables[i].name);
		rc = file_write_atomic(path, b.data, b.len);
		if (rc == 0)
			buf_printf(written, "%s\n", path);
		free(path);
		buf_release(&b);
	}
	return rc;
}
