/* report_html.c - report.html: the page around the data. In order: the
 * run (run.json: suites, providers with their dated prices, samples, when,
 * where, the command, budget and spend, errors, what was not attempted);
 * the provider table (every figure from the summary that summary.json
 * holds, the raw value in data-v for sorting and checking); the charts
 * (gnuplot's SVG, drawn by the same scripts as frontier.png and the
 * others, inline); the paired comparisons; the task x provider matrix and
 * the sample view, which the page's script builds from the data
 * (report_html_samples.c). The script and style are embedded and allowed
 * by hash; nothing else may load or run. */
#define _GNU_SOURCE
#include "stats/report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "stats/fmt.h"
#include "stats/plot.h"
#include "stats/report_html_assets.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* whether an environment variable's name says it holds a secret: its last
 * part is KEY, TOKEN, SECRET or PASSWORD (OPENROUTER_API_KEY, HF_TOKEN) */
static int secret_name(const char *name, size_t n)
{
	static const char *const ends[] = { "KEY", "TOKEN", "SECRET", "PASSWORD", "PASS" };
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		size_t k = strlen(ends[i]);
		if (n >= k && strncmp(name + n - k, ends[i], k) == 0 && (n == k || name[n - k - 1] == '_'))
			return 1;
	}
	return 0;
}

/* strings the page must not show: the machine's paths (the run directory,
 * where tokenbench ran, the home directory, a shared cache) and the values
 * of variables that look like secrets */
static void scrub_machine(struct scrub *sc, const char *dir, const cJSON *run)
{
	scrub_init(sc);
	char *real = realpath(dir, NULL);
	scrub_add(sc, real, "<run directory>");
	if (dir[0] == '/')
		scrub_add(sc, dir, "<run directory>");
	free(real);
	char *cwd = getcwd(NULL, 0);
	if (cwd && strcmp(cwd, "/") != 0)
		scrub_add(sc, cwd, "<working directory>");
	free(cwd);
	const char *home = getenv("HOME");
	if (home && strcmp(home, "/") != 0)
		scrub_add(sc, home, "~");
	const char *cache = json_str(run, "cache", NULL);
	if (cache && cache[0] == '/')
		scrub_add(sc, cache, "<cache>");
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq || strlen(eq + 1) < 8)
			continue;
		if (secret_name(*e, (size_t)(eq - *e)))
			scrub_add(sc, eq + 1, "[redacted]");
	}
}

/* a command-line argument as the page shows it: scrubbed, and an absolute
 * path left (as VALUE or --opt=VALUE) reduced to its file name */
static void put_arg(struct buf *b, const struct scrub *sc, const char *arg)
{
	char *a = scrub_str(sc, arg);
	const char *eq = strchr(a, '=');
	const char *path = a[0] == '/' ? a : eq && eq[1] == '/' ? eq + 1 : NULL;
	if (path) {
		const char *base = strrchr(path, '/') + 1;
		html_text_n(b, a, (size_t)(path - a));
		buf_puts(b, "…/");
		html_text(b, base);
	} else {
		html_text(b, a);
	}
	free(a);
}

