/* plan.h - a run's plan as a whole: what one sample can cost at worst, and
 * the plan's identity in run.json (its tasks in order, its providers, its
 * samples, and a hash over everything that decides which samples there are
 * and what they hold), which `merge` checks shards against. */
#ifndef TB_PLAN_H
#define TB_PLAN_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/provider.h"
#include "core/suite.h"

/* one sample of the plan */
struct plan_item {
	const struct task *task;   /* borrowed */
	const struct provider *prov; /* borrowed */
	int sample;
};

/* the worst case of one sample's first request: every byte of the task's
 * prompt a token (plus framing) and max_tokens out, at the provider's
 * prices, in USD. --dry-run's worst case also counts the files a
 * repository task shows; this one needs no repository, so that a budget
 * splits the same wherever it is computed */
double plan_item_worst_usd(const struct plan_item *it);

/* adds "plan" to a run.json object that already holds "suites",
 * "providers" (sha256, prices), "seed", "samples", "edit_format" and
 * "tries" (and "agent" in agent mode): the plan's task ids in plan order,
 * its provider names, the sample count, --limit (0: none) and the plan
 * hash. items is the whole plan (every shard, nothing left out for being
 * done already) */
void plan_manifest(cJSON *manifest, const struct plan_item *items, size_t n, int limit);

/* the plan's task ids in plan order from a run.json object: a malloced
 * array of strings borrowed from it (*ids, caller frees the array); the
 * count, 0 when it has no plan */
size_t plan_task_ids(const cJSON *manifest, const char ***ids);

/* the plan hash of a run.json, recomputed from its fields (sha256 of a
 * canonical JSON text of them); 0, or -1 when a field is missing (not
 * reported: the caller names the file) */
int plan_hash(const cJSON *manifest, char out[65]);

/* the first field of the plan's identity in which two run.json objects
 * differ, as a message names it in the plural ("seeds", "suites", ...), or NULL when they
 * describe the same plan; *va and *vb get the two values as compact JSON
 * (malloced, caller frees; NULL when there is no difference) */
const char *plan_diff(const cJSON *a, const cJSON *b, char **va, char **vb);

#endif
