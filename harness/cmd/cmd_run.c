/* cmd_run.c - `tokenbench run`: builds the plan (tasks x providers x
 * samples, minus what the run directory already holds), runs it, and
 * writes the report and charts; with --stop-when, hands the request loop
 * the stopping rules (stats/stop_run.h) as two callbacks. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "core/env.h"
#include "core/provider.h"
#include "core/suite.h"
#include "engine/preflight.h"
#include "engine/sched.h"
#include "rundir/manifest.h"
#include "rundir/plan.h"
#include "rundir/shard.h"
#include "rundir/store.h"
#include "score/agent.h"
#include "score/edit.h"
#include "score/repo.h"
#include "score/score.h"
#include "util/clock.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/rng.h"
#include "util/xalloc.h"
#include "util/datadir.h"

const struct cmd_doc doc_run = {
	"run", "--suite PATH... --providers PATH [--samples K] [--out DIR] [--max-cost USD] [OPTIONS]\n"
	"--retry-errors DIR [--max-cost USD] [--max-attempts N] [OPTIONS]",
	"run suites against providers, score in a sandbox, report",
	"Plans task x provider x sample minus what the run directory already holds, sends the requests, "
	"scores every answer in the sandbox, and writes samples.jsonl, run.json, the report and the charts.",
	(const struct opt_doc[]){
		SCORING_OPTIONS,
		{ "providers", "PATH", 'p', NULL, "the provider file (providers/*.json)" },
		{ "samples", "K", 'k', "1", "samples per task and provider" },
		{ "max-cost", "USD", 'c', "no cap", "the budget: each request's worst case is reserved before it is sent" },
		{ "seed", "S", 'S', "0", "the seed sent with requests and of the retry jitter" },
		{ "dry-run", NULL, 'd', NULL, "print the plan and its estimated and worst-case cost; send nothing" },
		{ "cache", "DIR", 'C', "DIR/cache of the run", "the response cache" },
		{ "limit", "N", 'l', "every task", "only the first N tasks" },
		{ "max-attempts", "N", 'a', "5", "attempts per request (retries of 408, 409, 429, 5xx and transport errors)" },
		{ "retry-errors", "DIR", 'R', NULL, "run again only the samples of DIR that ended in an error" },
		{ "edit-format", "FORMAT", 'E', "diff", "repository tasks: diff, whole or search_replace" },
		{ "tries", "N", 'T', "1", "repository tasks: tries, each shown the last one's test output" },
		{ "no-report", NULL, 'N', NULL, "write only the samples and run.json (tokenbench report DIR --write later)" },
		{ "agent", "bash", 'A', NULL, "repository tasks worked on by a bash agent, one command a turn, until it submits" },
		{ "agent-turns", "N", 1101, "30", "the agent's turns per sample" },
		{ "agent-cost", "USD", 1102, "none", "the agent's cost per sample" },
		{ "agent-time", "S", 1103, "900", "the agent's seconds per sample" },
		{ "agent-output", "BYTES", 1104, "8000", "the bytes of a command's output the model sees" },
		{ "shard", "I/N", 'H', "the whole plan", "only the tasks with sha256(id) mod N = I; --max-cost is then the whole plan's cap" },
		{ "no-preflight", NULL, 1105, NULL, "send no check before the run (by default one cheap request per provider checks its URL, key and model; a failure stops the run, exit 2)" },
		{ "skip-failed-providers", NULL, 1106, NULL, "leave out a provider that fails preflight: its samples are not_attempted (preflight)" },
		{ "breaker", "N", 1107, "20", "pause a provider after N infrastructure failures in a row (0: never; refused, DNS, TLS, 401/403, 404, billing at once) and probe it" },
		{ "breaker-wait", "S", 1108, "300", "a paused provider not back within S seconds: its remaining samples not_attempted (provider_down)" },
		{ "stop-when", "RULE", 1109, NULL, "stop once the answer is known, checked after every task: decided:A,B[,margin=D], race[:margin=D] or width:W; again for more" },
		{ "alpha", "A", 1110, "0.05", "the anytime-valid level of --stop-when" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

struct run_opts {
	struct scoring_opts common; /* --suite, --out, --jobs, --quiet, --repos, --env, --instances, --repo */
	int samples, dry_run, limit, max_attempts, no_report;
	long seed;
	double max_cost;
	const char *cache, *providers;
	char *providers_found;    /* where --providers was found (datadir_find); malloced */
	const char *retry_errors; /* a run directory whose errors are run again */
	int edit_format, tries;
	int edit_format_given;
	struct agent_opts agent;
	struct shard shard;       /* count 0: the whole plan */
	int no_preflight, skip_failed; /* --no-preflight, --skip-failed-providers */
	int breaker;              /* --breaker N */
	double breaker_wait;      /* --breaker-wait S */
	const char **stop_when;   /* --stop-when RULE, as given (borrowed from argv); malloced array */
	size_t nstop, stop_cap;
	double alpha;             /* --alpha */
};

