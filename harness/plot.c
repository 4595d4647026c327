/* plot.c - writes gnuplot scripts with their data inline and runs gnuplot.
 * The script is kept next to the chart, so a user can restyle it and rerun
 * `gnuplot frontier.gp` without tokenbench. */
#define _GNU_SOURCE
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "msg.h"
#include "xalloc.h"

extern char **environ;

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

static int run_gnuplot(const char *script)
{
	pid_t pid;
	char *argv[] = { "gnuplot", (char *)script, NULL };
	int rc = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
	if (rc != 0)
		return error("cannot run gnuplot: %s (run scripts/install-deps)", strerror(rc));
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return error("gnuplot failed on '%s'", script);
	return 0;
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
	buf_puts(gp, "$points << EOD\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct provider_summary *p = &s->p[i];
		if (isnan(p->pass_rate) || isnan(p->cost_per_task) || p->cost_per_task <= 0)
			continue;
		xmin = fmin(xmin, p->cost_per_task);
		xmax = fmax(xmax, p->cost_per_task);
		buf_printf(gp, "%.10g %.4f %.4f %.4f %d ", p->cost_per_task, 100 * p->pass_rate,
			   100 * p->ci_low, 100 * p->ci_high, p->on_frontier);
		gp_label(gp, p->name);
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
	double lox = xmin / 2, hix = xmax * 2;
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
		     "set xlabel 'cost per task (USD, log scale)'\n"
		     "set ylabel 'pass rate (%), 95% interval'\n"
		     "set format x '$%g'\n"
		     "set format y '%g%%'\n"
		     "set grid xtics ytics mxtics lc rgb '#dddddd' lw 1\n"
		     "set border 3 lc rgb '#444444'\n"
		     "set tics nomirror\n"
		     "set key bottom right box opaque samplen 2\n");
	buf_printf(gp, "set xrange [%.10g:%.10g]\n", lox, hix);
	y_range(s, gp);
	buf_puts(gp, "plot $frontier using 1:2 with steps lw 2.5 lc rgb '#d62728' dt 2 title 'Pareto frontier (cheapest at each pass rate)', \\\n"
		     "     $points using ($5==1?$1:1/0):2:3:4 with yerrorbars pt 7 ps 1.8 lw 2 lc rgb '#d62728' title 'on the frontier', \\\n"
		     "     $points using ($5==0?$1:1/0):2:3:4 with yerrorbars pt 7 ps 1.8 lw 2 lc rgb '#1f77b4' title 'dominated', \\\n"
		     "     $points using 1:2:6 with labels offset char 1.2,0.9 left font ',12' tc rgb '#222222' notitle\n");
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

int plot_frontier(const struct summary *s, const char *const *paths, size_t n, const char *script,
		  const char *title)
{
	struct buf gp = BUF_INIT;
	buf_puts(&gp, "# tokenbench frontier chart; rerun with: gnuplot THIS_FILE\n");
	for (size_t i = 0; i < n; i++) {
		terminal(&gp, paths[i]);
		if (i > 0) {
			buf_puts(&gp, "replot\n");
			continue;
		}
		if (have_costs(s))
			frontier_script(s, &gp, title);
		else
			rates_script(s, &gp, title);
	}
	buf_puts(&gp, "unset output\n");
	int rc = file_write(script, gp.data, gp.len, 0644);
	if (rc == 0)
		rc = run_gnuplot(script);
	buf_release(&gp);
	return rc;
}

int plot_frontier_dir(const struct summary *s, const char *dir, const char *title)
{
	char *png = xasprintf("%s/frontier.png", dir), *svg = xasprintf("%s/frontier.svg", dir);
	char *gp = xasprintf("%s/frontier.gp", dir);
	const char *paths[] = { png, svg };
	int rc = plot_frontier(s, paths, 2, gp, title);
	free(png);
	free(svg);
	free(gp);
	return rc;
}
