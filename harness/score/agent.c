/* agent.c - the bash agent's pure parts: options, messages, the command of
 * an answer, the observation of a command, the limits, the turn figures.
 *
 * Everything the model reads is a function of the options, the task and
 * what happened, never of the clock or of chance: a conversation only
 * grows by appending, so OpenAI-compatible providers' automatic prefix
 * caching applies, and a resumed sample asks the same requests again and
 * finds them in the response cache. */
#include "score/agent.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/extract.h"
#include "score/score.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xalloc.h"

void agent_opts_default(struct agent_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_turns = 30;
	o->max_time_s = 900;
	o->output_bytes = 8000;
}

cJSON *agent_opts_json(const struct agent_opts *o)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "tool", "bash");
	cJSON_AddNumberToObject(a, "max_turns", o->max_turns);
	json_add_num(a, "max_cost_usd", o->max_cost_usd > 0 ? o->max_cost_usd : NAN);
	cJSON_AddNumberToObject(a, "max_time_s", o->max_time_s);
	cJSON_AddNumberToObject(a, "output_bytes", (double)o->output_bytes);
	cJSON_AddNumberToObject(a, "command_limit_s", AGENT_COMMAND_S);
	cJSON_AddNumberToObject(a, "memory_mb", REPO_MEM_MB);
	cJSON_AddStringToObject(a, "submit", AGENT_SUBMIT);
	return a;
}

double agent_command_limit_s(const struct task *t)
{
	return t->timeout_s > AGENT_COMMAND_S ? t->timeout_s : AGENT_COMMAND_S;
}

char *agent_system(const struct agent_opts *o, const struct task *t)
{
	return xasprintf(
		"You are an expert software engineer fixing an issue in a repository. You have one tool: a "
		"shell. Each turn, answer with exactly one command in one ```bash block; it runs with bash in "
		"the repository's work copy at /work, and you are told its exit code and output.\n\n"
		"- Each command runs in a fresh sandbox with no network, at most %.0f seconds and %d MB of "
		"memory. Only /work keeps what you change: the directory, variables and /tmp do not carry "
		"over to the next command.\n"
		"- You see at most %zu bytes of a command's output: its start and its end, with a note of "
		"what was cut.\n"
		"- Explore the code, read the files that matter, edit them (with sed, or a here-document to "
		"`cat > FILE` or `patch -p1`), and run the tests.\n"
		"- You have %d turns and %.0f seconds in all. An answer with no ```bash block, or with "
		"several, costs a turn.\n"
		"- When the fix is done, answer with this block alone:\n\n"
		"```bash\n" AGENT_SUBMIT "\n```\n\n"
		"Your changes to /work against the commit you started from, new files included, are then your "
		"answer, and the repository's tests decide whether it fixes the issue.",
		agent_command_limit_s(t), REPO_MEM_MB, o->output_bytes, o->max_turns, o->max_time_s);
}

char *agent_first_user(const struct task *t)
{
	return xasprintf("Fix this issue in the repository %s, checked out at /work:\n\n<issue>\n%s\n</issue>\n",
			 t->repo->name, t->prompt);
}

static int is_shell_tag(const char *tag)
{
	return strcmp(tag, "bash") == 0 || strcmp(tag, "sh") == 0 || strcmp(tag, "shell") == 0;
}

int agent_command(const char *answer, char **cmd)
{
	struct fenced_block *v;
	size_t n = extract_blocks(answer ? answer : "", &v);
	int count = 0;
	const struct fenced_block *one = NULL;
	for (size_t i = 0; i < n; i++)
		if (is_shell_tag(v[i].tag)) {
			count++;
			one = &v[i];
		}
	*cmd = count == 1 && one->closed ? xstrndup(one->start, one->len) : NULL;
	free(v);
	return count;
}

int agent_is_submit(const char *cmd)
{
	size_t n = strlen(AGENT_SUBMIT);
	while (*cmd == ' ' || *cmd == '\t' || *cmd == '\n' || *cmd == '\r')
		cmd++;
	if (strncmp(cmd, AGENT_SUBMIT, n) != 0)
		return 0;
	for (cmd += n; *cmd; cmd++)
		if (*cmd != ' ' && *cmd != '\t' && *cmd != '\n' && *cmd != '\r')
			return 0;
	return 1;
}

char *agent_reminder(int blocks)
{
	char *had = blocks == 0   ? xstrdup("no ```bash block")
		    : blocks == 1 ? xstrdup("a ```bash block that was never closed")
				  : xasprintf("%d ```bash blocks", blocks);
	char *r = xasprintf("Your answer had %s. Answer with exactly one command in one ```bash block, or, "
			    "when the fix is done, with this block alone:\n\n```bash\n" AGENT_SUBMIT "\n```",
			    had);
	free(had);
	return r;
}

