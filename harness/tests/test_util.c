/* test_util.c - sha256, strmap, buf, rng, xalloc. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "tests.h"
#include "util/buf.h"
#include "util/rng.h"
#include "util/sha256.h"
#include "util/strmap.h"
#include "util/xalloc.h"

void test_sha256_vectors(void)
{
	/* FIPS 180-4 examples */
	static const struct {
		const char *in, *hex;
	} cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char hex[65];
		sha256_buf_hex(cases[i].in, strlen(cases[i].in), hex);
		CHECK_STR(hex, cases[i].hex);
	}
	/* a million 'a's, fed in uneven pieces */
	struct sha256 s;
	char chunk[997], hex[65];
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&s);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		sha256_update(&s, chunk, n);
		left -= n;
	}
	sha256_hex(&s, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

void test_strmap_grows(void)
{
	struct strmap m;
	strmap_init(&m);
	for (long i = 0; i < 5000; i++) {
		char *k = xasprintf("key-%ld", i);
		strmap_put(&m, k, i * 3);
		free(k);
	}
	long v = -1;
	CHECK(m.n == 5000);
	CHECK(strmap_get(&m, "key-4321", &v) && v == 4321 * 3);
	CHECK(!strmap_get(&m, "key-5000", &v));
	strmap_put(&m, "key-7", -1);
	CHECK(strmap_get(&m, "key-7", &v) && v == -1 && m.n == 5000);
	strmap_release(&m);
}

void test_buf_printf(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == 3890);
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	char *s = buf_detach(&b);
	CHECK(b.data == NULL && b.len == 0);
	free(s);
}

void test_rng_repeats(void)
{
	struct rng a, b;
	rng_seed_str(&a, 7, "model", "task", 1);
	rng_seed_str(&b, 7, "model", "task", 1);
	for (int i = 0; i < 100; i++)
		CHECK(rng_next(&a) == rng_next(&b));
	rng_seed_str(&b, 7, "model", "task", 2);
	CHECK(rng_next(&a) != rng_next(&b));
	double sum = 0;
	for (int i = 0; i < 100000; i++)
		sum += rng_uniform(&a);
	CHECK_NEAR(sum / 100000, 0.5, 0.01);
}

/* death tests: each asks for a size that does not fit in size_t */
static void ask_xcalloc(void *arg)
{
	(void)arg;
	free(xcalloc(SIZE_MAX / 4 + 1, 8));
}

static void ask_xmallocarray(void *arg)
{
	(void)arg;
	free(xmallocarray(SIZE_MAX / 3, 4));
}

static void ask_xreallocarray(void *arg)
{
	(void)arg;
	free(xreallocarray(NULL, 3, SIZE_MAX / 2));
}

static void ask_xgrow(void *arg)
{
	(void)arg;
	uint64_t *v = NULL;
	size_t cap = 0;
	XGROW(v, cap, SIZE_MAX / 4); /* doubles to 2^62 elements of 8 bytes */
	free(v);
}

static void ask_st_add(void *arg)
{
	(void)arg;
	free(xmalloc(st_add(SIZE_MAX, 1)));
}

void test_xalloc_overflow(void)
{
	static const struct {
		const char *name;
		void (*fn)(void *);
	} cases[] = {
		{ "xcalloc", ask_xcalloc },
		{ "xmallocarray", ask_xmallocarray },
		{ "xreallocarray", ask_xreallocarray },
		{ "XGROW", ask_xgrow },
		{ "st_add", ask_st_add },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf err = BUF_INIT;
		int rc = test_child(cases[i].fn, NULL, &err);
		if (rc != 3 || !strstr(buf_str(&err), "tokenbench: size overflow"))
			fprintf(stderr, "  %s: exit %d, stderr '%s'\n", cases[i].name, rc, buf_str(&err));
		CHECK(rc == 3);
		CHECK(strstr(buf_str(&err), "tokenbench: size overflow") != NULL);
		buf_release(&err);
	}
	/* what fits still works, and the checked helpers multiply right */
	CHECK(st_mult(SIZE_MAX / 2, 2) == SIZE_MAX - 1);
	CHECK(st_add(SIZE_MAX - 1, 1) == SIZE_MAX);
	int *v = NULL;
	size_t cap = 0;
	for (int n = 0; n < 1000; n++) {
		XGROW(v, cap, (size_t)n + 1);
		v[n] = n;
	}
	CHECK(cap == 1024 && v[999] == 999);
	free(v);
	long *z = xcalloc(10, sizeof(long));
	CHECK(z[9] == 0);
	free(z);
}
