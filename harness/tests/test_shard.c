/* test_shard.c - the shard split, the budget split, the plan's identity,
 * and the merge checks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rundir/cache.h"
#include "rundir/manifest.h"
#include "rundir/merge.h"
#include "rundir/plan.h"
#include "rundir/shard.h"
#include "rundir/store.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

void test_shard_split(void)
{
	static const struct {
		const char *arg;
		int ok, index, count;
	} cases[] = {
		{ "0/1", 1, 0, 1 },  { "3/4", 1, 3, 4 },   { "0/100000", 1, 0, 100000 },
		{ "4/4", 0, 0, 0 },  { "-1/4", 0, 0, 0 },  { "1/0", 0, 0, 0 },
		{ "1", 0, 0, 0 },    { "1/", 0, 0, 0 },    { "/4", 0, 0, 0 },
		{ "1/4x", 0, 0, 0 }, { "a/4", 0, 0, 0 },   { "0/100001", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct shard s = { 0, 0 };
		int rc = shard_parse(&s, cases[i].arg);
		CHECK((rc == 0) == cases[i].ok);
		if (cases[i].ok)
			CHECK(s.index == cases[i].index && s.count == cases[i].count);
	}
	/* every task is in exactly one shard, the same whichever shards exist,
	 * and shards come out roughly even */
	enum { NT = 2000, N = 4 };
	int size[N] = { 0 };
	for (int t = 0; t < NT; t++) {
		char id[32];
		snprintf(id, sizeof(id), "suite/task_%d", t);
		int home = shard_of(id, N), in = 0;
		CHECK(home >= 0 && home < N);
		CHECK(shard_of(id, N) == home);
		for (int i = 0; i < N; i++)
			in += shard_has(&(struct shard){ i, N }, id);
		CHECK(in == 1);
		CHECK(shard_has(&(struct shard){ home, N }, id));
		CHECK(shard_has(&(struct shard){ 0, 0 }, id)); /* unsharded: everything */
		CHECK(shard_of(id, 1) == 0);
		size[home]++;
	}
	for (int i = 0; i < N; i++)
		CHECK(size[i] > NT / N - 100 && size[i] < NT / N + 100);
	/* fixed values (the first 8 bytes of sha256(id), big-endian, mod N, as
	 * Python's int.from_bytes(sha256(id).digest()[:8], "big") % N gives),
	 * so that a change to the assignment cannot pass unseen: shards of one
	 * plan run by two versions would not fit together */
	static const struct {
		const char *id;
		int n, shard;
	} fixed[] = {
		{ "py/fizzbuzz", 4, 3 },          { "py/fizzbuzz", 7, 2 },     { "py/fizzbuzz", 1000, 755 },
		{ "c/digit_count", 4, 1 },        { "HumanEval/0", 4, 0 },     { "HumanEval/0", 7, 4 },
		{ "django__django-11099", 4, 2 }, { "django__django-11099", 1000, 290 },
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		CHECK(shard_of(fixed[i].id, fixed[i].n) == fixed[i].shard);
}

/* a small plan: nt tasks whose prompts grow with their index, np providers
 * with different prices, k samples, sample-major as run builds it */
struct fake_plan {
	struct task *tasks;
	struct provider *provs;
	struct plan_item *items;
	size_t n, nt, np;
	int k;
	struct plan plan; /* the same plan, streamed */
};

