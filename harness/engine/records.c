/* records.c - the sample record the request loop writes when a sample
 * ends: the answer's usage, cost and timing, a verdict's figures, the
 * tries or turns it took, and the logs beside it. The record owns every
 * string it holds (copies, released once it is stored), so nothing the
 * job, the verdict or the provider owns can be freed with it. */
#include "engine/records.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sched_int.h"
#include "score/swebench.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

cJSON *records_try_json(const struct job *j, enum status status, const char *why)
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

static void usage_sum(struct usage *sum, const struct usage *u)
{
	sum->input += u->input;
	sum->cached_input += u->cached_input;
	sum->cache_write += u->cache_write;
	sum->output += u->output;
	sum->reasoning += u->reasoning;
}

void records_add_step(struct job *j, cJSON *step)
{
	if (!j->steps.list)
		j->steps.list = cJSON_CreateArray();
	cJSON_AddItemToArray(j->steps.list, step);
	usage_sum(&j->steps.usage, &j->r.usage);
	j->steps.cost_usd += isnan(j->cost_usd) ? 0 : j->cost_usd;
}

void records_log_line(struct sched *s, const struct job *j, const char *name, cJSON *line, int append)
{
	struct buf b = BUF_INIT;
	json_print(&b, line);
	buf_putc(&b, '\n');
	cJSON_Delete(line);
	const struct plan_item *it = j->it;
	int rc = append ? store_append_log(s->o->store, it->prov->name, it->task->id, it->sample, name, buf_str(&b))
			: store_write_log(s->o->store, it->prov->name, it->task->id, it->sample, name, buf_str(&b));
	if (rc < 0)
		s->failed_io = 1;
	buf_release(&b);
}

int records_take_verdict(struct record *r, const struct verdict *v, struct store *st)
{
	int rc = 0;
	r->test_ms = v->test_ms;
	r->truncated = v->truncated;
	record_set_str(&r->edit_format, v->edit_format);
	r->well_formed = v->well_formed;
	record_set_str(&r->report, v->report);
	memcpy(r->step_ms, v->step_ms, sizeof(r->step_ms));
	r->near_limit = v->near_limit;
	r->test_reused = v->reused;
	if (v->log && store_write_log(st, r->provider, r->task, r->sample, "test_output.txt", v->log) < 0)
		rc = -1;
	if (v->report) {
		char *rep = swebench_instance_report(r->task, v->report);
		if (store_write_log(st, r->provider, r->task, r->sample, "report.json", rep) < 0)
			rc = -1;
		free(rep);
	}
	return rc;
}

/* what the answer of the job's current turn says */
static void take_answer(struct record *r, const struct job *j)
{
	r->usage = j->r.usage;
	record_set_str(&r->raw_usage, j->r.raw_usage);
	r->cost_usd = j->cost_usd;
	record_set_str(&r->cost_source, j->cost_source);
	r->usage_estimated = j->usage_estimated;
	r->latency_ms = j->latency_ms;
	r->ttft_ms = j->ttft_ms;
	if (j->r.streamed && !isnan(j->ttft_ms) && j->latency_ms > j->ttft_ms && j->r.usage.output > 0)
		r->output_tps = (double)j->r.usage.output / ((j->latency_ms - j->ttft_ms) / 1e3);
	r->attempts = j->attempts;
	r->cached = j->from_cache;
	record_set_str(&r->response_key, j->r.text || j->from_cache ? j->key : NULL);
}

void records_write(struct sched *s, struct job *j, enum status status, const char *why, const char *detail,
		   const struct verdict *v)
{
	const struct plan_item *it = j->it;
	struct record r;
	record_init(&r);
	record_set_str(&r.task, it->task->id);
	record_set_str(&r.provider, it->prov->name);
	record_set_str(&r.model, it->prov->model);
	r.sample = it->sample;
	r.status = status;
	if (status == ST_FAILED)
		record_set_str(&r.fail_reason, why);
	else if (status != ST_PASSED)
		record_set_str(&r.error_kind, why);
	record_set_str(&r.detail, detail);
	msg_redact(r.detail, s->pq[j->pq].key);
	record_set_str(&r.cluster, it->task->cluster);
	take_answer(&r, j);
	if (j->ag) {
		agent_job_record(s, j, &r, why);
	} else if (j->steps.list) {
		/* the record's usage and cost are the totals of every try */
		records_add_step(j, records_try_json(j, status, why));
		r.usage = j->steps.usage;
		r.cost_usd = j->steps.cost_usd;
	}
	if (j->steps.list)
		*(j->ag ? &r.per_turn : &r.tries) = json_text(j->steps.list);
	r.cache_saving_usd = price_cache_saving(&it->prov->price, &r.usage);
	if (v && records_take_verdict(&r, v, s->o->store) < 0)
		s->failed_io = 1;
	if (v && j->ag)
		record_set_str(&r.edit_format, "agent");
	if (store_append(s->o->store, &r) < 0)
		s->failed_io = 1;
	if (s->o->stop.record && !s->winding_up)
		s->o->stop.record(s->o->stop.arg, &r);
	record_release(&r);
	switch (status) {
	case ST_PASSED: s->st->passed++; break;
	case ST_FAILED: s->st->failed++; break;
	case ST_ERROR: s->st->errors++; break;
	case ST_NOT_ATTEMPTED: s->st->not_attempted++; break;
	}
	s->finished++;
	if (j->ag)
		s->pq[j->pq].open--;
}
