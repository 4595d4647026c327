/* plot.c - writes gnuplot scripts with their data inline and runs gnuplot.
 * The script is kept next to the chart, so a user can restyle it and rerun
 * `gnuplot frontier.gp` without tokenbench. */
#define _GNU_SOURCE
#include "stats/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/loadstat.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/proc.h"
#include "util/xalloc.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* a gnuplot single-quoted string */
static void gp_quote(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_putc(b, '\'');
		buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

/* a datablock string field: double quotes, no newlines */
static void gp_label(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++)
		buf_putc(b, *s == '"' || *s == '\n' ? '\'' : *s);
	buf_putc(b, '"');
}

/* the length of path's directory part, without the last '/'; 0 for none */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

/* a chart's path as its script names it. gnuplot runs in the script's
 * directory, so that `cd DIR && gnuplot frontier.gp` redraws it wherever
 * the run directory has moved: a chart beside the script is named by its
 * file name alone, any other as given */
static const char *path_from_script(const char *path, const char *script)
{
	size_t d = dir_len(script);
	if (dir_len(path) != d || strncmp(path, script, d) != 0)
		return path;
	return d || path[0] == '/' ? path + d + 1 : path;
}

static int run_gnuplot(const char *script)
{
	size_t d = dir_len(script);
	char *cwd = d ? xasprintf("%.*s", (int)d, script) : NULL;
	const char *argv[] = { "gnuplot", path_from_script(script, script), NULL };
	struct buf out = BUF_INIT;
	int rc = proc_run(argv, cwd ? cwd : (script[0] == '/' ? "/" : NULL), &out);
	free(cwd);
	if (rc != 0)
		rc = error("gnuplot failed on '%s'%s%s", script, out.len ? ": " : " (run scripts/install-deps)",
			   buf_str(&out));
	buf_release(&out);
	return rc;
}

static void terminal(struct buf *gp, const char *path)
{
	if (ends_with(path, ".svg"))
		buf_puts(gp, "set terminal svg size 1200,760 dynamic enhanced font 'DejaVu Sans,13' background rgb 'white'\n");
	else
		buf_puts(gp, "set terminal pngcairo size 1400,880 enhanced font 'DejaVu Sans,13' background rgb 'white'\n");
	buf_puts(gp, "set output ");
	gp_quote(gp, path);
	buf_putc(gp, '\n');
}

static int have_costs(const struct summary *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->p[i].cost_per_task) && s->p[i].cost_per_task > 0 && !isnan(s->p[i].pass_rate))
			return 1;
	return 0;
}

static void y_range(const struct summary *s, struct buf *gp)
{
	double lo = 100, hi = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (isnan(s->p[i].pass_rate))
			continue;
		if (100 * s->p[i].ci_low < lo)
			lo = 100 * s->p[i].ci_low;
		if (100 * s->p[i].ci_high > hi)
			hi = 100 * s->p[i].ci_high;
	}
	lo = floor((lo - 5) / 5) * 5;
	hi = ceil((hi + 5) / 5) * 5;
	buf_printf(gp, "set yrange [%g:%g]\n", lo < 0 ? 0 : lo, hi > 100 ? 100 : hi);
}

