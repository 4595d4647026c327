/* sched.c - the request loop (after curl's parallel mode in tool_operate.c).
 *
 * One struct job per sample, attached to its transfer with CURLOPT_PRIVATE.
 * The loop is: top up each provider as its pacing allows -> poll (an epoll
 * set of curl's sockets, and the sandboxes' pipes) -> hand curl the sockets
 * that are ready (curl_multi_socket_action, so a wake-up costs what is
 * ready, not what is open) -> drain finished transfers -> step the scoring
 * pool. A retry is the same job with a later
 * start time. One failed sample never stops the run, and one slow or
 * failing provider never holds up the others: each has its own queue,
 * window and pauses (ratelimit.c).
 *
 * Paid-for responses are never lost: a usable body is written to the
 * cache before the job leaves the transfer stage, so a run killed at any
 * point finds it again on resume instead of paying twice. The budget is a
 * promise: a job's worst case (prompt bytes as tokens, plus max_tokens) is
 * reserved before it is sent and settled with the real cost after; a
 * response whose cost cannot be known keeps its worst case as spent.
 *
 * A sample is a conversation. Most have one turn; a failed try can get the
 * tests' output and another (--tries); the bash agent (--agent bash) takes
 * turns until it submits or a limit stops it, each answer's command run in
 * the sample's own work copy (a scorer workspace) and its output sent back.
 * A later turn is the same job with the two messages appended, queued in
 * front of the provider's new samples so that started samples finish. */
#define _GNU_SOURCE
#include "engine/sched.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "engine/prompt.h"
#include "engine/proto.h"
#include "engine/ratelimit.h"
#include "rundir/cache.h"
#include "score/extract.h"
#include "score/swebench.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"

#define DEFAULT_MAX_TOKENS 4096
#define MAX_POLL_FDS 256

struct sched;

struct job {
	struct sched *s;
	const struct plan_item *it;
	size_t pq;             /* index of the provider's queue */
	char *body;            /* request body; malloced once prepared */
	char *url;
	char key[65];
	double worst_usd;      /* reserved while in flight */
	double worst_tokens;   /* what the tokens-per-minute bucket is charged */
	size_t prompt_bytes;
	int attempts;
	double not_before_ms;  /* retry time */
	double ready_ms;       /* when the current request was ready to go (or to go again) */
	double start_ms;
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf resp;
	struct rl_headers rl;  /* what this response's headers said */
	size_t scan_pos;       /* how far a stream was scanned for its first token */
	double ttft_ms;        /* NAN until the first token arrives (streams only) */
	char errbuf[CURL_ERROR_SIZE];
	/* the answer */
	struct response r;
	double cost_usd;
	const char *cost_source;
	double latency_ms;
	int from_cache, cache_checked;
	int usage_estimated;
	double answered_ms;    /* when the answer arrived (or was found in the cache) */
	/* the conversation: the first turn, and what each later one adds */
	int try_no;            /* 1, 2, ...: the try, or the agent's turn */
	char *system, *user;   /* the first turn's messages; owned */
	struct message *conv;  /* answers and replies since, in order; contents owned */
	size_t nconv, conv_cap;
	cJSON *steps;          /* the finished tries or turns, in order; owned */
	struct usage sum_usage;/* of the finished tries or turns */
	double sum_cost;
	struct agent_job *ag;  /* the bash agent's state; NULL without --agent */
};

/* what the bash agent keeps for a sample across its turns */
struct agent_job {
	struct workspace *ws;  /* the work copy, made at the first command */
	char *answer;          /* the current turn's answer, and its command; owned */
	char *command;
	struct agent_turn turn;/* the current turn's figures */
	double time_ms;        /* the sample's own time: answers, commands, overhead */
	double workspace_ms;   /* making the work copy */
	double latency_ms;     /* the answers' latencies, summed */
	int attempts;          /* requests sent over the finished turns */
	int all_cached;        /* every answer so far came from the cache */
	const char *cost_source; /* the last answer's (static) */
	int usage_estimated;   /* some answer had no usage block */
	const char *end;       /* why it ended (static), once it did */
	/* a resumed sample: what the earlier run's turns answered and were told */
	char **replay_answer, **replay_reply;
	size_t nreplay;
};

struct provq {
	const struct provider *prov;
	char *key;             /* the API key, from the environment; never written anywhere */
	/* waiting samples, in plan order; retries go first. A job is made when
	 * its sample comes up (q[i] NULL until then): a run of 50,000 requests
	 * holds jobs only for those in flight */
	struct job **q;
	const struct plan_item **items;
	size_t head, n, cap, items_cap;
	int in_flight;
	int open;              /* agent samples begun and not finished: at most max_concurrency */
	int streams;           /* the provider's params ask for a stream */
	struct ratelimit rl;
};

struct sched {
	const struct sched_opts *o;
	struct sched_stats *st;
	CURLM *multi;
	int epfd;              /* curl's sockets */
	double curl_timer_at;  /* when curl wants to be called, or -1 */
	struct provq *pq;
	size_t npq;
	double reserved_usd, spent_usd;
	size_t total, finished, in_flight;
	int stopping;
	const char *stop_reason;
	double last_progress_ms, t0_ms;
	int tty;
	int failed_io;
};

/* ---- small helpers ---- */

static double clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double budget_left(const struct sched *s)
{
	return s->o->max_cost_usd - s->o->spent_before_usd - s->spent_usd - s->reserved_usd;
}

