/* cmd.h - the subcommands (one file each, cmd_<name>.c) and what they share. */
#ifndef TB_CMD_H
#define TB_CMD_H

#include <stddef.h>

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

/* what a report takes from DIR/run.json: the plan's task order (for the
 * anytime-valid intervals) and how a run that stopped early decided */
struct cJSON;
struct run_facts {
	struct cJSON *manifest;  /* DIR/run.json, or NULL */
	const char **order;      /* the plan's task ids, borrowed from manifest; malloced array */
	size_t norder;
	const char *decision;    /* run --stop-when's decision in words, or NULL; borrowed */
};
void run_facts_load(struct run_facts *f, const char *dir);
void run_facts_release(struct run_facts *f);
/* points o at the facts' task order; a decision turns the anytime-valid
 * intervals on, which a run stopped early must be reported with */
void run_facts_apply(const struct run_facts *f, struct summary_opts *o);

/* the default number of sandbox jobs: the number of online cores */
int default_jobs(void);
/* a new run directory name under results/: results/<prefix>-YYYYmmdd-HHMMSS; malloced */
char *default_out_dir(const char *prefix);
/* after a run: summary.json, report.md, the charts, and the table on stdout;
 * 0 or -1 */
int finish_run_dir(const char *dir, int quiet);

#endif
