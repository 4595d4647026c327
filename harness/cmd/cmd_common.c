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

#include "core/catalog.h"
#include "core/env.h"
#include "core/predictions.h"
#include "engine/prompt.h"
#include "engine/proto.h"
#include "rundir/cache.h"
#include "rundir/manifest.h"
#include "rundir/plan.h"
#include "rundir/store.h"
#include "score/calibrate.h"
#include "score/repo.h"
#include "score/score.h"
#include "score/swebench.h"
#include "stats/plot.h"
#include "stats/report.h"
#include "stats/report_html.h"
#include "stats/summary.h"
#include "stats/swebench_summary.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"
#include "util/datadir.h"

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
	/* TOKENBENCH_ZYGOTE=off: the default for a whole test session */
	const char *zy = getenv("TOKENBENCH_ZYGOTE");
	o->zygote = !(zy && strcmp(zy, "off") == 0);
	suite_filter_init(&o->filter);
}

void scoring_opts_release(struct scoring_opts *o)
{
	suite_filter_release(&o->filter);
	free(o->env_found);
	o->env_found = NULL;
}

int opt_scoring(int c, const char *arg, struct scoring_opts *o, struct suite *su)
{
	switch (c) {
	case OPT_SUITE: {
		/* a catalogued name (humaneval: the fetched copy), or a relative
		 * path found nowhere here: one of tokenbench's own suites */
		int missing;
		char *path = catalog_suite_path(arg, &missing);
		if (missing < 0)
			return -1;
		if (!path)
			path = datadir_find(arg);
		int rc = suite_load(su, path);
		free(path);
		if (rc < 0)
			return -1;
		o->nsuites++;
		return 1;
	}
	case OPT_OUT: o->out = arg; return 1;
	case OPT_JOBS: return opt_int("--jobs", arg, 1, 256, &o->jobs) < 0 ? -1 : 1;
	case OPT_QUIET: o->quiet = 1; return 1;
	case OPT_REPOS: o->repos = arg; return 1;
	case OPT_ENV:
		free(o->env_found);
		o->env = o->env_found = datadir_find(arg);
		return 1;
	case OPT_INSTANCES: o->filter.instances = arg; return 1;
	case OPT_REPO: suite_filter_add_repo(&o->filter, arg); return 1;
	case OPT_ZYGOTE:
		if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
			return error("--zygote: '%s' is neither on nor off", arg);
		o->zygote = strcmp(arg, "on") == 0;
		return 1;
	default: return 0;
	}
}

int scoring_start(const struct scoring_opts *o, struct suite *su, struct repo_store *repos,
		  struct env_spec *env, cJSON *manifest, struct scorer **sc)
{
	if (repo_store_init(repos, NULL, o->repos) < 0 || (o->env && env_load(env, o->env) < 0))
		return -1;
	struct scorer_opts so = { .jobs = o->jobs, .repos = repos, .env = o->env ? env : NULL, .zygote = o->zygote };
	sandbox_limits_default(&so.lim);
	*sc = scorer_new(&so);
	if (!*sc)
		return -1;
	signals_install();
	if (calibrate_suite(su, *sc, manifest, o->quiet) < 0 || manifest_write(manifest, o->out) < 0)
		return -1;
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

/* ---- what report.html shows that only the run's inputs hold ---- */

static const struct task *page_task(void *arg, const char *id)
{
	struct page_sources *ps = arg;
	return ps->nsuites ? suite_find(&ps->suite, id) : NULL;
}

static int page_prompt(void *arg, const struct task *t, struct buf *out)
{
	struct page_sources *ps = arg;
	if (ps->scored_elsewhere) {
		buf_printf(out, "The task (eval-predictions scored answers made elsewhere: no prompt was sent):\n\n%s",
			   t->prompt);
		return 0;
	}
	if (t->repo) {
		/* the files shown with the issue come from the repository, not kept here */
		buf_printf(out, "The issue in %s (the model also saw the repository's files, or worked in a "
				"checkout of it):\n\n%s", t->repo->name ? t->repo->name : "the repository", t->prompt);
		return 0;
	}
	struct prompt p;
	if (prompt_render(&p, t, NULL) < 0)
		return -1;
	buf_printf(out, "system:\n%s\n\nuser:\n%s", p.system ? p.system : "", p.user ? p.user : "");
	prompt_release(&p);
	return 0;
}

static int page_answer(void *arg, const struct record *r, struct buf *out)
{
	struct page_sources *ps = arg;
	if (r->response_key && ps->have_cache) {
		struct cached c;
		if (cache_get(&ps->cache, r->response_key, &c) != 1)
			return -1;
		/* the protocol is the one whose parser reads the body */
		const struct proto *protos[] = { &proto_openai, &proto_anthropic };
		int rc = -1;
		for (size_t i = 0; i < 2 && rc < 0; i++) {
			struct response resp = { 0 };
			char *err = NULL;
			if (protos[i]->parse(c.body, c.len, &resp, &err) == 0 && resp.text) {
				buf_puts(out, resp.text);
				rc = 0;
			}
			free(err);
			response_release(&resp);
		}
		cached_release(&c);
		return rc;
	}
	char *key = record_key(r->task, r->provider, r->sample);
	long at;
	int found = ps->preds.n && strmap_get(&ps->pred_index, key, &at);
	free(key);
	if (found)
		buf_puts(out, ps->preds.v[at].code);
	else if (ps->gold_or_empty && strcmp(r->provider, "gold") == 0 && page_task(ps, r->task))
		buf_puts(out, page_task(ps, r->task)->reference);
	else if (ps->gold_or_empty && strcmp(r->provider, "empty") == 0)
		buf_puts(out, "");
	else
		return -1;
	return 0;
}

/* the value after opt in run.json's command, or NULL */
static const char *command_value(const cJSON *run, const char *opt)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(run, "command"), *x;
	int next = 0;
	cJSON_ArrayForEach(x, a) {
		if (!cJSON_IsString(x))
			continue;
		if (next)
			return x->valuestring;
		next = strcmp(x->valuestring, opt) == 0;
	}
	return NULL;
}

