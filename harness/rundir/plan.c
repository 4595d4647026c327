/* plan.c - the plan's worst case and its identity in run.json. */
#include "rundir/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/provider.h"
#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"

double plan_item_worst_usd(const struct plan_item *it)
{
	/* the rendered prompt adds a system message and framing to the task's
	 * own text: 400 bytes covers it, as in --dry-run */
	long in_bytes = (long)strlen(it->task->prompt) + 400;
	return price_worst(&it->prov->price, in_bytes + 64, provider_max_tokens(it->prov), 0);
}

void plan_init(struct plan *p, const struct task **tasks, size_t nt, const struct provider *provs, size_t np,
	       int samples, int task_major)
{
	*p = (struct plan){ tasks, nt, provs, np, samples, task_major, NULL, 0 };
	p->n = plan_size(p);
}

void plan_release(struct plan *p)
{
	free(p->tasks);
	free(p->out);
	memset(p, 0, sizeof(*p));
}

size_t plan_size(const struct plan *p)
{
	return p->nt * p->np * (size_t)p->samples;
}

size_t plan_pos(const struct plan *p, size_t t, size_t pi, int k)
{
	return (t * p->np + pi) * (size_t)p->samples + (size_t)k;
}

int plan_asks(const struct plan *p, size_t pos)
{
	return !p->out || !(p->out[pos / 64] >> (pos % 64) & 1);
}

void plan_set(struct plan *p, size_t pos, int ask)
{
	if (!p->out)
		p->out = xcalloc(plan_size(p) / 64 + 1, sizeof(*p->out));
	uint64_t bit = (uint64_t)1 << (pos % 64);
	int asked = plan_asks(p, pos);
	if (ask && !asked) {
		p->out[pos / 64] &= ~bit;
		p->n++;
	} else if (!ask && asked) {
		p->out[pos / 64] |= bit;
		p->n--;
	}
}

/* the task and sample at place x of the plan's order */
static void place(const struct plan *p, size_t x, size_t *t, int *k)
{
	size_t ks = (size_t)p->samples;
	*t = p->task_major ? x / ks : x % p->nt;
	*k = (int)(p->task_major ? x % ks : x / p->nt);
}

int plan_next(const struct plan *p, size_t pi, size_t *cursor, struct plan_item *it)
{
	size_t places = p->nt * (size_t)p->samples;
	for (size_t x = *cursor; x < places; x++) {
		size_t t;
		int k;
		place(p, x, &t, &k);
		if (!plan_asks(p, plan_pos(p, t, pi, k)))
			continue;
		*it = (struct plan_item){ p->tasks[t], &p->provs[pi], k };
		*cursor = x + 1;
		return 1;
	}
	*cursor = places;
	return 0;
}

int plan_at(const struct plan *p, size_t i, struct plan_item *it)
{
	size_t t, pi = i % p->np;
	int k;
	place(p, i / p->np, &t, &k);
	*it = (struct plan_item){ p->tasks[t], &p->provs[pi], k };
	return plan_asks(p, plan_pos(p, t, pi, k));
}

struct plan_item *plan_items(const struct plan *p, size_t *n)
{
	struct plan_item *v = xcalloc(p->n + 1, sizeof(*v));
	size_t size = plan_size(p);
	*n = 0;
	for (size_t i = 0; i < size; i++)
		if (plan_at(p, i, &v[*n]))
			(*n)++;
	return v;
}

void plan_manifest(cJSON *manifest, const struct plan *whole, int limit)
{
	cJSON *plan = cJSON_AddObjectToObject(manifest, "plan");
	cJSON *tasks = cJSON_AddArrayToObject(plan, "tasks");
	cJSON *provs = cJSON_AddArrayToObject(plan, "providers");
	for (size_t t = 0; t < whole->nt; t++)
		cJSON_AddItemToArray(tasks, cJSON_CreateString(whole->tasks[t]->id));
	for (size_t pi = 0; whole->nt && whole->samples && pi < whole->np; pi++)
		cJSON_AddItemToArray(provs, cJSON_CreateString(whole->provs[pi].name));
	json_add_num(plan, "limit", limit > 0 ? limit : NAN);
	cJSON_AddNumberToObject(plan, "samples_total", (double)plan_size(whole));
	char hash[65];
	if (plan_hash(manifest, hash) == 0)
		cJSON_AddStringToObject(plan, "sha256", hash);
}

size_t plan_task_ids(const cJSON *manifest, const char ***ids)
{
	const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(manifest, "plan"), "tasks");
	size_t n = 0;
	*ids = xcalloc((size_t)cJSON_GetArraySize(tasks) + 1, sizeof(**ids));
	const cJSON *t;
	cJSON_ArrayForEach(t, tasks)
		if (cJSON_IsString(t))
			(*ids)[n++] = t->valuestring;
	return n;
}

static cJSON *dup_item(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return v ? cJSON_Duplicate(v, 1) : NULL;
}