static void fake_plan_init(struct fake_plan *f, size_t nt, size_t np, int k)
{
	f->nt = nt;
	f->np = np;
	f->k = k;
	f->tasks = xcalloc(nt, sizeof(*f->tasks));
	f->provs = xcalloc(np, sizeof(*f->provs));
	f->items = xcalloc(nt * np * (size_t)k, sizeof(*f->items));
	for (size_t t = 0; t < nt; t++) {
		f->tasks[t].id = xasprintf("py/t%02zu", t);
		f->tasks[t].prompt = xmalloc(100 * (t + 1) + 1);
		memset(f->tasks[t].prompt, 'x', 100 * (t + 1));
		f->tasks[t].prompt[100 * (t + 1)] = '\0';
	}
	for (size_t p = 0; p < np; p++) {
		f->provs[p].name = xasprintf("prov-%zu", p);
		f->provs[p].model = xasprintf("model-%zu", p);
		f->provs[p].base_url = xstrdup("http://127.0.0.1:9/v1");
		f->provs[p].price = (struct price){ 1.0 + (double)p, 5.0 * (double)(p + 1), 0.1, 1.0, "2026-01-01", "test" };
	}
	f->n = 0;
	for (int s = 0; s < k; s++)
		for (size_t t = 0; t < nt; t++)
			for (size_t p = 0; p < np; p++)
				f->items[f->n++] = (struct plan_item){ &f->tasks[t], &f->provs[p], s };
	const struct task **order = xcalloc(nt + 1, sizeof(*order));
	for (size_t t = 0; t < nt; t++)
		order[t] = &f->tasks[t];
	plan_init(&f->plan, order, nt, f->provs, np, k, 0);
}

static void fake_plan_release(struct fake_plan *f)
{
	for (size_t t = 0; t < f->nt; t++) {
		free(f->tasks[t].id);
		free(f->tasks[t].prompt);
	}
	for (size_t p = 0; p < f->np; p++) {
		free(f->provs[p].name);
		free(f->provs[p].model);
		free(f->provs[p].base_url);
	}
	free(f->tasks);
	free(f->provs);
	free(f->items);
	plan_release(&f->plan);
}

void test_shard_budget(void)
{
	struct fake_plan f;
	fake_plan_init(&f, 17, 3, 2);
	double cap = 0.37;
	CHECK(shard_budget(&(struct shard){ 0, 0 }, &f.plan, cap) == cap); /* unsharded */
	CHECK(shard_budget(&(struct shard){ 1, 4 }, &f.plan, 0) == 0);     /* no cap stays no cap */
	for (int count = 1; count <= 7; count++) {
		double sum = 0, all = 0;
		for (size_t i = 0; i < f.n; i++)
			all += plan_item_worst_usd(&f.items[i]);
		for (int i = 0; i < count; i++) {
			struct shard s = { i, count };
			double part = shard_budget(&s, &f.plan, cap), mine = 0;
			for (size_t j = 0; j < f.n; j++)
				if (shard_has(&s, f.items[j].task->id))
					mine += plan_item_worst_usd(&f.items[j]);
			CHECK(part > 0); /* 0 would mean no cap at all */
			/* in proportion to the worst case, within a micro-dollar */
			CHECK(mine == 0 ? part <= 1e-9 : fabs(part - cap * mine / all) <= 1.0001e-6);
			sum += part;
		}
		CHECK(sum <= cap + 1e-9);
		CHECK(sum >= cap - count * 1.0001e-6);
	}
	/* a cap too small to share still caps every shard */
	CHECK(shard_budget(&(struct shard){ 2, 3 }, &f.plan, 1e-9) > 0);
	/* run.json says how it was split */
	cJSON *m = cJSON_CreateObject();
	shard_manifest(m, &(struct shard){ 1, 3 }, &f.plan, cap);
	const cJSON *sh = cJSON_GetObjectItemCaseSensitive(m, "shard");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(sh, "budget");
	CHECK(json_num(sh, "index", -1) == 1 && json_num(sh, "count", -1) == 3);
	CHECK(json_num(b, "max_cost_usd", -1) == shard_budget(&(struct shard){ 1, 3 }, &f.plan, cap));
	CHECK(json_num(b, "plan_max_cost_usd", -1) == cap);
	CHECK(json_str(b, "split", NULL) != NULL);
	CHECK(json_num(sh, "samples", -1) == json_num(sh, "tasks", -1) * 3 * 2);
	cJSON_Delete(m);
	fake_plan_release(&f);
}

