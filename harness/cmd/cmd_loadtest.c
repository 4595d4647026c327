/* cmd_loadtest.c - `tokenbench loadtest --providers FILE --provider NAME`:
 * a ladder of concurrencies against one endpoint (engine/loadgen.c), each
 * step summarised (stats/loadstat.c), the knee under --slo, the cost of a
 * token served yourself at each step (core/selfhost.c), results as JSON and
 * a chart; --write-price writes the price at the knee into the provider
 * file. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/provider.h"
#include "core/selfhost.h"
#include "core/suite.h"
#include "engine/loadgen.h"
#include "engine/prompt.h"
#include "stats/loadstat.h"
#include "stats/plot.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_loadtest = {
	"loadtest", "--providers FILE --provider NAME [options]",
	"load-test an endpoint: throughput, latency, the knee, a self-hosted price",
	"Streams requests to one OpenAI-compatible endpoint at a ladder of concurrencies, each step bounded "
	"in requests and seconds (warm-up excluded), and reports throughput, TTFT, inter-token and end-to-end "
	"latency, errors, the knee under --slo and the self-hosted price per million tokens.",
	(const struct opt_doc[]){
		{ "providers", "FILE", 'p', NULL, "the provider file" },
		{ "provider", "NAME", 'n', NULL, "the provider (endpoint and model) to load" },
		{ "concurrency", "LIST", 'c', "1,2,4,8,16,32,64,128,256", "the ladder of concurrencies" },
		{ "input-tokens", "N", 'i', "1024", "prompt length, about" },
		{ "output-tokens", "N", 'O', "128", "tokens each answer is asked for (ignore_eos)" },
		{ "suite", "PATH", 'S', NULL, "take the prompts from this suite instead" },
		{ "requests", "N", 'r', "4 x concurrency, at least 16", "a step sends at most N" },
		{ "step-seconds", "S", 's', "60", "a step sends nothing after S seconds" },
		{ "timeout", "S", 't', "60", "one request's limit; a step ends by S + step-seconds + 1" },
		{ "max-errors", "N", 'e', "20", "a step stops sending after N errors" },
		{ "slo", "TTFT_MS,ITL_MS", 'L', "2000,100", "the knee: p95 TTFT and p95 inter-token latency" },
		{ "selfhost", "NAME=VAL", 'H', NULL,
		  "a cost input (gpu_hour_usd, gpus, capex_usd, life_years, utilisation, power_w, pue, kwh_usd, "
		  "hosting_month_usd, staff_month_usd), over the provider's selfhost object" },
		{ "write-price", NULL, 'w', NULL, "write the price at the knee into FILE as NAME's price" },
		{ "out", "DIR", 'o', "results/loadtest-NAME-TIME", "where loadtest.json, .png and .gp go" },
		{ "quiet", NULL, 'q', NULL, "no table at the end" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

struct lt_opts {
	const char *providers, *name, *suite, *out;
	int *ladder;
	size_t nladder;
	long input_tokens, output_tokens, requests, max_errors;
	double step_s, timeout_s, slo_ttft, slo_itl;
	int write_price, quiet;
	struct selfhost sh;
};

static int parse_ladder(const char *arg, struct lt_opts *o)
{
	free(o->ladder);
	o->ladder = NULL;
	o->nladder = 0;
	size_t cap = 0;
	for (const char *p = arg; *p;) {
		char *end;
		long c = strtol(p, &end, 10);
		if (end == p || c < 1 || c > 4096 || (*end && *end != ','))
			return error("--concurrency: '%s' is not a list of numbers in 1..4096", arg);
		if (o->nladder && c <= o->ladder[o->nladder - 1])
			return error("--concurrency: '%s' must increase", arg);
		XGROW(o->ladder, cap, o->nladder + 1);
		o->ladder[o->nladder++] = (int)c;
		p = *end ? end + 1 : end;
	}
	return o->nladder ? 0 : error("--concurrency: empty list");
}

static int parse_opts(int argc, char **argv, struct lt_opts *o)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_loadtest, opts);
	int c, v;
	char *end;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case 'p': o->providers = optarg; break;
		case 'n': o->name = optarg; break;
		case 'c': rc = parse_ladder(optarg, o); break;
		case 'i': rc = opt_int("--input-tokens", optarg, 1, 1000000, &v); o->input_tokens = v; break;
		case 'O': rc = opt_int("--output-tokens", optarg, 2, 1000000, &v); o->output_tokens = v; break;
		case 'r': rc = opt_int("--requests", optarg, 1, 10000000, &v); o->requests = v; break;
		case 's': rc = opt_double("--step-seconds", optarg, 0.1, &o->step_s); break;
		case 't': rc = opt_double("--timeout", optarg, 0.1, &o->timeout_s); break;
		case 'e': rc = opt_int("--max-errors", optarg, 1, 10000000, &v); o->max_errors = v; break;
		case 'L':
			o->slo_ttft = strtod(optarg, &end);
			if (end == optarg || *end != ',' || !(o->slo_ttft >= 0))
				return error("--slo: '%s' is not TTFT_MS,ITL_MS", optarg);
			o->slo_itl = strtod(end + 1, &end);
			if (*end || !(o->slo_itl >= 0))
				return error("--slo: '%s' is not TTFT_MS,ITL_MS", optarg);
			break;
		case 'H': rc = selfhost_set(&o->sh, optarg, "command line"); break;
		case 'w': o->write_price = 1; break;
		case 'o': o->out = optarg; break;
		case 'S': o->suite = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': help_print(&doc_loadtest, stdout); exit(EXIT_OK);
		default: return -1;
		}
		if (rc < 0)
			return -1;
	}
	if (!o->providers || !o->name || optind != argc)
		return error("--providers and --provider are required");
	if (!o->nladder)
		parse_ladder("1,2,4,8,16,32,64,128,256", o);
	return 0;
}

/* the prompts: a suite's, or one of about input_tokens tokens; malloced each */
static int make_prompts(const struct lt_opts *o, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	if (!o->suite) {
		struct buf b = BUF_INIT;
		static const char words[] = "Summarise the design of a small benchmark harness in plain words. ";
		while ((long)b.len < o->input_tokens * 4)
			buf_puts(&b, words);
		b.data[b.len = (size_t)o->input_tokens * 4] = '\0';
		XGROW(*out, cap, 1);
		(*out)[(*n)++] = buf_detach(&b);
		return 0;
	}
	struct suite s;
	suite_init(&s);
	if (suite_load(&s, o->suite) < 0) {
		suite_release(&s);
		return -1;
	}
	struct prompt_opts po = { NULL, 0, NULL };
	for (size_t i = 0; i < s.n; i++) {
		struct prompt pr;
		if (prompt_render(&pr, &s.tasks[i], &po) < 0)
			continue; /* a repository task without its files: not a prompt to send */
		XGROW(*out, cap, *n + 1);
		(*out)[(*n)++] = xasprintf("%s\n\n%s", pr.msgs[0].content, pr.msgs[1].content);
		prompt_release(&pr);
	}
	suite_release(&s);
	return *n ? 0 : error("%s: no task renders to a prompt", o->suite);
}