/* whether a URL points at this machine (where no key is needed) */
static int is_loopback(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "localhost", 9) == 0 || strncmp(h, "[::1]", 5) == 0;
}

static int check_keys(const struct provider_set *ps)
{
	int rc = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct provider *p = &ps->v[i];
		const char *k = getenv(p->api_key_env);
		if ((!k || !*k) && !is_loopback(p->base_url))
			rc = error("provider '%s': the environment variable %s (its API key) is not set",
				   p->name, p->api_key_env);
	}
	return rc;
}

/* a sample not attempted because its provider failed preflight or went down */
static int provider_was_down(const struct record *r)
{
	return r->status == ST_NOT_ATTEMPTED && r->error_kind &&
	       (strcmp(r->error_kind, "provider_down") == 0 || strcmp(r->error_kind, "preflight") == 0);
}

/* the plan's tasks: shuffled by the seed (a run stopped early, or by its
 * budget, has covered a random subset of tasks, the same one for every
 * provider), the first --limit of them; with sh, only the shard's. A
 * malloced array of borrowed tasks, *nt set */
static const struct task **plan_tasks(const struct suite *su, const struct run_opts *o, const struct shard *sh,
				      size_t *nt)
{
	size_t n = su->n;
	if (o->limit > 0 && (size_t)o->limit < n)
		n = (size_t)o->limit;
	size_t *order = xmalloc((su->n + 1) * sizeof(*order));
	for (size_t i = 0; i < su->n; i++)
		order[i] = i;
	struct rng r;
	rng_seed(&r, (uint64_t)o->seed * 2654435761u + 7);
	for (size_t i = su->n; i > 1; i--) {
		size_t k = (size_t)rng_below(&r, i);
		size_t t = order[i - 1];
		order[i - 1] = order[k];
		order[k] = t;
	}
	const struct task **v = xcalloc(n + 1, sizeof(*v));
	*nt = 0;
	for (size_t i = 0; i < n; i++)
		if (!sh || shard_has(sh, su->tasks[order[i]].id))
			v[(*nt)++] = &su->tasks[order[i]];
	free(order);
	return v;
}

/* what the run directory's records leave out of the plan, read a record at
 * a time: the last record of a sample decides */
struct resume_scan {
	struct plan *plan;
	const struct run_opts *o;
	struct strmap tasks;      /* task id -> its index in the plan */
	double spent_usd;         /* what the records paid, every one (a replaced error too) */
};

static int resume_take(void *arg, struct record *r, const char *line, size_t len, size_t lineno)
{
	struct resume_scan *x = arg;
	const struct run_opts *o = x->o;
	(void)line, (void)len, (void)lineno;
	if (!isnan(r->cost_usd) && !r->cached)
		x->spent_usd += r->cost_usd;
	long t;
	size_t pi = 0;
	while (pi < x->plan->np && strcmp(x->plan->provs[pi].name, r->provider) != 0)
		pi++;
	if (!strmap_get(&x->tasks, r->task, &t) || pi == x->plan->np || r->sample < 0 || r->sample >= x->plan->samples)
		return 0; /* not a sample of this plan (another --limit, another shard) */
	/* a plain run takes what is missing or was not attempted (with
	 * --stop-when, not what a rule stopped); --retry-errors only what
	 * ended in an error or found its provider down */
	int take = o->retry_errors ? r->status == ST_ERROR || provider_was_down(r)
				   : r->status == ST_NOT_ATTEMPTED && !(o->nstop && record_stopped_early(r));
	plan_set(x->plan, plan_pos(x->plan, (size_t)t, pi, r->sample), take);
	return 0;
}