/* the streamed plan: each provider's samples in the order of the
 * materialised plan, samples left out skipped and counted, task-major
 * order each task's samples together, and plan_items the same items */
void test_plan_stream(void)
{
	struct fake_plan f;
	fake_plan_init(&f, 7, 3, 4);
	CHECK(plan_size(&f.plan) == f.n && f.plan.n == f.n);
	for (size_t pi = 0; pi < f.np; pi++) {
		size_t cur = 0, i = 0, got = 0;
		struct plan_item it;
		while (plan_next(&f.plan, pi, &cur, &it)) {
			while (i < f.n && f.items[i].prov != &f.provs[pi])
				i++;
			CHECK(i < f.n && it.task == f.items[i].task && it.prov == f.items[i].prov &&
			      it.sample == f.items[i].sample);
			i++;
			got++;
		}
		CHECK(got == f.nt * (size_t)f.k);
	}
	/* every other sample of provider 1 left out, then one asked again */
	size_t left = 0;
	for (size_t t = 0; t < f.nt; t++)
		for (int k = 0; k < f.k; k++)
			if ((t + (size_t)k) % 2) {
				plan_set(&f.plan, plan_pos(&f.plan, t, 1, k), 0);
				plan_set(&f.plan, plan_pos(&f.plan, t, 1, k), 0); /* twice: counted once */
				left++;
			}
	CHECK(f.plan.n == f.n - left);
	plan_set(&f.plan, plan_pos(&f.plan, 0, 1, 1), 1);
	left--;
	CHECK(f.plan.n == f.n - left);
	size_t cur = 0, got = 0;
	struct plan_item it;
	while (plan_next(&f.plan, 1, &cur, &it)) {
		size_t t = (size_t)(it.task - f.tasks);
		CHECK(it.prov == &f.provs[1] && ((t + (size_t)it.sample) % 2 == 0 || (t == 0 && it.sample == 1)));
		got++;
	}
	CHECK(got == f.nt * (size_t)f.k - left);
	size_t n;
	struct plan_item *v = plan_items(&f.plan, &n);
	CHECK(n == f.plan.n);
	for (size_t i = 0, j = 0; i < f.n && j < n; i++)
		if (plan_asks(&f.plan, plan_pos(&f.plan, (size_t)(f.items[i].task - f.tasks),
						 (size_t)(f.items[i].prov - f.provs), f.items[i].sample))) {
			CHECK(v[j].task == f.items[i].task && v[j].prov == f.items[i].prov &&
			      v[j].sample == f.items[i].sample);
			j++;
		}
	free(v);
	/* task-major: a task's samples, then the next task's */
	f.plan.task_major = 1;
	cur = 0;
	const struct task *prev = NULL;
	int last = -1;
	size_t changes = 0;
	while (plan_next(&f.plan, 0, &cur, &it)) {
		if (it.task != prev) {
			changes++;
			CHECK(it.sample == 0);
		} else {
			CHECK(it.sample == last + 1);
		}
		prev = it.task;
		last = it.sample;
	}
	CHECK(changes == f.nt);
	fake_plan_release(&f);
}

/* a run.json as cmd_run writes it, for a shard of the fake plan */
static cJSON *fake_manifest(const struct fake_plan *f, int seed, const struct shard *s)
{
	cJSON *m = manifest_new(0, NULL, NULL);
	cJSON *cmd = cJSON_GetObjectItemCaseSensitive(m, "command");
	cJSON_AddItemToArray(cmd, cJSON_CreateString("run"));
	cJSON_AddItemToArray(cmd, cJSON_CreateString("--shard"));
	cJSON_AddItemToArray(cmd, cJSON_CreateString("0/3"));
	cJSON *suites = cJSON_GetObjectItemCaseSensitive(m, "suites");
	cJSON *su = cJSON_CreateObject();
	cJSON_AddStringToObject(su, "path", "tasks/fake");
	cJSON_AddStringToObject(su, "sha256", "aa11");
	cJSON_AddItemToArray(suites, su);
	cJSON *pj = cJSON_AddObjectToObject(m, "providers");
	cJSON_AddStringToObject(pj, "sha256", "bb22");
	struct provider_set ps = { f->provs, f->np, NULL, "" };
	cJSON_AddItemToObject(pj, "prices", provider_prices_json(&ps));
	cJSON_AddNumberToObject(m, "seed", seed);
	cJSON_AddNumberToObject(m, "samples", f->k);
	cJSON_AddStringToObject(m, "edit_format", "diff");
	cJSON_AddNumberToObject(m, "tries", 1);
	plan_manifest(m, &f->plan, 0);
	shard_manifest(m, s, &f->plan, 0);
	return m;
}

