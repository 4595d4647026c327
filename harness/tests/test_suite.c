/* test_suite.c - suite loaders and their error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/suite.h"
#include "tests.h"
#include "util/xalloc.h"

void test_suite_native(void)
{
	struct suite s;
	suite_init(&s);
	char *path = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(suite_load(&s, path) == 0);
	CHECK(s.n == 4);
	const struct task *t = suite_find(&s, "py/add");
	CHECK(t && t->format == FMT_NATIVE && t->difficulty == 1);
	CHECK_STR(t->cluster, "math");
	CHECK_STR(t->entry_point, "add");
	CHECK(t->timeout_s == 0); /* unset: calibrate.c derives the limit */
	const struct task *c = suite_find(&s, "c/sq");
	CHECK(c && c->language && strcmp(c->language, "c") == 0);
	CHECK(s.nfiles == 1 && strlen(s.hashes[0]) == 64);
	/* origins name the file and line; the blank line 3 is skipped but counted */
	const struct task *m = suite_find(&s, "Mbpp/7");
	CHECK(m && strstr(m->origin, ":4") != NULL);
	free(path);
	suite_release(&s);
}

void test_suite_humaneval(void)
{
	struct suite s;
	suite_init(&s);
	char *path = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(suite_load(&s, path) == 0);
	const struct task *t = suite_find(&s, "HumanEval/0");
	CHECK(t && t->format == FMT_HUMANEVAL);
	CHECK_STR(t->language, "python");
	CHECK_STR(t->reference, "    return x + 1\n");
	free(path);
	suite_release(&s);
}

void test_suite_mbpp(void)
{
	struct suite s;
	suite_init(&s);
	char *path = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(suite_load(&s, path) == 0);
	const struct task *t = suite_find(&s, "Mbpp/7");
	CHECK(t && t->format == FMT_MBPP);
	CHECK_STR(t->entry_point, "double");
	CHECK(t && strstr(t->prompt, "assert double(2) == 4") != NULL);
	CHECK(t && strstr(t->tests, "assert double(0) == 0") != NULL);
	free(path);
	suite_release(&s);
}

void test_suite_bad_lines(void)
{
	static const char *const files[] = { "suite_bad_json.jsonl", "suite_bad_lang.jsonl", "suite_dup.jsonl",
					     "no_such_file.jsonl" };
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		struct suite s;
		suite_init(&s);
		char *path = xasprintf("%s/%s", test_data_dir(), files[i]);
		CHECK(suite_load(&s, path) == -1);
		free(path);
		suite_release(&s);
	}
}

/* a selection in place: the kept tasks in their order, the index follows,
 * the dropped ones are gone (and freed: ASan would see a leak) */
void test_suite_keep(void)
{
	struct suite s;
	suite_init(&s);
	char *path = xasprintf("%s/suite_mixed.jsonl", test_data_dir());
	CHECK(suite_load(&s, path) == 0 && s.n == 4);
	const char *second = s.tasks[1].id, *fourth = s.tasks[3].id;
	char *keep_a = xstrdup(second), *keep_b = xstrdup(fourth), *gone = xstrdup(s.tasks[0].id);
	const unsigned char keep[4] = { 0, 1, 0, 1 };
	long where[4];
	suite_keep(&s, keep, where);
	CHECK(s.n == 2);
	CHECK(where[0] == -1 && where[1] == 0 && where[2] == -1 && where[3] == 1);
	CHECK_STR(s.tasks[0].id, keep_a);
	CHECK_STR(s.tasks[1].id, keep_b);
	CHECK(suite_find(&s, keep_b) == &s.tasks[1]);
	CHECK(suite_find(&s, gone) == NULL);
	/* nothing kept */
	const unsigned char none[2] = { 0, 0 };
	suite_keep(&s, none, NULL);
	CHECK(s.n == 0 && suite_find(&s, keep_a) == NULL);
	free(keep_a);
	free(keep_b);
	free(gone);
	free(path);
	suite_release(&s);
}