/* leaves out of the plan what DIR's samples.jsonl already holds (with
 * --retry-errors, asks only what errored there); *spent: what its records
 * paid. The records are streamed: nothing of them stays but a bit per
 * sample of the plan. 0 or -1 (reported) */
static int plan_resume(struct plan *p, const char *dir, const struct run_opts *o, double *spent)
{
	struct resume_scan x = { .plan = p, .o = o };
	strmap_init(&x.tasks);
	for (size_t t = 0; t < p->nt; t++)
		strmap_put(&x.tasks, p->tasks[t]->id, (long)t);
	size_t size = plan_size(p);
	if (o->retry_errors)
		for (size_t i = 0; i < size; i++)
			plan_set(p, i, 0);
	char *path = xasprintf("%s/samples.jsonl", dir);
	int rc = path_exists(path) ? store_each(path, resume_take, &x) : 0;
	*spent = x.spent_usd;
	free(path);
	strmap_release(&x.tasks);
	return rc;
}

/* a shard measures time limits for, and scores, its own tasks only: the
 * suite keeps the plan's tasks, and the plan follows them */
static void keep_plan_tasks(struct suite *su, struct plan *p)
{
	unsigned char *keep = xcalloc(su->n + 1, 1);
	long *where = xcalloc(su->n + 1, sizeof(*where));
	for (size_t t = 0; t < p->nt; t++)
		keep[p->tasks[t] - su->tasks] = 1;
	suite_keep(su, keep, where);
	for (size_t t = 0; t < p->nt; t++)
		p->tasks[t] = &su->tasks[where[p->tasks[t] - su->tasks]];
	free(keep);
	free(where);
}

/* --dry-run with --agent bash: a sample is up to max_turns requests, each
 * re-sending the conversation, which grows by at most an answer
 * (max_tokens), an observation (--agent-output) and a note per turn; with
 * --agent-cost, a sample costs at most that */
static void print_agent_plan(const struct plan *plan, const struct provider_set *ps, const struct run_opts *o)
{
	const struct agent_opts *a = &o->agent;
	printf("%-24s %9s %12s %16s %14s\n", "provider", "samples", "requests <=", "first turn est.", "worst case");
	double te = 0, tw = 0;
	for (size_t pi = 0; pi < ps->n; pi++) {
		const struct provider *p = &ps->v[pi];
		size_t samples = 0;
		double est = 0, worst = 0;
		long max_out = provider_max_tokens(p);
		struct plan_item it;
		for (size_t cur = 0; plan_next(plan, pi, &cur, &it);) {
			samples++;
			long first = (long)strlen(it.task->prompt) + 2400; /* the issue and the system prompt */
			struct usage e = { .input = first / 4, .output = 200 };
			est += price_cost(&p->price, &e);
			double turns = a->max_turns, grow = (double)max_out + (double)a->output_bytes + 400;
			double wc = price_worst(&p->price, (long)(turns * (double)first + turns * (turns - 1) / 2 * grow),
						(long)(turns * (double)max_out), 1);
			worst += a->max_cost_usd > 0 && a->max_cost_usd < wc ? a->max_cost_usd : wc;
		}
		printf("%-24s %9zu %12zu %16.4f %14.4f\n", p->name, samples, samples * (size_t)a->max_turns, est, worst);
		te += est;
		tw += worst;
	}
	printf("%-24s %9zu %12zu %16.4f %14.4f\n", "total", plan->n, plan->n * (size_t)a->max_turns, te, tw);
	printf("\nfirst turn: issue and system prompt bytes / 4 in, 200 out; worst case: --agent-turns %d requests each "
	       "re-sending a conversation that grows by max_tokens, --agent-output %zu bytes and a note a turn, every "
	       "byte a token%s. A turn's request is reserved against --max-cost as any request is.\n",
	       a->max_turns, a->output_bytes, a->max_cost_usd > 0 ? ", at most --agent-cost a sample" : "");
}