/* where to cut the head: at a line's end when one is close enough */
static size_t head_cut(const char *p, size_t n)
{
	for (size_t k = n; k > n / 2; k--)
		if (p[k - 1] == '\n')
			return k;
	return n;
}

/* where to start the tail: after a line's end when one is close enough */
static size_t tail_start(const char *p, size_t n)
{
	for (size_t k = 0; k < n / 2; k++)
		if (p[k] == '\n')
			return k + 1;
	return 0;
}

char *agent_observation(const struct agent_output *o, size_t max, size_t *cut)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "exit code %d", o->exit_code);
	if (o->timed_out)
		buf_printf(&b, " (killed: the command ran longer than its %.0f s)", o->limit_s);
	else if (o->output_killed)
		buf_printf(&b, " (killed: the command wrote more than %zu bytes)", o->total);
	else if (o->mem_killed)
		buf_printf(&b, " (killed: the command held more than %d MB of memory)", REPO_MEM_MB);
	*cut = 0;
	if (o->total == 0) {
		buf_puts(&b, "\n(no output)");
		return buf_detach(&b);
	}
	buf_puts(&b, "\n\n");
	int whole = !o->tail && o->head_len == o->total;
	if (whole && o->total <= max) {
		buf_append_utf8(&b, o->head, o->head_len);
		return buf_detach(&b);
	}
	/* the first max/2 bytes, the last max/2 (from the head when it holds
	 * everything, else from the tail), each moved to a line's end */
	size_t h = max / 2 < o->head_len ? max / 2 : o->head_len;
	h = head_cut(o->head, h);
	size_t avail = whole ? o->head_len - h : o->tail_len;
	size_t t = max - max / 2 < avail ? max - max / 2 : avail;
	const char *tp = (whole ? o->head + o->head_len : o->tail + o->tail_len) - t;
	/* from the tail, the byte before is unknown: assume a line was cut */
	size_t skip = whole && tp[-1] == '\n' ? 0 : tail_start(tp, t);
	tp += skip;
	t -= skip;
	*cut = o->total - h - t;
	buf_append_utf8(&b, o->head, h);
	if (h && o->head[h - 1] != '\n')
		buf_putc(&b, '\n');
	buf_printf(&b, "[... %zu bytes of output cut here: it had %zu bytes, of which the first %zu and the last %zu "
		       "are shown ...]\n",
		   *cut, o->total, h, t);
	buf_append_utf8(&b, tp, t);
	return buf_detach(&b);
}

const char *agent_limit(const struct agent_opts *o, int turns, double cost_usd, double next_worst_usd, double time_s)
{
	if (turns >= o->max_turns)
		return "turn_limit";
	if (o->max_cost_usd > 0 && cost_usd + next_worst_usd > o->max_cost_usd)
		return "cost_limit";
	if (time_s >= o->max_time_s)
		return "time_limit";
	return NULL;
}

static void add_ms(cJSON *o, const char *key, double v)
{
	json_add_num(o, key, isnan(v) ? NAN : round(v * 10) / 10);
}

cJSON *agent_turn_json(const struct agent_turn *t, int full)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "turn", t->turn);
	cJSON_AddStringToObject(o, "action", t->action);
	if (full) {
		cJSON *m = cJSON_AddArrayToObject(o, "messages");
		const char *roles[] = { "assistant", "user" }, *texts[] = { t->answer, t->reply };
		for (int i = 0; i < 2; i++) {
			if (!texts[i])
				continue;
			cJSON *msg = cJSON_CreateObject();
			cJSON_AddStringToObject(msg, "role", roles[i]);
			cJSON_AddStringToObject(msg, "content", texts[i]);
			cJSON_AddItemToArray(m, msg);
		}
		if (t->command)
			cJSON_AddStringToObject(o, "command", t->command);
	}
	if (t->command && strcmp(t->action, "command") == 0) {
		cJSON_AddNumberToObject(o, "exit_code", t->exit_code);
		if (t->timed_out)
			cJSON_AddTrueToObject(o, "timed_out");
		cJSON_AddNumberToObject(o, "output_bytes", (double)t->output_bytes);
		cJSON_AddBoolToObject(o, "truncated", t->cut_bytes > 0);
		if (t->cut_bytes)
			cJSON_AddNumberToObject(o, "cut_bytes", (double)t->cut_bytes);
	}
	usage_add_json(o, &t->usage);
	json_add_num(o, "cost_usd", t->cost_usd);
	add_ms(o, "latency_ms", t->latency_ms);
	add_ms(o, "command_ms", t->command_ms);
	add_ms(o, "overhead_ms", t->overhead_ms);
	add_ms(o, "wait_ms", t->wait_ms);
	if (t->cached)
		cJSON_AddTrueToObject(o, "cached");
	if (full && t->response_key)
		cJSON_AddStringToObject(o, "response_key", t->response_key);
	return o;
}
