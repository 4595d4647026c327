/* agent_loop.c - the bash agent's state machine (--agent bash): a sample's
 * turns on the request loop, and what it keeps across them (struct
 * agent_job, which nothing else looks inside).
 *
 * A turn: the request (the whole conversation), then the answer's one
 * command run in the sample's workspace and its observation sent back; or
 * a format reminder when the answer holds no command or several; or, for
 * the submit command, the work copy's diff scored as a repository answer.
 * Limits are checked before each request (turns, cost with the request's
 * worst case, the sample's own time) and after each answer (turns, time);
 * a command is cut at the time the sample has left. Every turn is a line
 * of the sample's trajectory (trajectory.jsonl beside its record). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sched_int.h"
#include "util/clock.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

#define TRAJECTORY "trajectory.jsonl"

/* what an earlier run's turn answered and was told */
struct replay {
	char *answer, *reply;  /* owned */
};

/* what the bash agent keeps for a sample across its turns */
struct agent_job {
	struct workspace *ws;  /* the work copy, made at the first command */
	char *answer;          /* the current turn's answer, and its command; owned */
	char *command;
	struct agent_turn turn;/* the current turn's figures (wait_ms: its commands' only) */
	double time_ms;        /* the sample's own time: answers, commands, overhead */
	double workspace_ms;   /* making the work copy */
	double latency_ms;     /* the answers' latencies, summed */
	int attempts;          /* requests sent over the finished turns */
	int all_cached;        /* every answer so far came from the cache */
	const char *cost_source; /* the last answer's (static) */
	int usage_estimated;   /* some answer had no usage block */
	const char *end;       /* why it ended (static), once it did */
	/* a resumed sample: what the earlier run's turns answered and were told */
	struct replay *replay;
	size_t nreplay, replay_cap;
};

static void on_command(void *arg, struct exec_result *res);
static void on_patch(void *arg, struct exec_result *res);

struct agent_job *agent_job_new(void)
{
	struct agent_job *a = xcalloc(1, sizeof(*a));
	a->all_cached = 1;
	return a;
}

static void replay_drop(struct agent_job *a)
{
	for (size_t i = 0; i < a->nreplay; i++) {
		free(a->replay[i].answer);
		free(a->replay[i].reply);
	}
	free(a->replay);
	a->replay = NULL;
	a->nreplay = a->replay_cap = 0;
}

void agent_job_free(struct agent_job *a)
{
	if (!a)
		return;
	scorer_workspace_free(a->ws);
	free(a->answer);
	free(a->command);
	replay_drop(a);
	free(a);
}

void agent_job_overhead(struct agent_job *a, double t0_ms)
{
	double ms = clock_ms() - t0_ms;
	a->turn.overhead_ms += ms;
	a->time_ms += ms;
}

/* an earlier run's trajectory of this sample (one killed part-way, say):
 * what its turns answered and were told. Told the same again, the model's
 * requests are the same and come from the response cache, even where a
 * command's output differs from run to run (times, dates) */
static void load_replay(struct sched *s, struct job *j)
{
	struct agent_job *a = j->ag;
	const struct plan_item *it = j->it;
	char *path = store_log_path(s->o->store->dir, it->prov->name, it->task->id, it->sample, TRAJECTORY);
	struct buf text = BUF_INIT;
	if (path_exists(path) && file_read(path, &text) == 0) {
		const char *p = buf_str(&text), *nl = strchr(p, '\n');
		for (; nl; p = nl + 1, nl = strchr(p, '\n')) {
			cJSON *o = json_parse(p, (size_t)(nl - p));
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "messages");
			const char *ans = json_str(cJSON_GetArrayItem(m, 0), "content", NULL);
			const char *rep = json_str(cJSON_GetArrayItem(m, 1), "content", NULL);
			int turn = (int)json_num(o, "turn", -1);
			if (turn == (int)a->nreplay + 1 && ans && rep) {
				XGROW(a->replay, a->replay_cap, a->nreplay + 1);
				a->replay[a->nreplay++] = (struct replay){ xstrdup(ans), xstrdup(rep) };
			}
			cJSON_Delete(o);
			if (turn > (int)a->nreplay)
				break;
		}
	}
	buf_release(&text);
	free(path);
}

void agent_job_begin(struct sched *s, struct job *j)
{
	/* the trajectory starts afresh, with the earlier run's read first */
	load_replay(s, j);
	const struct plan_item *it = j->it;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "turn", 0);
	cJSON_AddStringToObject(o, "task", it->task->id);
	cJSON_AddStringToObject(o, "provider", it->prov->name);
	cJSON_AddStringToObject(o, "model", it->prov->model);
	cJSON_AddNumberToObject(o, "sample", it->sample);
	cJSON *m = cJSON_AddArrayToObject(o, "messages");
	const char *roles[] = { "system", "user" }, *texts[] = { j->system, j->user };
	for (int i = 0; i < 2; i++) {
		cJSON *msg = cJSON_CreateObject();
		cJSON_AddStringToObject(msg, "role", roles[i]);
		cJSON_AddStringToObject(msg, "content", texts[i]);
		cJSON_AddItemToArray(m, msg);
	}
	records_log_line(s, j, TRAJECTORY, o, 0);
}

