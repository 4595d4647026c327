/* shard.c - which tasks a shard runs, and its part of the budget. */
#include "rundir/shard.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rundir/plan.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/sha256.h"

int shard_parse(struct shard *s, const char *arg)
{
	char *end;
	long i = strtol(arg, &end, 10);
	if (end == arg || *end != '/')
		goto bad;
	const char *rest = end + 1;
	long n = strtol(rest, &end, 10);
	if (end == rest || *end || n < 1 || n > SHARD_MAX || i < 0 || i >= n)
		goto bad;
	s->index = (int)i;
	s->count = (int)n;
	return 0;
bad:
	return error("--shard: '%s' is not I/N with 0 <= I < N <= %d (shards count from 0, as "
		     "SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX do)",
		     arg, SHARD_MAX);
}

int shard_of(const char *task_id, int count)
{
	struct sha256 h;
	unsigned char d[32];
	sha256_init(&h);
	sha256_update(&h, task_id, strlen(task_id));
	sha256_final(&h, d);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return (int)(v % (uint64_t)count);
}

int shard_has(const struct shard *s, const char *task_id)
{
	return s->count < 1 || shard_of(task_id, s->count) == s->index;
}

/* the worst cases of the whole plan and of this shard's part: a sample's
 * worst case depends on its task and provider only, so each pair counts
 * samples times */
static void worst_cases(const struct shard *s, const struct plan *whole, double *mine, double *all)
{
	*mine = *all = 0;
	for (size_t t = 0; t < whole->nt; t++) {
		double w = 0;
		for (size_t pi = 0; pi < whole->np; pi++)
			w += plan_item_worst_usd(&(struct plan_item){ whole->tasks[t], &whole->provs[pi], 0 });
		w *= whole->samples;
		*all += w;
		if (shard_has(s, whole->tasks[t]->id))
			*mine += w;
	}
}

double shard_budget(const struct shard *s, const struct plan *whole, double max_cost_usd)
{
	if (s->count < 1 || max_cost_usd <= 0)
		return max_cost_usd;
	double mine, all;
	worst_cases(s, whole, &mine, &all);
	/* in whole micro-dollars: the floors of parts of a whole number add up
	 * to at most that number, whatever the rounding of each quotient */
	long double total = floorl((long double)max_cost_usd * 1e6L + 1e-6L);
	long double part = all > 0 ? floorl(total * (long double)mine / (long double)all)
				   : floorl(total / (long double)s->count);
	/* 0 would mean "no cap": an empty share affords no paid request instead */
	return part > 0 ? (double)(part / 1e6L) : 1e-12;
}

void shard_manifest(cJSON *manifest, const struct shard *s, const struct plan *whole, double max_cost_usd)
{
	if (s->count < 1)
		return;
	cJSON *o = cJSON_AddObjectToObject(manifest, "shard");
	cJSON_AddNumberToObject(o, "index", s->index);
	cJSON_AddNumberToObject(o, "count", s->count);
	cJSON_AddStringToObject(o, "assignment", "sha256(task id) mod count");
	size_t tasks = 0;
	for (size_t t = 0; t < whole->nt; t++)
		tasks += shard_has(s, whole->tasks[t]->id);
	cJSON_AddNumberToObject(o, "tasks", (double)(whole->np && whole->samples ? tasks : 0));
	cJSON_AddNumberToObject(o, "samples", (double)(tasks * whole->np * (size_t)whole->samples));
	cJSON *b = cJSON_AddObjectToObject(o, "budget");
	double mine, all;
	worst_cases(s, whole, &mine, &all);
	if (max_cost_usd > 0) {
		json_add_num(b, "max_cost_usd", shard_budget(s, whole, max_cost_usd));
		json_add_num(b, "plan_max_cost_usd", max_cost_usd);
		cJSON_AddStringToObject(b, "split", "the plan's --max-cost times this shard's share of the plan's "
						    "worst-case cost, rounded down to a micro-dollar");
	} else {
		cJSON_AddNullToObject(b, "max_cost_usd");
		cJSON_AddStringToObject(b, "split", "none: no --max-cost");
	}
	json_add_num(b, "worst_case_usd", mine);
	json_add_num(b, "plan_worst_case_usd", all);
}
