/* cmd.h - the subcommands (one file each, cmd_<name>.c) and what they share. */
#ifndef TB_CMD_H
#define TB_CMD_H

#include "core/predictions.h"
#include "core/suite.h"
#include "rundir/cache.h"
#include "stats/report_html.h"
#include "util/strmap.h"

/* exit codes */
#define EXIT_OK 0
#define EXIT_ATTENTION 1 /* finished, with failures worth attention (e.g. infra errors) */
#define EXIT_USAGE 2     /* usage or input error */
#define EXIT_SYSTEM 3    /* system error */

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_reprice(int argc, char **argv);
int cmd_prices(int argc, char **argv);
int cmd_sandbox(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* option values: 0, or -1 after reporting "--name: ..." */
int opt_double(const char *name, const char *arg, double min, double *out);
int opt_int(const char *name, const char *arg, long min, long max, int *out);

/* --bootstrap N and --seed S, shared by the commands that compute statistics:
 * getopt codes and their parser */
#define OPT_BOOTSTRAP 1001
#define OPT_SEED 1002
struct summary_opts;
int opt_summary(int c, const char *arg, struct summary_opts *o);

/* the default number of sandbox jobs: the number of online cores */
int default_jobs(void);
/* a new run directory name under results/: results/<prefix>-YYYYmmdd-HHMMSS; malloced */
char *default_out_dir(const char *prefix);
/* after a run: summary.json, report.md, the charts, report.html, and the
 * table on stdout; 0 or -1 */
int finish_run_dir(const char *dir, int quiet);

/* what report.html shows that only a run's inputs hold: the tasks and
 * their prompts (the suites run.json names, where they were read from),
 * the answers (the response cache, or the scored predictions file) */
struct page_sources {
	struct suite suite;
	size_t nsuites;          /* suite files read */
	struct cache cache;
	int have_cache;
	struct predictions preds;
	struct strmap pred_index; /* record_key -> preds.v[] */
	int gold_or_empty;        /* eval-predictions --gold or --empty: the answers are the
				   * references or nothing */
	int scored_elsewhere;     /* an eval-predictions run: no prompt was sent */
	struct html_sources src;  /* its callbacks, with this as their argument */
};
/* reads what dir's run.json names and can still be found; never fails
 * (what is missing is not shown) */
void page_sources_open(struct page_sources *ps, const char *dir);
void page_sources_close(struct page_sources *ps);

#endif