const char *agent_job_limit(const struct sched *s, const struct job *j)
{
	return agent_limit(s->o->agent, j->try_no - 1, j->steps.cost_usd, j->worst_usd, j->ag->time_ms / 1e3);
}

void agent_job_stop(struct sched *s, struct job *j, const char *reason)
{
	/* a limit is a model failure, never an error */
	const struct agent_opts *o = s->o->agent;
	struct agent_job *a = j->ag;
	a->end = reason;
	char *d;
	if (strcmp(reason, "turn_limit") == 0)
		d = xasprintf("%d turns (--agent-turns) without submitting", o->max_turns);
	else if (strcmp(reason, "cost_limit") == 0)
		d = xasprintf("$%.6f spent, and the next request's worst case $%.6f would pass --agent-cost %.6f",
			      j->steps.cost_usd, j->worst_usd, o->max_cost_usd);
	else
		d = xasprintf("%.1f s of its own time (--agent-time %.0f)", a->time_ms / 1e3, o->max_time_s);
	sample_finish(s, j, ST_FAILED, reason, d);
	free(d);
}

/* the current turn with its answer's figures, and its request's waiting */
static struct agent_turn turn_now(const struct job *j)
{
	struct agent_turn t = j->ag->turn;
	t.turn = j->try_no;
	t.action = t.action ? t.action : "error";
	t.usage = j->r.usage;
	t.cost_usd = j->cost_usd;
	t.latency_ms = j->latency_ms;
	t.cached = j->from_cache;
	t.response_key = j->r.text || j->from_cache ? j->key : NULL;
	t.wait_ms += j->wait_ms;
	return t;
}

/* the turn is over: its figures join the record's, its line the
 * trajectory, and the next turn is queued with the answer and the reply */
static void agent_next(struct sched *s, struct job *j, const char *reply)
{
	double t0 = clock_ms();
	struct agent_job *a = j->ag;
	size_t k = (size_t)j->try_no - 1;
	if (k < a->nreplay && strcmp(a->replay[k].answer, a->answer) == 0)
		reply = a->replay[k].reply;
	else
		replay_drop(a);
	a->turn.reply = reply;
	struct agent_turn t = turn_now(j);
	records_log_line(s, j, TRAJECTORY, agent_turn_json(&t, 1), 1);
	records_add_step(j, agent_turn_json(&t, 0));
	a->attempts += j->attempts;
	sample_next_turn(s, j, a->answer, reply);
	memset(&a->turn, 0, sizeof(a->turn));
	agent_job_overhead(a, t0);
}

void agent_job_answer(struct sched *s, struct job *j)
{
	struct agent_job *a = j->ag;
	const struct task *t = j->it->task;
	free(a->answer);
	free(a->command);
	a->answer = xstrdup(j->r.text ? j->r.text : "");
	if (!isnan(j->latency_ms)) {
		a->time_ms += j->latency_ms;
		a->latency_ms += j->latency_ms;
	}
	a->all_cached &= j->from_cache;
	a->cost_source = j->cost_source;
	a->usage_estimated |= j->usage_estimated;
	int blocks = agent_command(a->answer, &a->command);
	a->turn.answer = a->answer;
	a->turn.command = a->command;
	if (!a->command) {
		a->turn.action = "format_error";
		char *reply = agent_reminder(blocks);
		agent_job_overhead(a, j->answered_ms);
		agent_next(s, j, reply);
		free(reply);
		return;
	}
	int submit = agent_is_submit(a->command);
	a->turn.action = submit ? "submit" : "command";
	double cost = j->steps.cost_usd + (isnan(j->cost_usd) ? 0 : j->cost_usd);
	const char *lim = submit ? NULL : agent_limit(s->o->agent, j->try_no, cost, 0, a->time_ms / 1e3);
	if (lim) {
		agent_job_stop(s, j, lim);
		return;
	}
	if (!a->ws)
		a->ws = scorer_workspace_new(s->o->scorer, t);
	if (!a->ws) {
		sample_finish(s, j, ST_ERROR, "checkout", "the task's work copy could not be made (see the messages above)");
		return;
	}
	agent_job_overhead(a, j->answered_ms);
	if (submit) {
		scorer_exec(s->o->scorer, a->ws, NULL, 600, on_patch, j);
		return;
	}
	double left = s->o->agent->max_time_s - a->time_ms / 1e3, limit = agent_command_limit_s(t);
	scorer_exec(s->o->scorer, a->ws, a->command, left < limit ? left : limit, on_command, j);
}

