/* stop_run.c - stopping rules fed from a run's records. A task is fed to
 * the rules once every planned sample of every provider still asked has
 * its record, and tasks are fed in the plan's order: the order of the
 * sequences is then the seeded order, whatever order answers come back in
 * (a fast wrong answer must not count before a slow right one). A provider
 * may run only a few tasks ahead of the first one not yet fed, so that what
 * it answers past a decision stays small. */
#include "stats/stop_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/provider.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/xalloc.h"

#define AT(r, t, p, j) (((t) * (r)->np + (p)) * (r)->k + (size_t)(j))

int stop_run_init(struct stop_run *r, const struct stop_rule *rules, size_t nrules, double alpha,
		  const struct plan_item *plan, size_t n)
{
	memset(r, 0, sizeof(*r));
	strmap_init(&r->task_at);
	strmap_init(&r->prov_at);
	const char **names = xcalloc(n + 1, sizeof(*names));
	r->task = xcalloc(n + 1, sizeof(*r->task));
	int *conc = xcalloc(n + 1, sizeof(*conc));
	for (size_t i = 0; i < n; i++) {
		if (!strmap_get(&r->task_at, plan[i].task->id, NULL)) {
			strmap_put(&r->task_at, plan[i].task->id, (long)r->nt);
			r->task[r->nt++] = plan[i].task->id;
		}
		if (!strmap_get(&r->prov_at, plan[i].prov->name, NULL)) {
			strmap_put(&r->prov_at, plan[i].prov->name, (long)r->np);
			conc[r->np] = plan[i].prov->max_concurrency;
			names[r->np++] = plan[i].prov->name;
		}
		if ((size_t)plan[i].sample + 1 > r->k)
			r->k = (size_t)plan[i].sample + 1;
	}
	size_t cells = r->nt * r->np * r->k;
	r->state = xmalloc(cells + 1);
	memset(r->state, 4, cells + 1);
	r->cost = xcalloc(r->nt * r->np + 1, sizeof(*r->cost));
	for (size_t i = 0; i < n; i++) {
		long t, p;
		strmap_get(&r->task_at, plan[i].task->id, &t);
		strmap_get(&r->prov_at, plan[i].prov->name, &p);
		r->state[AT(r, (size_t)t, (size_t)p, plan[i].sample)] = 0;
	}
	/* a provider keeps its concurrency busy a few tasks ahead, no more */
	r->window = xcalloc(r->np + 1, sizeof(*r->window));
	for (size_t p = 0; p < r->np; p++) {
		size_t c = conc[p] > 0 ? (size_t)conc[p] : 1;
		r->window[p] = (c + r->k - 1) / (r->k ? r->k : 1) + 1;
	}
	int rc = stop_init(&r->st, rules, nrules, names, r->np, alpha, CS_GRID_RUN);
	free(names);
	free(conc);
	if (rc < 0) {
		stop_run_release(r);
		return -1;
	}
	return 0;
}

void stop_run_release(struct stop_run *r)
{
	if (!r)
		return;
	stop_release(&r->st);
	free(r->task);
	strmap_release(&r->task_at);
	strmap_release(&r->prov_at);
	free(r->state);
	free(r->cost);
	free(r->window);
	memset(r, 0, sizeof(*r));
}

/* every planned sample of every provider still asked has its record */
static int task_whole(const struct stop_run *r, size_t t)
{
	for (size_t p = 0; p < r->np; p++) {
		if (!stop_asks(&r->st, p))
			continue;
		for (size_t j = 0; j < r->k; j++)
			if (r->state[AT(r, t, p, j)] == 0)
				return 0;
	}
	return 1;
}

