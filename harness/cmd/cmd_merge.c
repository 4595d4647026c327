/* cmd_merge.c - `tokenbench merge OUT DIR...`: the run directories of
 * `run --shard I/N` back into one, with its report and charts. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "rundir/merge.h"
#include "util/msg.h"

static const char usage[] =
	"usage: tokenbench merge OUT DIR... [--allow-partial] [--no-report] [--quiet]\n"
	"  merges the run directories of `tokenbench run --shard I/N` into OUT, after checking\n"
	"  that they come from one plan, and writes its report and charts\n"
	"  --allow-partial  merge even when samples of the plan are missing (exit code 1)\n"
	"  --no-report      writes only the records, run.json, logs and raw responses\n";

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "allow-partial", no_argument, NULL, 'p' },
		{ "no-report", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int allow_partial = 0, no_report = 0, quiet = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': allow_partial = 1; break;
		case 'N': no_report = 1; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	msg_set_quiet(quiet);
	const char *out = argv[optind];
	struct merge m;
	merge_init(&m);
	int rc = EXIT_USAGE;
	if (merge_load(&m, argv + optind + 1, (size_t)(argc - optind - 1)) < 0)
		goto out;
	if (m.missing) {
		merge_print_missing(&m);
		if (!allow_partial) {
			error("not merging a partial plan: run the missing shards (running an unfinished shard's "
			      "command again resumes it), or merge with --allow-partial");
			goto out;
		}
		warning("merging anyway (--allow-partial): the report covers %zu of %zu samples",
			m.planned - m.missing, m.planned);
	}
	if (merge_prepare_out(&m, out) < 0)
		goto out;
	rc = EXIT_SYSTEM;
	if (merge_write(&m, out, argc, argv) < 0)
		goto out;
	note("merged %zu of %d shards: %zu records of the plan's %zu samples, into %s", m.nparts, m.count,
	     m.nlines, m.planned, out);
	if (!no_report && finish_run_dir(out, quiet) < 0)
		goto out;
	rc = m.missing ? EXIT_ATTENTION : EXIT_OK;
out:
	merge_release(&m);
	return rc;
}