/* the fields of the plan's identity, in the order they are hashed, with
 * what a message calls them; after the first three (built from "suites"
 * and "providers"), where each is read: the top of run.json or its
 * "plan", and whether it may be absent (null: agent mode off) */
enum { FROM_TOP, FROM_PLAN };
static const struct {
	const char *key, *say;
	int from, optional;
} fields[] = {
	{ "suites", "suites", 0, 0 },
	{ "provider_file", "provider files", 0, 0 },
	{ "prices", "prices", 0, 0 },
	{ "seed", "seeds", FROM_TOP, 0 },
	{ "samples", "samples per task", FROM_TOP, 0 },
	{ "edit_format", "edit formats", FROM_TOP, 0 },
	{ "tries", "tries", FROM_TOP, 0 },
	{ "agent", "agent settings (--agent ...)", FROM_TOP, 1 },
	{ "limit", "limits (--limit)", FROM_PLAN, 0 },
	{ "tasks", "planned tasks", FROM_PLAN, 0 },
	{ "providers", "planned providers", FROM_PLAN, 0 },
};

/* what decides which samples a plan has and what they hold: the suites'
 * and provider file's contents, each provider's model and prices (not its
 * URL, which may differ between machines), the seed, samples, limit, edit
 * format, tries and agent settings, and the plan's tasks and providers in
 * order; NULL when a field is missing */
static cJSON *canonical(const cJSON *manifest)
{
	const cJSON *plan = cJSON_GetObjectItemCaseSensitive(manifest, "plan");
	const cJSON *suites = cJSON_GetObjectItemCaseSensitive(manifest, "suites");
	const cJSON *provs = cJSON_GetObjectItemCaseSensitive(manifest, "providers");
	const cJSON *prices = cJSON_GetObjectItemCaseSensitive(provs, "prices");
	static const char *const price_keys[] = { "name", "model", "input", "output", "cached_input",
						  "cache_write", "as_of" };
	if (!cJSON_IsObject(plan) || !cJSON_IsArray(suites) || !cJSON_IsArray(prices) ||
	    !json_str(provs, "sha256", NULL))
		return NULL;
	cJSON *c = cJSON_CreateObject();
	int ok = 1;
	cJSON_AddStringToObject(c, "version", "tokenbench-plan-1");
	cJSON *sh = cJSON_AddArrayToObject(c, "suites");
	const cJSON *s;
	cJSON_ArrayForEach(s, suites)
	{
		const char *h = json_str(s, "sha256", NULL);
		ok &= h != NULL;
		cJSON_AddItemToArray(sh, cJSON_CreateString(h ? h : ""));
	}
	cJSON_AddStringToObject(c, "provider_file", json_str(provs, "sha256", ""));
	cJSON *pa = cJSON_AddArrayToObject(c, "prices");
	const cJSON *p;
	cJSON_ArrayForEach(p, prices)
	{
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; i < sizeof(price_keys) / sizeof(*price_keys); i++) {
			cJSON *v = dup_item(p, price_keys[i]);
			cJSON_AddItemToObject(o, price_keys[i], v ? v : cJSON_CreateNull());
		}
		cJSON_AddItemToArray(pa, o);
	}
	for (size_t i = 3; i < sizeof(fields) / sizeof(*fields); i++) {
		cJSON *v = dup_item(fields[i].from == FROM_TOP ? manifest : plan, fields[i].key);
		ok &= v != NULL || fields[i].optional;
		cJSON_AddItemToObject(c, fields[i].key, v ? v : cJSON_CreateNull());
	}
	if (!ok) {
		cJSON_Delete(c);
		return NULL;
	}
	return c;
}

int plan_hash(const cJSON *manifest, char out[65])
{
	cJSON *c = canonical(manifest);
	if (!c)
		return -1;
	char *text = cJSON_PrintUnformatted(c);
	sha256_buf_hex(text, strlen(text), out);
	cJSON_free(text);
	cJSON_Delete(c);
	return 0;
}

static char *print_dup(const cJSON *v)
{
	char *t = cJSON_PrintUnformatted(v);
	char *s = xstrdup(t ? t : "?");
	cJSON_free(t);
	return s;
}

const char *plan_diff(const cJSON *a, const cJSON *b, char **va, char **vb)
{
	cJSON *ca = canonical(a), *cb = canonical(b);
	const char *what = NULL;
	*va = *vb = NULL;
	if (!ca || !cb) {
		what = "plan fields";
		goto out;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields) && !what; i++) {
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(ca, fields[i].key);
		const cJSON *y = cJSON_GetObjectItemCaseSensitive(cb, fields[i].key);
		if (cJSON_Compare(x, y, 1))
			continue;
		what = fields[i].say;
		*va = print_dup(x);
		*vb = print_dup(y);
	}
out:
	cJSON_Delete(ca);
	cJSON_Delete(cb);
	return what;
}
