/* cmd_plan.c - `tokenbench plan`: how many tasks a paired comparison needs
 * to detect a difference, or what a number of tasks can detect; with
 * --sequential, what a run that stops once it knows (run --stop-when) is
 * expected to need, in tasks and dollars, against the fixed design, found
 * by simulating it over runs drawn from the simulator's own model. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "sim/sim_model.h"
#include "stats/seqsim.h"
#include "stats/stats.h"
#include "stats/stop.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/rng.h"
#include "util/xalloc.h"

/* getopt codes of the options without a short letter */
enum { O_SEQ = 2001, O_RATES, O_COSTS, O_RHO, O_MARGIN, O_WIDTH, O_RUNS, O_SEED, O_NAIVE, O_FORMAT };

const struct cmd_doc doc_plan = {
	"plan", "--p RATE (--delta D | --tasks N) [--corr R] [--samples K] [--icc R] [--alpha A] [--power P]\n"
	"--sequential --rates R1,R2[,...] [--costs USD1,USD2,...] [--samples K] [--tasks N] [--margin D] [OPTIONS]",
	"tasks needed to detect a difference, or what N tasks detect",
	"The first form: the tasks a paired comparison needs to detect --delta, or the difference --tasks "
	"detect. The second simulates runs that look after every task and stop once they know (run "
	"--stop-when): two rates decided:A,B (B - A); more, a race; --width W, width:W.",
	(const struct opt_doc[]){
		{ "p", "RATE", 'p', NULL, "the pass rate you expect (0..1), e.g. 0.8" },
		{ "delta", "D", 'd', NULL, "the difference to detect (0..1): prints the tasks needed" },
		{ "tasks", "N", 'n', "500 with --sequential", "a number of tasks: prints the minimum detectable difference; with --sequential, where a run ends at the latest" },
		{ "corr", "R", 'r', "0.5", "correlation of the two providers' per-task outcomes" },
		{ "samples", "K", 'k', "1", "samples per task" },
		{ "icc", "R", 'i', "0.6", "correlation between samples of one task, which limits what extra samples buy" },
		{ "alpha", "A", 'a', "0.05", "two-sided significance" },
		{ "power", "P", 'w', "0.8", "power" },
		{ "sequential", NULL, O_SEQ, NULL, "simulate runs that stop once they know (run --stop-when)" },
		{ "rates", "R1,R2,...", O_RATES, NULL, "the providers' true pass rates (A, B, C, ... in this order)" },
		{ "costs", "USD1,USD2,...", O_COSTS, "no dollar figures", "USD per sample of each provider" },
		{ "task-correlation", "R", O_RHO, "0.5", "how answers to one task go together, as in tokenbench sim" },
		{ "margin", "D", O_MARGIN, "none", "the rule's margin (a fraction, or 5pp)" },
		{ "width", "W", O_WIDTH, NULL, "stop once the interval is narrower than W (rule width:W)" },
		{ "runs", "N", O_RUNS, "1000", "simulated runs" },
		{ "seed", "S", O_SEED, "20261128", "the simulation's seed" },
		{ "naive", NULL, O_NAIVE, NULL, "also the naive rule: stop once the fixed-sample 95% interval leaves 0 out" },
		{ "format", "text|json", O_FORMAT, "text", "the output's form" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* a sequential plan's settings */
struct seqplan {
	double rates[26], costs[26];
	size_t np, ncosts;
	const char *margin, *width; /* as given (a fraction or "5pp"), or NULL */
	double rho, alpha, power;
	int k, runs, naive, json;
	size_t tasks;
	unsigned long seed;
};

/* "0.7,0.75,..." into v[0..max); the count, or -1 (reported) */
static int parse_list(const char *name, const char *arg, double *v, size_t max)
{
	size_t n = 0;
	const char *p = arg;
	while (*p) {
		char *end;
		double x = strtod(p, &end);
		if (end == p || (*end && *end != ',') || n == max || !(x >= 0))
			return error("%s: '%s' is not a list of at most %zu numbers >= 0", name, arg, max);
		v[n++] = x;
		p = *end ? end + 1 : end;
	}
	return n ? (int)n : error("%s: empty list", name);
}

/* the simulator's draw of one task (sim_task_outcomes) */
struct draw_ctx {
	struct rng r;
	const struct seqplan *sp;
};

static void draw_task(void *arg, double *means)
{
	struct draw_ctx *d = arg;
	sim_task_outcomes(&d->r, d->sp->rho, d->sp->rates, d->sp->np, d->sp->k, means);
}

/* "[lo, hi]" of a share of runs, in percent (Clopper-Pearson) */
static void share(struct buf *b, int x, int n)
{
	double lo, hi;
	stats_clopper_pearson(x, n, 0.95, &lo, &hi);
	buf_printf(b, "%.1f%% [%.1f, %.1f]", 100.0 * x / n, 100 * lo, 100 * hi);
}

static void add_share(cJSON *o, const char *key, int x, int n)
{
	double lo, hi;
	stats_clopper_pearson(x, n, 0.95, &lo, &hi);
	cJSON *e = cJSON_AddObjectToObject(o, key);
	json_add_num(e, "rate", (double)x / n);
	json_add_num(e, "ci_low", lo);
	json_add_num(e, "ci_high", hi);
	json_add_num(e, "runs", x);
}

/* tasks a fixed-sample paired test needs for the plan's power, from the
 * variance of the per-task difference the simulation saw */
static double fixed_tasks(const struct seqplan *sp, const struct seqsim_result *r)
{
	double delta = fabs(sp->rates[1] - sp->rates[0]);
	if (sp->np != 2 || !(delta > 0) || isnan(r->var_diff))
		return NAN;
	double z = stats_z(1 - sp->alpha) + stats_z(2 * sp->power - 1);
	return ceil(z * z * r->var_diff / (delta * delta));
}

static double usd_per_task(const struct seqplan *sp, size_t p)
{
	return sp->ncosts ? sp->k * sp->costs[p] : 0;
}

static void print_text(const struct seqplan *sp, const struct stop_rule *rule, const struct seqsim_result *r,
		       const char *const *names, struct buf *b)
{
	int n = r->runs;
	buf_printf(b, "%s at alpha %g (anytime-valid), true rates", rule->text, sp->alpha);
	for (size_t p = 0; p < sp->np; p++)
		buf_printf(b, " %s %.1f%%", names[p], 100 * sp->rates[p]);
	buf_printf(b, ", task correlation %.2f (per-task outcomes %.2f), %d sample%s a task, %zu tasks at most, %d runs\n",
		   sp->rho, r->corr, sp->k, sp->k == 1 ? "" : "s", sp->tasks, n);
	buf_printf(b, "  stops before the suite ends in ");
	share(b, r->stopped, n);
	buf_puts(b, " of runs\n");
	if (rule->kind == STOP_DECIDED) {
		buf_printf(b, "  declares a difference in ");
		share(b, r->claims, n);
		if (rule->margin > 0)
			buf_printf(b, ", the two within %.1f pp in %.1f%%", 100 * rule->margin, 100.0 * r->equivalent / n);
		buf_printf(b, "; decides rightly in %.1f%%, wrongly in ", 100.0 * r->right / n);
		share(b, r->wrong, n);
		buf_puts(b, "\n");
	} else if (rule->kind == STOP_RACE) {
		buf_printf(b, "  keeps the truly best in %.1f%% of runs (drops it in ", 100.0 * r->right / n);
		share(b, r->wrong, n);
		buf_puts(b, ")\n");
		for (size_t p = 0; p < sp->np; p++)
			buf_printf(b, "  %s: asked %.0f tasks on average, dropped in %.1f%% of runs\n", names[p],
				   r->asked_mean[p], 100 * r->dropped[p]);
	}
	buf_printf(b, "  tasks until it stops (or the suite ends): mean %.0f, median %.0f, 90th percentile %.0f, of %zu\n",
		   r->tasks_mean, r->tasks_p50, r->tasks_p90, sp->tasks);
	if (sp->ncosts)
		buf_printf(b, "  dollars: $%.2f on average against $%.2f for every task: %.0f%% saved\n", r->usd_mean,
			   r->usd_full, r->usd_full > 0 ? 100 * (1 - r->usd_mean / r->usd_full) : 0);
	double nf = fixed_tasks(sp, r);
	if (!isnan(nf)) {
		buf_printf(b, "  a fixed design needs %.0f tasks for %.0f%% power at alpha %g", nf, 100 * sp->power,
			   sp->alpha);
		if (sp->ncosts)
			buf_printf(b, " ($%.2f)", nf * (usd_per_task(sp, 0) + usd_per_task(sp, 1)));
		buf_puts(b, "\n");
	}
	if (sp->naive) {
		buf_printf(b, "  naive (stop once the fixed-sample 95%% interval leaves 0 out, looking from task 10): declares a "
			      "difference in ");
		share(b, r->naive_claims, n);
		buf_printf(b, ", a wrong one in ");
		share(b, r->naive_wrong, n);
		buf_printf(b, ", after %.0f tasks on average\n", r->naive_tasks_mean);
	}
}

static cJSON *result_json(const struct seqplan *sp, const struct stop_rule *rule, const struct seqsim_result *r,
			  const char *const *names)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", rule->text);
	json_add_num(o, "alpha", sp->alpha);
	json_add_num(o, "task_correlation", sp->rho);
	json_add_num(o, "outcome_correlation", r->corr);
	json_add_num(o, "samples", sp->k);
	json_add_num(o, "tasks", (double)sp->tasks);
	json_add_num(o, "runs", r->runs);
	add_share(o, "stopped", r->stopped, r->runs);
	add_share(o, "claims", r->claims, r->runs);
	add_share(o, "equivalent", r->equivalent, r->runs);
	add_share(o, "right", r->right, r->runs);
	add_share(o, "wrong", r->wrong, r->runs);
	json_add_num(o, "tasks_mean", r->tasks_mean);
	json_add_num(o, "tasks_p50", r->tasks_p50);
	json_add_num(o, "tasks_p90", r->tasks_p90);
	json_add_num(o, "usd_mean", sp->ncosts ? r->usd_mean : NAN);
	json_add_num(o, "usd_full", sp->ncosts ? r->usd_full : NAN);
	double nf = fixed_tasks(sp, r);
	json_add_num(o, "fixed_tasks", nf);
	json_add_num(o, "fixed_usd", sp->ncosts ? nf * (usd_per_task(sp, 0) + usd_per_task(sp, 1)) : NAN);
	cJSON *pv = cJSON_AddArrayToObject(o, "providers");
	for (size_t p = 0; p < sp->np; p++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", names[p]);
		json_add_num(e, "rate", sp->rates[p]);
		json_add_num(e, "usd_per_sample", sp->ncosts ? sp->costs[p] : NAN);
		json_add_num(e, "tasks_asked_mean", r->asked_mean[p]);
		json_add_num(e, "dropped", r->dropped[p]);
		cJSON_AddItemToArray(pv, e);
	}
	if (sp->naive) {
		cJSON *nv = cJSON_AddObjectToObject(o, "naive");
		add_share(nv, "claims", r->naive_claims, r->runs);
		add_share(nv, "wrong", r->naive_wrong, r->runs);
		json_add_num(nv, "tasks_mean", r->naive_tasks_mean);
	}
	return o;
}

/* plan --sequential: simulate the rule and print what it costs */
static int plan_sequential(const struct seqplan *sp)
{
	static const char *const letters[] = { "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
					       "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z" };
	const char *const *names = letters;
	struct stop_rule rule;
	char *text;
	if (sp->width)
		text = xasprintf("width:%s", sp->width);
	else if (sp->np == 2)
		text = sp->margin ? xasprintf("decided:A,B,margin=%s", sp->margin) : xstrdup("decided:A,B");
	else
		text = sp->margin ? xasprintf("race:margin=%s", sp->margin) : xstrdup("race");
	int rc = stop_rule_parse(text, &rule);
	free(text);
	if (rc < 0)
		return EXIT_USAGE;
	double usd[26];
	for (size_t p = 0; p < sp->np; p++)
		usd[p] = usd_per_task(sp, p);
	struct draw_ctx ctx;
	ctx.sp = sp;
	rng_seed(&ctx.r, sp->seed);
	struct seqsim_opts o = {
		.np = sp->np, .names = names, .rates = sp->rates, .usd_per_task = usd, .rule = &rule,
		.alpha = sp->alpha, .tasks = sp->tasks, .runs = sp->runs, .ngrid = CS_GRID_RUN,
		.naive = sp->naive, .naive_from = 10, .draw = draw_task, .arg = &ctx,
	};
	struct seqsim_result r;
	rc = EXIT_USAGE;
	if (seqsim_run(&o, &r) == 0) {
		struct buf b = BUF_INIT;
		if (sp->json) {
			cJSON *j = result_json(sp, &rule, &r, names);
			json_pretty(&b, j);
			cJSON_Delete(j);
		} else {
			print_text(sp, &rule, &r, names, &b);
		}
		fputs(buf_str(&b), stdout);
		buf_release(&b);
		rc = EXIT_OK;
	}
	seqsim_result_release(&r);
	stop_rule_release(&rule);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_plan, opts);
	double p = NAN, delta = NAN, tasks = NAN, corr = 0.5, icc = 0.6, alpha = 0.05, power = 0.8;
	struct seqplan sp = { .rho = 0.5, .runs = 1000, .seed = 20261128 };
	int k = 1, c, bad = 0, seq = 0, cnt, seed = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': bad |= opt_double("--p", optarg, 0, &p) < 0 || p >= 1; break;
		case 'd': bad |= opt_double("--delta", optarg, 0, &delta) < 0 || delta <= 0 || delta >= 1; break;
		case 'n': bad |= opt_double("--tasks", optarg, 2, &tasks) < 0; break;
		case 'r': bad |= opt_double("--corr", optarg, -1, &corr) < 0 || corr > 1; break;
		case 'k': bad |= opt_int("--samples", optarg, 1, 1000, &k) < 0; break;
		case 'i': bad |= opt_double("--icc", optarg, 0, &icc) < 0 || icc > 1; break;
		case 'a': bad |= opt_double("--alpha", optarg, 0, &alpha) < 0 || alpha <= 0 || alpha >= 1; break;
		case 'w': bad |= opt_double("--power", optarg, 0, &power) < 0 || power <= 0 || power >= 1; break;
		case O_SEQ: seq = 1; break;
		case O_RATES:
			cnt = parse_list("--rates", optarg, sp.rates, 26);
			bad |= cnt < 0;
			sp.np = cnt < 0 ? 0 : (size_t)cnt;
			for (size_t i = 0; i < sp.np; i++)
				bad |= sp.rates[i] > 1 && error("--rates: %g is not a rate in 0..1", sp.rates[i]) < 0;
			break;
		case O_COSTS:
			cnt = parse_list("--costs", optarg, sp.costs, 26);
			bad |= cnt < 0;
			sp.ncosts = cnt < 0 ? 0 : (size_t)cnt;
			break;
		case O_RHO:
			bad |= opt_double("--task-correlation", optarg, 0, &sp.rho) < 0 || sp.rho > 1;
			break;
		case O_MARGIN: sp.margin = optarg; break;
		case O_WIDTH: sp.width = optarg; break;
		case O_RUNS: bad |= opt_int("--runs", optarg, 1, 10000000, &sp.runs) < 0; break;
		case O_SEED:
			bad |= opt_int("--seed", optarg, 0, 2000000000, &seed) < 0;
			sp.seed = (unsigned long)seed;
			break;
		case O_NAIVE: sp.naive = 1; break;
		case O_FORMAT:
			bad |= (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0) &&
			       error("--format: '%s' is not text or json", optarg) < 0;
			sp.json = strcmp(optarg, "json") == 0;
			break;
		case 'h': help_print(&doc_plan, stdout); return EXIT_OK;
		default: bad = 1;
		}
	}
	if (seq) {
		if (bad || sp.np < 2 || !isnan(p) || !isnan(delta) || optind != argc ||
		    (sp.ncosts && sp.ncosts != sp.np) || (sp.naive && sp.np != 2)) {
			if (!bad)
				error("plan --sequential: --rates with two rates or more (no --p or --delta), as many "
				      "--costs as rates, --naive with two rates; see `tokenbench plan --help`");
			return EXIT_USAGE;
		}
		sp.tasks = isnan(tasks) ? 500 : (size_t)tasks;
		sp.k = k;
		sp.alpha = alpha;
		sp.power = power;
		return plan_sequential(&sp);
	}
	if (bad || isnan(p) || isnan(delta) == isnan(tasks) || optind != argc || sp.np || sp.margin || sp.width ||
	    sp.naive) {
		if (!bad)
			help_usage(&doc_plan, stderr);
		else
			error("see `tokenbench plan --help` for the ranges");
		return EXIT_USAGE;
	}
	const char *unit = k == 1 ? "sample" : "samples";
	if (!isnan(delta)) {
		double n = stats_plan_tasks(p, delta, corr, k, icc, alpha, power);
		printf("%.0f tasks to detect %.1f pp (%.1f%% against %.1f%%) with %.0f%% power at alpha = %g, "
		       "paired, per-task correlation %.2f, %d %s per task\n",
		       n, 100 * delta, 100 * (p + delta), 100 * p, 100 * power, alpha, corr, k, unit);
	} else {
		double d = stats_plan_mdd(p, tasks, corr, k, icc, alpha, power);
		printf("%.0f tasks detect a difference of %.1f pp from %.1f%% with %.0f%% power at alpha = %g, "
		       "paired, per-task correlation %.2f, %d %s per task\n",
		       tasks, 100 * d, 100 * p, 100 * power, alpha, corr, k, unit);
	}
	return EXIT_OK;
}
