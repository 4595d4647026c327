/* main.c - tokenbench's entry point: the table of subcommands. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

#ifndef TB_VERSION
#define TB_VERSION "dev"
#endif

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "run suites against providers, score in a sandbox, report" },
	
	{ "merge", cmd_merge, "merge the run directories of run --shard into one" },
	{ "eval-predictions", cmd_eval, "score answers produced elsewhere" },
	{ "report", cmd_report, "print the report of a run directory" },
	{ "compare", cmd_compare, "paired comparison of two providers in a run directory" },
	{ "show", cmd_show, "print one agent trajectory of a run (--agent bash)" },
	{ "plot", cmd_plot, "draw the charts of a run directory" },
	{ "plan", cmd_plan, "tasks needed to detect a difference, or what N tasks detect" },
	{ "loadtest", cmd_loadtest, "load-test an endpoint: throughput, latency, the knee, a self-hosted price" },
	{ "reprice", cmd_reprice, "recompute every cost of a run with another price table" },
	{ "prices", cmd_prices, "prices import FILE: a provider file from OpenRouter's model list" },
	{ "sim", cmd_sim, "serve simulated models over HTTP on loopback" },
	{ "sandbox", cmd_sandbox, "run a command in the scoring sandbox, or time the sandbox" },
	
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tokenbench COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-18s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n`tokenbench COMMAND --help` shows a command's options.\n");
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tokenbench %s\n", TB_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tokenbench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
