/* cmd_plan.c - `tokenbench plan`: how many tasks a paired comparison needs
 * to detect a difference, or what a number of tasks can detect. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "stats/stats.h"
#include "util/msg.h"

static const char usage[] =
	"usage: tokenbench plan --p RATE (--delta D | --tasks N) [--corr R] [--samples K] [--icc R]\n"
	"                       [--alpha A] [--power P]\n"
	"  --p      the pass rate you expect (0..1), e.g. 0.8\n"
	"  --delta  the difference to detect (0..1), e.g. 0.03: prints the tasks needed\n"
	"  --tasks  a number of tasks: prints the minimum detectable difference\n"
	"  --corr   correlation of the two providers' per-task outcomes (default 0.5)\n"
	"  --samples  samples per task (default 1); --icc  correlation between samples of\n"
	"           one task (default 0.6), which limits what extra samples buy\n"
	"  --alpha  two-sided significance (default 0.05); --power (default 0.8)\n";

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "p", required_argument, NULL, 'p' },     { "delta", required_argument, NULL, 'd' },
		{ "tasks", required_argument, NULL, 'n' }, { "corr", required_argument, NULL, 'r' },
		{ "samples", required_argument, NULL, 'k' }, { "icc", required_argument, NULL, 'i' },
		{ "alpha", required_argument, NULL, 'a' }, { "power", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
	};
	double p = NAN, delta = NAN, tasks = NAN, corr = 0.5, icc = 0.6, alpha = 0.05, power = 0.8;
	int k = 1, c, bad = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': bad |= opt_double("--p", optarg, 0, &p) < 0 || p >= 1; break;
		case 'd': bad |= opt_double("--delta", optarg, 0, &delta) < 0 || delta <= 0 || delta >= 1; break;
		case 'n': bad |= opt_double("--tasks", optarg, 2, &tasks) < 0; break;
		case 'r': bad |= opt_double("--corr", optarg, -1, &corr) < 0 || corr > 1; break;
		case 'k': bad |= opt_int("--samples", optarg, 1, 1000, &k) < 0; break;
		case 'i': bad |= opt_double("--icc", optarg, 0, &icc) < 0 || icc > 1; break;
		case 'a': bad |= opt_double("--alpha", optarg, 0, &alpha) < 0 || alpha <= 0 || alpha >= 1; break;
		case 'w': bad |= opt_double("--power", optarg, 0, &power) < 0 || power <= 0 || power >= 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: bad = 1;
		}
	}
	if (bad || isnan(p) || isnan(delta) == isnan(tasks) || optind != argc) {
		if (!bad)
			fputs(usage, stderr);
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
