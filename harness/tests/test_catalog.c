/* test_catalog.c - the catalogue of fetchable suites: its entries are
 * well formed, and the ids digest that pins a split read page by page. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/catalog.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static int is_hex64(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

void test_catalog_entries(void)
{
	int n;
	const struct catalog_entry *c = catalog_all(&n);
	CHECK(n >= 8);
	for (int i = 0; i < n; i++) {
		CHECK(catalog_find(c[i].name) == &c[i]); /* names are unique */
		CHECK(strncmp(c[i].url, "https://", 8) == 0);
		CHECK(is_hex64(c[i].sha256));
		CHECK(c[i].file && !strchr(c[i].file, '/'));
		if (c[i].kind == CATALOG_HF_ROWS) {
			CHECK(c[i].rows > 0 && c[i].id_key);
			CHECK(strstr(c[i].url, "://datasets-server.huggingface.co/rows?dataset=") != NULL);
			CHECK(strstr(c[i].url, "&split=") && !strstr(c[i].url, "offset="));
		}
	}
	const struct catalog_entry *lite = catalog_find("swebench-lite");
	CHECK(lite && lite->kind == CATALOG_HF_ROWS && lite->rows == 300);
	CHECK(catalog_find("humaneval-x-python") && !catalog_find("humaneval-x-go"));
	/* a mirror keeps host, path and query */
	setenv("TOKENBENCH_FETCH_MIRROR", "http://127.0.0.1:9/", 1);
	char *u = catalog_url(lite);
	CHECK_STR(u, "http://127.0.0.1:9/datasets-server.huggingface.co/rows?dataset=princeton-nlp/SWE-bench_Lite"
		     "&config=default&split=test");
	unsetenv("TOKENBENCH_FETCH_MIRROR");
	free(u);
}

void test_catalog_ids(void)
{
	/* sorted bytewise ("B" < "a"), each followed by a newline */
	char *ids[] = { xstrdup("b"), xstrdup("a"), xstrdup("B") };
	char got[65], want[65];
	catalog_ids_digest(ids, 3, got);
	sha256_buf_hex("B\na\nb\n", 6, want);
	CHECK_STR(got, want);
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	/* a file's ids: JSON Lines or an array; a record without one is named */
	struct catalog_entry e = { .name = "t", .kind = CATALOG_HF_ROWS, .id_key = "instance_id" };
	char *path = xasprintf("%s/ids.jsonl", test_tmpdir());
	const char *lines = "{\"instance_id\":\"b\"}\n{\"instance_id\":\"B\"}\n\n{\"instance_id\":\"a\"}\n";
	size_t n = 0;
	CHECK(file_write(path, lines, strlen(lines), 0644) == 0);
	CHECK(catalog_file_ids(&e, path, &n, got) == 0 && n == 3);
	CHECK_STR(got, want);
	const char *array = "[{\"instance_id\":\"a\"},{\"instance_id\":\"b\"},{\"instance_id\":\"B\"}]";
	CHECK(file_write(path, array, strlen(array), 0644) == 0);
	CHECK(catalog_file_ids(&e, path, &n, got) == 0 && n == 3);
	CHECK_STR(got, want);
	const char *bad = "{\"instance_id\":\"a\"}\n{\"id\":\"b\"}\n";
	CHECK(file_write(path, bad, strlen(bad), 0644) == 0);
	CHECK(catalog_file_ids(&e, path, &n, got) == -1);
	free(path);
}