static void frontier_script(const struct summary *s, struct buf *gp, const char *title)
{
	double xmin = INFINITY, xmax = 0;
	buf_puts(gp, "# cost, pass rate, cost interval, rate interval, on frontier, label height, label\n$points << EOD\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (isnan(p->pass_rate) || isnan(p->cost_per_task) || p->cost_per_task <= 0)
			continue;
		/* a label that would sit on an earlier one (a provider at two prices, same answers) goes below */
		double label_y = 100 * p->pass_rate;
		for (size_t j = 0; j < i; j++) {
			const struct provider_summary *q = &s->p[j];
			if (!isnan(q->pass_rate) && q->cost_per_task > 0 && fabs(q->pass_rate - p->pass_rate) < 0.025 &&
			    fabs(log10(q->cost_per_task / p->cost_per_task)) < 0.6)
				label_y -= 3.5;
		}
		double lo = isfinite(p->cost_per_task_low) && p->cost_per_task_low > 0 ? p->cost_per_task_low
											: p->cost_per_task;
		double hi = isfinite(p->cost_per_task_high) ? p->cost_per_task_high : p->cost_per_task;
		xmin = fmin(xmin, lo);
		xmax = fmax(xmax, hi);
		buf_printf(gp, "%.10g %.4f %.10g %.10g %.4f %.4f %d %.4f ", p->cost_per_task, 100 * p->pass_rate, lo, hi,
			   100 * p->ci_low, 100 * p->ci_high, p->on_frontier, label_y);
		char *label = isnan(p->p_frontier) ? xstrdup(p->name)
						   : xasprintf("%s  (frontier %.0f%%)", p->name, 100 * p->p_frontier);
		gp_label(gp, label);
		free(label);
		buf_putc(gp, '\n');
	}
	buf_puts(gp, "EOD\n$frontier << EOD\n");
	/* providers on the frontier, cheapest first: the staircase of the best
	 * pass rate a budget per task can buy */
	size_t *idx = xmalloc((s->n + 1) * sizeof(*idx)), nf = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i].on_frontier && s->p[i].cost_per_task > 0)
			idx[nf++] = i;
	for (size_t i = 1; i < nf; i++)
		for (size_t j = i; j > 0 && s->p[idx[j]].cost_per_task < s->p[idx[j - 1]].cost_per_task; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	/* room on the right for the last label */
	double lox = xmin / 2, hix = xmax * 10;
	for (size_t i = 0; i < nf; i++)
		buf_printf(gp, "%.10g %.4f\n", s->p[idx[i]].cost_per_task, 100 * s->p[idx[i]].pass_rate);
	if (nf)
		buf_printf(gp, "%.10g %.4f\n", hix, 100 * s->p[idx[nf - 1]].pass_rate);
	buf_puts(gp, "EOD\n");
	free(idx);
	buf_puts(gp, "set title ");
	gp_quote(gp, title);
	buf_puts(gp, " font ',16'\n"
		     "set logscale x 10\n"
		     "set xlabel 'cost per task (USD, log scale), 95% interval'\n"
		     "set ylabel 'pass rate (%), 95% interval'\n"
		     "set format x '$%g'\n"
		     "set format y '%g%%'\n"
		     "set grid xtics ytics mxtics lc rgb '#dddddd' lw 1\n"
		     "set border 3 lc rgb '#444444'\n"
		     "set tics nomirror\n"
		     "set key bottom right box opaque samplen 2\n");
	buf_printf(gp, "set xrange [%.10g:%.10g]\n", lox, hix);
	y_range(s, gp);
	buf_puts(gp, "plot $frontier using 1:2 with steps lw 2 lc rgb '#f4a3a3' title 'Pareto frontier (cheapest at each pass rate)', \\\n"
		     "     $points using ($7==1?$1:1/0):2:3:4:5:6 with xyerrorbars pt 7 ps 1.8 lw 1.5 lc rgb '#d62728' title 'on the frontier', \\\n"
		     "     $points using ($7==0?$1:1/0):2:3:4:5:6 with xyerrorbars pt 7 ps 1.8 lw 1.5 lc rgb '#1f77b4' title 'dominated', \\\n"
		     "     $points using 1:8:9 with labels offset char 1.2,0.9 left font ',11' tc rgb '#222222' notitle\n");
}