static void replay_drop(struct agent_job *a)
{
	for (size_t i = 0; i < a->nreplay; i++) {
		free(a->replay_answer[i]);
		free(a->replay_reply[i]);
	}
	free(a->replay_answer);
	free(a->replay_reply);
	a->replay_answer = a->replay_reply = NULL;
	a->nreplay = 0;
}

static void agent_job_free(struct agent_job *a)
{
	if (!a)
		return;
	scorer_workspace_free(a->ws);
	free(a->answer);
	free(a->command);
	replay_drop(a);
	free(a);
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->body);
	free(j->url);
	buf_release(&j->resp);
	response_release(&j->r);
	if (j->hdrs)
		curl_slist_free_all(j->hdrs);
	if (j->easy)
		curl_easy_cleanup(j->easy);
	free(j->system);
	free(j->user);
	for (size_t i = 0; i < j->nconv; i++)
		free((char *)j->conv[i].content);
	free(j->conv);
	cJSON_Delete(j->steps);
	agent_job_free(j->ag);
	free(j);
}

/* replaces every occurrence of key in s (in place) so a provider that echoes
 * a key in an error message cannot put it in a record */
static void redact(char *s, const char *key)
{
	if (!s || !key || strlen(key) < 4)
		return;
	size_t k = strlen(key);
	for (char *p = strstr(s, key); p; p = strstr(p, key)) {
		static const char mark[] = "[redacted]";
		size_t m = sizeof(mark) - 1 < k ? sizeof(mark) - 1 : k;
		memcpy(p, mark, m);
		memmove(p + m, p + k, strlen(p + k) + 1);
		p += m;
	}
}

/* ---- records ---- */

#define TRAJECTORY "trajectory.jsonl"

static void usage_add(struct usage *sum, const struct usage *u)
{
	sum->input += u->input;
	sum->cached_input += u->cached_input;
	sum->cache_write += u->cache_write;
	sum->output += u->output;
	sum->reasoning += u->reasoning;
}

/* whether the job's current turn was asked (sent, or found in the cache) */
static int turn_asked(const struct job *j)
{
	return j->attempts > 0 || j->from_cache;
}

/* one try, as it goes into the record's "tries" */
static cJSON *try_json(const struct job *j, enum status status, const char *why)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "try", j->try_no);
	cJSON_AddStringToObject(o, "status", status_name(status));
	if (why)
		cJSON_AddStringToObject(o, "reason", why);
	json_add_num(o, "cost_usd", j->cost_usd);
	usage_add_json(o, &j->r.usage);
	json_add_num(o, "latency_ms", j->latency_ms);
	return o;
}

/* a finished try or turn: its figures join the record's list and totals */
static void add_step(struct job *j, cJSON *step)
{
	if (!j->steps)
		j->steps = cJSON_CreateArray();
	cJSON_AddItemToArray(j->steps, step);
	usage_add(&j->sum_usage, &j->r.usage);
	j->sum_cost += isnan(j->cost_usd) ? 0 : j->cost_usd;
}

/* the agent's current turn, its answer's figures filled in */
static struct agent_turn *agent_turn_now(struct job *j)
{
	struct agent_turn *t = &j->ag->turn;
	t->turn = j->try_no;
	t->action = t->action ? t->action : "error";
	t->usage = j->r.usage;
	t->cost_usd = j->cost_usd;
	t->latency_ms = j->latency_ms;
	t->cached = j->from_cache;
	t->response_key = j->r.text || j->from_cache ? j->key : NULL;
	return t;
}

/* appends a line to the sample's trajectory */
static void agent_log(struct sched *s, const struct job *j, cJSON *line)
{
	struct buf b = BUF_INIT;
	json_print(&b, line);
	buf_putc(&b, '\n');
	cJSON_Delete(line);
	const struct plan_item *it = j->it;
	if (store_append_log(s->o->store, it->prov->name, it->task->id, it->sample, TRAJECTORY, buf_str(&b)) < 0)
		s->failed_io = 1;
	buf_release(&b);
}

/* what an agent sample's record adds: its turns, the last one (if it was
 * asked) included, how it ended, and the trajectory's last lines */
static void agent_record(struct sched *s, struct job *j, struct record *r, const char *why)
{
	struct agent_job *a = j->ag;
	int asked = turn_asked(j);
	if (asked) {
		struct agent_turn *t = agent_turn_now(j);
		agent_log(s, j, agent_turn_json(t, 1));
		add_step(j, agent_turn_json(t, 0));
	}
	r->agent = "bash";
	r->turns = j->try_no - !asked;
	if (!a->end)
		a->end = r->status == ST_ERROR ? "error" : why;
	r->end_reason = (char *)a->end;
	r->agent_ms = a->time_ms;
	r->workspace_ms = a->workspace_ms;
	r->latency_ms = a->latency_ms;
	r->attempts = a->attempts + j->attempts;
	r->cached = r->turns > 0 && a->all_cached && (j->from_cache || !asked);
	/* the totals are the turns' */
	r->usage = j->sum_usage;
	r->cost_usd = r->turns > 0 ? j->sum_cost : NAN;
	r->cost_source = (char *)a->cost_source;
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
	agent_log(s, j, end);
	s->pq[j->pq].open--;
}