static void th(struct buf *b, const char *text, const char *title)
{
	buf_puts(b, "<th");
	if (title) {
		buf_puts(b, " title=\"");
		html_text(b, title);
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
	html_text(b, text);
	buf_puts(b, "</th>");
}

/* a cell holding a number: the raw value for sorting and checking
 * (data-v, empty when missing), the summary.json field it is (data-k), the
 * text shown, and under it a smaller line (an interval, a method; may be
 * NULL) */
static void td_num(struct buf *b, const char *k, double v, const char *text, const char *sub, const char *cls)
{
	buf_printf(b, "<td data-k=\"%s\" data-v=\"", k);
	if (isfinite(v))
		html_json_num(b, v);
	buf_putc(b, '"');
	if (cls)
		buf_printf(b, " class=\"%s\"", cls);
	buf_putc(b, '>');
	html_text(b, text);
	if (sub && *sub) {
		buf_puts(b, "<span class=\"sub\">");
		html_text(b, sub);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</td>");
}

/* an amount, its interval under it; marked when partly estimated */
static void td_money(struct buf *b, const char *k, double v, double lo, double hi, int unbounded, int est)
{
	struct buf t = BUF_INIT, ci = BUF_INIT;
	if (est && isfinite(v))
		buf_puts(&t, "≈");
	fmt_money(&t, v);
	if (unbounded) {
		buf_puts(&ci, "[unbounded]");
	} else if (!isnan(lo)) {
		buf_putc(&ci, '[');
		fmt_money(&ci, lo);
		buf_puts(&ci, ", ");
		fmt_money(&ci, hi);
		buf_putc(&ci, ']');
	}
	td_num(b, k, v, buf_str(&t), buf_str(&ci), est ? "est" : NULL);
	buf_release(&t);
	buf_release(&ci);
}

static void td_tokens(struct buf *b, const char *k, long n)
{
	struct buf t = BUF_INIT;
	fmt_tokens(&t, n);
	td_num(b, k, (double)n, buf_str(&t), NULL, NULL);
	buf_release(&t);
}

static void td_ms(struct buf *b, const char *k, double v)
{
	struct buf t = BUF_INIT;
	fmt_ms(&t, v);
	td_num(b, k, v, buf_str(&t), NULL, NULL);
	buf_release(&t);
}

static void td_count(struct buf *b, const char *k, size_t n)
{
	char t[32];
	snprintf(t, sizeof(t), "%zu", n);
	td_num(b, k, (double)n, t, NULL, NULL);
}

static const struct {
	const char *head, *title;
} provider_cols[] = {
	{ "provider", NULL },
	{ "tasks", "tasks with at least one scored sample" },
	{ "samples", "records of any status" },
	{ "pass rate [95% CI]", "mean over tasks of each task's pass fraction; the interval's method below it" },
	{ "cost", "everything paid" },
	{ "$/task [95% CI]", "per answered sample" },
	{ "$/solved [95% CI]", "per passed sample, Fieller's interval" },
	{ "input", "prompt tokens at the full input price" },
	{ "cached", "prompt tokens read from the provider's cache" },
	{ "cache write", "prompt tokens written to the provider's cache" },
	{ "output", "completion tokens, reasoning included" },
	{ "reasoning", "the reasoning part of output" },
	{ "latency p50", "request to full response, fresh requests only" },
	{ "latency p95", NULL },
	{ "TTFT p50", "time to first token, streamed answers only" },
	{ "frontier", "on the price-performance frontier, and the share of bootstrap replicates in which it is" },
	{ "errors", "infrastructure failures, never counted as model failures" },
	{ "not attempted", "stopped by the budget or by the user" },
};

static void provider_row(struct buf *b, const struct provider_summary *p, size_t estimated)
{
	struct buf t = BUF_INIT;
	buf_puts(b, "<tr><td data-k=\"name\">");
	html_text(b, p->name);
	if (p->model && strcmp(p->model, p->name) != 0) {
		buf_puts(b, "<span class=\"sub\">");
		html_text(b, p->model);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</td>");
	td_count(b, "tasks", p->tasks);
	td_count(b, "samples", p->samples);
	buf_reset(&t);
	struct buf ci = BUF_INIT;
	if (!isnan(p->pass_rate)) {
		buf_printf(&t, "%.1f%%", 100 * p->pass_rate);
		buf_printf(&ci, "[%.1f, %.1f] ", 100 * p->ci_low, 100 * p->ci_high);
	} else {
		buf_puts(&t, "—");
	}
	buf_puts(&ci, p->ci_method);
	if (isfinite(p->anytime_low))
		buf_printf(&ci, "; anytime-valid [%.1f, %.1f]", 100 * p->anytime_low, 100 * p->anytime_high);
	td_num(b, "pass_rate", p->pass_rate, buf_str(&t), buf_str(&ci), NULL);
	buf_release(&ci);
	td_money(b, "cost_usd", p->cost_usd, NAN, NAN, 0, estimated > 0);
	td_money(b, "cost_per_task", p->cost_per_task, p->cost_per_task_low, p->cost_per_task_high, 0, estimated > 0);
	td_money(b, "cost_per_solved", p->cost_per_solved, p->cost_per_solved_low, p->cost_per_solved_high,
		 p->cost_per_solved_unbounded, estimated > 0);
	td_tokens(b, "tokens.input", p->tok_input);
	td_tokens(b, "tokens.cached_input", p->tok_cached);
	td_tokens(b, "tokens.cache_write", p->tok_cache_write);
	td_tokens(b, "tokens.output", p->tok_output);
	td_tokens(b, "tokens.reasoning", p->tok_reasoning);
	td_ms(b, "latency_p50_ms", p->latency_p50_ms);
	td_ms(b, "latency_p95_ms", p->latency_p95_ms);
	td_ms(b, "ttft_p50_ms", p->ttft_p50_ms);
	buf_reset(&t);
	if (!isnan(p->p_frontier))
		buf_printf(&t, "%s%.0f%%", p->on_frontier ? "yes, " : "", 100 * p->p_frontier);
	td_num(b, "p_frontier", p->p_frontier, buf_str(&t), NULL, p->on_frontier ? "front" : NULL);
	td_count(b, "errors", p->errors);
	td_count(b, "not_attempted", p->not_attempted);
	buf_puts(b, "</tr>\n");
	buf_release(&t);
}

static void provider_table(struct buf *b, const struct summary *s, const struct recset *rs)
{
	buf_puts(b, "<section id=\"providers\"><h2>Providers</h2>\n<div class=\"wide\"><table class=\"sortable\" "
		    "id=\"provider-table\"><thead><tr>");
	for (size_t c = 0; c < sizeof(provider_cols) / sizeof(*provider_cols); c++)
		th(b, provider_cols[c].head, provider_cols[c].title);
	buf_puts(b, "</tr></thead><tbody>\n");
	size_t any_est = 0, *est = xcalloc(s->n + 1, sizeof(*est));
	for (size_t i = 0; i < s->n; i++) {
		est[i] = summary_estimated_costs(rs, s->p[i].name);
		any_est += est[i];
		provider_row(b, &s->p[i], est[i]);
	}
	buf_puts(b, "</tbody></table></div>\n<p class=\"note\">");
	buf_printf(b,
		   "Click a column's head to sort by it. The pass rate is the mean over tasks of each task's "
		   "pass fraction, with a %.0f%% interval (its method under it; with several samples per task or "
		   "with clusters, on the effective number of %s). $/task is per answered sample, $/solved per "
		   "passed sample. Frontier: the share of %d bootstrap replicates (resampling %s) in which the "
		   "provider is on the price-performance frontier. Errors are infrastructure failures and never "
		   "count as model failures. The figures are summary.json's.",
		   100 * s->opts.level, s->clustered ? "clusters" : "tasks", s->opts.replicates,
		   s->clustered ? "clusters" : "tasks");
	if (any_est) {
		buf_puts(b, " <span class=\"est\">≈ marks a cost that is partly estimated:</span>");
		for (size_t i = 0; i < s->n; i++) {
			if (!est[i])
				continue;
			buf_puts(b, " ");
			html_text(b, s->p[i].name);
			buf_printf(b, ", %zu of %zu samples;", est[i], s->p[i].samples);
		}
		buf_puts(b, " their responses had no usage block, so the tokens were counted from the text.");
	}
	free(est);
	buf_puts(b, "</p></section>\n");
}

static void pair_table(struct buf *b, const struct summary *s)
{
	if (!s->npairs)
		return;
	static const char *const cols[] = { "comparison", "tasks",    "difference [95% CI]", "p",
					    "p (Holm)",   "method",   "correlation",         "detectable" };
	buf_puts(b, "<section id=\"pairs\"><h2>Paired comparisons</h2>\n<div class=\"wide\"><table class=\"sortable\" "
		    "id=\"pair-table\"><thead><tr>");
	for (size_t c = 0; c < sizeof(cols) / sizeof(*cols); c++)
		th(b, cols[c], NULL);
	buf_puts(b, "</tr></thead><tbody>\n");
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < s->npairs; i++) {
		const struct pair_summary *q = &s->pairs[i];
		buf_puts(b, "<tr><td data-k=\"b−a\">");
		html_text(b, q->b);
		buf_puts(b, " − ");
		html_text(b, q->a);
		buf_puts(b, "</td>");
		td_count(b, "n", q->n);
		buf_reset(&t);
		if (isnan(q->diff))
			buf_puts(&t, "—");
		else
			buf_printf(&t, "%+.1f pp [%+.1f, %+.1f]", 100 * q->diff, 100 * q->ci_low, 100 * q->ci_high);
		char *seq = isfinite(q->anytime_low) ? xasprintf("anytime-valid [%+.1f, %+.1f]", 100 * q->anytime_low,
								 100 * q->anytime_high)
						     : NULL;
		td_num(b, "diff", q->diff, buf_str(&t), seq, NULL);
		free(seq);
		buf_reset(&t);
		fmt_pvalue(&t, q->p_value);
		td_num(b, "p_value", q->p_value, buf_str(&t), NULL, q->p_holm < 1 - s->opts.level ? "sig" : NULL);
		buf_reset(&t);
		fmt_pvalue(&t, q->p_holm);
		td_num(b, "p_holm", q->p_holm, buf_str(&t), NULL, q->p_holm < 1 - s->opts.level ? "sig" : NULL);
		buf_puts(b, "<td data-k=\"method\">");
		html_text(b, q->method);
		buf_puts(b, "</td>");
		buf_reset(&t);
		fmt_num(&t, q->corr, "%.2f");
		td_num(b, "corr", q->corr, buf_str(&t), NULL, NULL);
		buf_reset(&t);
		fmt_num(&t, 100 * q->mdd, "%.1f pp");
		td_num(b, "mdd", q->mdd, buf_str(&t), NULL, NULL);
		buf_puts(b, "</tr>\n");
	}
	buf_release(&t);
	buf_puts(b, "</tbody></table></div>\n<p class=\"note\">On the tasks both providers completed; the "
		    "difference is the first minus the second. With one sample per task: McNemar's exact test and "
		    "the Bonett-Price interval; otherwise a paired bootstrap over tasks. p (Holm) adjusts for all "
		    "comparisons (in bold below 0.05); detectable is the difference this data would detect with "
		    "80% power at α = 0.05.</p></section>\n");
}

/* whether gnuplot's SVG is a drawing and nothing else: every element one
 * of a drawing's, no attribute that runs code (on...) or styles (style,
 * which the page's policy refuses), every link to an id of its own */
static int svg_is_drawing(const char *svg)
{
	static const char *const elements[] = { "svg",	     "g",    "path",	  "rect", "circle", "ellipse",
						"line",	     "polyline", "polygon", "text", "tspan",  "use",
						"title",     "desc", "defs",	  "filter", "feFlood", "feComposite",
						"clipPath", NULL };
	for (const char *p = strchr(svg, '<'); p; p = strchr(p, '<')) {
		p++;
		if (*p == '/')
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
		int known = 0;
		for (size_t i = 0; elements[i] && !known; i++)
			known = strlen(elements[i]) == n && strncmp(p, elements[i], n) == 0;
		if (!known)
			return 0;
		const char *end = strchr(p, '>');
		if (!end)
			return 0;
		for (const char *q = p + n; q < end; q++) {
			if (*q != ' ' && *q != '\n' && *q != '\t')
				continue;
			q += strspn(q, " \n\t");
			if (strncasecmp(q, "on", 2) == 0 || strncasecmp(q, "style", 5) == 0)
				return 0;
			if ((strncmp(q, "href=", 5) == 0 || strncmp(q, "xlink:href=", 11) == 0) &&
			    strchr(q, '=')[2] != '#')
				return 0;
			while (q < end && *q != '\'' && *q != '"' && *q != ' ')
				q++;
			if (*q == '\'' || *q == '"') {
				const char *close = strchr(q + 1, *q);
				if (!close)
					return 0;
				q = close;
			}
		}
		p = end;
	}
	return 1;
}

/* gnuplot's SVG made fit to sit in the page beside others: from <svg on,
 * its ids (and the references to them) prefixed, so that three charts'
 * ids never meet; -1 when it holds anything but a drawing */
static int svg_inline(const char *svg, const char *prefix, struct buf *out)
{
	const char *start = strstr(svg, "<svg");
	if (!start || !svg_is_drawing(start))
		return -1;
	static const char *const refs[] = { "id='", "id=\"", "href='#", "href=\"#", "url(#" };
	buf_puts(out, "<svg class=\"chart\" role=\"img\"");
	for (const char *p = start + 4; *p;) {
		size_t k = 0;
		for (; k < sizeof(refs) / sizeof(*refs); k++)
			if (strncmp(p, refs[k], strlen(refs[k])) == 0)
				break;
		if (k == sizeof(refs) / sizeof(*refs)) {
			buf_putc(out, *p++);
			continue;
		}
		buf_puts(out, refs[k]);
		buf_puts(out, prefix);
		p += strlen(refs[k]);
	}
	return 0;
}

static void charts(struct buf *b, const struct summary *s)
{
	buf_puts(b, "<section id=\"charts\"><h2>Charts</h2>\n<div class=\"grid\">");
	for (int k = 0; k < 3; k++) {
		struct buf svg = BUF_INIT;
		char prefix[16];
		snprintf(prefix, sizeof(prefix), "c%d-", k);
		int rc = plot_svg(s, (enum plot_chart)k, k == PLOT_FRONTIER ? PLOT_TITLE : NULL, &svg);
		buf_printf(b, "<figure id=\"chart-%s\">", plot_name((enum plot_chart)k));
		if (rc == 1)
			buf_puts(b, "<p class=\"note\">Nothing to draw.</p>");
		else if (rc < 0 || svg_inline(buf_str(&svg), prefix, b) < 0)
			buf_puts(b, "<p class=\"note\">This chart could not be drawn here (gnuplot failed, or its "
				    "SVG held something other than a drawing).</p>");
		buf_printf(b, "<figcaption>%s.svg: ", plot_name((enum plot_chart)k));
		html_text(b, plot_caption((enum plot_chart)k));
		buf_puts(b, "</figcaption></figure>\n");
		buf_release(&svg);
	}
	buf_puts(b, "</div><p class=\"note\">Drawn by gnuplot from this run's summary with the same scripts as "
		    "frontier.png, forest.png and lambda.png (the .gp files beside them), so the values are "
		    "summary.json's.</p></section>\n");
}

static void dt(struct buf *b, const char *term)
{
	buf_puts(b, "<dt>");
	html_text(b, term);
	buf_puts(b, "</dt><dd>");
}

static void price(struct buf *b, const cJSON *pr, const char *key)
{
	double v = json_num(pr, key, NAN);
	buf_puts(b, "<td>");
	if (isfinite(v))
		buf_printf(b, "$%g", v);
	else
		buf_puts(b, "—");
	buf_puts(b, "</td>");
}

/* the providers with their dated prices and where the prices came from */
static void run_prices(struct buf *b, const cJSON *run)
{
	const cJSON *prices = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "providers"), "prices");
	if (!cJSON_IsArray(prices) || !cJSON_GetArraySize(prices))
		return;
	buf_puts(b, "<div class=\"wide\"><table id=\"price-table\"><thead><tr><th>provider</th><th>model</th>"
		    "<th>input</th><th>output</th><th>cached input</th><th>cache write</th><th>as of</th>"
		    "<th>source</th></tr></thead><tbody>\n");
	const cJSON *pr;
	cJSON_ArrayForEach(pr, prices) {
		static const char *const keys[] = { "input", "output", "cached_input", "cache_write" };
		buf_puts(b, "<tr><td>");
		html_text(b, json_str(pr, "name", "?"));
		buf_puts(b, "</td><td>");
		html_text(b, json_str(pr, "model", ""));
		buf_puts(b, "</td>");
		for (size_t k = 0; k < 4; k++)
			price(b, pr, keys[k]);
		buf_puts(b, "<td>");
		html_text(b, json_str(pr, "as_of", "—"));
		buf_puts(b, "</td><td>");
		html_text(b, json_str(pr, "source", "—"));
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table></div><p class=\"note\">Prices in USD per million tokens, as the run "
		    "used them.</p>\n");
}

