/* main.c - tokenbench's entry point: the table of subcommands, `help`,
 * `--version`. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

#ifndef TB_VERSION
#define TB_VERSION "dev"
#endif
#ifndef TB_DATE
#define TB_DATE "2026-12-04"
#endif

static const struct {
	int (*fn)(int argc, char **argv);
	const struct cmd_doc *doc; /* its name, summary and options */
} commands[] = {
	{ cmd_run, &doc_run },
	{ cmd_merge, &doc_merge },
	{ cmd_eval, &doc_eval },
	{ cmd_report, &doc_report },
	{ cmd_compare, &doc_compare },
	{ cmd_show, &doc_show },
	{ cmd_plot, &doc_plot },
	{ cmd_plan, &doc_plan },
	{ cmd_loadtest, &doc_loadtest },
	{ cmd_reprice, &doc_reprice },
	{ cmd_prices, &doc_prices },
	{ cmd_sim, &doc_sim },
	{ cmd_sandbox, &doc_sandbox },
	{ cmd_fetch, &doc_fetch },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *f)
{
	fprintf(f, "usage: tokenbench COMMAND [OPTIONS]\n       tokenbench help [COMMAND]\n"
		   "       tokenbench --version\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-18s %s\n", commands[i].doc->name, commands[i].doc->summary);
	fprintf(f, "\n`tokenbench help COMMAND` (or `tokenbench COMMAND --help`) explains a command's options;\n"
		   "`man tokenbench` explains them all.\n");
}

static int find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].doc->name) == 0)
			return (int)i;
	return -1;
}

/* tokenbench help [COMMAND | --man] */
static int help(int argc, char **argv)
{
	if (argc < 3) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[2], "--man") == 0) {
		/* the man page, tokenbench.1, from the same tables */
		const struct cmd_doc *docs[NCOMMANDS];
		for (size_t i = 0; i < NCOMMANDS; i++)
			docs[i] = commands[i].doc;
		help_man(docs, NCOMMANDS, TB_VERSION, TB_DATE, stdout);
		return EXIT_OK;
	}
	int k = find(argv[2]);
	if (k < 0) {
		fprintf(stderr, "tokenbench: no command '%s'\n\n", argv[2]);
		usage(stderr);
		return EXIT_USAGE;
	}
	help_print(commands[k].doc, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		return help(argc, argv);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tokenbench %s\n", TB_VERSION);
		return EXIT_OK;
	}
	int k = find(argv[1]);
	if (k >= 0)
		return commands[k].fn(argc - 1, argv + 1);
	fprintf(stderr, "tokenbench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