/* what an exec job's result adds to the turn, whatever it was */
static void exec_figures(struct agent_job *a, const struct exec_result *res)
{
	a->workspace_ms += res->setup_ms;
	a->turn.wait_ms += res->wait_ms;
	a->turn.overhead_ms += res->harness_ms;
	a->turn.command_ms = res->run_ms;
	a->time_ms += res->harness_ms + res->run_ms;
}

static void on_command(void *arg, struct exec_result *res)
{
	double t0 = clock_ms();
	struct job *j = arg;
	struct sched *s = j->s;
	struct agent_job *a = j->ag;
	exec_figures(a, res);
	if (res->error) {
		sample_finish(s, j, ST_ERROR, res->reason, res->detail);
		return;
	}
	struct agent_output out = {
		.exit_code = res->exit_code,
		.timed_out = res->timed_out,
		.output_killed = res->output_killed,
		.mem_killed = res->mem_killed,
		.limit_s = res->limit_s,
		.head = buf_str(&res->head),
		.head_len = res->head.len,
		.tail = res->tail,
		.tail_len = res->tail_len,
		.total = res->total,
	};
	size_t cut;
	char *reply = agent_observation(&out, s->o->agent->output_bytes, &cut);
	a->turn.exit_code = res->exit_code;
	a->turn.timed_out = res->timed_out;
	a->turn.output_bytes = res->total;
	a->turn.cut_bytes = cut;
	agent_job_overhead(a, t0);
	agent_next(s, j, reply);
	free(reply);
}

/* the submitted work copy's diff: kept beside the record, and scored like
 * any repository answer (a fresh checkout, the patch, the tests) */
static void on_patch(void *arg, struct exec_result *res)
{
	double t0 = clock_ms();
	struct job *j = arg;
	struct sched *s = j->s;
	struct agent_job *a = j->ag;
	const struct plan_item *it = j->it;
	exec_figures(a, res);
	if (res->error) {
		sample_finish(s, j, ST_ERROR, res->reason, res->detail);
		return;
	}
	a->end = "submitted";
	agent_job_overhead(a, t0);
	if (res->exit_code != 0 || res->tail) {
		struct verdict v = { .reason = "malformed_edit", .edit_format = "agent", .test_ms = NAN };
		v.detail = res->tail ? xasprintf("the work copy's diff is larger than %zu bytes", res->head.len)
				     : xasprintf("the work copy's diff could not be taken (exit %d): %.200s",
						 res->exit_code, buf_str(&res->head));
		records_write(s, j, ST_FAILED, v.reason, v.detail, &v);
		free(v.detail);
		job_free(j);
		return;
	}
	if (store_write_log(s->o->store, it->prov->name, it->task->id, it->sample, "patch.diff",
			    buf_str(&res->head)) < 0)
		sched_write_failed(s);
	scorer_submit(s->o->scorer, it->task, buf_str(&res->head), ANSWER_SOLUTION, sample_scored, j);
}

void agent_job_record(struct sched *s, struct job *j, struct record *r, const char *why)
{
	struct agent_job *a = j->ag;
	int asked = j->attempts > 0 || j->from_cache; /* the current turn was sent, or found in the cache */
	if (asked) {
		struct agent_turn t = turn_now(j);
		records_log_line(s, j, TRAJECTORY, agent_turn_json(&t, 1), 1);
		records_add_step(j, agent_turn_json(&t, 0));
	}
	record_set_str(&r->agent, "bash");
	r->turns = j->try_no - !asked;
	if (!a->end)
		a->end = r->status == ST_ERROR ? "error" : why;
	record_set_str(&r->end_reason, a->end);
	r->agent_ms = a->time_ms;
	r->workspace_ms = a->workspace_ms;
	r->latency_ms = a->latency_ms;
	r->attempts = a->attempts + j->attempts;
	r->cached = r->turns > 0 && a->all_cached && (j->from_cache || !asked);
	/* the totals are the turns' */
	r->usage = j->steps.usage;
	r->cost_usd = r->turns > 0 ? j->steps.cost_usd : NAN;
	record_set_str(&r->cost_source, a->cost_source);
	r->usage_estimated = a->usage_estimated;
	cJSON *end = cJSON_CreateObject();
	cJSON_AddStringToObject(end, "end", a->end ? a->end : "stopped");
	cJSON_AddStringToObject(end, "status", status_name(r->status));
	if (why)
		cJSON_AddStringToObject(end, r->status == ST_FAILED ? "fail_reason" : "error_kind", why);
	if (r->detail)
		cJSON_AddStringToObject(end, "detail", r->detail);
	cJSON_AddNumberToObject(end, "turns", r->turns);
	json_add_num(end, "cost_usd", r->cost_usd);
	json_add_num(end, "agent_ms", round(a->time_ms * 10) / 10);
	records_log_line(s, j, TRAJECTORY, end, 1);
}