void test_plan_identity(void)
{
	struct fake_plan f;
	fake_plan_init(&f, 6, 2, 2);
	cJSON *a = fake_manifest(&f, 7, &(struct shard){ 0, 3 });
	cJSON *b = fake_manifest(&f, 7, &(struct shard){ 1, 3 });
	cJSON *c = fake_manifest(&f, 8, &(struct shard){ 1, 3 });
	const cJSON *pa = cJSON_GetObjectItemCaseSensitive(a, "plan");
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pa, "tasks")) == 6);
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pa, "providers")) == 2);
	CHECK(json_num(pa, "samples_total", 0) == 24);
	CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pa, "tasks"), 0)->valuestring, "py/t00");
	CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pa, "providers"), 1)->valuestring, "prov-1");
	char ha[65], hb[65], hc[65];
	CHECK(plan_hash(a, ha) == 0 && plan_hash(b, hb) == 0 && plan_hash(c, hc) == 0);
	CHECK_STR(ha, hb); /* two shards of one plan */
	CHECK(strcmp(ha, hc) != 0);
	CHECK_STR(json_str(pa, "sha256", ""), ha);
	char *va, *vb;
	CHECK(plan_diff(a, b, &va, &vb) == NULL && !va && !vb);
	CHECK_STR(plan_diff(a, c, &va, &vb), "seeds");
	CHECK_STR(va, "7");
	CHECK_STR(vb, "8");
	free(va);
	free(vb);
	/* a provider's URL may differ between machines; its price may not */
	cJSON *prices = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "providers"), "prices");
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(prices, 0), "base_url",
					       cJSON_CreateString("http://10.0.0.1/v1"));
	CHECK(plan_hash(b, hb) == 0);
	CHECK_STR(ha, hb);
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(prices, 0), "output", cJSON_CreateNumber(99));
	CHECK_STR(plan_diff(a, b, &va, &vb), "prices");
	free(va);
	free(vb);
	/* agent mode's settings are part of the plan; absent is agent mode off */
	cJSON *ag = cJSON_Duplicate(a, 1);
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(ag, "agent"), "turns", 30);
	char hg[65];
	CHECK(plan_hash(ag, hg) == 0 && strcmp(hg, ha) != 0);
	CHECK_STR(plan_diff(a, ag, &va, &vb), "agent settings (--agent ...)");
	CHECK_STR(va, "null");
	free(va);
	free(vb);
	cJSON_Delete(ag);
	cJSON_DeleteItemFromObjectCaseSensitive(c, "seed");
	CHECK(plan_hash(c, hc) == -1);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	fake_plan_release(&f);
}

/* writes shard s of the fake plan into dir: run.json (with the time
 * limits of its tasks), one record per sample, the task index deciding
 * the outcome, and a raw response per sample in its cache: dir/cache, or
 * cache_dir when it is not NULL (a shared --cache) */
