/* cmd_report.c - `tokenbench report DIR`: the report of any directory (or
 * file) holding sample records, whoever wrote them: a table, markdown, CSV,
 * JSON (summary.json) or the page (report.html). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rundir/store.h"
#include "stats/report.h"
#include "stats/report_html.h"
#include "stats/summary.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_report = {
	"report", "DIR [--format table|md|csv|json|html] [--table NAME | --out DIR] [--write] [OPTIONS]",
	"print the report of a run directory",
	"DIR is any directory (or file) holding sample records, whoever wrote them.",
	(const struct opt_doc[]){
		{ "format", "FORMAT", 'f', "table", "table, md (report.md), csv, json (summary.json) or html (report.html)" },
		{ "table", "NAME", 't', "providers", "the CSV table to print: providers, pairs, pass_at_k or reasons" },
		{ "out", "DIR", 'o', NULL, "write every CSV table into DIR as NAME.csv and list them" },
		{ "write", NULL, 'w', NULL, "also rewrite DIR/summary.json, DIR/report.md and DIR/report.html" },
		{ "bootstrap", "N", OPT_BOOTSTRAP, "10000", "replicates for paired tests and frontier probabilities" },
		{ "seed", "S", OPT_SEED, "20261128", "the bootstrap's seed" },
		{ "anytime", NULL, 'A', "on for a run --stop-when stopped", "also the anytime-valid intervals (confidence sequences over tasks in the run's order)" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* the run directory of DIR: itself, or the directory of a records file; malloced */
static char *run_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (path_is_dir(path))
		return xstrdup(path);
	return slash == path ? xstrdup("/") : slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* the CSV form: table (default providers) into out, or every table into
 * dir and their paths into out; an exit code */
static int csv_out(const struct summary *s, const char *table, const char *dir, struct buf *out)
{
	if (dir)
		return report_csv_write(s, dir, out) < 0 ? EXIT_SYSTEM : EXIT_OK;
	if (report_csv_table(s, table ? table : "providers", out) == 0)
		return EXIT_OK;
	struct buf names = BUF_INIT;
	report_csv_names(&names);
	error("--table: no table '%s' (%s)", table, buf_str(&names));
	buf_release(&names);
	return EXIT_USAGE;
}

int cmd_report(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_report, opts);
	enum report_format fmt = REPORT_TABLE;
	struct summary_opts so;
	summary_opts_default(&so);
	int write = 0, html = 0, c, fmt_given = 0;
	const char *table = NULL, *csv_dir = NULL;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			html = strcmp(optarg, "html") == 0;
			if (!html && report_format_parse(optarg, &fmt) < 0) {
				error("--format: '%s' is not table, md, csv, json or html", optarg);
				return EXIT_USAGE;
			}
			fmt_given = 1;
			break;
		case 't': table = optarg; break;
		case 'o': csv_dir = optarg; break;
		case 'w': write = 1; break;
		case OPT_BOOTSTRAP:
		case OPT_SEED:
			if (opt_summary(c, optarg, &so) < 0)
				return EXIT_USAGE;
			break;
		case 'A': so.anytime = 1; break;
		case 'h': help_print(&doc_report, stdout); return EXIT_OK;
		default: help_usage(&doc_report, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		help_usage(&doc_report, stderr);
		return EXIT_USAGE;
	}
	if (table || csv_dir) {
		if (fmt_given && (html || fmt != REPORT_CSV)) {
			error("--table and --out are for --format csv");
			return EXIT_USAGE;
		}
		if (table && csv_dir) {
			error("--table prints one table, --out DIR writes them all: give one of them");
			return EXIT_USAGE;
		}
		fmt = REPORT_CSV;
	}
	const char *dir = argv[optind];
	struct recset rs;
	struct summary s;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0) {
		recset_release(&rs);
		return EXIT_USAGE;
	}
	struct run_facts facts;
	run_facts_load(&facts, dir);
	run_facts_apply(&facts, &so);
	if (summary_build(&s, &rs, &so) < 0) {
		recset_release(&rs);
		run_facts_release(&facts);
		error("'%s' holds no sample records", dir);
		return EXIT_USAGE;
	}
	if (facts.decision)
		s.decision = xstrdup(facts.decision);
	char *run_dir = run_dir_of(dir);
	struct page_sources ps;
	page_sources_open(&ps, run_dir);
	struct buf out = BUF_INIT;
	int rc = EXIT_OK;
	if (html) {
		struct html_opts ho = { .dir = run_dir, .src = &ps.src };
		rc = report_html_render(&s, &rs, &ho, &out) < 0 ? EXIT_SYSTEM : EXIT_OK;
	} else if (fmt == REPORT_CSV) {
		rc = csv_out(&s, table, csv_dir, &out);
	} else {
		report_render(&s, fmt, &out);
	}
	fputs(buf_str(&out), stdout);
	buf_release(&out);
	if (write && (report_write_files(&s, dir) < 0 || report_html_write(&s, &rs, &ps.src, dir) < 0))
		rc = EXIT_SYSTEM;
	page_sources_close(&ps);
	free(run_dir);
	summary_release(&s);
	recset_release(&rs);
	run_facts_release(&facts);
	return rc;
}