static void write_record(struct sched *s, struct job *j, enum status status, const char *why,
			 const char *detail, const struct verdict *v)
{
	const struct plan_item *it = j->it;
	struct record r;
	record_init(&r);
	r.task = it->task->id;
	r.provider = it->prov->name;
	r.model = it->prov->model;
	r.sample = it->sample;
	r.status = status;
	if (status == ST_FAILED)
		r.fail_reason = (char *)why;
	else if (status != ST_PASSED)
		r.error_kind = (char *)why;
	char *d = detail ? xstrdup(detail) : NULL;
	redact(d, s->pq[j->pq].key);
	r.detail = d;
	r.cluster = it->task->cluster;
	r.usage = j->r.usage;
	r.raw_usage = j->r.raw_usage;
	r.cost_usd = j->cost_usd;
	r.cost_source = (char *)j->cost_source;
	r.usage_estimated = j->usage_estimated;
	r.latency_ms = j->latency_ms;
	r.ttft_ms = j->ttft_ms;
	if (j->r.streamed && !isnan(j->ttft_ms) && j->latency_ms > j->ttft_ms && j->r.usage.output > 0)
		r.output_tps = (double)j->r.usage.output / ((j->latency_ms - j->ttft_ms) / 1e3);
	r.attempts = j->attempts;
	r.cached = j->from_cache;
	r.response_key = j->r.text || j->from_cache ? j->key : NULL;
	if (j->ag) {
		agent_record(s, j, &r, why);
	} else if (j->steps) {
		/* the record's usage and cost are the totals of every try */
		add_step(j, try_json(j, status, why));
		r.usage = j->sum_usage;
		r.cost_usd = j->sum_cost;
	}
	char *steps = j->steps ? cJSON_PrintUnformatted(j->steps) : NULL;
	if (j->ag)
		r.per_turn = steps;
	else
		r.tries = steps;
	if (r.usage.cached_input || r.usage.cache_write)
		r.cache_saving_usd = price_cache_saving(&it->prov->price, &r.usage);
	if (v) {
		r.test_ms = v->test_ms;
		r.truncated = v->truncated;
		r.edit_format = (char *)(j->ag ? "agent" : v->edit_format);
		r.well_formed = v->well_formed;
		r.report = v->report;
		memcpy(r.step_ms, v->step_ms, sizeof(r.step_ms));
		if (v->log && store_write_log(s->o->store, r.provider, r.task, r.sample, "test_output.txt", v->log) < 0)
			s->failed_io = 1;
		if (v->report) {
			char *rep = swebench_instance_report(r.task, v->report);
			if (store_write_log(s->o->store, r.provider, r.task, r.sample, "report.json", rep) < 0)
				s->failed_io = 1;
			free(rep);
		}
		r.near_limit = v->near_limit;
		r.test_reused = v->reused;
	}
	if (store_append(s->o->store, &r) < 0)
		s->failed_io = 1;
	free(d);
	cJSON_free(steps);
	switch (status) {
	case ST_PASSED: s->st->passed++; break;
	case ST_FAILED: s->st->failed++; break;
	case ST_ERROR: s->st->errors++; break;
	case ST_NOT_ATTEMPTED: s->st->not_attempted++; break;
	}
	s->finished++;
}

static void finish_job(struct sched *s, struct job *j, enum status status, const char *why,
		       const char *detail)
{
	write_record(s, j, status, why, detail, NULL);
	job_free(j);
}

static void queue_push_front(struct provq *q, struct job *j);

static void conv_add(struct job *j, const char *role, const char *content)
{
	XGROW(j->conv, j->conv_cap, j->nconv + 1);
	j->conv[j->nconv++] = (struct message){ role, xstrdup(content) };
}

/* the next turn of the same conversation: the answer and the reply to it
 * are appended (nothing before them changes, so the prompt's prefix stays
 * byte-stable), and the job waits in front of its provider's queue */
static void next_turn(struct sched *s, struct job *j, const char *answer, const char *reply)
{
	conv_add(j, "assistant", answer);
	conv_add(j, "user", reply);
	free(j->body);
	free(j->url);
	j->body = j->url = NULL;
	response_release(&j->r);
	j->try_no++;
	j->attempts = 0;
	j->cache_checked = j->from_cache = j->usage_estimated = 0;
	j->cost_usd = j->latency_ms = j->ttft_ms = NAN;
	j->cost_source = NULL;
	j->not_before_ms = 0;
	queue_push_front(&s->pq[j->pq], j);
}

/* a failed try becomes the next one: the answer and what the tests said go
 * back to the model in the same conversation */
static void try_again(struct sched *s, struct job *j, const struct verdict *v)
{
	add_step(j, try_json(j, ST_FAILED, v->reason));
	/* what the model is told: the reason, and the end of the output */
	/* a function task's output is kept since report.html, but never was in
	 * this message: the requests of a resumed run must hash the same */
	const char *log = v->log && j->it->task->repo ? v->log : "";
	size_t n = strlen(log);
	char *failure = xasprintf("%s%s%s", v->detail ? v->detail : v->reason, n ? "\n" : "",
				  n > 3000 ? log + n - 3000 : log);
	char *feedback = prompt_feedback(j->it->task, failure);
	free(failure);
	next_turn(s, j, j->r.text ? j->r.text : "", feedback);
	free(feedback);
}

static void on_scored(void *arg, struct verdict *v)
{
	struct job *j = arg;
	struct sched *s = j->s;
	if (!v->error && !v->passed && j->try_no < s->o->tries && !s->stopping) {
		try_again(s, j, v);
		return;
	}
	enum status st = v->error ? ST_ERROR : v->passed ? ST_PASSED : ST_FAILED;
	write_record(s, j, st, v->passed ? NULL : v->reason, v->detail, v);
	job_free(j);
}

/* ---- the bash agent ----
 *
 * A turn: the request (the whole conversation), then the answer's one
 * command run in the sample's workspace and its observation sent back; or
 * a format reminder when the answer holds no command or several; or, for
 * the submit command, the work copy's diff scored as a repository answer.
 * Limits are checked before each request (turns, cost with the request's
 * worst case, the sample's own time) and after each answer (turns, time);
 * a command is cut at the time the sample has left. */

