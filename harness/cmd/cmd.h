/* cmd.h - the subcommands (one file each, cmd_<name>.c) and what they share. */
#ifndef TB_CMD_H
#define TB_CMD_H

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stddef.h>

#include "cmd/help.h"
#include "core/predictions.h"
#include "core/suite.h"
#include "engine/sched.h"
#include "rundir/cache.h"
#include "stats/report_html.h"
#include "stats/stop.h"
#include "stats/stop_run.h"
#include "util/buf.h"
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
int cmd_loadtest(int argc, char **argv);
int cmd_fetch(int argc, char **argv);

/* each command's option table and help (help.h), in its cmd_<name>.c */
extern const struct cmd_doc doc_run, doc_report, doc_plot, doc_sim, doc_eval, doc_compare, doc_plan,
	doc_reprice, doc_prices, doc_sandbox, doc_show, doc_merge, doc_fetch, doc_loadtest;

/* option values: 0, or -1 after reporting "--name: ..." */
int opt_double(const char *name, const char *arg, double min, double *out);
int opt_int(const char *name, const char *arg, long min, long max, int *out);

/* --bootstrap N and --seed S, shared by the commands that compute statistics:
 * getopt codes and their parser */
#define OPT_BOOTSTRAP 1001
#define OPT_SEED 1002
struct summary_opts;
int opt_summary(int c, const char *arg, struct summary_opts *o);

/* the options `run` and `eval-predictions` share: the suites and which of
 * their tasks, where the run directory goes, and how answers are scored */
struct scoring_opts {
	int nsuites;                /* --suite PATH, given this many times (each loaded into the suite) */
	const char *out;            /* --out DIR; NULL: a new directory under results/ */
	int jobs;                   /* --jobs N: sandboxes at once (default: the cores) */
	int quiet;                  /* --quiet */
	const char *repos;          /* --repos DIR: repository mirrors; may be NULL */
	const char *env;            /* --env FILE: the environment spec (SWE-bench); may be NULL */
	char *env_found;            /* where --env was found (datadir_find); malloced, may be NULL */
	struct suite_filter filter; /* --instances FILE, --repo NAME... */
	int zygote;                 /* --zygote on|off: Python tests fork from a warm interpreter */
};

/* their getopt codes, and their entries for a command's option table */
enum {
	OPT_SUITE = 1201, OPT_OUT, OPT_JOBS, OPT_QUIET, OPT_REPOS, OPT_ENV, OPT_INSTANCES, OPT_REPO,
	OPT_ZYGOTE,
};
#define SCORING_OPTIONS \
	{ "suite", "PATH", OPT_SUITE, NULL, "a suite: a JSONL file, a JSON array, gzip of either, or a directory of them; again for more" }, \
	{ "out", "DIR", OPT_OUT, "results/NAME-DATE-TIME", "the run directory (an existing one is resumed)" }, \
	{ "jobs", "N", OPT_JOBS, "the number of cores", "sandboxes scoring at once" }, \
	{ "quiet", NULL, OPT_QUIET, NULL, "no progress lines and no table at the end" }, \
	{ "repos", "DIR", OPT_REPOS, NULL, "repository mirrors, for repository (SWE-bench) tasks" }, \
	{ "env", "FILE", OPT_ENV, NULL, "the environment spec of repository tasks (tasks/swebench/envs/)" }, \
	{ "instances", "FILE", OPT_INSTANCES, "every task", "only the task ids in FILE, one a line" }, \
	{ "repo", "NAME", OPT_REPO, "every repository", "only that repository's tasks; again for more" }, \
	{ "zygote", "on|off", OPT_ZYGOTE, "on (TOKENBENCH_ZYGOTE)", "Python function tests run as children forked from a warm interpreter in each sandbox slot (same sandbox, same limits, a fresh process per test); off: a fresh sandbox and interpreter for each" }

void scoring_opts_init(struct scoring_opts *o);
void scoring_opts_release(struct scoring_opts *o);
/* takes option c (a getopt code) when it is one of SCORING_OPTIONS: 1; 0
 * when it is not one of them; -1 after reporting a bad value or a suite
 * that does not load (into su) */
int opt_scoring(int c, const char *arg, struct scoring_opts *o, struct suite *su);

struct scorer;
struct repo_store;
struct env_spec;
/* the scoring pool for o (--jobs, the mirrors of --repos into repos, the
 * spec of --env into env), signals caught, and the suite's time limits
 * measured into manifest, written again to o->out; *sc is set as soon as
 * the pool exists (the caller frees it); 0, or -1 after reporting */
int scoring_start(const struct scoring_opts *o, struct suite *su, struct repo_store *repos,
		  struct env_spec *env, cJSON *manifest, struct scorer **sc);

/* what a report takes from DIR/run.json: the plan's task order (for the
 * anytime-valid intervals) and how a run that stopped early decided */
struct run_facts {
	cJSON *manifest;  /* DIR/run.json, or NULL */
	const char **order;      /* the plan's task ids, borrowed from manifest; malloced array */
	size_t norder;
	const char *decision;    /* run --stop-when's decision in words, or NULL; borrowed */
};
void run_facts_load(struct run_facts *f, const char *dir);
void run_facts_release(struct run_facts *f);
/* points o at the facts' task order; a decision turns the anytime-valid
 * intervals on, which a run stopped early must be reported with */
void run_facts_apply(const struct run_facts *f, struct summary_opts *o);

/* run --stop-when (cmd_run_stop.c): the rules over the whole plan, the
 * words a stopped sample's record carries, and how many were stopped */
struct run_stop {
	struct stop_rule *rules; /* owned */
	size_t nrules;
	struct stop_run sr;
	int on;                  /* sr is set up */
	struct buf why;
	size_t stopped;          /* records of this invocation that a rule stopped */
};
/* the rules (texts as given) parsed and set up at level 1 - alpha over the
 * whole plan, fed the records the run directory holds already (have); 0,
 * or -1 (reported: a rule that does not parse, or names a provider not in
 * the run). x starts zeroed; run_stop_release frees it either way */
int run_stop_init(struct run_stop *x, const char *const *rules, size_t nrules, double alpha,
		  const struct plan_item *whole, size_t nwhole, const struct recset *have);
void run_stop_release(struct run_stop *x);
/* struct sched_stop's callbacks, arg the struct run_stop: a record as it
 * is stored; whether to ask a sample now, later or never (with why) */
void run_stop_record(void *arg, const struct record *r);
enum sched_ask run_stop_ask(void *arg, const struct plan_item *it, const char **why);
/* after the loop: run.json's "stop" (from the rules and the final records
 * of dir) added to manifest and written, and the decision noted unless
 * quiet; 0 or -1 (reported) */
int run_stop_finish(struct run_stop *x, cJSON *manifest, const char *dir, int quiet);

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
