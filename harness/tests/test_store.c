/* test_store.c - samples.jsonl: append, read back, torn lines, last wins,
 * statistics independent of record order; the response cache. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rundir/cache.h"
#include "rundir/store.h"
#include "stats/summary.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static void add(struct store *s, const char *task, const char *prov, int sample, enum status st, double cost)
{
	struct record r;
	record_init(&r);
	record_set_str(&r.task, task);
	record_set_str(&r.provider, prov);
	r.sample = sample;
	r.status = st;
	r.cost_usd = cost;
	record_set_str(&r.cost_source, isnan(cost) ? NULL : "price_table");
	r.usage.input = 10;
	r.usage.output = 5;
	record_set_str(&r.raw_usage, "{\"prompt_tokens\":10}");
	CHECK(store_append(s, &r) == 0);
	record_release(&r);
}

void test_store_roundtrip(void)
{
	const char *dir = test_tmpdir();
	struct store s;
	CHECK(store_open(&s, dir) == 0);
	struct store again;
	CHECK(store_open(&again, dir) == -1); /* the directory is locked */
	add(&s, "t1", "p", 0, ST_FAILED, 0.5);
	add(&s, "t1", "p", 1, ST_PASSED, 0.25);
	add(&s, "t1", "p", 0, ST_PASSED, 0.5); /* a later record for the same sample wins */
	add(&s, "t2", "q", 0, ST_NOT_ATTEMPTED, NAN);
	store_close(&s);
	struct recset rs;
	recset_init(&rs);
	CHECK(recset_load(&rs, dir, 0) == 0);
	CHECK(rs.n == 3);
	const struct record *r = recset_find(&rs, "t1", "p", 0);
	CHECK(r && r->status == ST_PASSED && r->usage.input == 10);
	CHECK(r && r->raw_usage && strstr(r->raw_usage, "prompt_tokens"));
	const struct record *na = recset_find(&rs, "t2", "q", 0);
	CHECK(na && na->status == ST_NOT_ATTEMPTED && isnan(na->cost_usd));
	CHECK(recset_find(&rs, "t3", "p", 0) == NULL);
	recset_release(&rs);
}

void test_store_torn_line(void)
{
	const char *dir = test_tmpdir();
	char *path = xasprintf("%s/samples.jsonl", dir);
	const char *text = "{\"task\":\"a\",\"provider\":\"p\",\"sample\":0,\"status\":\"passed\"}\n"
			   "{\"task\":\"b\",\"provider\":\"p\",\"sample\":0,\"sta";
	CHECK(file_write(path, text, strlen(text), 0644) == 0);
	struct recset rs;
	recset_init(&rs);
	CHECK(recset_load(&rs, dir, 0) == 0 && rs.n == 1);
	recset_release(&rs);
	/* opening for append drops the torn record so the next line starts clean */
	struct store s;
	CHECK(store_open(&s, dir) == 0);
	add(&s, "b", "p", 0, ST_FAILED, 0.1);
	store_close(&s);
	recset_init(&rs);
	CHECK(recset_load(&rs, dir, 0) == 0 && rs.n == 2);
	recset_release(&rs);
	/* a whole record that lacks only its newline (a disk full at that very
	 * byte) is read as a record, so a resume counts it done: opening for
	 * append must keep it, ended, not drop it (hostile_disk's lost sample) */
	const char *whole = "{\"task\":\"a\",\"provider\":\"p\",\"sample\":0,\"status\":\"passed\"}\n"
			    "{\"task\":\"b\",\"provider\":\"p\",\"sample\":0,\"status\":\"passed\"}";
	CHECK(file_write(path, whole, strlen(whole), 0644) == 0);
	recset_init(&rs);
	CHECK(recset_load(&rs, dir, 0) == 0 && rs.n == 2);
	recset_release(&rs);
	CHECK(store_open(&s, dir) == 0);
	add(&s, "c", "p", 0, ST_FAILED, 0.1);
	store_close(&s);
	recset_init(&rs);
	CHECK(recset_load(&rs, dir, 0) == 0 && rs.n == 3 && recset_find(&rs, "b", "p", 0) != NULL);
	recset_release(&rs);
	free(path);
}