static void on_command(void *arg, struct exec_result *res);
static void on_patch(void *arg, struct exec_result *res);

/* time the harness spent on the sample since t0: its overhead, and its time */
static void agent_overhead(struct agent_job *a, double t0_ms)
{
	double ms = clock_ms() - t0_ms;
	a->turn.overhead_ms += ms;
	a->time_ms += ms;
}

/* an earlier run's trajectory of this sample (one killed part-way, say):
 * what its turns answered and were told. Told the same again, the model's
 * requests are the same and come from the response cache, even where a
 * command's output differs from run to run (times, dates) */
static void agent_load_replay(struct sched *s, struct job *j)
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
				a->replay_answer = xrealloc(a->replay_answer, (a->nreplay + 1) * sizeof(char *));
				a->replay_reply = xrealloc(a->replay_reply, (a->nreplay + 1) * sizeof(char *));
				a->replay_answer[a->nreplay] = xstrdup(ans);
				a->replay_reply[a->nreplay++] = xstrdup(rep);
			}
			cJSON_Delete(o);
			if (turn > (int)a->nreplay)
				break;
		}
	}
	buf_release(&text);
	free(path);
}

/* the sample's first turn: its trajectory starts afresh, with the earlier
 * run's read first */
static void agent_begin(struct sched *s, struct job *j)
{
	agent_load_replay(s, j);
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
	struct buf b = BUF_INIT;
	json_print(&b, o);
	buf_putc(&b, '\n');
	cJSON_Delete(o);
	if (store_write_log(s->o->store, it->prov->name, it->task->id, it->sample, TRAJECTORY, buf_str(&b)) < 0)
		s->failed_io = 1;
	buf_release(&b);
}

/* a limit stopped the sample: a model failure, never an error */
static void agent_stop(struct sched *s, struct job *j, const char *reason)
{
	const struct agent_opts *o = s->o->agent;
	struct agent_job *a = j->ag;
	a->end = reason;
	char *d;
	if (strcmp(reason, "turn_limit") == 0)
		d = xasprintf("%d turns (--agent-turns) without submitting", o->max_turns);
	else if (strcmp(reason, "cost_limit") == 0)
		d = xasprintf("$%.6f spent, and the next request's worst case $%.6f would pass --agent-cost %.6f",
			      j->sum_cost, j->worst_usd, o->max_cost_usd);
	else
		d = xasprintf("%.1f s of its own time (--agent-time %.0f)", a->time_ms / 1e3, o->max_time_s);
	finish_job(s, j, ST_FAILED, reason, d);
	free(d);
}

/* the turn is over: its figures join the record's, its line the
 * trajectory, and the next turn is queued with the answer and the reply */
static void agent_next(struct sched *s, struct job *j, const char *reply)
{
	double t0 = clock_ms();
	struct agent_job *a = j->ag;
	size_t k = (size_t)j->try_no - 1;
	if (k < a->nreplay && strcmp(a->replay_answer[k], a->answer) == 0)
		reply = a->replay_reply[k];
	else
		replay_drop(a);
	a->turn.reply = reply;
	struct agent_turn *t = agent_turn_now(j);
	agent_log(s, j, agent_turn_json(t, 1));
	add_step(j, agent_turn_json(t, 0));
	a->attempts += j->attempts;
	next_turn(s, j, a->answer, reply);
	memset(&a->turn, 0, sizeof(a->turn));
	agent_overhead(a, t0);
}

/* an answer came: its command runs, or a format reminder goes back, or,
 * for the submit command, the work copy's diff is taken */
static void agent_answer(struct sched *s, struct job *j)
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
		agent_overhead(a, j->answered_ms);
		agent_next(s, j, reply);
		free(reply);
		return;
	}
	int submit = agent_is_submit(a->command);
	a->turn.action = submit ? "submit" : "command";
	double cost = j->sum_cost + (isnan(j->cost_usd) ? 0 : j->cost_usd);
	const char *lim = submit ? NULL : agent_limit(s->o->agent, j->try_no, cost, 0, a->time_ms / 1e3);
	if (lim) {
		agent_stop(s, j, lim);
		return;
	}
	if (!a->ws)
		a->ws = scorer_workspace_new(s->o->scorer, t);
	if (!a->ws) {
		finish_job(s, j, ST_ERROR, "checkout", "the task's work copy could not be made (see the messages above)");
		return;
	}
	agent_overhead(a, j->answered_ms);
	if (submit) {
		scorer_exec(s->o->scorer, a->ws, NULL, 600, on_patch, j);
		return;
	}
	double left = s->o->agent->max_time_s - a->time_ms / 1e3, limit = agent_command_limit_s(t);
	scorer_exec(s->o->scorer, a->ws, a->command, left < limit ? left : limit, on_command, j);
}