/* without costs (scored predictions), the pass rates side by side */
static void rates_script(const struct summary *s, struct buf *gp, const char *title)
{
	buf_puts(gp, "$points << EOD\n");
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (isnan(p->pass_rate))
			continue;
		buf_printf(gp, "%zu %.4f %.4f %.4f ", k++, 100 * p->pass_rate, 100 * p->ci_low,
			   100 * p->ci_high);
		gp_label(gp, p->name);
		buf_putc(gp, '\n');
	}
	buf_puts(gp, "EOD\nset title ");
	gp_quote(gp, title);
	buf_printf(gp, " font ',16'\n"
		       "set xlabel 'provider (no cost data)'\n"
		       "set ylabel 'pass rate (%%), 95%% interval'\n"
		       "set format y '%%g%%%%'\n"
		       "set grid ytics lc rgb '#dddddd'\n"
		       "set border 3\nset tics nomirror\nset key off\n"
		       "set xrange [-0.7:%zu.7]\n",
		   k ? k - 1 : 0);
	y_range(s, gp);
	buf_puts(gp, "plot $points using 1:2:3:4:xtic(5) with yerrorbars pt 7 ps 1.8 lw 2 lc rgb '#1f77b4'\n");
}

/* differences against a reference provider, one row each */
static int forest_script(const struct summary *s, const char *ref, struct buf *gp)
{
	buf_puts(gp, "# row, difference (pp), interval, label\n$d << EOD\n");
	int rows = 0;
	double lo = 0, hi = 0;
	for (size_t i = 0; i < s->npairs; i++) {
		const struct pair_summary *q = &s->pairs[i];
		int sign = strcmp(q->a, ref) == 0 ? 1 : strcmp(q->b, ref) == 0 ? -1 : 0;
		if (!sign || isnan(q->diff))
			continue;
		const char *other = sign > 0 ? q->b : q->a;
		double d = sign * q->diff, l = sign > 0 ? q->ci_low : -q->ci_high, h = sign > 0 ? q->ci_high : -q->ci_low;
		if (isnan(l))
			l = h = d;
		lo = fmin(lo, l);
		hi = fmax(hi, h);
		buf_printf(gp, "%d %.4f %.4f %.4f ", rows++, 100 * d, 100 * l, 100 * h);
		char *label = xasprintf("%s  (p_{Holm} = %.2g)", other, q->p_holm);
		gp_label(gp, label);
		free(label);
		buf_putc(gp, '\n');
	}
	buf_puts(gp, "EOD\n");
	if (!rows)
		return -1;
	double pad = fmax(2, (hi - lo) * 100 * 0.1);
	buf_puts(gp, "set title ");
	char *t = xasprintf("Paired difference in pass rate against %s (95%% interval)", ref);
	gp_quote(gp, t);
	free(t);
	buf_printf(gp, " font ',16'\n"
		       "set xlabel 'other provider − %s (percentage points)'\n"
		       "set xrange [%g:%g]\nset yrange [-0.7:%d.7]\nset ytics scale 0\n"
		       "set grid xtics lc rgb '#dddddd'\nset border 1\nset tics nomirror\nset key off\n"
		       "set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#888888' dt 2\n"
		       "set lmargin 34\n"
		       "plot $d using 2:1:3:4:ytic(5) with xerrorbars pt 7 ps 1.6 lw 2 lc rgb '#1f77b4'\n",
		   ref, 100 * lo - pad, 100 * hi + pad, rows - 1);
	return 0;
}

/* the chance each provider maximises lambda * pass rate - cost per task */
static int lambda_script(const struct summary *s, struct buf *gp)
{
	if (!s->nlambda)
		return -1;
	buf_puts(gp, "$d << EOD\n");
	for (size_t l = 0; l < s->nlambda; l++) {
		buf_printf(gp, "%.8g", s->lambda[l]);
		for (size_t i = 0; i < s->n; i++)
			buf_printf(gp, " %.4f", s->p_best[i * s->nlambda + l]);
		buf_putc(gp, '\n');
	}
	buf_printf(gp, "EOD\nset xrange [%.8g:%.8g]\n", s->lambda[0], s->lambda[s->nlambda - 1]);
	buf_puts(gp, "set title 'Which provider is best, by what a solved task is worth to you' font ',16'\n"
		     "set xlabel 'value of one solved task, λ (USD, log scale)'\n"
		     "set ylabel 'probability of the highest λ·pass rate − cost per task'\n"
		     "set logscale x 10\nset format x '$%g'\nset yrange [0:1.02]\n"
		     "set grid lc rgb '#dddddd'\nset border 3\nset tics nomirror\n"
		     "set key outside right top samplen 2\nplot ");
	for (size_t i = 0; i < s->n; i++) {
		static const char *const colors[] = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
						      "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22" };
		buf_printf(gp, "%s$d using 1:%zu with lines lw 2.5 lc rgb '%s' dt %zu title ", i ? ", \\\n     " : "",
			   i + 2, colors[i % 10], 1 + i / 10);
		gp_quote(gp, s->p[i].name);
	}
	buf_putc(gp, '\n');
	return 0;
}

