/* cmd_show.c - `tokenbench show DIR TASK`: one agent trajectory of a run,
 * readably (rundir/trajectory.c renders it, as report.html shows it): each
 * turn's command, its output (abbreviated), tokens, cost and times, then
 * how the sample ended and its verdict. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rundir/store.h"
#include "rundir/trajectory.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_show = {
	"show", "DIR TASK [--provider P] [--sample N] [--full]",
	"print one agent trajectory of a run (--agent bash)",
	"Each turn's command and output, tokens, cost and times, then how it ended and its verdict; the "
	"file itself is DIR/logs/PROVIDER/TASK/SAMPLE/trajectory.jsonl.",
	(const struct opt_doc[]){
		{ "provider", "P", 'p', "the only one with that task", "whose sample" },
		{ "sample", "N", 'k', "the only one", "which sample" },
		{ "full", NULL, 'f', NULL, "whole outputs and commands, not cut" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* the record of the sample to show, or NULL after saying why there is none */
static const struct record *pick(const struct recset *rs, const char *dir, const char *task, const char *prov,
				 int sample)
{
	const struct record *best = NULL;
	size_t of_task = 0, agent = 0;
	struct buf provs = BUF_INIT, samples = BUF_INIT;
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (strcmp(r->task, task) != 0)
			continue;
		of_task++;
		if (!r->agent)
			continue;
		agent++;
		char *p = xasprintf(" %s,", r->provider);
		if (!strstr(buf_str(&provs), p))
			buf_puts(&provs, p);
		free(p);
		if (prov && strcmp(r->provider, prov) != 0)
			continue;
		buf_printf(&samples, " %d,", r->sample);
		if (sample >= 0 && r->sample != sample)
			continue;
		if (!best || r->sample < best->sample || (r->sample == best->sample && strcmp(r->provider, best->provider) < 0))
			best = r;
	}
	if (provs.len)
		provs.data[--provs.len] = '\0';
	if (samples.len)
		samples.data[--samples.len] = '\0';
	int ok = 0;
	if (!of_task)
		error("'%s' has no sample of task '%s'", dir, task);
	else if (!agent)
		error("task '%s' in '%s' has no agent trajectory: its samples were not run with --agent bash", task, dir);
	else if (prov && !samples.len)
		error("task '%s' in '%s' has no trajectory by provider '%s' (it has some by:%s)", task, dir, prov,
		      buf_str(&provs));
	else if (!prov && strchr(buf_str(&provs), ','))
		error("task '%s' in '%s' has trajectories by several providers (%s): pick one with --provider", task,
		      dir, buf_str(&provs) + 1);
	else if (!best)
		error("task '%s' in '%s' has no sample %d%s%s (it has samples%s)", task, dir, sample,
		      prov ? " by " : "", prov ? prov : "", buf_str(&samples));
	else
		ok = 1;
	buf_release(&provs);
	buf_release(&samples);
	return ok ? best : NULL;
}

int cmd_show(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_show, opts);
	const char *prov = NULL;
	int sample = -1, full = 0, c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': prov = optarg; break;
		case 'k':
			if (opt_int("--sample", optarg, 0, 1000000, &sample) < 0)
				return EXIT_USAGE;
			break;
		case 'f': full = 1; break;
		case 'h': help_print(&doc_show, stdout); return EXIT_OK;
		default: help_usage(&doc_show, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		help_usage(&doc_show, stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind], *task = argv[optind + 1];
	struct recset rs;
	recset_init(&rs);
	int rc = EXIT_USAGE;
	char *path = NULL;
	struct buf text = BUF_INIT;
	if (recset_load(&rs, dir, 0) < 0)
		goto out;
	const struct record *r = pick(&rs, dir, task, prov, sample);
	if (!r)
		goto out;
	int got = trajectory_render(dir, r, full, &text);
	if (got > 0) {
		path = store_log_path(dir, r->provider, r->task, r->sample, "trajectory.jsonl");
		error("'%s' is missing: the sample's trajectory was not kept", path);
	}
	if (got != 0)
		goto out;
	fputs(buf_str(&text), stdout);
	char *patch = store_log_path(dir, r->provider, r->task, r->sample, "patch.diff");
	if (path_exists(patch))
		printf("patch: %s\n", patch);
	free(patch);
	rc = EXIT_OK;
out:
	buf_release(&text);
	free(path);
	recset_release(&rs);
	return rc;
}
