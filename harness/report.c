/* report.c - rendering a summary: markdown, CSV, JSON (summary.json), table. */
#include "report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json.h"
#include "msg.h"
#include "xalloc.h"

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

static cJSON *summary_json(const struct summary *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *ps = cJSON_AddArrayToObject(root, "providers");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
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
		json_add_num(o, "pass_rate", p->pass_rate);
		json_add_num(o, "ci_low", p->ci_low);
		json_add_num(o, "ci_high", p->ci_high);
		cJSON_AddStringToObject(o, "ci_method", p->ci_method);
		json_add_num(o, "cost_usd", p->cost_usd);
		json_add_num(o, "cost_per_task", p->cost_per_task);
		json_add_num(o, "cost_per_solved", p->cost_per_solved);
		cJSON *t = cJSON_AddObjectToObject(o, "tokens");
		cJSON_AddNumberToObject(t, "input", (double)p->tok_input);
		cJSON_AddNumberToObject(t, "cached_input", (double)p->tok_cached);
		cJSON_AddNumberToObject(t, "cache_write", (double)p->tok_cache_write);
		cJSON_AddNumberToObject(t, "output", (double)p->tok_output);
		cJSON_AddNumberToObject(t, "reasoning", (double)p->tok_reasoning);
		json_add_num(o, "latency_p50_ms", p->latency_p50_ms);
		json_add_num(o, "latency_p95_ms", p->latency_p95_ms);
		cJSON_AddNumberToObject(o, "truncated", (double)p->truncated);
		cJSON *r = cJSON_AddObjectToObject(o, "reasons");
		for (size_t j = 0; j < p->nreasons; j++)
			cJSON_AddNumberToObject(r, p->reasons[j].name, (double)p->reasons[j].n);
		cJSON_AddBoolToObject(o, "on_frontier", p->on_frontier);
		cJSON_AddItemToArray(ps, o);
	}
	cJSON_AddArrayToObject(root, "pairs");
	cJSON *fr = cJSON_AddArrayToObject(root, "frontier");
	for (size_t i = 0; i < s->n; i++) {
		if (!s->p[i].on_frontier)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", s->p[i].name);
		cJSON_AddNullToObject(o, "p_frontier");
		json_add_num(o, "cost_per_task", s->p[i].cost_per_task);
		json_add_num(o, "pass_rate", s->p[i].pass_rate);
		cJSON_AddItemToArray(fr, o);
	}
	return root;
}

static void money(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else if (v != 0 && fabs(v) < 0.01)
		buf_printf(b, "$%.5f", v);
	else
		buf_printf(b, "$%.2f", v);
}

static void tokens(struct buf *b, long n)
{
	if (n >= 10000000)
		buf_printf(b, "%.1fM", (double)n / 1e6);
	else if (n >= 10000)
		buf_printf(b, "%.0fk", (double)n / 1e3);
	else
		buf_printf(b, "%ld", n);
}

static void ms(struct buf *b, double v)
{
	if (isnan(v))
		buf_puts(b, "—");
	else if (v >= 10000)
		buf_printf(b, "%.1fs", v / 1e3);
	else
		buf_printf(b, "%.0fms", v);
}

static void rate_ci(struct buf *b, const struct provider_summary *p)
{
	if (isnan(p->pass_rate))
		buf_puts(b, "—");
	else
		buf_printf(b, "%.1f%% [%.1f, %.1f]", 100 * p->pass_rate, 100 * p->ci_low, 100 * p->ci_high);
}

/* the cells of one provider's row, in column order */
#define NCOLS 11
static const char *const col_names[NCOLS] = { "provider", "tasks", "samples", "pass rate [95% CI]",
					       "cost", "$/task", "$/solved", "tokens in/cached/out/reasoning",
					       "latency p50/p95", "errors", "frontier" };

static void row_cells(const struct provider_summary *p, struct buf cells[NCOLS])
{
	for (int i = 0; i < NCOLS; i++)
		buf_init(&cells[i]);
	buf_puts(&cells[0], p->name);
	buf_printf(&cells[1], "%zu", p->tasks);
	buf_printf(&cells[2], "%zu", p->samples);
	rate_ci(&cells[3], p);
	money(&cells[4], p->cost_usd);
	money(&cells[5], p->cost_per_task);
	money(&cells[6], p->cost_per_solved);
	tokens(&cells[7], p->tok_input);
	buf_putc(&cells[7], '/');
	tokens(&cells[7], p->tok_cached);
	buf_putc(&cells[7], '/');
	tokens(&cells[7], p->tok_output);
	buf_putc(&cells[7], '/');
	tokens(&cells[7], p->tok_reasoning);
	ms(&cells[8], p->latency_p50_ms);
	buf_putc(&cells[8], '/');
	ms(&cells[8], p->latency_p95_ms);
	buf_printf(&cells[9], "%zu", p->errors);
	if (p->not_attempted)
		buf_printf(&cells[9], " (+%zu not attempted)", p->not_attempted);
	buf_puts(&cells[10], p->on_frontier ? "yes" : "");
}