/* per provider, counts by kind: "name: kind n, kind n" */
static void kinds(struct buf *b, const struct summary *s, int skipped)
{
	int any = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		const struct count *c = skipped ? p->skipped : p->reasons;
		size_t n = skipped ? p->nskipped : p->nreasons, shown = 0;
		for (size_t j = 0; j < n; j++) {
			if (!skipped && !c[j].error)
				continue;
			buf_puts(b, shown++ ? ", " : any++ ? "; " : "");
			if (shown == 1) {
				html_text(b, p->name);
				buf_puts(b, ": ");
			}
			html_text(b, c[j].name);
			buf_printf(b, " %zu", c[j].n);
		}
	}
	if (!any)
		buf_puts(b, "none");
}

static void run_section(struct buf *b, const struct summary *s, const struct recset *rs, const cJSON *run,
			const struct scrub *sc)
{
	buf_puts(b, "<section id=\"run\"><h2>The run</h2><dl class=\"facts\">\n");
	if (!run)
		buf_puts(b, "<dt>run.json</dt><dd>none: these are sample records alone</dd>\n");
	const cJSON *suites = cJSON_GetObjectItemCaseSensitive(run, "suites"), *x;
	if (cJSON_GetArraySize(suites)) {
		dt(b, "suites");
		int i = 0;
		cJSON_ArrayForEach(x, suites) {
			buf_puts(b, i++ ? "; " : "");
			put_arg(b, sc, json_str(x, "path", "?"));
			buf_puts(b, " <span class=\"sub\">sha256 ");
			html_text_n(b, json_str(x, "sha256", "?"), 12);
			buf_puts(b, "…</span>");
		}
		buf_puts(b, "</dd>\n");
	}
	size_t samples = 0, scored = 0, tasks = 0;
	double spent = 0;
	for (size_t i = 0; i < s->n; i++) {
		samples += s->p[i].samples;
		scored += s->p[i].passed + s->p[i].failed;
		tasks = s->p[i].tasks > tasks ? s->p[i].tasks : tasks;
		spent += isnan(s->p[i].cost_usd) ? 0 : s->p[i].cost_usd;
	}
	dt(b, "samples");
	buf_printf(b, "%zu records of %zu providers, %zu of them scored; ", rs->n, s->n, scored);
	double k = json_num(run, "samples", NAN);
	if (!isnan(k))
		buf_printf(b, "%g per task asked for, ", k);
	buf_printf(b, "up to %zu tasks a provider</dd>\n", tasks);
	const char *when = json_str(run, "created", NULL);
	if (when) {
		dt(b, "when");
		html_text(b, when);
		buf_puts(b, " (UTC), tokenbench ");
		html_text(b, json_str(run, "tokenbench_version", "?"));
		buf_puts(b, "</dd>\n");
	}
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(run, "machine");
	if (m) {
		dt(b, "machine");
		html_text(b, json_str(m, "cpu", "?"));
		buf_printf(b, ", %g cores, ", json_num(m, "cores", 0));
		html_text(b, json_str(m, "memory", "?"));
		buf_puts(b, " of memory, ");
		html_text(b, json_str(m, "arch", "?"));
		buf_puts(b, ", Linux ");
		html_text(b, json_str(m, "kernel", "?"));
		buf_puts(b, " <span class=\"sub\">fingerprint ");
		html_text(b, json_str(m, "fingerprint", "?"));
		buf_puts(b, "</span></dd>\n");
	}
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(run, "command");
	if (cJSON_IsArray(cmd)) {
		dt(b, "command");
		buf_puts(b, "<code>tokenbench");
		cJSON_ArrayForEach(x, cmd) {
			if (cJSON_IsString(x)) {
				buf_putc(b, ' ');
				put_arg(b, sc, x->valuestring);
			}
		}
		buf_puts(b, "</code></dd>\n");
	}
	double seed = json_num(run, "seed", NAN);
	if (!isnan(seed)) {
		dt(b, "settings");
		buf_printf(b, "seed %.0f", seed);
		const char *ef = json_str(run, "edit_format", NULL);
		if (ef) {
			buf_puts(b, ", edit format ");
			html_text(b, ef);
		}
		buf_printf(b, ", %g tr%s per sample", json_num(run, "tries", 1), json_num(run, "tries", 1) == 1 ? "y" : "ies");
		if (cJSON_GetObjectItemCaseSensitive(run, "agent"))
			buf_puts(b, ", the bash agent");
		buf_puts(b, "</dd>\n");
	}
	dt(b, "budget and spend");
	double cap = json_num(run, "max_cost_usd", NAN);
	if (!isnan(cap))
		buf_printf(b, "a cap of $%.2f; ", cap);
	else
		buf_puts(b, "no cap; ");
	buf_printf(b, "$%.4f spent</dd>\n", spent);
	if (s->decision) {
		/* a run that stopped early is read with the intervals that stay valid */
		dt(b, "stopped early");
		html_text(b, s->decision);
		buf_puts(b, " <span class=\"sub\">run --stop-when; the tables add the anytime-valid intervals, "
			    "which hold however early the run stopped</span></dd>\n");
	}
	dt(b, "errors");
	kinds(b, s, 0);
	buf_puts(b, "</dd>\n");
	dt(b, "not attempted");
	kinds(b, s, 1);
	buf_puts(b, "</dd>\n</dl>\n");
	run_prices(b, run);
	buf_puts(b, "</section>\n");
}

