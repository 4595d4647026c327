/* shard.h - one part of a plan, so that a run can be spread over machines
 * (Slurm job arrays, Kubernetes indexed jobs). A task belongs to shard
 * sha256(task id) mod N (the digest's first 8 bytes as a big-endian
 * integer): every provider's samples of a task land in the same shard
 * (paired statistics need nothing from another shard), and a task's shard
 * depends on nothing but its id and N, not on which other shards exist or
 * run. */
#ifndef TB_SHARD_H
#define TB_SHARD_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "rundir/plan.h"

#define SHARD_MAX 100000

struct shard {
	int index, count; /* 0 <= index < count; count 0: the whole plan */
};

/* parses "I/N" (0 <= I < N <= SHARD_MAX); 0 or -1 (reported) */
int shard_parse(struct shard *s, const char *arg);
/* the shard, of count, that a task belongs to */
int shard_of(const char *task_id, int count);
/* whether the task is in s (always, when s is not a shard) */
int shard_has(const struct shard *s, const char *task_id);

/* this shard's part of a cap on the whole plan: the cap times the shard's
 * share of the plan's worst-case cost (plan_item_worst_usd), rounded down
 * to a micro-dollar, so the parts never add up to more than the cap and a
 * shard with expensive tasks gets more. Returns
 * max_cost_usd itself when unsharded or uncapped (0), and never 0 for a
 * capped shard (0 means no cap). whole is the whole plan. */
double shard_budget(const struct shard *s, const struct plan *whole, double max_cost_usd);

/* adds "shard" to run.json: index, count, how tasks are assigned, this
 * shard's tasks and samples, and its budget (cap, how it was split, the
 * worst cases it was split by); nothing when s is not a shard */
void shard_manifest(cJSON *manifest, const struct shard *s, const struct plan *whole, double max_cost_usd);

#endif