/* feeds the whole tasks from the cursor on; providers dropped */
static size_t feed(struct stop_run *r)
{
	size_t dropped = 0;
	double *x = xcalloc(r->np + 1, sizeof(*x)), *cost = xcalloc(r->np + 1, sizeof(*cost));
	while (r->cursor < r->nt && !r->st.stopped && task_whole(r, r->cursor)) {
		size_t t = r->cursor++;
		for (size_t p = 0; p < r->np; p++) {
			int scored = 0, passed = 0;
			for (size_t j = 0; j < r->k; j++) {
				unsigned char s = r->state[AT(r, t, p, j)];
				scored += s == 2 || s == 3;
				passed += s == 3;
			}
			x[p] = scored ? (double)passed / scored : NAN;
			cost[p] = r->cost[t * r->np + p];
		}
		dropped += stop_feed(&r->st, x, cost);
	}
	if (r->st.stopped && !r->decided_at[0]) {
		time_t now = time(NULL);
		strftime(r->decided_at, sizeof(r->decided_at), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	}
	free(x);
	free(cost);
	return dropped;
}

size_t stop_run_record(struct stop_run *r, const struct record *rec, int resumed)
{
	long t, p;
	if (!strmap_get(&r->task_at, rec->task, &t) || !strmap_get(&r->prov_at, rec->provider, &p) ||
	    rec->sample < 0 || (size_t)rec->sample >= r->k)
		return 0;
	unsigned char *s = &r->state[AT(r, (size_t)t, (size_t)p, rec->sample)];
	if (*s != 0)
		return 0; /* not planned, or already ended */
	if (rec->status == ST_NOT_ATTEMPTED && resumed && !record_stopped_early(rec))
		return 0; /* this run asks it again */
	*s = rec->status == ST_PASSED ? 3 : rec->status == ST_FAILED ? 2 : 1;
	if (!isnan(rec->cost_usd))
		r->cost[(size_t)t * r->np + (size_t)p] += rec->cost_usd;
	return feed(r);
}

enum stop_ask stop_run_ask(const struct stop_run *r, const struct plan_item *it)
{
	long t, p;
	if (!strmap_get(&r->task_at, it->task->id, &t) || !strmap_get(&r->prov_at, it->prov->name, &p))
		return STOP_ASK_NOW;
	if (!stop_asks(&r->st, (size_t)p))
		return STOP_ASK_NEVER;
	return (size_t)t >= r->cursor + r->window[p] ? STOP_ASK_LATER : STOP_ASK_NOW;
}

void stop_run_why(const struct stop_run *r, const struct plan_item *it, struct buf *out)
{
	const struct stop_state *st = &r->st;
	long p;
	if (strmap_get(&r->prov_at, it->prov->name, &p) && st->drop_why[p]) {
		buf_printf(out, "--stop-when dropped %s after %zu tasks: %s", st->names[p], st->dropped_after[p],
			   st->drop_why[p]);
		return;
	}
	buf_printf(out, "--stop-when: every rule has its answer after %zu tasks", st->stopped_after);
	for (size_t k = 0; k < st->nw; k++)
		if (st->w[k].why)
			buf_printf(out, "%s%s", k ? "; " : ": ", st->w[k].why);
}

cJSON *stop_run_json(const struct stop_run *r, const struct recset *rs)
{
	cJSON *o = stop_json(&r->st);
	if (r->decided_at[0])
		cJSON_AddStringToObject(o, "decided_at", r->decided_at);
	json_add_num(o, "tasks_planned", (double)r->nt);
	double *sum = xcalloc(r->np + 1, sizeof(*sum));
	size_t *answered = xcalloc(r->np + 1, sizeof(*answered)), *stopped = xcalloc(r->np + 1, sizeof(*stopped));
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *rec = &rs->v[i];
		long p;
		if (!strmap_get(&r->prov_at, rec->provider, &p))
			continue;
		if (record_stopped_early(rec))
			stopped[p]++;
		else if (rec->status != ST_NOT_ATTEMPTED && !isnan(rec->cost_usd)) {
			sum[p] += rec->cost_usd;
			answered[p]++;
		}
	}
	double usd = 0;
	size_t samples = 0;
	cJSON *provs = cJSON_GetObjectItemCaseSensitive(o, "providers");
	for (size_t p = 0; p < r->np; p++) {
		double per = answered[p] ? sum[p] / (double)answered[p] : NAN;
		double not_spent = stopped[p] ? (double)stopped[p] * per : 0;
		cJSON *e = cJSON_GetArrayItem(provs, (int)p);
		json_add_num(e, "samples_not_asked", (double)stopped[p]);
		json_add_num(e, "usd_not_spent", not_spent);
		samples += stopped[p];
		usd += isnan(not_spent) ? 0 : not_spent;
	}
	json_add_num(o, "samples_not_asked", (double)samples);
	json_add_num(o, "usd_not_spent", usd);
	struct buf w = BUF_INIT;
	stop_words(&r->st, &w);
	buf_printf(&w, "; $%.*f not spent (%zu samples not asked)", usd < 0.01 && usd > 0 ? 5 : 2, usd, samples);
	cJSON_AddStringToObject(o, "words", buf_str(&w));
	buf_release(&w);
	free(sum);
	free(answered);
	free(stopped);
	return o;
}