static void write_shard_cache(const struct fake_plan *f, const char *dir, int seed, const struct shard *s,
			      const char *cache_dir)
{
	CHECK(dir_make(dir, 0755) == 0);
	cJSON *m = fake_manifest(f, seed, s);
	char *own = xasprintf("%s/cache", dir);
	const char *cdir = cache_dir ? cache_dir : own;
	cJSON_AddStringToObject(m, "cache", cdir);
	cJSON *tl = cJSON_AddObjectToObject(m, "time_limits");
	cJSON_AddStringToObject(tl, "machine", "fake-machine");
	cJSON *tasks = cJSON_AddObjectToObject(tl, "tasks");
	for (size_t t = 0; t < f->nt; t++)
		if (shard_has(s, f->tasks[t].id))
			cJSON_AddNumberToObject(cJSON_AddObjectToObject(tasks, f->tasks[t].id), "limit_s", 5);
	CHECK(manifest_write(m, dir) == 0);
	cJSON_Delete(m);
	struct cache c;
	CHECK(cache_open(&c, cdir) == 0);
	struct store st;
	CHECK(store_open(&st, dir) == 0);
	for (size_t i = 0; i < f->n; i++) {
		const struct plan_item *it = &f->items[i];
		if (!shard_has(s, it->task->id))
			continue;
		char key[65], body[128];
		snprintf(body, sizeof(body), "{\"task\":\"%s\",\"provider\":\"%s\"}", it->task->id, it->prov->name);
		cache_key("openai", "http://127.0.0.1:9/v1/chat/completions", body, it->sample, key);
		struct cached_meta in = { 10, 1, NAN };
		CHECK(cache_put(&c, key, body, strlen(body), &in) == 0);
		struct record r;
		record_init(&r);
		record_set_str(&r.task, it->task->id);
		record_set_str(&r.provider, it->prov->name);
		r.sample = it->sample;
		r.status = (it->task - f->tasks + it->sample) % 3 ? ST_PASSED : ST_FAILED;
		r.cost_usd = 0.001 * (double)(1 + (it->task - f->tasks));
		record_set_str(&r.time, "2026-01-01T00:00:00Z");
		CHECK(store_append(&st, &r) == 0);
		record_release(&r);
	}
	store_close(&st);
	cache_close(&c);
	free(own);
}

static void write_shard(const struct fake_plan *f, const char *dir, int seed, const struct shard *s)
{
	write_shard_cache(f, dir, seed, s, NULL);
}

static int merge_dirs(struct merge *m, const char *root, const char *const *names, size_t n)
{
	char **dirs = xcalloc(n, sizeof(*dirs));
	for (size_t i = 0; i < n; i++)
		dirs[i] = xasprintf("%s/%s", root, names[i]);
	merge_release(m);
	int rc = merge_load(m, dirs, n);
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	return rc;
}

static void append_line(const char *path, const char *line)
{
	FILE *fp = fopen(path, "a");
	CHECK(fp != NULL);
	if (fp) {
		fputs(line, fp);
		fclose(fp);
	}
}

/* dir/run.json, parsed; NULL when it cannot be read */
static cJSON *read_run_json(const char *dir)
{
	char *path = xasprintf("%s/run.json", dir);
	struct buf text = BUF_INIT;
	cJSON *m = file_read(path, &text) == 0 ? cJSON_Parse(buf_str(&text)) : NULL;
	buf_release(&text);
	free(path);
	return m;
}