/* one step's figures as JSON, with its cost when there is an hourly cost */
static cJSON *point_json(const struct load_point *p, double hour_usd)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "concurrency", p->concurrency);
	cJSON_AddNumberToObject(o, "sent", (double)p->sent);
	cJSON_AddNumberToObject(o, "ok", (double)p->ok);
	cJSON_AddNumberToObject(o, "errors", (double)p->errors);
	if (p->first_error[0])
		cJSON_AddStringToObject(o, "first_error", p->first_error);
	cJSON_AddStringToObject(o, "stopped_by", p->stopped_by ? p->stopped_by : "");
	cJSON_AddBoolToObject(o, "aborted_in_flight", p->aborted);
	json_add_num(o, "window_s", p->window_s);
	cJSON_AddBoolToObject(o, "window_whole_step", p->whole_step);
	json_add_num(o, "output_tokens_per_s", p->out_tok_s);
	json_add_num(o, "input_tokens_per_s", p->in_tok_s);
	json_add_num(o, "requests_per_s", p->req_s);
	json_add_num(o, "output_tokens_per_s_window", p->out_tok_s_window);
	cJSON_AddNumberToObject(o, "latency_requests", (double)p->measured);
	json_add_num(o, "ttft_ms_p50", p->ttft_p50);
	json_add_num(o, "ttft_ms_p95", p->ttft_p95);
	json_add_num(o, "ttft_ms_p99", p->ttft_p99);
	json_add_num(o, "itl_ms_p50", p->itl_p50);
	json_add_num(o, "itl_ms_p95", p->itl_p95);
	json_add_num(o, "e2e_ms_p50", p->e2e_p50);
	json_add_num(o, "e2e_ms_p95", p->e2e_p95);
	json_add_num(o, "prefill_ms_per_input_token", p->prefill_ms_per_token);
	json_add_num(o, "prefill_share", p->prefill_share);
	/* the prefill alone would fill every second: output is priced at 0 */
	cJSON_AddBoolToObject(o, "prefill_share_capped", p->in_tok_s * p->prefill_ms_per_token / 1e3 >= 1);
	if (!isnan(hour_usd)) {
		double in, out;
		selfhost_mtok(hour_usd, p->in_tok_s, p->out_tok_s, p->prefill_share, &in, &out);
		json_add_num(o, "input_usd_per_mtok", in);
		json_add_num(o, "output_usd_per_mtok", out);
	}
	return o;
}

