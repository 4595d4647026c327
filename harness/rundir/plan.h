/* plan.h - a run's plan: tasks (in the seeded order) x providers x
 * samples as a generator, never materialised, so that a plan of a million
 * samples costs its tasks and a bit per sample; what one sample can cost at
 * worst; and the plan's identity in run.json (its tasks in order, its
 * providers, its samples, and a hash over everything that decides which
 * samples there are and what they hold), which `merge` checks shards
 * against. */
#ifndef TB_PLAN_H
#define TB_PLAN_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/provider.h"
#include "core/suite.h"

/* one sample of the plan */
struct plan_item {
	const struct task *task;   /* borrowed */
	const struct provider *prov; /* borrowed */
	int sample;
};

/* the plan: sample-major (sample 0 of every task in plan order, each
 * task's providers in order, then sample 1 ...) or task-major (each task's
 * samples before the next task's: --stop-when); a position is
 * (task, provider, sample) as (t * np + p) * samples + k, and the plan's
 * order visits position t, p, k at (x, p) with x = k * nt + t (sample-major)
 * or t * samples + k (task-major). Samples left out (held already) are set
 * in a bitmap over positions. */
struct plan {
	const struct task **tasks;      /* plan order; the array owned, the tasks borrowed */
	size_t nt;
	const struct provider *provs;   /* borrowed */
	size_t np;
	int samples;
	int task_major;
	uint64_t *out;                  /* positions left out; malloced; NULL: none yet */
	size_t n;                       /* samples the plan asks (positions not left out) */
};

/* a plan of tasks (taken: a malloced array of borrowed tasks, in plan
 * order) x np providers x samples, every position asked */
void plan_init(struct plan *p, const struct task **tasks, size_t nt, const struct provider *provs, size_t np,
	       int samples, int task_major);
void plan_release(struct plan *p);
/* positions in all: nt * np * samples */
size_t plan_size(const struct plan *p);
/* the position of task t (its index in p->tasks), provider pi, sample k */
size_t plan_pos(const struct plan *p, size_t t, size_t pi, int k);
/* whether position pos is asked */
int plan_asks(const struct plan *p, size_t pos);
/* asks position pos (ask 1) or leaves it out (0); p->n follows */
void plan_set(struct plan *p, size_t pos, int ask);
/* provider pi's next asked sample from *cursor on (its place in the plan's
 * order, 0 at first): 1 with *it and *cursor moved past it, 0 at the end */
int plan_next(const struct plan *p, size_t pi, size_t *cursor, struct plan_item *it);
/* the i-th position in plan order (i < plan_size; every provider's sample
 * at one place before the next place); returns whether it is asked */
int plan_at(const struct plan *p, size_t i, struct plan_item *it);
/* the asked samples in plan order, materialised (the stopping rules take
 * an array): malloced, *n set */
struct plan_item *plan_items(const struct plan *p, size_t *n);

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
 * hash. whole is the whole plan (every shard, nothing left out for being
 * done already) */
void plan_manifest(cJSON *manifest, const struct plan *whole, int limit);

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
