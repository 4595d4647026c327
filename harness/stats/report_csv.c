/* report_csv.c - the report as CSV: one row per provider, then a blank
 * line and one row per pair; numbers in full precision, empty when not
 * known. */
#include <math.h>
#include <string.h>

#include "stats/report.h"

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

void report_csv(const struct summary *s, struct buf *out)
{
	buf_printf(out, "name,model,tasks,samples,passed,failed,errors,not_attempted,pass_rate,ci_low,"
		      "ci_high,ci_method,pass_at_1,cost_usd,cost_per_task,cost_per_task_low,cost_per_task_high,"
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
		const double costs[] = { p->cost_usd, p->cost_per_task, p->cost_per_task_low, p->cost_per_task_high,
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
	if (!s->npairs)
		return;
	buf_printf(out, "\na,b,n,diff,ci_low,ci_high,p_value,p_holm,method,corr,mdd%s\n",
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