/* the provider entry's "selfhost" object, under what the command line set */
static int load_selfhost(const struct lt_opts *o, struct selfhost *sh)
{
	struct buf data = BUF_INIT;
	int rc = -1;
	selfhost_init(sh);
	if (file_read(o->providers, &data) < 0)
		return -1;
	cJSON *root = json_parse(buf_str(&data), data.len);
	const cJSON *list = cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "providers"), *e;
	char *where = xasprintf("%s: provider '%s'", o->providers, o->name);
	cJSON_ArrayForEach(e, list)
		if (strcmp(json_str(e, "name", ""), o->name) == 0 &&
		    selfhost_load(sh, cJSON_GetObjectItemCaseSensitive(e, "selfhost"), where) < 0)
			goto out;
	for (int f = 0; f < SH_NFIELDS; f++)
		if (o->sh.in[f].set)
			sh->in[f] = o->sh.in[f];
	rc = 0;
out:
	free(where);
	cJSON_Delete(root);
	buf_release(&data);
	return rc;
}

/* the price at point p into the provider file; 0 or -1 */
static int write_price(const struct lt_opts *o, const struct provider *prov, const struct load_point *p,
		       double hour_usd)
{
	char date[16];
	time_t now = time(NULL);
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	struct price pr = { 0 };
	selfhost_mtok(hour_usd, p->in_tok_s, p->out_tok_s, p->prefill_share, &pr.input, &pr.output);
	if (!isfinite(pr.input) || !isfinite(pr.output))
		return error("no price at concurrency %d: it served no tokens", p->concurrency);
	pr.cached_input = pr.cache_write = pr.input;
	pr.as_of = date;
	char *src = xasprintf("loadtest %s %s %s (concurrency %d, %.0f output tokens/s, $%.4g an hour)", date,
			      prov->base_url, prov->model, p->concurrency, p->out_tok_s, hour_usd);
	pr.source = src;
	int rc = selfhost_write_price(o->providers, o->name, &pr);
	if (rc == 0 && !o->quiet)
		printf("loadtest: wrote %s's price into %s: input $%.4g, output $%.4g per Mtok\n", o->name, o->providers,
		       pr.input, pr.output);
	free(src);
	return rc;
}

