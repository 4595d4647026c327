/* cmd_merge.c - `tokenbench merge OUT DIR...`: the run directories of
 * `run --shard I/N` back into one, with its report and charts. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "rundir/merge.h"
#include "util/msg.h"

const struct cmd_doc doc_merge = {
	"merge", "OUT DIR... [--allow-partial] [--no-report] [--quiet]",
	"merge the run directories of run --shard into one",
	"Checks that the shards come from one plan, merges them into OUT and writes its report and charts.",
	(const struct opt_doc[]){
		{ "allow-partial", NULL, 'p', NULL, "merge even when samples of the plan are missing (exit code 1)" },
		{ "no-report", NULL, 'N', NULL, "write only the records, run.json, logs and raw responses" },
		{ "quiet", NULL, 'q', NULL, "no table at the end" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

int cmd_merge(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_merge, opts);
	int allow_partial = 0, no_report = 0, quiet = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': allow_partial = 1; break;
		case 'N': no_report = 1; break;
		case 'q': quiet = 1; break;
		case 'h': help_print(&doc_merge, stdout); return EXIT_OK;
		default: help_usage(&doc_merge, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		help_usage(&doc_merge, stderr);
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
