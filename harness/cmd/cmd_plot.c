/* cmd_plot.c - `tokenbench plot DIR`: the charts, from sample records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rundir/store.h"
#include "stats/plot.h"
#include "stats/summary.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_plot = {
	"plot", "DIR [--out FILE.png|FILE.svg] [--title TEXT] [--ref PROVIDER] [--bootstrap N] [--seed S]",
	"draw the charts of a run directory",
	"Without --out: DIR/frontier, DIR/forest (differences against --ref) and DIR/lambda, each as .png "
	"and .svg with its gnuplot script (.gp); a chart with nothing to draw is skipped and not listed.",
	(const struct opt_doc[]){
		{ "out", "FILE", 'o', "every chart into DIR", "the frontier chart only, to FILE (.png or .svg)" },
		{ "title", "TEXT", 't', "\"" PLOT_TITLE "\"", "the frontier chart's title" },
		{ "ref", "PROVIDER", 'r', "the best by pass rate", "the forest chart's reference" },
		{ "bootstrap", "N", OPT_BOOTSTRAP, "10000", "bootstrap replicates (frontier probabilities)" },
		{ "seed", "S", OPT_SEED, "20261128", "the bootstrap's seed" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

int cmd_plot(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_plot, opts);
	const char *out = NULL, *ref = NULL, *title = PLOT_TITLE;
	struct summary_opts so;
	summary_opts_default(&so);
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 't': title = optarg; break;
		case 'r': ref = optarg; break;
		case OPT_BOOTSTRAP:
		case OPT_SEED:
			if (opt_summary(c, optarg, &so) < 0)
				return EXIT_USAGE;
			break;
		case 'h': help_print(&doc_plot, stdout); return EXIT_OK;
		default: help_usage(&doc_plot, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		help_usage(&doc_plot, stderr);
		return EXIT_USAGE;
	}
	size_t n = out ? strlen(out) : 0;
	if (out && (n < 5 || (strcmp(out + n - 4, ".png") != 0 && strcmp(out + n - 4, ".svg") != 0))) {
		error("--out: '%s' must end in .png or .svg", out);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	struct recset rs;
	struct summary s;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0 || summary_build(&s, &rs, &so) < 0) {
		recset_release(&rs);
		error("'%s' holds no sample records", dir);
		return EXIT_USAGE;
	}
	int rc;
	if (ref && !summary_find(&s, ref)) {
		rc = error("--ref: no provider '%s' in '%s'", ref, dir);
	} else if (out) {
		char *script = xasprintf("%.*s.gp", (int)(n - 4), out);
		rc = plot_frontier(&s, &out, 1, script, title);
		if (rc == 0)
			printf("%s\n", out);
		free(script);
	} else {
		unsigned drawn;
		rc = plot_dir(&s, dir, title, ref, &drawn);
		for (int k = 0; rc == 0 && k < 3; k++)
			if (drawn & (1u << k))
				printf("%s/%s.png\n", dir, plot_name((enum plot_chart)k));
		if (rc == 0)
			printf("(and .svg, .gp)\n");
	}
	summary_release(&s);
	recset_release(&rs);
	return rc < 0 ? EXIT_SYSTEM : EXIT_OK;
}