int cmd_loadtest(int argc, char **argv)
{
	struct lt_opts o = { .input_tokens = 1024, .output_tokens = 128, .max_errors = 20, .step_s = 60,
			     .timeout_s = 60, .slo_ttft = 2000, .slo_itl = 100 };
	struct provider_set ps;
	struct selfhost sh;
	struct load_point *pts = NULL;
	char **prompts = NULL, *out_alloc = NULL;
	size_t nprompts = 0, npts = 0;
	cJSON *res = NULL;
	int rc = EXIT_USAGE;
	provider_set_init(&ps);
	selfhost_init(&o.sh);
	if (parse_opts(argc, argv, &o) < 0) {
		help_usage(&doc_loadtest, stderr);
		goto out;
	}
	if (provider_set_load(&ps, o.providers) < 0 || load_selfhost(&o, &sh) < 0)
		goto out;
	const struct provider *prov = provider_find(&ps, o.name);
	if (!prov) {
		error("%s: no provider named '%s'", o.providers, o.name);
		goto out;
	}
	double hour_usd = NAN;
	int priced = sh.in[SH_GPU_HOUR_USD].set || sh.in[SH_CAPEX_USD].set;
	if (priced && selfhost_hour_usd(&sh, &hour_usd) < 0)
		goto out;
	if (o.write_price && !priced) {
		error("--write-price needs a cost: the provider's selfhost object or --selfhost gpu_hour_usd=... ");
		goto out;
	}
	if (make_prompts(&o, &prompts, &nprompts) < 0)
		goto out;
	if (!o.out) {
		char stamp[32];
		time_t now = time(NULL);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
		o.out = out_alloc = xasprintf("results/loadtest-%s-%s", o.name, stamp);
	}
	rc = EXIT_SYSTEM;
	if (dir_make(o.out, 0755) < 0)
		goto out;
	const char *key = prov->api_key_env ? getenv(prov->api_key_env) : NULL;
	pts = xcalloc(o.nladder, sizeof(*pts));
	if (!o.quiet)
		printf("%6s %8s %6s %11s %10s %9s %9s %9s %8s %8s %9s\n", "conc", "sent", "errors", "out tok/s", "in tok/s",
		       "req/s", "ttft p50", "ttft p95", "itl p50", "itl p95", "$/Mtok out");
	for (size_t i = 0; i < o.nladder; i++) {
		int c = o.ladder[i];
		struct loadgen_opts lo = {
			.prov = prov, .key = key, .concurrency = c,
			.max_requests = o.requests ? o.requests : (c * 4 > 16 ? c * 4 : 16),
			.max_seconds = o.step_s, .timeout_s = o.timeout_s, .max_errors = o.max_errors,
			.output_tokens = o.output_tokens, .prompts = (const char *const *)prompts, .nprompts = nprompts,
		};
		struct load_step st;
		if (loadgen_run(&lo, &st) < 0)
			goto out;
		loadstat_point(&st, c, &pts[npts++]);
		load_step_release(&st);
		loadstat_prefill(pts, npts);
		const struct load_point *p = &pts[npts - 1];
		double in_usd = NAN, out_usd = NAN;
		if (priced)
			selfhost_mtok(hour_usd, p->in_tok_s, p->out_tok_s, p->prefill_share, &in_usd, &out_usd);
		if (!o.quiet) {
			printf("%6d %8ld %6ld %11.1f %10.1f %9.2f %9.1f %9.1f %8.2f %8.2f %9.4g\n", c, p->sent, p->errors,
			       p->out_tok_s, p->in_tok_s, p->req_s, p->ttft_p50, p->ttft_p95, p->itl_p50, p->itl_p95,
			       out_usd);
			if (p->first_error[0])
				printf("       e.g. %s\n", p->first_error);
			fflush(stdout);
		}
		/* an endpoint that fails half its requests: the rungs above would only fail more */
		if (p->errors * 2 > p->sent) {
			if (!o.quiet)
				printf("loadtest: stopped the ladder at concurrency %d: %ld of %ld requests failed\n", c,
				       p->errors, p->sent);
			break;
		}
	}
	int knee = loadstat_knee(pts, npts, o.slo_ttft, o.slo_itl);
	res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "provider", o.name);
	cJSON_AddStringToObject(res, "endpoint", prov->base_url);
	cJSON_AddStringToObject(res, "model", prov->model);
	json_add_num(res, "output_tokens", (double)o.output_tokens);
	if (o.suite)
		cJSON_AddStringToObject(res, "suite", o.suite);
	else
		json_add_num(res, "input_tokens_asked", (double)o.input_tokens);
	cJSON *slo = cJSON_AddObjectToObject(res, "slo");
	json_add_num(slo, "ttft_ms_p95", o.slo_ttft);
	json_add_num(slo, "itl_ms_p95", o.slo_itl);
	cJSON *steps = cJSON_AddArrayToObject(res, "steps");
	for (size_t i = 0; i < npts; i++)
		cJSON_AddItemToArray(steps, point_json(&pts[i], hour_usd));
	if (knee >= 0)
		cJSON_AddItemToObject(res, "knee", point_json(&pts[knee], hour_usd));
	else
		cJSON_AddNullToObject(res, "knee");
	if (priced) {
		cJSON *cost = cJSON_AddObjectToObject(res, "selfhost");
		cJSON_AddItemToObject(cost, "inputs", selfhost_json(&sh));
		json_add_num(cost, "hour_usd", hour_usd);
	}
	struct buf js = BUF_INIT;
	json_pretty(&js, res);
	buf_putc(&js, '\n');
	char *jpath = xasprintf("%s/loadtest.json", o.out), *png = xasprintf("%s/loadtest.png", o.out);
	char *gp = xasprintf("%s/loadtest.gp", o.out);
	char *title = xasprintf("tokenbench loadtest: %s (%s), %ld tokens out", o.name, prov->model, o.output_tokens);
	int wrc = file_write(jpath, js.data, js.len, 0644);
	if (wrc == 0)
		wrc = plot_loadtest(pts, npts, knee, title, png, gp);
	buf_release(&js);
	if (!o.quiet && wrc == 0) {
		if (knee >= 0)
			printf("loadtest: knee at concurrency %d (p95 TTFT <= %g ms, p95 inter-token <= %g ms): %.1f output "
			       "tokens/s\n", pts[knee].concurrency, o.slo_ttft, o.slo_itl, pts[knee].out_tok_s);
		else
			printf("loadtest: no concurrency met the SLO (p95 TTFT <= %g ms, p95 inter-token <= %g ms)\n",
			       o.slo_ttft, o.slo_itl);
		printf("loadtest: %s, %s\n", jpath, png);
	}
	free(jpath);
	free(png);
	free(gp);
	free(title);
	if (wrc < 0)
		goto out;
	rc = EXIT_OK;
	if (o.write_price) {
		if (knee < 0) {
			error("--write-price: no concurrency met the SLO, so there is no price to write");
			rc = EXIT_ATTENTION;
		} else if (write_price(&o, prov, &pts[knee], hour_usd) < 0) {
			rc = EXIT_SYSTEM;
		}
	}
	for (size_t i = 0; i < npts && rc == EXIT_OK; i++)
		if (pts[i].errors)
			rc = EXIT_ATTENTION;
out:
	cJSON_Delete(res);
	for (size_t i = 0; i < nprompts; i++)
		free(prompts[i]);
	free(prompts);
	free(pts);
	free(out_alloc);
	free(o.ladder);
	provider_set_release(&ps);
	return rc;
}