static size_t display_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void render_table(const struct summary *s, struct buf *out)
{
	size_t width[NCOLS];
	struct buf(*cells)[NCOLS] = xcalloc(s->n + 1, sizeof(*cells));
	for (int c = 0; c < NCOLS; c++)
		width[c] = display_width(col_names[c]);
	for (size_t i = 0; i < s->n; i++) {
		row_cells(&s->p[i], cells[i]);
		for (int c = 0; c < NCOLS; c++)
			if (display_width(buf_str(&cells[i][c])) > width[c])
				width[c] = display_width(buf_str(&cells[i][c]));
	}
	for (int c = 0; c < NCOLS; c++)
		buf_printf(out, "%s%-*s", c ? "  " : "", (int)width[c], col_names[c]);
	buf_putc(out, '\n');
	for (size_t i = 0; i < s->n; i++) {
		for (int c = 0; c < NCOLS; c++) {
			const char *v = buf_str(&cells[i][c]);
			size_t pad = width[c] - display_width(v);
			buf_printf(out, "%s%s%*s", c ? "  " : "", v, (int)pad, "");
			buf_release(&cells[i][c]);
		}
		buf_putc(out, '\n');
	}
	free(cells);
}

static void render_md(const struct summary *s, struct buf *out)
{
	buf_puts(out, "# tokenbench report\n\n|");
	for (int c = 0; c < NCOLS; c++)
		buf_printf(out, " %s |", col_names[c]);
	buf_puts(out, "\n|");
	for (int c = 0; c < NCOLS; c++)
		buf_puts(out, c == 0 ? "---|" : "---:|");
	buf_putc(out, '\n');
	for (size_t i = 0; i < s->n; i++) {
		struct buf cells[NCOLS];
		row_cells(&s->p[i], cells);
		buf_putc(out, '|');
		for (int c = 0; c < NCOLS; c++) {
			buf_printf(out, " %s |", buf_str(&cells[c]));
			buf_release(&cells[c]);
		}
		buf_putc(out, '\n');
	}
	buf_puts(out, "\nPass rate is the mean over tasks of each task's pass fraction; its interval is "
		      "95% Wilson (`wilson`), or with several samples per task, Wilson on the effective "
		      "number of tasks from the task-level standard error (`wilson_task_se`). "
		      "$/task is per answered sample, $/solved per passed sample. Errors are "
		      "infrastructure failures and never count as model failures.\n");
	int any = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (!p->nreasons)
			continue;
		if (!any++)
			buf_puts(out, "\n## Why samples did not pass\n\n| provider | reasons |\n|---|---|\n");
		buf_printf(out, "| %s | ", p->name);
		for (size_t j = 0; j < p->nreasons; j++)
			buf_printf(out, "%s%s %zu", j ? ", " : "", p->reasons[j].name, p->reasons[j].n);
		buf_puts(out, " |\n");
	}
}

static void csv_num(struct buf *b, double v, const char *fmt)
{
	if (!isnan(v))
		buf_printf(b, fmt, v);
}

static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
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

static void render_csv(const struct summary *s, struct buf *out)
{
	buf_puts(out, "name,model,tasks,samples,passed,failed,errors,not_attempted,pass_rate,ci_low,"
		      "ci_high,ci_method,cost_usd,cost_per_task,cost_per_solved,tokens_input,"
		      "tokens_cached_input,tokens_cache_write,tokens_output,tokens_reasoning,"
		      "latency_p50_ms,latency_p95_ms,on_frontier\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		csv_field(out, p->name);
		buf_putc(out, ',');
		csv_field(out, p->model ? p->model : "");
		buf_printf(out, ",%zu,%zu,%zu,%zu,%zu,%zu,", p->tasks, p->samples, p->passed, p->failed,
			   p->errors, p->not_attempted);
		csv_num(out, p->pass_rate, "%.6f");
		buf_putc(out, ',');
		csv_num(out, p->ci_low, "%.6f");
		buf_putc(out, ',');
		csv_num(out, p->ci_high, "%.6f");
		buf_printf(out, ",%s,", p->ci_method);
		csv_num(out, p->cost_usd, "%.8g");
		buf_putc(out, ',');
		csv_num(out, p->cost_per_task, "%.8g");
		buf_putc(out, ',');
		csv_num(out, p->cost_per_solved, "%.8g");
		buf_printf(out, ",%ld,%ld,%ld,%ld,%ld,", p->tok_input, p->tok_cached, p->tok_cache_write,
			   p->tok_output, p->tok_reasoning);
		csv_num(out, p->latency_p50_ms, "%.1f");
		buf_putc(out, ',');
		csv_num(out, p->latency_p95_ms, "%.1f");
		buf_printf(out, ",%s\n", p->on_frontier ? "true" : "false");
	}
}

void report_render(const struct summary *s, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_MD: render_md(s, out); break;
	case REPORT_CSV: render_csv(s, out); break;
	case REPORT_TABLE: render_table(s, out); break;
	case REPORT_JSON: {
		cJSON *j = summary_json(s);
		char *text = cJSON_Print(j);
		buf_puts(out, text);
		buf_putc(out, '\n');
		cJSON_free(text);
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