/* --dry-run: requests per provider, a rough estimate and the worst case */
static void print_plan(const struct plan *plan, const struct provider_set *ps, const struct run_opts *o,
		       struct repo_store *rs)
{
	if (o->agent.on) {
		print_agent_plan(plan, ps, o);
		return;
	}
	printf("%-24s %9s %14s %14s\n", "provider", "requests", "estimate", "worst case");
	double te = 0, tw = 0;
	for (size_t pi = 0; pi < ps->n; pi++) {
		const struct provider *p = &ps->v[pi];
		size_t req = 0;
		double est = 0, worst = 0;
		struct plan_item it;
		for (size_t cur = 0; plan_next(plan, pi, &cur, &it);) {
			const struct task *t = it.task;
			req++;
			long in_bytes = (long)strlen(t->prompt) + 400;
			/* a repository task's prompt also shows the files the fix touches */
			const char *files = rs && t->repo ? repo_files_text(rs, t) : NULL;
			if (files)
				in_bytes += (long)strlen(files);
			long out_est = (long)strlen(t->reference) / 3 + 120;
			struct usage e = { .input = in_bytes / 4, .output = out_est };
			est += price_cost(&p->price, &e);
			worst += price_worst(&p->price, in_bytes + 64, provider_max_tokens(p), 0);
		}
		printf("%-24s %9zu %14.4f %14.4f\n", p->name, req, est, worst);
		te += est;
		tw += worst;
	}
	printf("%-24s %9zu %14.4f %14.4f\n", "total", plan->n, te, tw);
	printf("\nestimate: prompt bytes / 4 in (with the files shown for repository tasks when --repos is "
	       "given), the reference's length out; worst case: every prompt "
	       "byte a token and max_tokens out (what --max-cost reserves).\n");
	if (o->max_cost > 0)
		printf("--max-cost %.4f holds; requests beyond it are recorded as not_attempted.\n", o->max_cost);
}

/* what preflight found, and what the run leaves out because of it */
struct preflight_state {
	struct preflight_result *res; /* malloced */
	size_t n;
	struct sched_skip *skip;      /* --skip-failed-providers: the providers left out; malloced */
	size_t nskip;
	double cost_usd;              /* the one-token completions', counted in the budget */
};

static void preflight_state_release(struct preflight_state *pf)
{
	preflight_release(pf->res, pf->n);
	free(pf->res);
	free(pf->skip);
}

/* checks each provider that has samples in the plan, all at once, and
 * records what it found in the manifest. Returns 0 to go on (a failed
 * provider in pf->skip with --skip-failed-providers), 1 when a provider
 * failed and the run must stop before any sample is sent, -1 on a system
 * error; failures are reported with the provider's own message */
static int run_preflight(const struct run_opts *o, const struct provider_set *ps, const struct plan *plan,
			 cJSON *manifest, struct preflight_state *pf)
{
	const struct provider **v = xcalloc(ps->n + 1, sizeof(*v));
	for (size_t pi = 0; pi < ps->n; pi++) {
		size_t cur = 0;
		struct plan_item it;
		if (plan_next(plan, pi, &cur, &it))
			v[pf->n++] = &ps->v[pi];
	}
	pf->res = xcalloc(pf->n + 1, sizeof(*pf->res));
	pf->skip = xcalloc(pf->n + 1, sizeof(*pf->skip));
	double t0 = clock_ms();
	int rc = preflight_run(v, pf->n, pf->res);
	free(v);
	if (rc < 0)
		return -1;
	size_t failed = 0;
	for (size_t i = 0; i < pf->n; i++) {
		const struct preflight_result *r = &pf->res[i];
		pf->cost_usd += r->cost_usd;
		if (r->fallback && r->ok && !o->common.quiet)
			note("preflight: provider '%s': checked with a %s (%s)", r->prov->name,
			     strcmp(r->method, "completion") == 0 ? "one-token completion, the models endpoint not settling it"
								 : "models endpoint that rate-limits",
			     r->fallback);
		if (r->ok)
			continue;
		failed++;
		error("provider '%s' failed preflight: %s", r->prov->name, r->detail);
		if (o->skip_failed)
			pf->skip[pf->nskip++] = (struct sched_skip){ r->prov, r->detail };
	}
	cJSON *pj = cJSON_AddObjectToObject(manifest, "preflight");
	cJSON_AddItemToObject(pj, "providers", preflight_json(pf->res, pf->n));
	cJSON_AddNumberToObject(pj, "ms", clock_ms() - t0);
	cJSON_AddNumberToObject(pj, "cost_usd", pf->cost_usd);
	cJSON_AddBoolToObject(pj, "skip_failed", o->skip_failed);
	if (!o->common.quiet)
		note("preflight: %zu of %zu providers answer (%.0f ms)", pf->n - failed, pf->n, clock_ms() - t0);
	if (failed && !o->skip_failed) {
		error("no sample was sent: fix the provider file or the key, or run again with --skip-failed-providers "
		      "(or --no-preflight)");
		return 1;
	}
	if (failed)
		warning("--skip-failed-providers: the samples of %zu provider%s are recorded not_attempted (preflight)",
			failed, failed > 1 ? "s" : "");
	return 0;
}

