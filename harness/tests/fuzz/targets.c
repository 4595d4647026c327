/* targets.c - the fuzz targets (see fuzz.h): the suite line parser, the
 * predictions reader and the provider file (through a file, as a user
 * gives them), the OpenAI and Anthropic body and SSE parsers, the edit
 * parsers (diff, whole, search/replace) and every log parser of
 * logparse.c's table. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "core/predictions.h"
#include "core/provider.h"
#include "core/suite.h"
#include "engine/proto.h"
#include "score/edit.h"
#include "score/logparse.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

static char *tmp_dir;

void fuzz_init(void)
{
	if (tmp_dir)
		return;
	msg_set_quiet(1);
	tmp_dir = dir_make_temp();
	if (!tmp_dir)
		abort();
}

/* the input as a file of that name in the private directory; malloced path */
static char *as_file(const uint8_t *data, size_t n, const char *name)
{
	fuzz_init();
	char *path = xasprintf("%s/%s", tmp_dir, name);
	if (file_write(path, data, n, 0600) < 0)
		abort();
	return path;
}

/* the input as a string, as the program holds bodies and answers */
static char *as_str(const uint8_t *data, size_t n)
{
	char *s = xmalloc(n + 1);
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

int fuzz_suite(const uint8_t *data, size_t n)
{
	char *path = as_file(data, n, "suite.jsonl");
	struct suite s;
	suite_init(&s);
	(void)suite_load(&s, path);
	suite_release(&s);
	free(path);
	return 0;
}

int fuzz_predictions(const uint8_t *data, size_t n)
{
	char *path = as_file(data, n, "predictions.jsonl");
	struct predictions p;
	predictions_init(&p);
	(void)predictions_load(&p, path, NULL);
	predictions_release(&p);
	free(path);
	return 0;
}

int fuzz_provider(const uint8_t *data, size_t n)
{
	char *path = as_file(data, n, "providers.json");
	struct provider_set ps;
	provider_set_init(&ps);
	if (provider_set_load(&ps, path) == 0)
		for (size_t i = 0; i < ps.n; i++)
			(void)provider_max_tokens(&ps.v[i]);
	provider_set_release(&ps);
	free(path);
	return 0;
}

static void fuzz_proto(const struct proto *pr, const uint8_t *data, size_t n)
{
	char *body = as_str(data, n);
	struct response r;
	char *err = NULL;
	(void)pr->parse(body, n, &r, &err);
	free(err);
	response_release(&r);
	size_t pos = 0;
	while (pos < n && pr->first_token(body, n, &pos))
		;
	free(pr->error_message(body, n));
	free(body);
}

int fuzz_openai(const uint8_t *data, size_t n)
{
	fuzz_proto(&proto_openai, data, n);
	return 0;
}

int fuzz_anthropic(const uint8_t *data, size_t n)
{
	fuzz_proto(&proto_anthropic, data, n);
	return 0;
}

/* every file of the base tree holds the same few lines */
static int base_of(void *arg, const char *path, struct buf *out)
{
	(void)arg;
	if (strcmp(path, "missing.py") == 0)
		return -1;
	buf_puts(out, "import os\n\ndef f(x):\n    return x + 1\n\nprint(f(1))\n");
	return 0;
}

int fuzz_edit(const uint8_t *data, size_t n)
{
	char *answer = as_str(data, n);
	struct edit e;
	char *why = NULL;
	memset(&e, 0, sizeof(e));
	(void)edit_parse(answer, base_of, NULL, NULL, &e, &why);
	edit_release(&e);
	free(why);
	struct udiff_file *files = NULL;
	size_t nf = 0;
	if (udiff_files(answer, &files, &nf) == 0) {
		for (size_t i = 0; i < nf; i++) {
			struct buf orig = BUF_INIT, out = BUF_INIT;
			/* a file the diff does not name (NULL) is refused by every caller */
			if (files[i].path)
				(void)base_of(NULL, files[i].path, &orig);
			(void)udiff_apply(buf_str(&orig), files[i].hunks, files[i].len, &out);
			buf_release(&orig);
			buf_release(&out);
			free(files[i].path);
		}
		free(files);
	}
	free(answer);
	return 0;
}

/* the first byte picks the parser, the rest is its log */
int fuzz_logparse(const uint8_t *data, size_t n)
{
	if (!n)
		return 0;
	size_t count = 0;
	while (logparse_name(count))
		count++;
	char *log = as_str(data + 1, n - 1);
	struct test_results r;
	test_results_init(&r);
	(void)logparse(logparse_name(data[0] % count), log, &r);
	(void)test_passes(&r, "test_a");
	test_results_release(&r);
	free(log);
	return 0;
}