/* what an exec job's result adds to the turn, whatever it was */
static void agent_exec_figures(struct agent_job *a, const struct exec_result *res)
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
	agent_exec_figures(a, res);
	if (res->error) {
		finish_job(s, j, ST_ERROR, res->reason, res->detail);
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
	agent_overhead(a, t0);
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
	agent_exec_figures(a, res);
	if (res->error) {
		finish_job(s, j, ST_ERROR, res->reason, res->detail);
		return;
	}
	a->end = "submitted";
	agent_overhead(a, t0);
	if (res->exit_code != 0 || res->tail) {
		struct verdict v = { .reason = "malformed_edit", .edit_format = "agent", .test_ms = NAN };
		v.detail = res->tail ? xasprintf("the work copy's diff is larger than %zu bytes", res->head.len)
				     : xasprintf("the work copy's diff could not be taken (exit %d): %.200s",
						 res->exit_code, buf_str(&res->head));
		write_record(s, j, ST_FAILED, v.reason, v.detail, &v);
		free(v.detail);
		job_free(j);
		return;
	}
	if (store_write_log(s->o->store, it->prov->name, it->task->id, it->sample, "patch.diff",
			    buf_str(&res->head)) < 0)
		s->failed_io = 1;
	scorer_submit(s->o->scorer, it->task, buf_str(&res->head), ANSWER_SOLUTION, on_scored, j);
}

/* ---- answers ---- */

/* prices a parsed answer: the provider's own figure when it gave one, else
 * the price table; without a usage block, an estimate from the text */
static void price_answer(struct job *j)
{
	const struct provider *p = j->it->prov;
	if (j->r.usage_missing) {
		j->r.usage.input = (long)(j->prompt_bytes / 4) + 8;
		j->r.usage.output = (long)(strlen(j->r.text ? j->r.text : "") / 4) + 1;
		j->usage_estimated = 1;
	}
	if (!isnan(j->r.cost_usd)) {
		j->cost_usd = j->r.cost_usd;
		j->cost_source = "provider";
	} else {
		j->cost_usd = price_cost(&p->price, &j->r.usage);
		j->cost_source = j->usage_estimated ? "estimate" : "price_table";
	}
}

/* a usable answer (fresh or cached): price it, then extract and score */
static void take_answer(struct sched *s, struct job *j)
{
	price_answer(j);
	if (!j->from_cache)
		s->spent_usd += j->cost_usd;
	if (s->o->max_cost_usd > 0 && s->o->spent_before_usd + s->spent_usd > s->o->max_cost_usd && !s->stopping) {
		/* only a provider-reported cost above our worst case gets here */
		warning("%s reported $%.6f, more than the $%.6f reserved: stopping at the budget", j->it->prov->name,
			j->cost_usd, j->worst_usd);
		s->stopping = 1;
		s->stop_reason = "budget";
	}
	if (j->ag) {
		agent_answer(s, j);
		return;
	}
	const struct task *t = j->it->task;
	if (strcmp(t->kind, "exact") == 0) {
		struct verdict v;
		score_exact(t, j->r.text, &v);
		on_scored(j, &v);
		verdict_release(&v);
		return;
	}
	if (t->repo) {
		scorer_submit(s->o->scorer, t, j->r.text, ANSWER_AUTO, on_scored, j);
		return;
	}
	char *code = extract_code(j->r.text, t->language, t->entry_point);
	if (!code) {
		char *d = xasprintf("no %s code in the answer (%zu chars)", t->language, strlen(j->r.text));
		finish_job(s, j, ST_FAILED, "no_code", d);
		free(d);
		return;
	}
	scorer_submit(s->o->scorer, t, code, ANSWER_AUTO, on_scored, j);
	free(code);
}

/* ---- requests ---- */

/* the request body of the job's current turn: the whole conversation;
 * 0, or -1 when a repository task's files cannot be read */
static int prepare(struct sched *s, struct job *j)
{
	if (j->body)
		return 0;
	double t0 = clock_ms();
	const struct plan_item *it = j->it;
	if (!j->user) {
		struct prompt first;
		struct prompt_opts po = { s->o->repos, s->o->edit_format, s->o->agent };
		if (prompt_render(&first, it->task, &po) < 0)
			return -1;
		j->system = xstrdup(first.system);
		j->user = xstrdup(first.user);
		prompt_release(&first);
		if (j->ag)
			agent_begin(s, j);
	}
	size_t n = 2 + j->nconv;
	struct message *msgs = xmalloc(n * sizeof(*msgs));
	msgs[0] = (struct message){ "system", j->system };
	msgs[1] = (struct message){ "user", j->user };
	if (j->nconv)
		memcpy(msgs + 2, j->conv, j->nconv * sizeof(*msgs));
	struct request rq = { msgs, n, s->o->seed + it->sample, j->ag != NULL };
	struct buf body = BUF_INIT;
	proto_of(it->prov)->build_body(it->prov, &rq, &body);
	/* worst case: every prompt byte a token, plus chat framing, plus
	 * max_tokens; a prompt marked for the cache may be billed as cache
	 * writes, when they cost more than input */
	j->prompt_bytes = 0;
	for (size_t i = 0; i < n; i++)
		j->prompt_bytes += strlen(msgs[i].content) + 16;
	free(msgs);
	long prompt_worst = (long)j->prompt_bytes + 64;
	struct usage worst = { .input = prompt_worst, .output = provider_max_tokens(it->prov, DEFAULT_MAX_TOKENS) };
	if (rq.cache_prefix && it->prov->price.cache_write > it->prov->price.input) {
		worst.cache_write = prompt_worst;
		worst.input = 0;
	}
	j->worst_usd = price_cost(&it->prov->price, &worst);
	/* providers count a request's tokens as its prompt plus max_tokens */
	j->worst_tokens = (double)j->prompt_bytes / 4 + (double)worst.output;
	j->body = buf_detach(&body);
	j->url = proto_of(it->prov)->url(it->prov);
	cache_key(it->prov->protocol, j->url, j->body, it->sample, j->key);
	if (j->ag)
		agent_overhead(j->ag, t0);
	j->ready_ms = clock_ms();
	return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	buf_append(&j->resp, data, size * n);
	/* a stream's first token: the time to it is the latency a user feels */
	if (isnan(j->ttft_ms) && j->s->pq[j->pq].streams &&
	    proto_of(j->it->prov)->first_token(j->resp.data, j->resp.len, &j->scan_pos))
		j->ttft_ms = clock_ms() - j->start_ms;
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	rl_headers_parse(&j->rl, data, size * n);
	return size * n;
}

