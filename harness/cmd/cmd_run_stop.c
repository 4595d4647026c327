/* cmd_run_stop.c - `run --stop-when`: the stopping rules (stats/stop_run.h)
 * over a run's whole plan, handed to the request loop as the two plain
 * callbacks of struct sched_stop (the engine knows nothing of the
 * statistics), and their decision written into run.json at the end. */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "rundir/manifest.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

int run_stop_init(struct run_stop *x, const char *const *rules, size_t nrules, double alpha,
		  const struct plan_item *whole, size_t nwhole, const struct recset *have)
{
	x->rules = xcalloc(nrules + 1, sizeof(*x->rules));
	for (size_t i = 0; i < nrules; i++) {
		if (stop_rule_parse(rules[i], &x->rules[i]) < 0)
			return -1;
		x->nrules++;
	}
	if (stop_run_init(&x->sr, x->rules, x->nrules, alpha, whole, nwhole) < 0)
		return -1;
	x->on = 1;
	for (size_t i = 0; i < have->n; i++)
		stop_run_record(&x->sr, &have->v[i], 1);
	return 0;
}

void run_stop_release(struct run_stop *x)
{
	if (x->on)
		stop_run_release(&x->sr);
	for (size_t i = 0; i < x->nrules; i++)
		stop_rule_release(&x->rules[i]);
	free(x->rules);
	buf_release(&x->why);
}

void run_stop_record(void *arg, const struct record *r)
{
	struct run_stop *x = arg;
	x->stopped += record_stopped_early(r);
	stop_run_record(&x->sr, r, 0);
}

enum sched_ask run_stop_ask(void *arg, const struct plan_item *it, const char **why)
{
	struct run_stop *x = arg;
	switch (stop_run_ask(&x->sr, it)) {
	case STOP_ASK_NOW: return SCHED_ASK_NOW;
	case STOP_ASK_LATER: return SCHED_ASK_LATER;
	case STOP_ASK_NEVER: break;
	}
	buf_reset(&x->why);
	stop_run_why(&x->sr, it, &x->why);
	*why = buf_str(&x->why);
	return SCHED_ASK_NEVER;
}

int run_stop_finish(struct run_stop *x, cJSON *manifest, const char *dir, int quiet)
{
	struct recset final;
	recset_init(&final);
	int rc = recset_load(&final, dir, 1);
	if (rc == 0) {
		cJSON *stop = stop_run_json(&x->sr, &final);
		if (!quiet)
			note("%s", json_str(stop, "words", ""));
		cJSON_DeleteItemFromObjectCaseSensitive(manifest, "stop");
		cJSON_AddItemToObject(manifest, "stop", stop);
		rc = manifest_write(manifest, dir);
	}
	recset_release(&final);
	return rc;
}
