/* cmd_show.c - `tokenbench show DIR TASK`: one agent trajectory of a run,
 * readably: each turn's command, its output (abbreviated), tokens, cost
 * and times, then how the sample ended and its verdict. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rundir/store.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

static const char usage[] =
	"usage: tokenbench show DIR TASK [--provider P] [--sample N] [--full]\n"
	"  prints an agent sample's trajectory (a run with --agent bash): each turn's command and\n"
	"  output, tokens, cost and times, then how it ended and its verdict. --full prints whole\n"
	"  outputs and commands; the file itself is DIR/logs/PROVIDER/TASK/SAMPLE/trajectory.jsonl\n";

/* lines of text shown at the start and the end of a long output */
#define HEAD_LINES 8
#define TAIL_LINES 4
#define LINE_CHARS 160

/* prints text's lines with a prefix (first on the first line); unless
 * full, the first and last few of a long text with the count of those left
 * out between */
static void print_lines(const char *first, const char *prefix, const char *text, int head, int tail, int full)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	if (*text && text[strlen(text) - 1] != '\n')
		n++;
	size_t i = 0;
	for (const char *p = text; *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *pre = i ? prefix : first;
		if (full || n <= (size_t)(head + tail + 1) || i < (size_t)head || i >= n - (size_t)tail) {
			if (!full && len > LINE_CHARS)
				printf("%s%.*s …\n", pre, LINE_CHARS, p);
			else
				printf("%s%.*s\n", pre, (int)len, p);
		} else if (i == (size_t)head) {
			printf("%s… %zu lines …\n", prefix, n - (size_t)(head + tail));
		}
		p = nl ? nl + 1 : p + len;
	}
}

/* the tokens of o's "usage" */
static void print_usage_line(const cJSON *o)
{
	struct usage u;
	usage_from_json(&u, o);
	printf("in %ld · cached %ld · written %ld · out %ld", u.input, u.cached_input, u.cache_write, u.output);
	if (u.reasoning > 0)
		printf(" (reasoning %ld)", u.reasoning);
}

static void print_ms(const char *what, double ms)
{
	if (isnan(ms))
		return;
	if (ms >= 10000)
		printf(" · %s %.1f s", what, ms / 1e3);
	else
		printf(" · %s %.0f ms", what, ms);
}

static void print_turn(const cJSON *o, int full)
{
	const char *action = json_str(o, "action", "?");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "messages");
	const char *answer = json_str(cJSON_GetArrayItem(m, 0), "content", "");
	const char *reply = json_str(cJSON_GetArrayItem(m, 1), "content", NULL);
	printf("\nturn %.0f  %s", json_num(o, "turn", 0),
	       strcmp(action, "format_error") == 0 ? "format error" : action);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "cached")))
		printf(" (from the cache)");
	printf("\n  ");
	print_usage_line(o);
	double cost = json_num(o, "cost_usd", NAN);
	if (!isnan(cost))
		printf(" · $%.6f", cost);
	print_ms("model", json_num(o, "latency_ms", NAN));
	if (json_num(o, "command_ms", 0) > 0)
		print_ms("command", json_num(o, "command_ms", NAN));
	printf("\n");
	const char *cmd = json_str(o, "command", NULL);
	if (cmd) {
		print_lines("  $ ", "    ", cmd, 6, 2, full);
	} else if (strcmp(action, "format_error") == 0) {
		print_lines("  > ", "  > ", answer, 3, 1, full);
	}
	if (strcmp(action, "command") == 0 && reply) {
		/* the observation: "exit code N ..." then the output as the model saw it */
		const char *nl = strchr(reply, '\n');
		printf("  %.*s", nl ? (int)(nl - reply) : (int)strlen(reply), reply);
		printf(" · %.0f bytes of output%s\n", json_num(o, "output_bytes", 0),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "truncated")) ? ", cut for the model" : "");
		const char *out = nl ? nl + 1 : "";
		while (*out == '\n')
			out++;
		print_lines("  │ ", "  │ ", out, HEAD_LINES, TAIL_LINES, full);
	} else if (strcmp(action, "format_error") == 0 && reply) {
		const char *nl = strchr(reply, '\n');
		printf("  ← %.*s\n", nl ? (int)(nl - reply) : (int)strlen(reply), reply);
	}
}

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
	static const struct option opts[] = {
		{ "provider", required_argument, NULL, 'p' }, { "sample", required_argument, NULL, 'k' },
		{ "full", no_argument, NULL, 'f' },          { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prov = NULL;
	int sample = -1, full = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': prov = optarg; break;
		case 'k':
			if (opt_int("--sample", optarg, 0, 1000000, &sample) < 0)
				return EXIT_USAGE;
			break;
		case 'f': full = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		fputs(usage, stderr);
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
	path = store_log_path(dir, r->provider, r->task, r->sample, "trajectory.jsonl");
	if (!path_exists(path)) {
		error("'%s' is missing: the sample's trajectory was not kept", path);
		goto out;
	}
	if (file_read(path, &text) < 0)
		goto out;
	printf("%s · %s (%s) · sample %d\n", r->task, r->provider, r->model ? r->model : "?", r->sample);
	printf("%s", status_name(r->status));
	if (r->fail_reason || r->error_kind)
		printf(" (%s)", r->fail_reason ? r->fail_reason : r->error_kind);
	printf(" · ended: %s, after %d turns", r->end_reason ? r->end_reason : "?", r->turns);
	if (!isnan(r->cost_usd))
		printf(" · $%.6f", r->cost_usd);
	printf("\n  in %ld · cached %ld · written %ld · out %ld", r->usage.input, r->usage.cached_input,
	       r->usage.cache_write, r->usage.output);
	print_ms("its time", r->agent_ms);
	print_ms("model", r->latency_ms);
	printf("\n");
	int ended = 0;
	size_t lineno = 0;
	const char *p = buf_str(&text);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		cJSON *o = json_parse(p, len);
		if (!o) {
			warning("%s:%zu: not a trajectory line; skipped", path, lineno);
		} else if (json_str(o, "end", NULL)) {
			ended = 1;
			printf("\nend: %s · %s", json_str(o, "end", ""), json_str(o, "status", ""));
			const char *why = json_str(o, "fail_reason", json_str(o, "error_kind", NULL));
			if (why)
				printf(" (%s)", why);
			const char *d = json_str(o, "detail", NULL);
			if (d)
				printf(": %s", d);
			printf("\n");
		} else if (json_num(o, "turn", 0) > 0) {
			print_turn(o, full);
		}
		cJSON_Delete(o);
		p += len + (nl != NULL);
	}
	if (!ended)
		printf("\n(the trajectory has no end: the run stopped during this sample)\n");
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