/* one script drawing the chart into each of paths; 1 when there is nothing to draw */
static int chart(const struct summary *s, enum plot_chart kind, const char *arg, const char *const *paths, size_t n,
		 const char *script)
{
	struct buf body = BUF_INIT, gp = BUF_INIT;
	int rc = 0;
	switch (kind) {
	case PLOT_FRONTIER:
		if (have_costs(s))
			frontier_script(s, &body, arg);
		else
			rates_script(s, &body, "tokenbench: pass rate per provider");
		break;
	case PLOT_FOREST: rc = forest_script(s, arg, &body); break;
	case PLOT_LAMBDA: rc = lambda_script(s, &body); break;
	}
	if (rc < 0) {
		buf_release(&body);
		return 1;
	}
	buf_puts(&gp, "# tokenbench chart; redraw it from this directory: gnuplot THIS_FILE\n");
	for (size_t i = 0; i < n; i++) {
		terminal(&gp, path_from_script(paths[i], script));
		buf_puts(&gp, i ? "replot\n" : buf_str(&body));
	}
	buf_puts(&gp, "unset output\n");
	rc = file_write(script, gp.data, gp.len, 0644);
	if (rc == 0)
		rc = run_gnuplot(script);
	buf_release(&gp);
	buf_release(&body);
	return rc;
}

int plot_frontier(const struct summary *s, const char *const *paths, size_t n, const char *script,
		  const char *title)
{
	return chart(s, PLOT_FRONTIER, title, paths, n, script) < 0 ? -1 : 0;
}

int plot_dir(const struct summary *s, const char *dir, const char *title, const char *ref, unsigned *drawn)
{
	if (!ref && s->n)
		ref = s->p[0].name;
	int rc = 0;
	*drawn = 0;
	for (int k = 0; k < 3 && rc >= 0; k++) {
		const char *name = plot_name((enum plot_chart)k);
		char *png = xasprintf("%s/%s.png", dir, name), *svg = xasprintf("%s/%s.svg", dir, name);
		char *gp = xasprintf("%s/%s.gp", dir, name);
		const char *paths[] = { png, svg };
		rc = chart(s, (enum plot_chart)k, k == PLOT_FRONTIER ? title : ref, paths, 2, gp);
		if (rc == 0) {
			*drawn |= 1u << k;
		} else if (rc == 1) {
			/* nothing to draw now: an earlier report's chart would show what is no longer so */
			unlink(png);
			unlink(svg);
			unlink(gp);
		}
		free(png);
		free(svg);
		free(gp);
	}
	return rc < 0 ? -1 : 0;
}

void plot_list(const char *dir, unsigned drawn, struct buf *out)
{
	const char *sep = "";
	for (int k = 0; k < 3; k++) {
		if (!(drawn & (1u << k)))
			continue;
		buf_printf(out, "%s%s/%s.png", sep, dir, plot_name((enum plot_chart)k));
		sep = " ";
	}
}

const char *plot_name(enum plot_chart k)
{
	static const char *const names[] = { "frontier", "forest", "lambda" };
	return names[k];
}