/* parses options into o and su; with need_suite, --suite and --providers are required */
static int parse_args(int argc, char **argv, struct run_opts *o, struct suite *su, int need_suite)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_run, opts);
	int c, v, taken;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((taken = opt_scoring(c, optarg, &o->common, su)) != 0) {
			if (taken < 0)
				return -1;
			continue;
		}
		switch (c) {
		case 'p':
			free(o->providers_found);
			o->providers = o->providers_found = datadir_find(optarg);
			break;
		case 'k':
			if (opt_int("--samples", optarg, 1, 1000, &o->samples) < 0)
				return -1;
			break;
		case 'c':
			if (opt_double("--max-cost", optarg, 0, &o->max_cost) < 0)
				return -1;
			break;
		case 'S':
			if (opt_int("--seed", optarg, 0, 2000000000, &v) < 0)
				return -1;
			o->seed = v;
			break;
		case 'd': o->dry_run = 1; break;
		case 'C': o->cache = optarg; break;
		case 'l':
			if (opt_int("--limit", optarg, 1, 100000000, &o->limit) < 0)
				return -1;
			break;
		case 'a':
			if (opt_int("--max-attempts", optarg, 1, 100, &o->max_attempts) < 0)
				return -1;
			break;
		case 'N': o->no_report = 1; break;
		case 'R': o->retry_errors = optarg; break;
		case 'E':
			if ((o->edit_format = edit_format_parse(optarg)) < 0) {
				error("--edit-format: '%s' is not diff, whole or search_replace", optarg);
				return -1;
			}
			o->edit_format_given = 1;
			break;
		case 'A':
			if (strcmp(optarg, "bash") != 0) {
				error("--agent: '%s' is not an agent (there is one: bash)", optarg);
				return -1;
			}
			o->agent.on = 1;
			break;
		case 1101:
			if (opt_int("--agent-turns", optarg, 1, 10000, &o->agent.max_turns) < 0)
				return -1;
			break;
		case 1102:
			if (opt_double("--agent-cost", optarg, 0, &o->agent.max_cost_usd) < 0)
				return -1;
			break;
		case 1103:
			if (opt_double("--agent-time", optarg, 1, &o->agent.max_time_s) < 0)
				return -1;
			break;
		case 1104:
			if (opt_int("--agent-output", optarg, 200, 16 << 20, &v) < 0)
				return -1;
			o->agent.output_bytes = (size_t)v;
			break;
		case 1105: o->no_preflight = 1; break;
		case 1106: o->skip_failed = 1; break;
		case 1107:
			if (opt_int("--breaker", optarg, 0, 1000000, &o->breaker) < 0)
				return -1;
			break;
		case 1108:
			if (opt_double("--breaker-wait", optarg, 0, &o->breaker_wait) < 0)
				return -1;
			break;
		case 'T':
			if (opt_int("--tries", optarg, 1, 10, &o->tries) < 0)
				return -1;
			break;
		case 'H':
			if (shard_parse(&o->shard, optarg) < 0)
				return -1;
			break;
		case 1109:
			XGROW(o->stop_when, o->stop_cap, o->nstop + 1);
			o->stop_when[o->nstop++] = optarg;
			break;
		case 1110:
			if (opt_double("--alpha", optarg, 0, &o->alpha) < 0)
				return -1;
			if (!(o->alpha > 0 && o->alpha < 1)) {
				error("--alpha: '%s' is not a level between 0 and 1 (0.05)", optarg);
				return -1;
			}
			break;
		case 'h': help_print(&doc_run, stdout); exit(EXIT_OK);
		default: help_usage(&doc_run, stderr); return -1;
		}
	}
	if ((need_suite && (!o->common.nsuites || !o->providers)) || optind != argc) {
		help_usage(&doc_run, stderr);
		return -1;
	}
	return 0;
}