static void matrix_section(struct buf *b, const struct html_texts *tx)
{
	buf_puts(b, "<section id=\"matrix\"><h2>Tasks × providers</h2>\n<div class=\"filters\">"
		    "<label>suite <select id=\"f-suite\"><option value=\"\">all</option></select></label> "
		    "<label>cluster <select id=\"f-cluster\"><option value=\"\">all</option></select></label> "
		    "<label>status <select id=\"f-status\"><option value=\"\">any</option>"
		    "<option value=\"0\">a sample passed</option><option value=\"1\">a sample failed</option>"
		    "<option value=\"2\">a sample is an error</option><option value=\"3\">a sample was not "
		    "attempted</option></select></label> "
		    "<label><input type=\"checkbox\" id=\"f-disagree\"> providers disagree</label> "
		    "<span id=\"f-count\"></span> <button type=\"button\" id=\"mx-prev\">previous</button> "
		    "<button type=\"button\" id=\"mx-next\">next</button></div>\n"
		    "<div class=\"wide\" id=\"mx-wrap\"><table id=\"mx\"></table></div>\n<p class=\"note\">A cell "
		    "is a task's samples by one provider: passed of scored (green all passed, red none, amber some), "
		    "error (infrastructure, not scored) or — (not attempted). Providers disagree on a task when one "
		    "passed most of its scored samples and another most of its failed. Click a cell to see its "
		    "samples one at a time. The matrix shows 100 tasks at a time. ");
	buf_printf(b, "A sample's text (answer, code, patch, test output, trajectory) longer than %d KB, or past "
		      "the page's %d MB of text, is a file under logs/ that the sample links, its first lines "
		      "shown: %zu here",
		   HTML_INLINE_MAX / 1024, HTML_INLINE_BUDGET / (1024 * 1024), tx->linked);
	if (tx->omitted)
		buf_printf(b, "; %zu more had no file to link (this page went to standard output: `tokenbench "
			      "report DIR --write` keeps them)",
			   tx->omitted);
	buf_puts(b, ".</p></section>\n<section id=\"sample\" hidden><h2>Sample</h2><div id=\"sv\"></div></section>\n");
}