const char *plot_caption(enum plot_chart k)
{
	switch (k) {
	case PLOT_FRONTIER:
		return "Cost per task (log scale) against pass rate, each with its 95% interval, every provider "
		       "labelled with the share of bootstrap replicates in which it is on the frontier; the "
		       "staircase is the Pareto frontier, the cheapest provider at each level of quality. "
		       "Without costs: the pass rates side by side.";
	case PLOT_FOREST:
		return "Paired difference in pass rate of every other provider against the reference (the best "
		       "by pass rate), with its 95% interval and Holm-adjusted p-value, on the tasks both completed.";
	case PLOT_LAMBDA:
		return "Which provider is best by what a solved task is worth to you: over values λ of a solved "
		       "task, the probability that each provider has the highest λ·pass rate − cost per task.";
	}
	return "";
}

int plot_svg(const struct summary *s, enum plot_chart k, const char *arg, struct buf *svg)
{
	char *dir = dir_make_temp();
	if (!dir)
		return -1;
	char *path = xasprintf("%s/%s.svg", dir, plot_name(k)), *script = xasprintf("%s/%s.gp", dir, plot_name(k));
	const char *paths[] = { path };
	if (k == PLOT_FOREST && !arg && s->n)
		arg = s->p[0].name;
	int rc = chart(s, k, arg, paths, 1, script);
	if (rc == 0)
		rc = file_read(path, svg);
	dir_remove(dir);
	free(path);
	free(script);
	free(dir);
	return rc;
}

int plot_loadtest(const struct load_point *pts, size_t n, int knee, const char *title, const char *png,
		  const char *script)
{
	struct buf gp = BUF_INIT;
	buf_puts(&gp, "# tokenbench load test chart; redraw it from this directory: gnuplot THIS_FILE\n");
	terminal(&gp, path_from_script(png, script));
	buf_puts(&gp, "set title ");
	gp_quote(&gp, title);
	buf_puts(&gp, "\nset key top left box opaque\nset grid\nset logscale x 2\n"
		      "set xlabel 'concurrency (requests in flight)'\nset ylabel 'output tokens/s (aggregate)'\n"
		      "set y2label 'latency p95 (ms, log)'\nset logscale y2\nset ytics nomirror\nset y2tics\n"
		      "set yrange [0:*]\n$data << EOD\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&gp, "%d %.6g %.6g %.6g\n", pts[i].concurrency, pts[i].out_tok_s,
			   isnan(pts[i].ttft_p95) ? 0 : pts[i].ttft_p95, isnan(pts[i].itl_p95) ? 0 : pts[i].itl_p95);
	buf_puts(&gp, "EOD\n");
	if (knee >= 0)
		buf_printf(&gp, "set arrow from %d, graph 0 to %d, graph 1 nohead dt 2 lc rgb '#888888'\n"
				"set label 'knee (last within the SLO): %d' at %d, graph 0.95 offset 1,0\n",
			   pts[knee].concurrency, pts[knee].concurrency, pts[knee].concurrency, pts[knee].concurrency);
	int ttft = 0, itl = 0;
	for (size_t i = 0; i < n; i++) {
		ttft |= pts[i].ttft_p95 > 0;
		itl |= pts[i].itl_p95 > 0;
	}
	/* a series with no point (an endpoint that answered nothing) is left out: gnuplot refuses it */
	buf_puts(&gp, "plot $data using 1:2 with linespoints lw 3 pt 7 lc rgb '#1f77b4' title 'output tokens/s'");
	if (ttft)
		buf_puts(&gp, ", \\\n     $data using 1:($3 > 0 ? $3 : 1/0) axes x1y2 with linespoints lw 2 pt 5 "
			      "lc rgb '#d62728' title 'TTFT p95 (ms)'");
	if (itl)
		buf_puts(&gp, ", \\\n     $data using 1:($4 > 0 ? $4 : 1/0) axes x1y2 with linespoints lw 2 pt 9 "
			      "lc rgb '#2ca02c' title 'inter-token p95 (ms)'");
	buf_putc(&gp, '\n');
	int rc = file_write(script, gp.data, gp.len, 0644);
	if (rc == 0)
		rc = run_gnuplot(script);
	buf_release(&gp);
	return rc;
}