static int start_transfer(struct sched *s, struct job *j)
{
	struct provq *q = &s->pq[j->pq];
	const struct provider *p = j->it->prov;
	if (!j->easy)
		j->easy = curl_easy_init();
	if (!j->easy)
		return -1;
	if (!j->hdrs)
		j->hdrs = proto_of(p)->headers(p, q->key);
	CURL *e = j->easy;
	buf_reset(&j->resp);
	rl_headers_init(&j->rl);
	j->scan_pos = 0;
	j->ttft_ms = NAN;
	j->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(j->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(p->timeout_s * 1e3));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (curl_multi_add_handle(s->multi, e) != CURLM_OK)
		return -1;
	j->attempts++;
	j->start_ms = clock_ms();
	if (j->ag)
		j->ag->turn.wait_ms += j->start_ms - j->ready_ms;
	ratelimit_take(&q->rl, j->start_ms, j->worst_tokens);
	s->reserved_usd += j->worst_usd;
	q->in_flight++;
	s->in_flight++;
	s->st->requests++;
	return 0;
}

static void queue_push_front(struct provq *q, struct job *j)
{
	if (q->head == 0) {
		XGROW(q->q, q->cap, q->n + 1);
		XGROW(q->items, q->items_cap, q->n + 1);
		memmove(q->q + 1, q->q, q->n * sizeof(*q->q));
		memmove(q->items + 1, q->items, q->n * sizeof(*q->items));
		q->n++;
	} else {
		q->head--;
	}
	q->q[q->head] = j;
	q->items[q->head] = j->it;
}

/* the next waiting job of queue k, made now if it is the sample's first
 * turn; the queue must not be empty */
static struct job *queue_next(struct sched *s, size_t k)
{
	struct provq *q = &s->pq[k];
	struct job *j = q->q[q->head];
	if (j)
		return j;
	j = q->q[q->head] = xcalloc(1, sizeof(*j));
	j->s = s;
	j->it = q->items[q->head];
	j->pq = k;
	j->cost_usd = NAN;
	j->latency_ms = NAN;
	j->ttft_ms = NAN;
	j->try_no = 1;
	if (s->o->agent) {
		j->ag = xcalloc(1, sizeof(*j->ag));
		j->ag->all_cached = 1;
		q->open++;
	}
	return j;
}

static int retryable(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status == 408 || status == 409 || status == 429 || status >= 500;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_RESOLVE_HOST:
		return 1;
	default:
		return 0;
	}
}

static const char *curl_kind(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT: return "timeout";
	case CURLE_COULDNT_CONNECT: return "connect";
	case CURLE_COULDNT_RESOLVE_HOST: return "dns";
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE: return "connection";
	default: return "transport";
	}
}

/* exponential backoff with jitter, or what the server asked for */
static double backoff_ms(const struct job *j)
{
	if (j->rl.retry_after_ms >= 0)
		return fmin(j->rl.retry_after_ms, 300e3);
	double base = 500 * pow(2, j->attempts - 1);
	return fmin(base, 60e3) * (0.5 + (double)rand() / RAND_MAX);
}

/* a failed attempt: try again later, or record the error */
static void attempt_failed(struct sched *s, struct job *j, int retry, const char *kind, char *detail)
{
	double now = clock_ms();
	if (retry && j->attempts < s->o->max_attempts && !s->stopping) {
		/* the failed attempt and the backoff are waiting, not the sample's time */
		if (j->ag)
			j->ag->turn.wait_ms += now - j->start_ms;
		j->ready_ms = now;
		j->not_before_ms = now + backoff_ms(j);
		queue_push_front(&s->pq[j->pq], j);
		free(detail);
		return;
	}
	finish_job(s, j, ST_ERROR, kind, detail);
	free(detail);
}

static void transfer_done(struct sched *s, struct job *j, CURLcode rc)
{
	struct provq *q = &s->pq[j->pq];
	long status = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(s->multi, j->easy);
	q->in_flight--;
	s->in_flight--;
	s->reserved_usd -= j->worst_usd;
	double now = clock_ms();
	j->latency_ms = now - j->start_ms;
	j->answered_ms = now;
	ratelimit_on_response(&q->rl, now, rc == CURLE_OK ? status : 0, &j->rl);
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		char *err = NULL;
		response_release(&j->r);
		int pr = proto_of(j->it->prov)->parse(buf_str(&j->resp), j->resp.len, &j->r, &err);
		if (pr < 0) {
			/* paid for, perhaps, and unusable: its worst case stays spent */
			s->spent_usd += j->worst_usd;
			j->cost_usd = NAN;
			j->latency_ms = NAN;
			attempt_failed(s, j, 1, pr == -2 ? "truncated_stream" : "bad_response", err);
			return;
		}
		struct cached c = { j->resp.data ? j->resp.data : "", j->resp.len, j->latency_ms, j->attempts, j->ttft_ms };
		if (cache_put(s->o->cache, j->key, &c) < 0)
			s->failed_io = 1;
		buf_release(&j->resp);
		curl_easy_cleanup(j->easy);
		j->easy = NULL;
		take_answer(s, j);
		return;
	}
	char *detail;
	char kind[32];
	if (rc == CURLE_OK) {
		char *m = proto_of(j->it->prov)->error_message(buf_str(&j->resp), j->resp.len);
		detail = xasprintf("HTTP %ld: %.300s", status, m ? m : buf_str(&j->resp));
		free(m);
		snprintf(kind, sizeof(kind), "http_%ld", status);
	} else {
		detail = xasprintf("%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		snprintf(kind, sizeof(kind), "%s", curl_kind(rc));
	}
	j->cost_usd = 0;
	j->latency_ms = NAN;
	attempt_failed(s, j, retryable(rc, status), kind, detail);
}

