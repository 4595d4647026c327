/* report_html.h - report.html: one self-contained page per run directory
 * that carries its figures (the run, the provider table, the charts as
 * inline SVG, the paired comparisons) with every sample behind them (a
 * task x provider matrix, and one sample at a time: prompt, answer, code or
 * patch, test output, verdict, tokens and cost per try, an agent's
 * trajectory). It fetches nothing: a Content-Security-Policy allows only
 * its own script and style, by hash. Texts beyond a size are files under
 * logs/, linked by relative paths, so the directory can be copied or
 * served by any static server. */
#ifndef TB_REPORT_HTML_H
#define TB_REPORT_HTML_H

#include "core/suite.h"
#include "rundir/store.h"
#include "stats/html.h"
#include "stats/summary.h"
#include "util/buf.h"

/* what only the caller knows how to get (the engine reads response bodies
 * and renders prompts, a layer this one does not see); any may be NULL */
struct html_sources {
	/* the task with this id in the run's suites, or NULL; borrowed */
	const struct task *(*task)(void *arg, const char *id);
	/* appends the first turn the task was sent as; 0, or -1 when it cannot */
	int (*prompt)(void *arg, const struct task *t, struct buf *out);
	/* appends the answer the record's verdict is about (its response's
	 * text, or a scored prediction); 0, or -1 when it was not kept */
	int (*answer)(void *arg, const struct record *r, struct buf *out);
	void *arg;
};

/* texts of one sample (an answer, an output) longer than this are files
 * under logs/, linked from the page */
#define HTML_INLINE_MAX (16 * 1024)
/* and once the page holds this much text, every further one is */
#define HTML_INLINE_BUDGET (12 * 1024 * 1024)

struct html_opts {
	const char *dir;                /* the run directory: run.json, logs/ */
	int write_files;                /* texts too large for the page are written under dir/logs/
					 * (report.html goes beside them); 0: only files already
					 * there are linked (the page goes to standard output) */
	const struct html_sources *src; /* may be NULL */
};

/* appends the page; 0, or -1 when a file under logs/ could not be written
 * (reported) */
int report_html_render(const struct summary *s, const struct recset *rs, const struct html_opts *o,
		       struct buf *out);
/* writes dir/report.html (and its texts under dir/logs/); 0 or -1 (reported) */
int report_html_write(const struct summary *s, const struct recset *rs, const struct html_sources *src,
		      const char *dir);

/* ---- shared by report_html.c and report_html_samples.c ---- */

/* how the page's texts are kept: inline, or linked files */
struct html_texts {
	const struct html_opts *o;
	const struct scrub *sc;
	size_t used;        /* bytes of text inline so far */
	size_t linked;      /* texts linked as files */
	size_t omitted;     /* texts too large for the page with no file to link */
	int failed;         /* a file could not be written */
};

/* the samples as the page's data: a JSON object (tasks, providers, one
 * row per record, the texts of each sample) safe inside a <script> */
void html_samples_json(const struct summary *s, const struct recset *rs, struct html_texts *tx, struct buf *out);

#endif