void page_sources_open(struct page_sources *ps, const char *dir)
{
	memset(ps, 0, sizeof(*ps));
	suite_init(&ps->suite);
	predictions_init(&ps->preds);
	strmap_init(&ps->pred_index);
	ps->src = (struct html_sources){ page_task, page_prompt, page_answer, ps };
	char *path = xasprintf("%s/run.json", dir);
	struct buf text = BUF_INIT;
	cJSON *run = path_exists(path) && file_read(path, &text) == 0 ? json_parse(text.data, text.len) : NULL;
	const cJSON *x;
	/* the suites where they were read from (relative to where tokenbench ran): a run directory
	 * moved elsewhere shows no prompts, and says so */
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(run, "suites")) {
		const char *p = json_str(x, "path", NULL);
		if (p && path_exists(p) && suite_load(&ps->suite, p) == 0)
			ps->nsuites++;
	}
	char *cache = xasprintf("%s/cache", dir);
	const char *shared = json_str(run, "cache", NULL);
	const char *use = path_is_dir(cache) ? cache : shared && path_is_dir(shared) ? shared : NULL;
	ps->have_cache = use && cache_open(&ps->cache, use) == 0;
	const char *pred = json_str(run, "predictions", NULL);
	if (pred && path_exists(pred) && predictions_load(&ps->preds, pred, command_value(run, "--name")) == 0)
		for (size_t i = 0; i < ps->preds.n; i++) {
			char *key = record_key(ps->preds.v[i].task_id, ps->preds.v[i].provider, ps->preds.v[i].sample);
			strmap_put(&ps->pred_index, key, (long)i);
			free(key);
		}
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(run, "command");
	cJSON_ArrayForEach(x, cmd)
		ps->gold_or_empty |= cJSON_IsString(x) && (strcmp(x->valuestring, "--gold") == 0 ||
							   strcmp(x->valuestring, "--empty") == 0);
	ps->scored_elsewhere = pred || ps->gold_or_empty;
	free(cache);
	free(path);
	cJSON_Delete(run);
	buf_release(&text);
}

void page_sources_close(struct page_sources *ps)
{
	suite_release(&ps->suite);
	if (ps->have_cache)
		cache_close(&ps->cache);
	predictions_release(&ps->preds);
	strmap_release(&ps->pred_index);
	memset(ps, 0, sizeof(*ps));
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
	unsigned drawn = 0;
	int rc = report_write_files(&s, dir);
	if (rc == 0)
		rc = swebench_write_summaries(dir, &rs);
	if (rc == 0)
		rc = plot_dir(&s, dir, PLOT_TITLE, NULL, &drawn);
	if (rc == 0) {
		struct page_sources ps;
		page_sources_open(&ps, dir);
		rc = report_html_write(&s, &rs, &ps.src, dir);
		page_sources_close(&ps);
	}
	if (!quiet) {
		struct buf t = BUF_INIT;
		report_render(&s, REPORT_TABLE, &t);
		fputs(buf_str(&t), stdout);
		printf("\nreport: %s/report.md\npage: %s/report.html\nsummary: %s/summary.json\n", dir, dir, dir);
		buf_reset(&t);
		plot_list(dir, drawn, &t);
		if (t.len)
			printf("charts: %s (and .svg)\n", buf_str(&t));
		else
			printf("charts: none (nothing to draw)\n");
		buf_release(&t);
	}
	summary_release(&s);
	recset_release(&rs);
	run_facts_release(&facts);
	return rc;
}