/* ---- the loop ---- */

static int scoring_backlogged(const struct sched *s)
{
	return scorer_pending(s->o->scorer) > 64;
}

static void not_attempted(struct sched *s, struct job *j, const char *why)
{
	char *d = NULL;
	if (strcmp(why, "budget") == 0)
		d = xasprintf("--max-cost %.4f leaves too little for this request's worst case $%.4f",
			      s->o->max_cost_usd, j->worst_usd);
	j->cost_usd = NAN;
	finish_job(s, j, ST_NOT_ATTEMPTED, why, d);
	free(d);
}

/* an answer from the cache: nothing is sent, nothing is paid */
static int from_cache(struct sched *s, struct job *j)
{
	j->answered_ms = clock_ms();
	struct cached c;
	if (cache_get(s->o->cache, j->key, &c) != 1)
		return 0;
	char *err = NULL;
	if (proto_of(j->it->prov)->parse(c.body, c.len, &j->r, &err) < 0) {
		warning("cache entry %s no longer parses (%s); requesting again", j->key, err);
		free(err);
		response_release(&j->r);
		cached_release(&c);
		return 0;
	}
	j->from_cache = 1;
	j->attempts = c.attempts;
	j->latency_ms = c.latency_ms;
	j->ttft_ms = c.ttft_ms;
	s->st->cache_hits++;
	cached_release(&c);
	take_answer(s, j);
	return 1;
}

/* starts what the pacing and the budget allow; returns the ms until
 * something waiting may start (-1: only when something finishes) */
static long top_up(struct sched *s)
{
	double now = clock_ms(), next = -1;
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		while (q->head < q->n && !s->stopping && !scoring_backlogged(s)) {
			/* agent samples finish before new ones begin: each holds a work copy */
			if (s->o->agent && !q->q[q->head] && q->open >= (q->prov->max_concurrency > 0 ? q->prov->max_concurrency : 1))
				break;
			struct job *j = queue_next(s, i);
			if (prepare(s, j) < 0) {
				q->head++;
				finish_job(s, j, ST_ERROR, "prompt", "the task's repository files could not be read");
				continue;
			}
			if (j->ag && !j->cache_checked) {
				const char *lim = agent_limit(s->o->agent, j->try_no - 1, j->sum_cost, j->worst_usd,
							      j->ag->time_ms / 1e3);
				if (lim) {
					q->head++;
					agent_stop(s, j, lim);
					continue;
				}
			}
			if (!j->cache_checked) {
				j->cache_checked = 1;
				if (from_cache(s, j)) {
					q->head++; /* j is already recorded and freed */
					continue;
				}
			}
			double wait = 0;
			if (j->not_before_ms > now)
				wait = j->not_before_ms - now;
			else if (!ratelimit_allows(&q->rl, now, q->in_flight, j->worst_tokens, &wait))
				wait = wait > 0 ? wait : -1;
			if (wait != 0) {
				if (wait > 0 && (next < 0 || wait < next))
					next = wait;
				break;
			}
			if (s->o->max_cost_usd > 0 && j->worst_usd > budget_left(s)) {
				/* nothing in flight can free enough: this one will never fit */
				if (j->worst_usd > budget_left(s) + s->reserved_usd || s->in_flight == 0) {
					q->head++;
					not_attempted(s, j, "budget");
					continue;
				}
				break;
			}
			q->head++;
			if (start_transfer(s, j) < 0) {
				finish_job(s, j, ST_ERROR, "transport", "cannot start the transfer");
				continue;
			}
		}
	}
	return next < 0 ? -1 : (long)next + 1;
}

static void progress(struct sched *s, int last)
{
	if (s->o->quiet)
		return;
	double now = clock_ms();
	if (!last && now - s->last_progress_ms < (s->tty ? 200 : 10000))
		return;
	s->last_progress_ms = now;
	double el = (now - s->t0_ms) / 1e3;
	double eta = s->finished ? el * (double)(s->total - s->finished) / (double)s->finished : NAN;
	char money[64];
	if (s->o->max_cost_usd > 0)
		snprintf(money, sizeof(money), "$%.4f of $%.2f", s->o->spent_before_usd + s->spent_usd, s->o->max_cost_usd);
	else
		snprintf(money, sizeof(money), "$%.4f", s->spent_usd);
	char eta_s[32] = "";
	if (!isnan(eta))
		snprintf(eta_s, sizeof(eta_s), ", eta %.0fs", eta);
	if (s->tty) {
		char bar[21];
		int fill = s->total ? (int)(20.0 * (double)s->finished / (double)s->total) : 20;
		for (int i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		fprintf(stderr, "\r\033[K[%s] %zu/%zu  %s  %zu errors  %zu in flight%s%s", bar, s->finished, s->total,
			money, s->st->errors, s->in_flight, eta_s, last ? "\n" : "");
	} else {
		fprintf(stderr, "tokenbench: %zu/%zu done, %s, %zu errors, %zu in flight, %zu scoring%s\n", s->finished,
			s->total, money, s->st->errors, s->in_flight, scorer_pending(s->o->scorer), eta_s);
	}
}

static int queues_empty(const struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++)
		if (s->pq[i].head < s->pq[i].n)
			return 0;
	return 1;
}

