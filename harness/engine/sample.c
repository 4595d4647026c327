/* sample.c - a sample from its first turn to its end: the job's lifecycle,
 * an answer priced (the provider's own figure, else the price table, else
 * an estimate), extracted and handed to the scoring pool, and the verdict.
 *
 * A sample is a conversation. Most have one turn; a failed try can get the
 * tests' output and another (--tries); the bash agent (--agent bash,
 * agent_loop.c) takes turns until it submits or a limit stops it. A later
 * turn is the same job with the two messages appended, queued in front of
 * the provider's new samples so that started samples finish. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/prompt.h"
#include "engine/sched_int.h"
#include "score/extract.h"
#include "util/msg.h"
#include "util/xalloc.h"

struct job *job_new(struct sched *s, const struct plan_item *it, size_t k)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->s = s;
	j->item = *it;
	j->it = &j->item;
	j->pq = k;
	j->cost_usd = NAN;
	j->latency_ms = NAN;
	j->ttft_ms = NAN;
	j->try_no = 1;
	if (s->o->agent) {
		j->ag = agent_job_new();
		s->pq[k].open++;
	}
	return j;
}

void job_free(struct job *j)
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
		free(j->conv[i].content);
	free(j->conv);
	cJSON_Delete(j->steps.list);
	agent_job_free(j->ag);
	free(j);
}

void sample_finish(struct sched *s, struct job *j, enum status status, const char *why, const char *detail)
{
	records_write(s, j, status, why, detail, NULL);
	job_free(j);
}

static void conv_add(struct job *j, const char *role, const char *content)
{
	XGROW(j->conv, j->conv_cap, j->nconv + 1);
	j->conv[j->nconv++] = (struct owned_message){ role, xstrdup(content) };
}

void sample_next_turn(struct sched *s, struct job *j, const char *answer, const char *reply)
{
	/* nothing before the two new messages changes, so the prompt's prefix
	 * stays byte-stable (a provider's prompt cache keeps working) */
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
	j->wait_ms = 0;
	sched_push_front(s, j);
}

/* a failed try becomes the next one: the answer and what the tests said go
 * back to the model in the same conversation */
static void try_again(struct sched *s, struct job *j, const struct verdict *v)
{
	records_add_step(j, records_try_json(j, ST_FAILED, v->reason));
	/* what the model is told: the reason, and the end of the output */
	/* a function task's output is kept since report.html, but never was in
	 * this message: the requests of a resumed run must hash the same */
	const char *log = v->log && j->it->task->repo ? v->log : "";
	size_t n = strlen(log);
	char *failure = xasprintf("%s%s%s", v->detail ? v->detail : v->reason, n ? "\n" : "",
				  n > 3000 ? log + n - 3000 : log);
	char *feedback = prompt_feedback(j->it->task, failure);
	free(failure);
	sample_next_turn(s, j, j->r.text ? j->r.text : "", feedback);
	free(feedback);
}

void sample_scored(void *arg, struct verdict *v)
{
	struct job *j = arg;
	struct sched *s = j->s;
	if (!v->error && !v->passed && j->try_no < s->o->tries && !s->stopping) {
		try_again(s, j, v);
		return;
	}
	enum status st = v->error ? ST_ERROR : v->passed ? ST_PASSED : ST_FAILED;
	records_write(s, j, st, v->passed ? NULL : v->reason, v->detail, v);
	job_free(j);
}

/* the answer's cost: the provider's own figure when it gave one, else the
 * price table; without a usage block, its tokens estimated from the text */
static void settle_cost(struct job *j)
{
	const struct provider *p = j->it->prov;
	if (j->r.usage_missing) {
		j->r.usage.input = (long)(j->prompt_bytes / 4) + 8;
		j->r.usage.output = (long)(strlen(j->r.text ? j->r.text : "") / 4) + 1;
		j->usage_estimated = 1;
	}
	j->cost_source = price_answer(&p->price, &j->r.usage, j->r.cost_usd, j->usage_estimated, &j->cost_usd);
}

void sample_take_answer(struct sched *s, struct job *j)
{
	settle_cost(j);
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
		agent_job_answer(s, j);
		return;
	}
	const struct task *t = j->it->task;
	if (strcmp(t->kind, "exact") == 0) {
		struct verdict v;
		score_exact(t, j->r.text, &v);
		sample_scored(j, &v);
		verdict_release(&v);
		return;
	}
	if (t->repo) {
		scorer_submit(s->o->scorer, t, j->r.text, ANSWER_AUTO, sample_scored, j);
		return;
	}
	char *code = extract_code(j->r.text, t->language, t->entry_point);
	if (!code) {
		char *d = xasprintf("no %s code in the answer (%zu chars)", t->language, strlen(j->r.text));
		sample_finish(s, j, ST_FAILED, "no_code", d);
		free(d);
		return;
	}
	scorer_submit(s->o->scorer, t, code, ANSWER_AUTO, sample_scored, j);
	free(code);
}