void test_cache_roundtrip(void)
{
	char k1[65], k2[65], k3[65];
	cache_key("openai", "http://x/v1/chat/completions", "{\"a\":1}", 0, k1);
	cache_key("openai", "http://x/v1/chat/completions", "{\"a\":1}", 1, k2);
	cache_key("openai", "http://y/v1/chat/completions", "{\"a\":1}", 0, k3);
	CHECK(strcmp(k1, k2) != 0 && strcmp(k1, k3) != 0);
	char *dir = xasprintf("%s/cache", test_tmpdir());
	const char *body = "{\"choices\":[]}\n\xc3\xa9";
	struct cached_meta in = { 123.5, 2, NAN };
	struct cached out;
	struct cache a, b, c;
	CHECK(cache_open(&a, dir) == 0);
	CHECK(cache_get(&a, k1, &out) == 0);
	CHECK(cache_put(&a, k1, body, strlen(body), &in) == 0);
	CHECK(cache_get(&a, k1, &out) == 1);
	CHECK(out.len == strlen(body) && memcmp(out.body, body, out.len) == 0);
	CHECK(out.meta.attempts == 2 && out.meta.latency_ms == 123.5 && isnan(out.meta.ttft_ms));
	cached_release(&out);
	/* a second writer on the same directory gets a pack of its own */
	CHECK(cache_open(&b, dir) == 0 && cache_count(&b) == 1);
	in.ttft_ms = 40;
	CHECK(cache_put(&b, k2, body, strlen(body), &in) == 0);
	CHECK(b.pack && a.pack && strcmp(a.pack, b.pack) != 0);
	/* a run killed while writing leaves a torn line at the end of its pack */
	int fd = open(b.pack, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "{\"key\":\"", 8) == 8);
	close(fd);
	cache_close(&a);
	cache_close(&b);
	CHECK(cache_open(&c, dir) == 0);
	CHECK(cache_count(&c) == 2 && c.npacks == 2);
	CHECK(cache_get(&c, k2, &out) == 1 && out.meta.ttft_ms == 40);
	cached_release(&out);
	CHECK(cache_get(&c, k1, &out) == 1 && out.len == strlen(body));
	cached_release(&out);
	CHECK(cache_get(&c, k3, &out) == 0);
	cache_close(&c);
	free(dir);
}

/* the index keeps 64 bits of a key: many entries index and reopen, and two
 * keys that share their first 64 bits never answer for each other */
void test_cache_index_compact(void)
{
	char *dir = xasprintf("%s/cache-compact", test_tmpdir());
	struct cache a, b;
	struct cached_meta in = { 1, 1, NAN };
	struct cached out;
	char key[65], body[64];
	CHECK(cache_open(&a, dir) == 0);
	for (int i = 0; i < 5000; i++) {
		cache_key("openai", "http://127.0.0.1:9/v1", "{}", i, key);
		snprintf(body, sizeof(body), "answer %d", i);
		CHECK(cache_put(&a, key, body, strlen(body), &in) == 0);
	}
	char twin1[65], twin2[65];
	memset(twin1, 'a', 64);
	memcpy(twin2, twin1, 64);
	twin1[64] = twin2[64] = '\0';
	twin2[63] = 'b'; /* the same first 64 bits */
	CHECK(cache_put(&a, twin1, "one", 3, &in) == 0);
	CHECK(cache_get(&a, twin1, &out) == 1 && strcmp(out.body, "one") == 0);
	cached_release(&out);
	CHECK(cache_put(&a, twin2, "two", 3, &in) == 0);
	CHECK(cache_get(&a, twin2, &out) == 1 && strcmp(out.body, "two") == 0);
	cached_release(&out);
	CHECK(cache_get(&a, twin1, &out) == 0); /* a miss, never "two" */
	cache_close(&a);
	CHECK(cache_open(&b, dir) == 0 && cache_count(&b) == 5001);
	for (int i = 0; i < 5000; i += 499) {
		cache_key("openai", "http://127.0.0.1:9/v1", "{}", i, key);
		snprintf(body, sizeof(body), "answer %d", i);
		CHECK(cache_get(&b, key, &out) == 1 && strcmp(out.body, body) == 0);
		cached_release(&out);
	}
	cache_key("openai", "http://127.0.0.1:9/v1", "{}", 5000, key);
	CHECK(cache_get(&b, key, &out) == 0);
	CHECK(cache_get(&b, twin1, &out) == 0);
	CHECK(cache_get(&b, twin2, &out) == 1 && strcmp(out.body, "two") == 0);
	cached_release(&out);
	cache_close(&b);
	free(dir);
}

