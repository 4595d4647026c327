/* plot.h - charts through gnuplot (an external process). */
#ifndef TB_PLOT_H
#define TB_PLOT_H

#include "stats/summary.h"

#include <stddef.h>

/* draws the frontier chart into each of paths (.png or .svg by extension)
 * from one gnuplot script, kept at script; 0 or -1 (reported) */
int plot_frontier(const struct summary *s, const char *const *paths, size_t n, const char *script,
		  const char *title);
/* every chart into dir, as PNG and SVG with its gnuplot script beside it:
 * frontier (cost against pass rate, both with intervals, labelled with the
 * frontier probability), forest (paired differences against ref, default
 * the best provider) and lambda (which provider is best by what a solved
 * task is worth); charts without data are skipped; 0 or -1 */
int plot_dir(const struct summary *s, const char *dir, const char *title, const char *ref);

#endif