static void setup_queues(struct sched *s, const struct plan_item *items, size_t n)
{
	double now = clock_ms();
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < s->npq && s->pq[k].prov != items[i].prov)
			k++;
		if (k == s->npq) {
			const struct provider *p = items[i].prov;
			s->pq = xrealloc(s->pq, (s->npq + 1) * sizeof(*s->pq));
			struct provq *q = &s->pq[k];
			memset(q, 0, sizeof(*q));
			q->prov = p;
			const char *key = getenv(p->api_key_env);
			q->key = key ? xstrdup(key) : NULL;
			q->streams = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->params, "stream"));
			ratelimit_init(&q->rl, p->max_concurrency, p->rpm, p->tpm, now);
			s->npq++;
		}
		struct provq *q = &s->pq[k];
		XGROW(q->q, q->cap, q->n + 1);
		XGROW(q->items, q->items_cap, q->n + 1);
		q->q[q->n] = NULL;
		q->items[q->n++] = &items[i];
	}
}

static void release_queues(struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		for (size_t k = q->head; k < q->n; k++)
			job_free(q->q[k]);
		free(q->q);
		free(q->items);
		if (q->key) {
			memset(q->key, 0, strlen(q->key));
			free(q->key);
		}
	}
	free(s->pq);
}

/* curl says which sockets to watch, and for what */
static int on_socket(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct sched *s = arg;
	(void)e;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
		return 0;
	}
	struct epoll_event ev = { .events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) |
					    ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u),
				  .data.fd = fd };
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT)
		epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev);
	return 0;
}

/* and when it wants to be called whatever the sockets do */
static int on_timer(CURLM *m, long ms, void *arg)
{
	struct sched *s = arg;
	(void)m;
	s->curl_timer_at = ms < 0 ? -1 : clock_ms() + (double)ms;
	return 0;
}

/* hands curl what is ready: its sockets, then its timer */
static void curl_step(struct sched *s)
{
	struct epoll_event ev[256];
	int running, n = epoll_wait(s->epfd, ev, 256, 0);
	for (int i = 0; i < n; i++) {
		int mask = ((ev[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
			   ((ev[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
			   ((ev[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
		curl_multi_socket_action(s->multi, ev[i].data.fd, mask, &running);
	}
	if (s->curl_timer_at >= 0 && clock_ms() >= s->curl_timer_at) {
		s->curl_timer_at = -1;
		curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(s->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct job *j;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
		transfer_done(s, j, m->data.result);
	}
}

int sched_run(const struct plan_item *items, size_t n, const struct sched_opts *opts,
	      struct sched_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct sched s = { .o = opts, .st = stats, .total = n, .curl_timer_at = -1 };
	s.tty = isatty(2);
	s.t0_ms = clock_ms();
	srand((unsigned)opts->seed + 1);
	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s.epfd < 0)
		return error("cannot create an epoll set: %s", strerror(errno));
	s.multi = curl_multi_init();
	if (!s.multi) {
		close(s.epfd);
		return error("cannot create a libcurl multi handle");
	}
	curl_multi_setopt(s.multi, CURLMOPT_MAXCONNECTS, 4096L);
	curl_multi_setopt(s.multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(s.multi, CURLMOPT_SOCKETDATA, &s);
	curl_multi_setopt(s.multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(s.multi, CURLMOPT_TIMERDATA, &s);
	setup_queues(&s, items, n);
	int fds[MAX_POLL_FDS];
	struct pollfd pfd[MAX_POLL_FDS + 1];
	for (;;) {
		if (!s.stopping && signals_stop_requested()) {
			s.stopping = 1;
			s.stop_reason = "interrupted";
		}
		long wake_ms = top_up(&s);
		if (s.in_flight == 0 && scorer_pending(opts->scorer) == 0 && (queues_empty(&s) || s.stopping))
			break;
		int nfd = scorer_fds(opts->scorer, fds, MAX_POLL_FDS);
		pfd[0] = (struct pollfd){ .fd = s.epfd, .events = POLLIN };
		for (int i = 0; i < nfd; i++)
			pfd[i + 1] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		long t = scorer_timeout_ms(opts->scorer);
		if (wake_ms >= 0 && (t < 0 || wake_ms < t))
			t = wake_ms;
		if (s.curl_timer_at >= 0) {
			double left = s.curl_timer_at - clock_ms();
			long c = left <= 0 ? 0 : (long)left + 1;
			if (t < 0 || c < t)
				t = c;
		}
		if (t < 0 || t > 250)
			t = 250;
		poll(pfd, (nfds_t)nfd + 1, (int)t);
		curl_step(&s);
		scorer_step(opts->scorer);
		progress(&s, 0);
	}
	/* what the stop left behind is recorded, so a report shows it */
	for (size_t i = 0; i < s.npq; i++) {
		struct provq *q = &s.pq[i];
		while (q->head < q->n) {
			struct job *j = queue_next(&s, i);
			q->head++;
			not_attempted(&s, j, s.stop_reason ? s.stop_reason : "stopped");
		}
		stats->backoffs += q->rl.backoffs;
	}
	progress(&s, 1);
	stats->spent_usd = s.spent_usd;
	release_queues(&s);
	curl_multi_cleanup(s.multi);
	close(s.epfd);
	return s.failed_io ? error("some records or responses could not be written") : 0;
}
