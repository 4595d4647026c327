/* cmd_plot.c - `tokenbench plot DIR`: the frontier chart from sample records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "plot.h"
#include "store.h"
#include "summary.h"
#include "xalloc.h"

static const char usage[] = "usage: tokenbench plot DIR [--out FILE.png|FILE.svg] [--title TEXT]\n";

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *title = "tokenbench: pass rate against cost per task";
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 't': title = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(usage, stderr);
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
	if (recset_load(&rs, dir, 0) < 0 || summary_build(&s, &rs) < 0) {
		recset_release(&rs);
		error("'%s' holds no sample records", dir);
		return EXIT_USAGE;
	}
	int rc;
	if (out) {
		char *script = xasprintf("%.*s.gp", (int)(n - 4), out);
		rc = plot_frontier(&s, &out, 1, script, title);
		if (rc == 0)
			printf("%s\n", out);
		free(script);
	} else {
		rc = plot_frontier_dir(&s, dir, title);
		if (rc == 0)
			printf("%s/frontier.png\n%s/frontier.svg\n", dir, dir);
	}
	summary_release(&s);
	recset_release(&rs);
	return rc < 0 ? EXIT_SYSTEM : EXIT_OK;
}