/* the run directory's name, for the title (never a path) */
static char *dir_name(const char *dir)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	const char *slash = strrchr(d, '/');
	char *name = xstrdup(slash && slash[1] ? slash + 1 : d);
	free(d);
	return name;
}

int report_html_render(const struct summary *s, const struct recset *rs, const struct html_opts *o,
		       struct buf *out)
{
	char *path = xasprintf("%s/run.json", o->dir);
	struct buf text = BUF_INIT, data = BUF_INIT;
	cJSON *run = NULL;
	if (path_exists(path) && file_read(path, &text) == 0 && !(run = json_parse(text.data, text.len)))
		warning("'%s' is not JSON: the page says nothing of the run", path);
	free(path);
	struct scrub sc;
	scrub_machine(&sc, o->dir, run);
	struct html_texts tx = { .o = o, .sc = &sc };
	html_samples_json(s, rs, &tx, &data);
	char css[45], js[45];
	sha256_buf_base64(report_html_css, strlen(report_html_css), css);
	sha256_buf_base64(report_html_js, strlen(report_html_js), js);
	char *name = dir_name(o->dir);
	buf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			"script-src 'sha256-%s'; style-src 'sha256-%s'; img-src 'none'; base-uri 'none'; "
			"form-action 'none'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
		   js, css);
	html_text(out, name);
	buf_printf(out, " · tokenbench report</title>\n<style>%s</style>\n</head><body>\n<header><h1>tokenbench "
			"report: ",
		   report_html_css);
	html_text(out, name);
	buf_puts(out, "</h1><nav><a href=\"#run\">run</a> <a href=\"#providers\">providers</a> <a href=\"#charts\">"
		      "charts</a> <a href=\"#pairs\">comparisons</a> <a href=\"#matrix\">tasks</a></nav></header>\n");
	run_section(out, s, rs, run, &sc);
	provider_table(out, s, rs);
	charts(out, s);
	pair_table(out, s);
	matrix_section(out, &tx);
	buf_puts(out, "<script type=\"application/json\" id=\"tb-data\">");
	buf_append(out, data.data, data.len);
	buf_printf(out, "</script>\n<script>%s</script>\n</body></html>\n", report_html_js);
	free(name);
	scrub_release(&sc);
	cJSON_Delete(run);
	buf_release(&text);
	buf_release(&data);
	return tx.failed ? -1 : 0;
}

int report_html_write(const struct summary *s, const struct recset *rs, const struct html_sources *src,
		      const char *dir)
{
	struct html_opts o = { .dir = dir, .write_files = 1, .src = src };
	struct buf page = BUF_INIT;
	int rc = report_html_render(s, rs, &o, &page);
	char *path = xasprintf("%s/report.html", dir);
	if (file_write_atomic(path, page.data, page.len) < 0)
		rc = -1;
	free(path);
	buf_release(&page);
	return rc;
}