void test_merge_checks(void)
{
	const char *root = test_tmpdir();
	struct fake_plan f;
	fake_plan_init(&f, 9, 2, 2);
	char path[512];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/s%d", root, i);
		write_shard(&f, path, 7, &(struct shard){ i, 3 });
	}
	struct merge m;
	merge_init(&m);
	/* all three: nothing missing, every record once */
	CHECK(merge_dirs(&m, root, (const char *[]){ "s2", "s0", "s1" }, 3) == 0);
	CHECK(m.missing == 0 && m.planned == f.n && m.nlines == f.n);
	char *out = xasprintf("%s/merged", root);
	CHECK(merge_prepare_out(&m, out) == 0);
	CHECK(merge_write(&m, out, 0, NULL) == 0);
	struct recset rs;
	recset_init(&rs);
	CHECK(recset_load(&rs, out, 0) == 0 && rs.n == f.n);
	recset_release(&rs);
	/* the merged run holds every shard's raw responses (their packs, one
	 * per shard here) and every shard's time limits */
	snprintf(path, sizeof(path), "%s/cache", out);
	struct cache mc;
	CHECK(cache_open(&mc, path) == 0);
	CHECK(cache_count(&mc) == f.n && mc.npacks == 3);
	for (size_t i = 0; i < mc.npacks; i++)
		CHECK(strstr(mc.packs[i], "/pack-s") != NULL);
	cache_close(&mc);
	cJSON *mm = read_run_json(out);
	CHECK_STR(json_str(mm, "cache", ""), path);
	const cJSON *mtl = cJSON_GetObjectItemCaseSensitive(mm, "time_limits");
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(mtl, "tasks")) == (int)f.nt);
	CHECK_STR(json_str(mtl, "machine", ""), "fake-machine");
	CHECK(cJSON_GetObjectItemCaseSensitive(mm, "shard") == NULL);
	cJSON_Delete(mm);
	/* merging again into the same directory loses nothing: allowed */
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == 0);
	CHECK(merge_prepare_out(&m, out) == 0);
	/* a record added to the merged directory would be lost: refused */
	merge_release(&m);
	snprintf(path, sizeof(path), "%s/samples.jsonl", out);
	append_line(path, "{\"task\":\"py/t00\",\"provider\":\"prov-0\",\"sample\":0,\"status\":\"error\"}\n");
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == 0);
	CHECK(merge_prepare_out(&m, out) == -1);
	/* nor into a shard, nor into a run that merge did not write */
	merge_release(&m);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == 0);
	snprintf(path, sizeof(path), "%s/s1", root);
	CHECK(merge_prepare_out(&m, path) == -1);

	/* a shard left out: its samples are missing, and counted as its */
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s2" }, 2) == 0);
	size_t in1 = 0;
	for (size_t i = 0; i < f.n; i++)
		in1 += shard_of(f.items[i].task->id, 3) == 1;
	CHECK(in1 > 0 && m.missing == in1 && m.missing_by_shard[1] == in1 && m.nlines == f.n - in1);
	/* a shard still running (it holds its directory's lock) */
	struct store running;
	snprintf(path, sizeof(path), "%s/s1", root);
	CHECK(store_open(&running, path) == 0);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	store_close(&running);
	/* a shard given twice */
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2", "s1" }, 4) == -1);
	/* a shard of another plan (another seed) */
	snprintf(path, sizeof(path), "%s/seed8", root);
	write_shard(&f, path, 8, &(struct shard){ 1, 3 });
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "seed8", "s2" }, 3) == -1);
	/* the same plan split in four */
	snprintf(path, sizeof(path), "%s/four", root);
	write_shard(&f, path, 7, &(struct shard){ 1, 4 });
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "four", "s2" }, 3) == -1);
	/* a record of another shard's task */
	const char *foreign = NULL;
	for (size_t t = 0; t < f.nt && !foreign; t++)
		if (shard_of(f.tasks[t].id, 3) != 0)
			foreign = f.tasks[t].id;
	snprintf(path, sizeof(path), "%s/s0/samples.jsonl", root);
	struct buf saved = BUF_INIT;
	CHECK(file_read(path, &saved) == 0);
	char line[256];
	snprintf(line, sizeof(line), "{\"task\":\"%s\",\"provider\":\"prov-0\",\"sample\":0,\"status\":\"passed\"}\n",
		 foreign);
	append_line(path, line);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	/* a sample beyond the plan's samples */
	CHECK(file_write(path, saved.data, saved.len, 0644) == 0);
	append_line(path, "{\"task\":\"py/t00\",\"provider\":\"prov-0\",\"sample\":5,\"status\":\"passed\"}\n");
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	/* a later record of a sample in its own shard replaces a not_attempted
	 * or an error one, as in a resumed or retried run */
	const char *own = NULL;
	for (size_t t = 0; t < f.nt && !own; t++)
		if (shard_of(f.tasks[t].id, 3) == 0)
			own = f.tasks[t].id;
	CHECK(own != NULL);
	struct buf resumed = BUF_INIT;
	buf_printf(&resumed, "{\"task\":\"%s\",\"provider\":\"prov-1\",\"sample\":1,\"status\":\"not_attempted\"}\n"
			     "{\"task\":\"%s\",\"provider\":\"prov-1\",\"sample\":1,\"status\":\"error\"}\n%s",
		   own, own, buf_str(&saved));
	CHECK(file_write(path, resumed.data, resumed.len, 0644) == 0);
	buf_release(&resumed);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == 0);
	CHECK(m.missing == 0 && m.nlines == f.n);
	char *key = record_key(own, "prov-1", 1);
	long at = -1;
	CHECK(strmap_get(&m.index, key, &at) && at >= 0 && strstr(m.lines[at].text, "not_attempted") == NULL &&
	      strstr(m.lines[at].text, "\"error\"") == NULL);
	free(key);
	/* but never a passed or failed one: a conflicting record, or the
	 * same line twice (a file appended to itself) */
	snprintf(line, sizeof(line), "{\"task\":\"%s\",\"provider\":\"prov-1\",\"sample\":1,\"status\":\"error\"}\n", own);
	append_line(path, line);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	CHECK(file_write(path, saved.data, saved.len, 0644) == 0);
	append_line(path, buf_str(&saved));
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	CHECK(file_write(path, saved.data, saved.len, 0644) == 0);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == 0);
	/* an edited run.json no longer matches its plan hash */
	snprintf(path, sizeof(path), "%s/s2/run.json", root);
	struct buf text = BUF_INIT;
	CHECK(file_read(path, &text) == 0);
	cJSON *man = cJSON_Parse(buf_str(&text));
	cJSON_ReplaceItemInObjectCaseSensitive(man, "samples", cJSON_CreateNumber(3));
	snprintf(path, sizeof(path), "%s/s2", root);
	CHECK(manifest_write(man, path) == 0);
	cJSON_Delete(man);
	buf_release(&text);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1", "s2" }, 3) == -1);
	/* not a shard */
	CHECK(merge_dirs(&m, root, (const char *[]){ "merged" }, 1) == -1);
	merge_release(&m);
	buf_release(&saved);
	free(out);
	fake_plan_release(&f);
}

