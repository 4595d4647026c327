/* plot.h - charts through gnuplot (an external process). */
#ifndef TB_PLOT_H
#define TB_PLOT_H

#include "summary.h"

#include <stddef.h>

/* draws the frontier chart into each of paths (.png or .svg by extension)
 * from one gnuplot script, kept at script; 0 or -1 (reported) */
int plot_frontier(const struct summary *s, const char *const *paths, size_t n, const char *script,
		  const char *title);
/* frontier.png and frontier.svg (script frontier.gp) in dir; 0 or -1 */
int plot_frontier_dir(const struct summary *s, const char *dir, const char *title);

#endif
