/* test_store.c - samples.jsonl: append, read back, torn lines, last wins;
 * the response cache. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "check.h"
#include "fileio.h"
#include "store.h"
#include "tests.h"
#include "xalloc.h"

static void add(struct store *s, const char *task, const char *prov, int sample, enum status st, double cost)
{
	struct record r;
	record_init(&r);
	r.task = (char *)task;
	r.provider = (char *)prov;
	r.sample = sample;
	r.status = st;
	r.cost_usd = cost;
	r.cost_source = isnan(cost) ? NULL : "price_table";
	r.usage.input = 10;
	r.usage.output = 5;
	r.raw_usage = "{\"prompt_tokens\":10}";
	CHECK(store_append(s, &r) == 0);
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
	struct cached in = { (char *)body, strlen(body), 123.5, 2, NAN }, out;
	struct cache a, b, c;
	CHECK(cache_open(&a, dir) == 0);
	CHECK(cache_get(&a, k1, &out) == 0);
	CHECK(cache_put(&a, k1, &in) == 0);
	CHECK(cache_get(&a, k1, &out) == 1);
	CHECK(out.len == in.len && memcmp(out.body, in.body, in.len) == 0);
	CHECK(out.attempts == 2 && out.latency_ms == 123.5 && isnan(out.ttft_ms));
	cached_release(&out);
	/* a second writer on the same directory gets a pack of its own */
	CHECK(cache_open(&b, dir) == 0 && cache_count(&b) == 1);
	in.ttft_ms = 40;
	CHECK(cache_put(&b, k2, &in) == 0);
	CHECK(b.pack && a.pack && strcmp(a.pack, b.pack) != 0);
	/* a run killed while writing leaves a torn line at the end of its pack */
	int fd = open(b.pack, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "{\"key\":\"", 8) == 8);
	close(fd);
	cache_close(&a);
	cache_close(&b);
	CHECK(cache_open(&c, dir) == 0);
	CHECK(cache_count(&c) == 2 && c.npacks == 2);
	CHECK(cache_get(&c, k2, &out) == 1 && out.ttft_ms == 40);
	cached_release(&out);
	CHECK(cache_get(&c, k1, &out) == 1 && out.len == in.len);
	cached_release(&out);
	CHECK(cache_get(&c, k3, &out) == 0);
	cache_close(&c);
	free(dir);
}
