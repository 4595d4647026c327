/* trajectory.c - an agent sample's trajectory as readable text: the turns
 * of trajectory.jsonl (command, output abbreviated, tokens, cost, times)
 * and how the sample ended. */
#include "rundir/trajectory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rundir/store.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"

/* lines of text shown at the start and the end of a long output */
#define HEAD_LINES 8
#define TAIL_LINES 4
#define LINE_CHARS 160

/* appends text's lines with a prefix (first on the first line); unless
 * full, the first and last few of a long text with the count of those left
 * out between */
static void put_lines(struct buf *b, const char *first, const char *prefix, const char *text, int head, int tail,
		      int full)
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
				buf_printf(b, "%s%.*s …\n", pre, LINE_CHARS, p);
			else
				buf_printf(b, "%s%.*s\n", pre, (int)len, p);
		} else if (i == (size_t)head) {
			buf_printf(b, "%s… %zu lines …\n", prefix, n - (size_t)(head + tail));
		}
		p = nl ? nl + 1 : p + len;
	}
}

static void put_usage(struct buf *b, const struct usage *u)
{
	buf_printf(b, "in %ld · cached %ld · written %ld · out %ld", u->input, u->cached_input, u->cache_write,
		   u->output);
	if (u->reasoning > 0)
		buf_printf(b, " (reasoning %ld)", u->reasoning);
}

static void put_ms(struct buf *b, const char *what, double ms)
{
	if (isnan(ms))
		return;
	if (ms >= 10000)
		buf_printf(b, " · %s %.1f s", what, ms / 1e3);
	else
		buf_printf(b, " · %s %.0f ms", what, ms);
}

static void put_turn(struct buf *b, const cJSON *o, int full)
{
	const char *action = json_str(o, "action", "?");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "messages");
	const char *answer = json_str(cJSON_GetArrayItem(m, 0), "content", "");
	const char *reply = json_str(cJSON_GetArrayItem(m, 1), "content", NULL);
	buf_printf(b, "\nturn %.0f  %s", json_num(o, "turn", 0),
		   strcmp(action, "format_error") == 0 ? "format error" : action);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "cached")))
		buf_puts(b, " (from the cache)");
	buf_puts(b, "\n  ");
	struct usage u;
	usage_from_json(&u, o);
	put_usage(b, &u);
	double cost = json_num(o, "cost_usd", NAN);
	if (!isnan(cost))
		buf_printf(b, " · $%.6f", cost);
	put_ms(b, "model", json_num(o, "latency_ms", NAN));
	if (json_num(o, "command_ms", 0) > 0)
		put_ms(b, "command", json_num(o, "command_ms", NAN));
	buf_putc(b, '\n');
	const char *cmd = json_str(o, "command", NULL);
	if (cmd)
		put_lines(b, "  $ ", "    ", cmd, 6, 2, full);
	else if (strcmp(action, "format_error") == 0)
		put_lines(b, "  > ", "  > ", answer, 3, 1, full);
	if (strcmp(action, "command") == 0 && reply) {
		/* the observation: "exit code N ..." then the output as the model saw it */
		const char *nl = strchr(reply, '\n');
		buf_printf(b, "  %.*s", nl ? (int)(nl - reply) : (int)strlen(reply), reply);
		buf_printf(b, " · %.0f bytes of output%s\n", json_num(o, "output_bytes", 0),
			   cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "truncated")) ? ", cut for the model" : "");
		const char *out = nl ? nl + 1 : "";
		while (*out == '\n')
			out++;
		put_lines(b, "  │ ", "  │ ", out, HEAD_LINES, TAIL_LINES, full);
	} else if (strcmp(action, "format_error") == 0 && reply) {
		const char *nl = strchr(reply, '\n');
		buf_printf(b, "  ← %.*s\n", nl ? (int)(nl - reply) : (int)strlen(reply), reply);
	}
}

static void put_header(struct buf *b, const struct record *r)
{
	buf_printf(b, "%s · %s (%s) · sample %d\n", r->task, r->provider, r->model ? r->model : "?", r->sample);
	buf_puts(b, status_name(r->status));
	if (r->fail_reason || r->error_kind)
		buf_printf(b, " (%s)", r->fail_reason ? r->fail_reason : r->error_kind);
	buf_printf(b, " · ended: %s, after %d turns", r->end_reason ? r->end_reason : "?", r->turns);
	if (!isnan(r->cost_usd))
		buf_printf(b, " · $%.6f", r->cost_usd);
	buf_puts(b, "\n  ");
	put_usage(b, &r->usage);
	put_ms(b, "its time", r->agent_ms);
	put_ms(b, "model", r->latency_ms);
	buf_putc(b, '\n');
}

int trajectory_render(const char *dir, const struct record *r, int full, struct buf *out)
{
	char *path = store_log_path(dir, r->provider, r->task, r->sample, "trajectory.jsonl");
	struct buf text = BUF_INIT;
	int rc = 1;
	if (!path_exists(path))
		goto out;
	rc = -1;
	if (file_read(path, &text) < 0)
		goto out;
	put_header(out, r);
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
			buf_printf(out, "\nend: %s · %s", json_str(o, "end", ""), json_str(o, "status", ""));
			const char *why = json_str(o, "fail_reason", json_str(o, "error_kind", NULL));
			if (why)
				buf_printf(out, " (%s)", why);
			const char *d = json_str(o, "detail", NULL);
			if (d)
				buf_printf(out, ": %s", d);
			buf_putc(out, '\n');
		} else if (json_num(o, "turn", 0) > 0) {
			put_turn(out, o, full);
		}
		cJSON_Delete(o);
		p += len + (nl != NULL);
	}
	if (!ended)
		buf_puts(out, "\n(the trajectory has no end: the run stopped during this sample)\n");
	rc = 0;
out:
	buf_release(&text);
	free(path);
	return rc;
}
