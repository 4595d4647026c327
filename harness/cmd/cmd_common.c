/* cmd_common.c - option parsing and run-directory helpers shared by subcommands. */
#include "cmd/cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "rundir/manifest.h"
#include "rundir/plan.h"
#include "rundir/store.h"
#include "score/swebench.h"
#include "stats/swebench_summary.h"
#include "stats/plot.h"
#include "stats/report.h"
#include "stats/summary.h"
#include "util/json.h"
#include "util/msg.h"
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

void run_facts_load(struct run_facts *f, const char *dir)
{
	f->manifest = manifest_read(dir);
	f->norder = plan_task_ids(f->manifest, &f->order);
	f->decision = json_str(cJSON_GetObjectItemCaseSensitive(f->manifest, "stop"), "words", NULL);
}

void run_facts_release(struct run_facts *f)
{
	cJSON_Delete(f->manifest);
	free(f->order);
	f->manifest = NULL;
	f->order = NULL;
}

void run_facts_apply(const struct run_facts *f, struct summary_opts *o)
{
	if (f->norder) {
		o->order = f->order;
		o->norder = f->norder;
	}
	if (f->decision)
		o->anytime = 1;
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
	struct summary_opts so;
	struct run_facts facts;
	summary_opts_default(&so);
	run_facts_load(&facts, dir);
	run_facts_apply(&facts, &so);
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0 || summary_build(&s, &rs, &so) < 0) {
		recset_release(&rs);
		run_facts_release(&facts);
		return error("no records in '%s' to report on", dir);
	}
	if (facts.decision)
		s.decision = xstrdup(facts.decision);
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
	run_facts_release(&facts);
	return rc;
}