/* statistics from the same records in another order are the same, to the
 * last bit: a merged run and a single machine's run write them in
 * different orders */
void test_stats_order_free(void)
{
	const char *root = test_tmpdir();
	char *a = xasprintf("%s/a", root), *b = xasprintf("%s/b", root);
	struct store sa, sb;
	CHECK(store_open(&sa, a) == 0 && store_open(&sb, b) == 0);
	enum { NT = 23, NP = 3, K = 3, N = NT * NP * K };
	struct record v[N];
	char ids[NT][16];
	static const char *const provs[NP] = { "p-a", "p-b", "p-c" };
	size_t n = 0;
	for (int t = 0; t < NT; t++) {
		snprintf(ids[t], sizeof(ids[t]), "task%02d", t);
		for (int p = 0; p < NP; p++)
			for (int k = 0; k < K; k++) {
				struct record *r = &v[n++];
				record_init(r);
				record_set_str(&r->task, ids[t]);
				record_set_str(&r->provider, provs[p]);
				r->sample = k;
				r->status = (t * 7 + p * 3 + k) % 5 < 2 + p ? ST_PASSED : ST_FAILED;
				r->cost_usd = 0.1 / (1 + t + p) + 1e-3 * k;
			}
	}
	for (size_t i = 0; i < N; i++)
		CHECK(store_append(&sa, &v[i]) == 0);
	/* the other file: a fixed shuffle */
	for (size_t i = 0; i < N; i++)
		CHECK(store_append(&sb, &v[(i * 101 + 17) % N]) == 0);
	store_close(&sa);
	store_close(&sb);
	struct recset ra, rb;
	recset_init(&ra);
	recset_init(&rb);
	CHECK(recset_load(&ra, a, 0) == 0 && recset_load(&rb, b, 0) == 0);
	struct summary x, y;
	struct summary_opts o = { .level = 0.95, .replicates = 2000, .seed = 11 };
	CHECK(summary_build(&x, &ra, &o) == 0 && summary_build(&y, &rb, &o) == 0);
	CHECK(x.n == NP && y.n == NP && x.npairs == y.npairs);
	for (size_t i = 0; i < x.n && i < y.n; i++) {
		CHECK_STR(x.p[i].name, y.p[i].name);
		CHECK(x.p[i].pass_rate == y.p[i].pass_rate && x.p[i].ci_low == y.p[i].ci_low);
		CHECK(x.p[i].cost_usd == y.p[i].cost_usd && x.p[i].cost_per_solved == y.p[i].cost_per_solved);
		CHECK(x.p[i].p_frontier == y.p[i].p_frontier);
		CHECK(x.p[i].cost_per_solved_boot_low == y.p[i].cost_per_solved_boot_low);
	}
	for (size_t i = 0; i < x.npairs && i < y.npairs; i++)
		CHECK(x.pairs[i].ci_low == y.pairs[i].ci_low && x.pairs[i].p_value == y.pairs[i].p_value);
	summary_release(&x);
	summary_release(&y);
	recset_release(&ra);
	recset_release(&rb);
	for (size_t i = 0; i < N; i++)
		record_release(&v[i]);
	free(a);
	free(b);
}
