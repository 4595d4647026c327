/* cmd_common.c - option parsing, the scoring pool's start and run-directory
 * helpers shared by subcommands. */
#include "cmd/cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/env.h"
#include "rundir/manifest.h"
#include "rundir/store.h"
#include "score/calibrate.h"
#include "score/repo.h"
#include "score/score.h"
#include "score/swebench.h"
#include "stats/swebench_summary.h"
#include "stats/plot.h"
#include "stats/report.h"
#include "stats/summary.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"

int opt_double(const char *name, const char *arg, double min, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < min)
		return error("%s: '%s' is not a number >= %g", name, arg, min);
	*out = v;
	return 0;
}

int opt_summary(int c, const char *arg, struct summary_opts *o)
{
	int v;
	if (c == OPT_BOOTSTRAP) {
		if (opt_int("--bootstrap", arg, 100, 10000000, &v) < 0)
			return -1;
		o->replicates = v;
		return 0;
	}
	if (opt_int("--seed", arg, 0, 2000000000, &v) < 0)
		return -1;
	o->seed = (unsigned long)v;
	return 0;
}

int opt_int(const char *name, const char *arg, long min, long max, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		return error("%s: '%s' is not an integer in %ld..%ld", name, arg, min, max);
	*out = (int)v;
	return 0;
}

void scoring_opts_init(struct scoring_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = default_jobs();
	suite_filter_init(&o->filter);
}

void scoring_opts_release(struct scoring_opts *o)
{
	suite_filter_release(&o->filter);
}

int opt_scoring(int c, const char *arg, struct scoring_opts *o, struct suite *su)
{
	switch (c) {
	case OPT_SUITE:
		if (suite_load(su, arg) < 0)
			return -1;
		o->nsuites++;
		return 1;
	case OPT_OUT: o->out = arg; return 1;
	case OPT_JOBS: return opt_int("--jobs", arg, 1, 256, &o->jobs) < 0 ? -1 : 1;
	case OPT_QUIET: o->quiet = 1; return 1;
	case OPT_REPOS: o->repos = arg; return 1;
	case OPT_ENV: o->env = arg; return 1;
	case OPT_INSTANCES: o->filter.instances = arg; return 1;
	case OPT_REPO: suite_filter_add_repo(&o->filter, arg); return 1;
	default: return 0;
	}
}

int scoring_start(const struct scoring_opts *o, struct suite *su, struct repo_store *repos,
		  struct env_spec *env, cJSON *manifest, struct scorer **sc)
{
	if (repo_store_init(repos, NULL, o->repos) < 0 || (o->env && env_load(env, o->env) < 0))
		return -1;
	struct scorer_opts so = { .jobs = o->jobs, .repos = repos, .env = o->env ? env : NULL };
	sandbox_limits_default(&so.lim);
	*sc = scorer_new(&so);
	if (!*sc)
		return -1;
	signals_install();
	if (calibrate_suite(su, *sc, manifest, o->quiet) < 0 || manifest_write(manifest, o->out) < 0)
		return -1;
	return 0;
}

int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

char *default_out_dir(const char *prefix)
{
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", localtime(&t));
	return xasprintf("results/%s-%s", prefix, when);
}

int finish_run_dir(const char *dir, int quiet)
{
	struct recset rs;
	struct summary s;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0 || summary_build(&s, &rs, NULL) < 0) {
		recset_release(&rs);
		return error("no records in '%s' to report on", dir);
	}
	int rc = report_write_files(&s, dir);
	if (rc == 0)
		rc = swebench_write_summaries(dir, &rs);
	if (rc == 0)
		rc = plot_dir(&s, dir, "tokenbench: pass rate against cost per task", NULL);
	if (!quiet) {
		struct buf t = BUF_INIT;
		report_render(&s, REPORT_TABLE, &t);
		fputs(buf_str(&t), stdout);
		buf_release(&t);
		printf("\nreport: %s/report.md\nsummary: %s/summary.json\n"
		       "charts: %s/frontier.png %s/forest.png %s/lambda.png (and .svg)\n",
		       dir, dir, dir, dir, dir);
	}
	summary_release(&s);
	recset_release(&rs);
	return rc;
}