/* shards that shared one cache directory (--cache on a shared filesystem):
 * the merged run names that directory and copies nothing */
void test_merge_shared_cache(void)
{
	const char *root = test_tmpdir();
	struct fake_plan f;
	fake_plan_init(&f, 7, 2, 1);
	char *shared = xasprintf("%s/shared-cache", root), path[512];
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/s%d", root, i);
		write_shard_cache(&f, path, 7, &(struct shard){ i, 2 }, shared);
	}
	struct merge m;
	merge_init(&m);
	CHECK(merge_dirs(&m, root, (const char *[]){ "s0", "s1" }, 2) == 0);
	char *out = xasprintf("%s/merged", root);
	CHECK(merge_prepare_out(&m, out) == 0 && merge_write(&m, out, 0, NULL) == 0);
	cJSON *mm = read_run_json(out);
	char *real = realpath(shared, NULL);
	CHECK(real && strcmp(json_str(mm, "cache", ""), real) == 0);
	snprintf(path, sizeof(path), "%s/cache", out);
	CHECK(!path_exists(path));
	struct cache c;
	CHECK(cache_open(&c, shared) == 0 && cache_count(&c) == f.n);
	cache_close(&c);
	cJSON_Delete(mm);
	free(real);
	free(out);
	free(shared);
	merge_release(&m);
	fake_plan_release(&f);
}