/* --agent bash: only repository tasks, and none of the single-answer options */
static int check_agent(const struct run_opts *o, const struct suite *su)
{
	if (!o->agent.on)
		return 0;
	if (o->tries > 1)
		return error("--tries and --agent bash do not go together: the agent sees the tests' output "
			     "when it runs them");
	if (o->edit_format_given)
		return error("--edit-format and --agent bash do not go together: the agent's answer is its "
			     "work copy's diff");
	size_t bad = 0;
	const struct task *first = NULL;
	for (size_t i = 0; i < su->n; i++)
		if (!su->tasks[i].repo) {
			first = first ? first : &su->tasks[i];
			bad++;
		}
	if (bad)
		return error("--agent bash works on repository tasks only: task '%s' (%s) is a %s task%s", first->id,
			     first->origin, first->kind,
			     bad > 1 ? " (and so are other tasks of these suites)" : "");
	return 0;
}

/* --retry-errors DIR: the suites, providers, samples and seed come from the
 * command that made DIR (its run.json); options given now are added */
static int load_retry(struct run_opts *o, struct suite *su, cJSON **stored)
{
	char *path = xasprintf("%s/run.json", o->retry_errors);
	struct buf text = BUF_INIT;
	int rc = file_read(path, &text);
	*stored = rc == 0 ? cJSON_Parse(buf_str(&text)) : NULL;
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(*stored, "command");
	if (rc == 0 && !cJSON_IsArray(cmd))
		rc = error("'%s' has no command to repeat", path);
	buf_release(&text);
	free(path);
	if (rc < 0)
		return -1;
	int argc = cJSON_GetArraySize(cmd);
	char **argv = xcalloc((size_t)argc + 1, sizeof(*argv));
	for (int i = 0; i < argc; i++)
		argv[i] = cJSON_GetArrayItem(cmd, i)->valuestring;
	struct run_opts before = *o;
	o->stop_when = NULL; /* before keeps the rules given now */
	o->nstop = o->stop_cap = 0;
	optind = 0;
	rc = parse_args(argc, argv, o, su, 1);
	free(argv);
	/* what the user said now wins over the stored command, and the errors
	 * are retried in the directory that has them */
	o->retry_errors = before.retry_errors;
	o->common.out = before.retry_errors;
	if (before.max_cost > 0)
		o->max_cost = before.max_cost;
	if (before.common.quiet)
		o->common.quiet = 1;
	if (before.max_attempts != 5)
		o->max_attempts = before.max_attempts;
	if (before.common.jobs != default_jobs())
		o->common.jobs = before.common.jobs;
	if (before.nstop) {
		/* rules given now replace the stored ones */
		free(o->stop_when);
		o->stop_when = before.stop_when;
		o->nstop = before.nstop;
		o->stop_cap = before.stop_cap;
	} else {
		free(before.stop_when);
	}
	if (before.alpha != 0.05)
		o->alpha = before.alpha;
	o->dry_run |= before.dry_run;
	o->no_preflight |= before.no_preflight;
	o->skip_failed |= before.skip_failed;
	if (before.breaker != 20)
		o->breaker = before.breaker;
	if (before.breaker_wait != 300)
		o->breaker_wait = before.breaker_wait;
	return rc;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .samples = 1, .max_attempts = 5, .tries = 1, .breaker = 20, .breaker_wait = 300,
			      .alpha = 0.05 };
	struct run_stop stop = { 0 };
	scoring_opts_init(&o.common);
	agent_opts_default(&o.agent);
	struct repo_store repos = { 0 };
	struct env_spec env;
	env_init(&env);
	struct suite su;
	struct provider_set ps;
	struct recset have;
	struct store store = { .lock_fd = -1 };
	struct cache cache = { .fd = -1 };
	struct scorer *sc = NULL;
	struct plan plan = { 0 }, whole = { 0 };
	struct plan_item *stop_items = NULL;
	cJSON *manifest = NULL;
	struct preflight_state pf = { 0 };
	char *out_alloc = NULL, *cache_alloc = NULL;
	int rc = EXIT_USAGE;
	suite_init(&su);
	provider_set_init(&ps);
	recset_init(&have);
	cJSON *stored = NULL;
	if (parse_args(argc, argv, &o, &su, 0) < 0)
		goto out;
	if (o.retry_errors && (o.common.nsuites || o.providers)) {
		error("--retry-errors reuses the suites and providers of the run it retries");
		goto out;
	}
	if (o.retry_errors && load_retry(&o, &su, &stored) < 0)
		goto out;
	if (!o.common.nsuites || !o.providers) {
		help_usage(&doc_run, stderr);
		goto out;
	}
	if (o.nstop && o.shard.count) {
		error("--stop-when does not go with --shard: one decision needs every task");
		goto out;
	}
	if (suite_select(&su, &o.common.filter) < 0)
		goto out;
	if (check_agent(&o, &su) < 0)
		goto out;
	msg_set_quiet(o.common.quiet);
	if (provider_set_load(&ps, o.providers) < 0 || check_keys(&ps) < 0)
		goto out;
	if (!o.common.out)
		o.common.out = out_alloc = default_out_dir("run");
	/* the plan streams: its samples are made from (task, provider,
	 * sample) as the loop comes to them, and what the run directory holds
	 * already is a bit per sample (plan_resume) */
	size_t nt, nwhole_t;
	const struct task **pt = plan_tasks(&su, &o, &o.shard, &nt);
	plan_init(&plan, pt, nt, ps.v, ps.n, o.samples, o.nstop > 0);
	double spent_before = 0;
	if (plan_resume(&plan, o.common.out, &o, &spent_before) < 0)
		goto out;
	size_t n = plan.n, skipped = plan_size(&plan) - plan.n;
	/* the whole plan, every shard and nothing done yet: what run.json
	 * describes and what a budget cap is split by */
	pt = plan_tasks(&su, &o, NULL, &nwhole_t);
	plan_init(&whole, pt, nwhole_t, ps.v, ps.n, o.samples, 0);
	/* the stopping rules see the whole plan and every record (they are
	 * not streamed: --stop-when is for plans that a decision can cut) */
	if (o.nstop) {
		size_t nstop_items;
		stop_items = plan_items(&whole, &nstop_items);
		if (recset_load(&have, o.common.out, 1) < 0 ||
		    run_stop_init(&stop, o.stop_when, o.nstop, o.alpha, stop_items, nstop_items, &have) < 0)
			goto out;
		recset_release(&have);
	}
	double plan_max_cost = o.max_cost;
	o.max_cost = shard_budget(&o.shard, &whole, plan_max_cost);
	if (o.shard.count && o.max_cost > 0 && !o.common.quiet)
		note("shard %d/%d: its budget is $%.6f of the plan's $%.4f (its share of the worst case)",
		     o.shard.index, o.shard.count, o.max_cost, plan_max_cost);
	if (o.dry_run) {
		int have_repos = o.common.repos && repo_store_init(&repos, NULL, o.common.repos) == 0;
		print_plan(&plan, &ps, &o, have_repos ? &repos : NULL);
		rc = EXIT_OK;
		goto out;
	}
	rc = EXIT_SYSTEM;
	if (store_open(&store, o.common.out) < 0)
		goto out;
	if (!o.cache)
		o.cache = cache_alloc = xasprintf("%s/cache", o.common.out);
	manifest = manifest_new(argc, argv, &su);
	if (stored) {
		/* the run keeps the command that made it; the retry is noted beside it */
		cJSON_AddItemToObject(manifest, "retry_command", cJSON_DetachItemFromObject(manifest, "command"));
		cJSON_AddItemToObject(manifest, "command",
				      cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(stored, "command"), 1));
	}
	cJSON *pj = cJSON_AddObjectToObject(manifest, "providers");
	cJSON_AddStringToObject(pj, "path", ps.path);
	cJSON_AddStringToObject(pj, "sha256", ps.hash);
	cJSON_AddItemToObject(pj, "prices", provider_prices_json(&ps));
	cJSON_AddNumberToObject(manifest, "seed", (double)o.seed);
	cJSON_AddNumberToObject(manifest, "samples", o.samples);
	json_add_num(manifest, "max_cost_usd", plan_max_cost > 0 ? plan_max_cost : NAN);
	cJSON_AddStringToObject(manifest, "cache", o.cache);
	cJSON_AddStringToObject(manifest, "edit_format", edit_format_name((enum edit_format)o.edit_format));
	cJSON_AddNumberToObject(manifest, "tries", o.tries);
	if (o.agent.on)
		cJSON_AddItemToObject(manifest, "agent", agent_opts_json(&o.agent));
	plan_manifest(manifest, &whole, o.limit);
	shard_manifest(manifest, &o.shard, &whole, plan_max_cost);
	plan_release(&whole); /* its tasks may move */
	if (o.shard.count)
		keep_plan_tasks(&su, &plan);
	int pre = o.no_preflight || n == 0 ? 0 : run_preflight(&o, &ps, &plan, manifest, &pf);
	if (manifest_write(manifest, o.common.out) < 0 || pre < 0)
		goto out;
	if (pre > 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (cache_open(&cache, o.cache) < 0 || scoring_start(&o.common, &su, &repos, &env, manifest, &sc) < 0)
		goto out;
	double before = spent_before + pf.cost_usd;
	if (!o.common.quiet)
		note("%zu requests planned (%zu samples already in %s), %zu providers, %d sandbox jobs",
		     n, skipped, o.common.out, ps.n, scorer_jobs(sc));
	struct sched_opts sopt = {
		.max_cost_usd = o.max_cost,
		.spent_before_usd = before,
		.seed = o.seed,
		.max_attempts = o.max_attempts,
		.quiet = o.common.quiet,
		.cache = &cache,
		.store = &store,
		.scorer = sc,
		.repos = &repos,
		.edit_format = (enum edit_format)o.edit_format,
		.tries = o.tries,
		.agent = o.agent.on ? &o.agent : NULL,
		.breaker_threshold = o.breaker,
		.breaker_wait_s = o.breaker_wait,
		.skip = pf.skip,
		.nskip = pf.nskip,
	};
	/* --retry-errors asks again what errored, whatever the rules said: they
	 * are fed, so that run.json keeps their decision */
	if (stop.on)
		sopt.stop = (struct sched_stop){ .record = run_stop_record, .ask = o.retry_errors ? NULL : run_stop_ask,
						 .arg = &stop };
	struct sched_stats st;
	int failed = sched_run(&plan, &sopt, &st) < 0;
	scorer_free(sc);
	sc = NULL;
	store_close(&store);
	if (!o.common.quiet)
		note("%zu requests sent, %zu answers from the cache, $%.4f spent; %zu passed, %zu failed, "
		     "%zu errors, %zu not attempted",
		     st.requests, st.cache_hits, st.spent_usd, st.passed, st.failed, st.errors, st.not_attempted);
	if (st.stop_overruled)
		warning("--stop-when held every provider back with nothing under way %zu times: one sample of "
			"each was asked anyway", st.stop_overruled);
	if (stop.on && run_stop_finish(&stop, manifest, o.common.out, o.common.quiet) < 0)
		failed = 1;
	if (failed || (!o.no_report && finish_run_dir(o.common.out, o.common.quiet) < 0))
		goto out;
	/* what a rule stopped is the run working as asked, not something to look into */
	rc = st.errors || st.not_attempted > stop.stopped ? EXIT_ATTENTION : EXIT_OK;
out:
	scorer_free(sc);
	store_close(&store);
	cache_close(&cache);
	cJSON_Delete(manifest);
	cJSON_Delete(stored);
	preflight_state_release(&pf);
	plan_release(&plan);
	plan_release(&whole);
	free(stop_items);
	free(out_alloc);
	free(cache_alloc);
	recset_release(&have);
	run_stop_release(&stop);
	free(o.stop_when);
	provider_set_release(&ps);
	repo_store_release(&repos);
	env_release(&env);
	scoring_opts_release(&o.common);
	suite_release(&su);
	free(o.providers_found);
	return rc;
}
