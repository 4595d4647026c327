/* cmd_compare.c - `tokenbench compare DIR A B`: the paired comparison of two
 * providers on the tasks both completed, in plain words or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rundir/store.h"
#include "stats/report.h"
#include "stats/summary.h"
#include "util/json.h"
#include "util/msg.h"

const struct cmd_doc doc_compare = {
	"compare", "DIR A B [--format text|json] [--bootstrap N] [--seed S] [--anytime]",
	"paired comparison of two providers in a run directory",
	"B - A on the tasks both completed: McNemar's exact test with one sample per task, a paired "
	"bootstrap otherwise. A provider DIR does not hold is named, with the ones it does.",
	(const struct opt_doc[]){
		{ "format", "text|json", 'f', "text", "plain words, or one JSON object shaped like summary.json's pairs" },
		{ "bootstrap", "N", OPT_BOOTSTRAP, "10000", "bootstrap replicates" },
		{ "seed", "S", OPT_SEED, "20261128", "the bootstrap's seed" },
		{ "anytime", NULL, 'A', NULL, "also the anytime-valid interval (a confidence sequence over tasks in the run's order), valid however the run was stopped" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* whether rs holds a record of provider name; when not, reports it with
 * the providers it does hold (in the order first seen) */
static int provider_check(const struct recset *rs, const char *dir, const char *name)
{
	struct strmap seen;
	struct buf known = BUF_INIT;
	int found = 0;
	strmap_init(&seen);
	for (size_t i = 0; i < rs->n && !found; i++) {
		const char *p = rs->v[i].provider;
		found = strcmp(p, name) == 0;
		if (!strmap_get(&seen, p, NULL)) {
			strmap_put(&seen, p, 1);
			buf_printf(&known, "%s'%s'", known.len ? ", " : "", p);
		}
	}
	if (!found)
		error("'%s' has no records of provider '%s'; its providers: %s", dir, name,
		      known.len ? buf_str(&known) : "none");
	strmap_release(&seen);
	buf_release(&known);
	return found ? 0 : -1;
}

int cmd_compare(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_compare, opts);
	struct summary_opts so;
	summary_opts_default(&so);
	int json = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
				error("--format: '%s' is not text or json", optarg);
				return EXIT_USAGE;
			}
			json = optarg[0] == 'j';
			break;
		case OPT_BOOTSTRAP:
		case OPT_SEED:
			if (opt_summary(c, optarg, &so) < 0)
				return EXIT_USAGE;
			break;
		case 'A': so.anytime = 1; break;
		case 'h': help_print(&doc_compare, stdout); return EXIT_OK;
		default: help_usage(&doc_compare, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 3) {
		help_usage(&doc_compare, stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind], *a = argv[optind + 1], *b = argv[optind + 2];
	struct recset rs;
	struct run_facts facts;
	recset_init(&rs);
	if (recset_load(&rs, dir, 0) < 0) {
		recset_release(&rs);
		return EXIT_USAGE;
	}
	run_facts_load(&facts, dir);
	run_facts_apply(&facts, &so);
	struct pair_summary q;
	int known = provider_check(&rs, dir, a);
	if (strcmp(a, b) != 0 && provider_check(&rs, dir, b) < 0)
		known = -1;
	if (known < 0 || summary_compare(&rs, &so, a, b, &q) < 0) {
		if (known == 0)
			error("cannot compare '%s' and '%s' in '%s'", a, b, dir);
		recset_release(&rs);
		run_facts_release(&facts);
		return EXIT_USAGE;
	}
	struct buf out = BUF_INIT;
	if (json) {
		cJSON *o = report_pair_json(&q);
		json_pretty(&out, o);
		cJSON_Delete(o);
	} else {
		report_pair_words(&q, so.level, &out);
	}
	fputs(buf_str(&out), stdout);
	buf_release(&out);
	recset_release(&rs);
	run_facts_release(&facts);
	return EXIT_OK;
}
