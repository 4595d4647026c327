/* plot.h - charts through gnuplot (an external process). */
#ifndef TB_PLOT_H
#define TB_PLOT_H

#include "stats/summary.h"
#include "util/buf.h"

#include <stddef.h>

enum plot_chart { PLOT_FRONTIER, PLOT_FOREST, PLOT_LAMBDA };

/* the frontier chart's title unless the user gives one */
#define PLOT_TITLE "tokenbench: pass rate against cost per task"

/* draws the frontier chart into each of paths (.png or .svg by extension)
 * from one gnuplot script, kept at script; 0 or -1 (reported) */
int plot_frontier(const struct summary *s, const char *const *paths, size_t n, const char *script,
		  const char *title);
/* every chart into dir, as PNG and SVG with its gnuplot script beside it:
 * frontier (cost against pass rate, both with intervals, labelled with the
 * frontier probability), forest (paired differences against ref, default
 * the best provider) and lambda (which provider is best by what a solved
 * task is worth); charts without data are skipped (and an earlier report's
 * files of them removed); *drawn gets bit 1 << k for each chart k written;
 * 0 or -1 */
int plot_dir(const struct summary *s, const char *dir, const char *title, const char *ref, unsigned *drawn);
/* appends the PNG paths of the charts in drawn (plot_dir's bits), space
 * separated; nothing when none was drawn */
void plot_list(const char *dir, unsigned drawn, struct buf *out);
/* a chart's file name without extension: "frontier", "forest", "lambda" */
const char *plot_name(enum plot_chart k);
/* what a chart shows, in a sentence or two (report.html's caption) */
const char *plot_caption(enum plot_chart k);
/* one chart as gnuplot's SVG, drawn by the same script as plot_dir's
 * charts in a scratch directory of its own, appended to svg; arg is the
 * frontier's title or the forest's reference (NULL: the best provider).
 * 0; 1 when the chart has nothing to draw; -1 (reported) */
int plot_svg(const struct summary *s, enum plot_chart k, const char *arg, struct buf *svg);

struct load_point;
/* a load test's chart into png (or .svg), from one gnuplot script kept at
 * script: output throughput against concurrency, p95 TTFT and inter-token
 * latency on a second axis, the knee marked (-1: none); 0 or -1 (reported) */
int plot_loadtest(const struct load_point *pts, size_t n, int knee, const char *title, const char *png,
		  const char *script);

#endif
