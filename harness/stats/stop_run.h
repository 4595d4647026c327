/* stop_run.h - `run --stop-when` as records arrive: which tasks are whole
 * (every planned sample of every provider still asked has its record), fed
 * to the rules (stats/stop.h) in the plan's task order, whatever order the
 * records come in; which sample may be asked now, later, or never; and the
 * decision as run.json and the report keep it. The request loop asks
 * through two callbacks, so it needs nothing of the statistics. */
#ifndef TB_STOP_RUN_H
#define TB_STOP_RUN_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/record.h"
#include "rundir/plan.h"
#include "rundir/store.h"
#include "stats/stop.h"
#include "util/buf.h"
#include "util/strmap.h"

enum stop_ask {
	STOP_ASK_NEVER = -1, /* its provider is no longer asked: record it not_attempted
			      * (REASON_STOPPED_EARLY) */
	STOP_ASK_LATER = 0,  /* its provider is too far ahead of the tasks the rules have seen */
	STOP_ASK_NOW = 1,
};

struct stop_run {
	struct stop_state st;
	size_t nt, np, k;        /* tasks in plan order, providers, most samples of a task */
	const char **task;       /* the plan's task ids, in order; borrowed from the plan */
	struct strmap task_at, prov_at;
	unsigned char *state;    /* nt x np x k: 0 no record yet, 1 ended unscored, 2 failed, 3 passed,
				  * 4 not in the plan */
	double *cost;            /* nt x np: what the task's records cost */
	size_t cursor;           /* the first task not fed to the rules yet */
	size_t *window;          /* per provider: tasks it may run ahead of the cursor */
	char decided_at[32];     /* when the rules stopped the run (UTC), or "" */
};

/* the rules (borrowed) over the whole plan (every item, done or not, in
 * plan order: its tasks' first appearance is their order), at level
 * 1 - alpha; 0, or -1 when a rule does not fit the plan's providers */
int stop_run_init(struct stop_run *r, const struct stop_rule *rules, size_t nrules, double alpha,
		  const struct plan_item *plan, size_t n);
void stop_run_release(struct stop_run *r);
/* a record as it is stored, or found in the run directory (resume: then
 * a not_attempted record ends its sample only when a rule stopped it, as
 * any other is asked again); feeds every task now whole, in order.
 * Returns how many providers stopped being asked */
size_t stop_run_record(struct stop_run *r, const struct record *rec, int resumed);
/* whether to ask this sample now, later or never */
enum stop_ask stop_run_ask(const struct stop_run *r, const struct plan_item *it);
/* why a sample stop_run_ask answers NEVER for is not asked, in words, for
 * its record's detail: its provider dropped by a race (when and why), or
 * every rule has its answer */
void stop_run_why(const struct stop_run *r, const struct plan_item *it, struct buf *out);
/* run.json's "stop": the rules' decision (stop_json) with when it was
 * taken, the samples a rule stopped and what they would have cost (each
 * at its provider's mean cost per answered sample in rs, the run's final
 * records), and the whole in words; caller deletes */
cJSON *stop_run_json(const struct stop_run *r, const struct recset *rs);

#endif
