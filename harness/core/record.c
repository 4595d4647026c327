/* record.c - the sample record: its lifecycle and its JSON form (one
 * samples.jsonl line). */
#include "core/record.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/json.h"
#include "util/xalloc.h"

static const char *const status_names[] = { "passed", "failed", "error", "not_attempted" };

int record_stopped_early(const struct record *r)
{
	return r->status == ST_NOT_ATTEMPTED && r->error_kind && strcmp(r->error_kind, REASON_STOPPED_EARLY) == 0;
}

const char *status_name(enum status st)
{
	return status_names[st];
}

int status_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->cost_usd = NAN;
	r->latency_ms = NAN;
	r->ttft_ms = NAN;
	r->output_tps = NAN;
	r->test_ms = NAN;
	r->repriced_from_usd = NAN;
	r->cache_saving_usd = NAN;
	r->agent_ms = NAN;
	r->well_formed = -1;
}

void record_release(struct record *r)
{
	if (!r)
		return;
	free(r->task);
	free(r->provider);
	free(r->model);
	free(r->fail_reason);
	free(r->error_kind);
	free(r->detail);
	free(r->cluster);
	free(r->cost_source);
	free(r->response_key);
	free(r->raw_usage);
	free(r->time);
	free(r->edit_format);
	free(r->report);
	free(r->tries);
	free(r->agent);
	free(r->end_reason);
	free(r->per_turn);
	record_init(r);
}

void record_set_str(char **field, const char *value)
{
	char *copy = value ? xstrdup(value) : NULL;
	free(*field);
	*field = copy;
}

char *record_key(const char *task, const char *provider, int sample)
{
	return xasprintf("%s\t%s\t%d", task, provider, sample);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
}

cJSON *record_to_json(const struct record *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "task", r->task);
	cJSON_AddStringToObject(o, "provider", r->provider);
	add_str(o, "model", r->model);
	cJSON_AddNumberToObject(o, "sample", r->sample);
	cJSON_AddStringToObject(o, "status", status_name(r->status));
	add_str(o, "fail_reason", r->fail_reason);
	add_str(o, "error_kind", r->error_kind);
	add_str(o, "detail", r->detail);
	if (r->cluster)
		cJSON_AddStringToObject(o, "cluster", r->cluster);
	else
		cJSON_AddNullToObject(o, "cluster");
	usage_add_json(o, &r->usage);
	if (r->raw_usage) {
		cJSON *raw = cJSON_Parse(r->raw_usage);
		if (raw)
			cJSON_AddItemToObject(o, "raw_usage", raw);
	}
	json_add_num(o, "cost_usd", r->cost_usd);
	if (r->cost_source)
		cJSON_AddStringToObject(o, "cost_source", r->cost_source);
	else
		cJSON_AddNullToObject(o, "cost_source");
	if (r->usage_estimated)
		cJSON_AddTrueToObject(o, "usage_estimated");
	json_add_num(o, "latency_ms", isnan(r->latency_ms) ? NAN : round(r->latency_ms * 10) / 10);
	if (!isnan(r->ttft_ms))
		json_add_num(o, "ttft_ms", round(r->ttft_ms * 10) / 10);
	if (!isnan(r->output_tps))
		json_add_num(o, "output_tps", round(r->output_tps * 10) / 10);
	cJSON_AddNumberToObject(o, "attempts", r->attempts);
	json_add_num(o, "test_ms", isnan(r->test_ms) ? NAN : round(r->test_ms * 10) / 10);
	if (r->truncated)
		cJSON_AddTrueToObject(o, "truncated");
	if (r->near_limit)
		cJSON_AddTrueToObject(o, "near_limit");
	if (r->test_reused)
		cJSON_AddTrueToObject(o, "test_reused");
	if (r->cached)
		cJSON_AddTrueToObject(o, "cached");
	add_str(o, "response_key", r->response_key);
	add_str(o, "edit_format", r->edit_format);
	if (r->step_ms[0] > 0) {
		static const char *const steps[] = { "checkout", "apply", "setup", "test" };
		cJSON *sm = cJSON_AddObjectToObject(o, "steps_ms");
		for (int i = 0; i < 4; i++)
			if (r->step_ms[i] > 0)
				cJSON_AddNumberToObject(sm, steps[i], round(r->step_ms[i] * 10) / 10);
	}
	if (r->well_formed >= 0)
		cJSON_AddBoolToObject(o, "well_formed", r->well_formed);
	if (r->report) {
		cJSON *rep = cJSON_Parse(r->report);
		if (rep)
			cJSON_AddItemToObject(o, "report", rep);
	}
	if (r->tries) {
		cJSON *tr = cJSON_Parse(r->tries);
		if (tr)
			cJSON_AddItemToObject(o, "tries", tr);
	}
	if (!isnan(r->repriced_from_usd))
		json_add_num(o, "repriced_from_usd", r->repriced_from_usd);
	if (!isnan(r->cache_saving_usd))
		json_add_num(o, "cache_saving_usd", r->cache_saving_usd);
	if (r->agent) {
		cJSON_AddStringToObject(o, "agent", r->agent);
		cJSON_AddNumberToObject(o, "turns", r->turns);
		add_str(o, "end_reason", r->end_reason);
		json_add_num(o, "agent_ms", isnan(r->agent_ms) ? NAN : round(r->agent_ms * 10) / 10);
		json_add_num(o, "workspace_ms", round(r->workspace_ms * 10) / 10);
		cJSON *pt = r->per_turn ? cJSON_Parse(r->per_turn) : NULL;
		if (pt)
			cJSON_AddItemToObject(o, "per_turn", pt);
	}
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON_AddStringToObject(o, "time", r->time ? r->time : when);

	return o;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void usage_add_json(cJSON *o, const struct usage *u)
{
	cJSON *j = cJSON_AddObjectToObject(o, "usage");
	cJSON_AddNumberToObject(j, "input", (double)u->input);
	cJSON_AddNumberToObject(j, "cached_input", (double)u->cached_input);
	cJSON_AddNumberToObject(j, "cache_write", (double)u->cache_write);
	cJSON_AddNumberToObject(j, "output", (double)u->output);
	cJSON_AddNumberToObject(j, "reasoning", (double)u->reasoning);
}

void usage_from_json(struct usage *u, const cJSON *o)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "usage");
	u->input = (long)json_num(j, "input", 0);
	u->cached_input = (long)json_num(j, "cached_input", 0);
	u->cache_write = (long)json_num(j, "cache_write", 0);
	u->output = (long)json_num(j, "output", 0);
	u->reasoning = (long)json_num(j, "reasoning", 0);
}

int record_from_json(struct record *r, const cJSON *o)
{
	const char *task = json_str(o, "task", NULL), *prov = json_str(o, "provider", NULL);
	int st = status_parse(json_str(o, "status", NULL));
	if (!task || !prov || st < 0)
		return -1;
	record_init(r);
	r->task = xstrdup(task);
	r->provider = xstrdup(prov);
	r->model = dup_or_null(json_str(o, "model", NULL));
	r->sample = (int)json_num(o, "sample", 0);
	r->status = (enum status)st;
	r->fail_reason = dup_or_null(json_str(o, "fail_reason", NULL));
	r->error_kind = dup_or_null(json_str(o, "error_kind", NULL));
	r->detail = dup_or_null(json_str(o, "detail", NULL));
	r->cluster = dup_or_null(json_str(o, "cluster", NULL));
	usage_from_json(&r->usage, o);
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(o, "raw_usage");
	if (cJSON_IsObject(raw))
		r->raw_usage = json_text(raw);
	r->cost_usd = json_num(o, "cost_usd", NAN);
	r->cost_source = dup_or_null(json_str(o, "cost_source", NULL));
	r->usage_estimated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "usage_estimated"));
	r->latency_ms = json_num(o, "latency_ms", NAN);
	r->ttft_ms = json_num(o, "ttft_ms", NAN);
	r->output_tps = json_num(o, "output_tps", NAN);
	r->attempts = (int)json_num(o, "attempts", 0);
	r->test_ms = json_num(o, "test_ms", NAN);
	r->truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "truncated"));
	r->near_limit = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "near_limit"));
	r->test_reused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "test_reused"));
	r->cached = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "cached"));
	r->response_key = dup_or_null(json_str(o, "response_key", NULL));
	r->time = dup_or_null(json_str(o, "time", NULL));
	r->edit_format = dup_or_null(json_str(o, "edit_format", NULL));
	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(o, "steps_ms");
	static const char *const steps[] = { "checkout", "apply", "setup", "test" };
	for (int i = 0; i < 4; i++)
		r->step_ms[i] = json_num(sm, steps[i], 0);
	const cJSON *wf = cJSON_GetObjectItemCaseSensitive(o, "well_formed");
	r->well_formed = cJSON_IsBool(wf) ? cJSON_IsTrue(wf) : -1;
	static const char *const objs[] = { "report", "tries" };
	char **dst[] = { &r->report, &r->tries };
	for (int i = 0; i < 2; i++)
		*dst[i] = json_text(cJSON_GetObjectItemCaseSensitive(o, objs[i]));
	r->repriced_from_usd = json_num(o, "repriced_from_usd", NAN);
	r->cache_saving_usd = json_num(o, "cache_saving_usd", NAN);
	r->agent = dup_or_null(json_str(o, "agent", NULL));
	if (r->agent) {
		r->turns = (int)json_num(o, "turns", 0);
		r->end_reason = dup_or_null(json_str(o, "end_reason", NULL));
		r->agent_ms = json_num(o, "agent_ms", NAN);
		r->workspace_ms = json_num(o, "workspace_ms", 0);
		r->per_turn = json_text(cJSON_GetObjectItemCaseSensitive(o, "per_turn"));
	}
	return 0;
}
