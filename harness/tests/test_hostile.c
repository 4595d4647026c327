/* test_hostile.c - what a hostile provider or a clumsy file cannot do:
 * impossible token counts and costs are refused at the one validator of
 * their source, a provider file's numbers are checked with the field
 * named, and a key echoed whole or in part is scrubbed. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/predictions.h"
#include "core/price.h"
#include "core/provider.h"
#include "core/suite.h"
#include "engine/proto.h"
#include "stats/fmt.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/secret.h"
#include "util/xalloc.h"

void test_secret_scrub(void)
{
	const char *key = "sk-live-0123456789abcdefghijKLMNOP";
	/* whole, cut at its end, its middle alone; the rest untouched */
	char *s = xstrdup("a sk-live-0123456789abcdefghijKLMNOP b sk-live-0123456789abcdefghi c 89abcdefghijK d "
			  "sk-live- e");
	CHECK(secret_scrub_str(&s, key) == 3);
	CHECK_STR(s, "a [redacted] b [redacted] c [redacted] d sk-live- e");
	free(s);
	/* a short key is scrubbed whole; a quote breaks a run (JSON stays JSON) */
	char *t = xstrdup("x abcdef y abc\"def");
	CHECK(secret_scrub_str(&t, "abcdef") == 1);
	CHECK_STR(t, "x [redacted] y abc\"def");
	CHECK(secret_scrub_str(&t, NULL) == 0 && secret_scrub_str(&t, "ab") == 0);
	free(t);
	/* in place (msg_redact): the mark cut to a short key, never longer than s */
	char u[] = "k=abcd; part=sk-live-0123456789ab; end";
	CHECK(secret_scrub_in_place(u, "abcd") == 1 && strcmp(u, "k=[red; part=sk-live-0123456789ab; end") == 0);
	CHECK(secret_scrub_in_place(u, key) == 1 && strcmp(u, "k=[red; part=[redacted]; end") == 0);
	struct buf b = BUF_INIT;
	CHECK(secret_scrub(&b, key) == 0);
	buf_puts(&b, key);
	CHECK(secret_scrub(&b, key) == 1 && strcmp(buf_str(&b), SECRET_MARK) == 0);
	buf_release(&b);
}

void test_hostile_usage(void)
{
	static const char *const openai_bad[] = {
		"{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":1e308,\"completion_tokens\":5}}",
		"{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":1e19,\"completion_tokens\":5}}",
		"{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":5}}",
		"{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":\"7\",\"completion_tokens\":5}}",
		"{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2.5}}",
	};
	for (size_t i = 0; i < sizeof(openai_bad) / sizeof(*openai_bad); i++) {
		struct response r;
		char *err = NULL;
		CHECK(proto_openai.parse(openai_bad[i], strlen(openai_bad[i]), &r, &err) == 0);
		CHECK(r.usage_missing && r.rejected && strstr(r.rejected, "usage "));
		CHECK(r.usage.input == 0 && r.usage.output == 0);
		response_release(&r);
	}
	static const char *const anthropic_bad[] = {
		"{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":1e308,\"output_tokens\":3}}",
		"{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":4,\"output_tokens\":1e19}}",
		"{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":4,\"output_tokens\":\"x\"}}",
		"{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":-4,\"output_tokens\":3}}",
	};
	for (size_t i = 0; i < sizeof(anthropic_bad) / sizeof(*anthropic_bad); i++) {
		struct response r;
		char *err = NULL;
		CHECK(proto_anthropic.parse(anthropic_bad[i], strlen(anthropic_bad[i]), &r, &err) == 0);
		CHECK(r.usage_missing && r.rejected != NULL);
		CHECK(r.usage.input == 0 && r.usage.output == 0);
		response_release(&r);
	}
	/* the bound itself is a count */
	const char *ok = "{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":1e9,\"completion_tokens\":0}}";
	struct response r;
	char *err = NULL;
	CHECK(proto_openai.parse(ok, strlen(ok), &r, &err) == 0);
	CHECK(!r.usage_missing && !r.rejected && r.usage.input == 1000000000L);
	response_release(&r);
	CHECK(usage_count_valid(0) && usage_count_valid(TOKENS_MAX) && !usage_count_valid(TOKENS_MAX + 1) &&
	      !usage_count_valid(NAN) && !usage_count_valid(INFINITY) && !usage_count_valid(-1) && !usage_count_valid(0.5));
}

void test_hostile_cost(void)
{
	static const struct {
		const char *usage;
		double cost; /* NAN: rejected */
	} cases[] = {
		{ "\"cost\":0.5", 0.5 },
		{ "\"cost\":1e308", NAN },
		{ "\"cost\":-1", NAN },
		{ "\"cost\":\"0.5\"", NAN },
		{ "\"cost\":0.5,\"is_byok\":true,\"cost_details\":{\"upstream_inference_cost\":0.25}", 0.75 },
		{ "\"cost\":0.5,\"is_byok\":true,\"cost_details\":{\"upstream_inference_cost\":-1000}", NAN },
		{ "\"cost\":0.5,\"is_byok\":true,\"cost_details\":{\"upstream_inference_cost\":1e308}", NAN },
		{ "\"cost\":9000,\"is_byok\":true,\"cost_details\":{\"upstream_inference_cost\":9000}", NAN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *body = xasprintf("{\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
				       "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,%s}}",
				       cases[i].usage);
		struct response r;
		char *err = NULL;
		CHECK(proto_openai.parse(body, strlen(body), &r, &err) == 0);
		CHECK(!r.usage_missing && r.usage.input == 10);
		if (isnan(cases[i].cost))
			CHECK(isnan(r.cost_usd) && r.rejected && strstr(r.rejected, "cost"));
		else
			CHECK(r.cost_usd == cases[i].cost && !r.rejected);
		/* what the record gets: never negative, never infinite */
		struct price p = { .input = 1, .output = 2, .cached_input = 1, .cache_write = 1 };
		double cost;
		const char *src = price_answer(&p, &r.usage, r.cost_usd, 0, &cost);
		CHECK(isfinite(cost) && cost >= 0);
		CHECK_STR(src, isnan(cases[i].cost) ? "price_table" : "provider");
		response_release(&r);
		free(body);
	}
	CHECK(!price_cost_valid(-0.01) && !price_cost_valid(INFINITY) && !price_cost_valid(NAN) &&
	      !price_cost_valid(COST_MAX_USD * 2) && price_cost_valid(0));
}

/* provider_set_load's result, and what it reported on stderr (malloced) */
static int load_reporting(struct provider_set *ps, const char *path, char **msg)
{
	char *log = xasprintf("%s/stderr.txt", test_tmpdir());
	fflush(stderr);
	int saved = dup(2);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	int rc = provider_set_load(ps, path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	struct buf b = BUF_INIT;
	(void)file_read(log, &b);
	*msg = buf_detach(&b);
	free(log);
	return rc;
}

void test_provider_numbers(void)
{
	static const struct {
		const char *extra, *field;
	} bad[] = {
		{ "\"params\":{\"max_tokens\":1e19}", "'max_tokens'" },
		{ "\"params\":{\"max_completion_tokens\":-3}", "'max_completion_tokens'" },
		{ "\"params\":{\"max_tokens\":\"4096\"}", "'max_tokens'" },
		{ "\"timeout_s\":-1", "'timeout_s'" },
		{ "\"rpm\":-5", "'rpm'" },
		{ "\"tpm\":\"x\"", "'tpm'" },
		{ "\"max_concurrency\":1.5", "'max_concurrency'" },
		{ "\"max_response_bytes\":10", "'max_response_bytes'" },
		{ "\"price\":{\"input\":1e308,\"output\":2,\"as_of\":\"d\",\"source\":\"s\"}", "price.input" },
	};
	char *path = xasprintf("%s/numbers.json", test_tmpdir());
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *text = xasprintf("[{\"name\":\"a\",\"protocol\":\"openai\",\"base_url\":\"http://127.0.0.1:9\","
				       "\"model\":\"m\",\"api_key_env\":\"K\",%s%s}]",
				       strncmp(bad[i].extra, "\"price\"", 7) == 0
					       ? ""
					       : "\"price\":{\"input\":1,\"output\":2,\"as_of\":\"d\",\"source\":\"s\"},",
				       bad[i].extra);
		CHECK(file_write(path, text, strlen(text), 0644) == 0);
		struct provider_set ps;
		provider_set_init(&ps);
		char *msg = NULL;
		CHECK(load_reporting(&ps, path, &msg) == -1);
		CHECK(msg && strstr(msg, path) && strstr(msg, bad[i].field));
		free(msg);
		provider_set_release(&ps);
		free(text);
	}
	free(path);
}

/* suite_load's result on a one-line suite */
static int load_suite_line(const char *line)
{
	char *path = xasprintf("%s/hostile.jsonl", test_tmpdir());
	CHECK(file_write(path, line, strlen(line), 0644) == 0);
	struct suite s;
	suite_init(&s);
	int rc = suite_load(&s, path);
	suite_release(&s);
	free(path);
	return rc;
}

void test_hostile_files(void)
{
#define NATIVE "{\"id\":\"t\",\"kind\":\"exact\",\"prompt\":\"p\",\"reference\":\"r\""
	CHECK(load_suite_line(NATIVE "}\n") == 0);
	CHECK(load_suite_line(NATIVE ",\"timeout_s\":60,\"difficulty\":3}\n") == 0);
	static const char *const bad[] = {
		NATIVE "}{\"id\":\"u\",\"kind\":\"exact\",\"prompt\":\"p\",\"reference\":\"r\"}\n",
		NATIVE "} x\n",
		NATIVE ",\"timeout_s\":\"abc\"}\n",
		NATIVE ",\"timeout_s\":-5}\n",
		NATIVE ",\"timeout_s\":1e308}\n",
		NATIVE ",\"difficulty\":1e308}\n",
		NATIVE ",\"difficulty\":2.5}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK(load_suite_line(bad[i]) == -1);
#undef NATIVE
	/* not a regular file, refused before a byte is read */
	struct suite s;
	suite_init(&s);
	CHECK(suite_load(&s, "/dev/zero") == -1);
	suite_release(&s);
	struct buf b = BUF_INIT;
	CHECK(file_read_input("/dev/zero", &b) == -1 && b.len == 0);
	/* above the limit, refused before it is read */
	char *path = xasprintf("%s/big.jsonl", test_tmpdir());
	CHECK(file_write(path, "0123456789", 10, 0644) == 0);
	setenv("TOKENBENCH_MAX_INPUT_BYTES", "5", 1);
	CHECK(file_input_limit() == 5 && file_read_input(path, &b) == -1 && b.len == 0);
	unsetenv("TOKENBENCH_MAX_INPUT_BYTES");
	CHECK(file_read_input(path, &b) == 0 && b.len == 10);
	buf_release(&b);
	free(path);
	/* predictions: a list on line 1 and JSONL after it is an error */
	char *pp = xasprintf("%s/mixed.jsonl", test_tmpdir());
	const char *mixed = "[{\"task_id\":\"a\",\"completion\":\"x\"}]\n{\"task_id\":\"b\",\"completion\":\"y\"}\n";
	CHECK(file_write(pp, mixed, strlen(mixed), 0644) == 0);
	struct predictions p;
	predictions_init(&p);
	CHECK(predictions_load(&p, pp, NULL) == -1);
	predictions_release(&p);
	free(pp);
}

void test_hostile_names(void)
{
	struct buf b = BUF_INIT;
	fmt_cell(&b, "a|b\nc\x1b[31md", 1);
	CHECK_STR(buf_str(&b), "a\\|b c [31md");
	buf_reset(&b);
	fmt_cell(&b, "a|b\tc", 0);
	CHECK_STR(buf_str(&b), "a|b c");
	buf_release(&b);
	CHECK(load_suite_line("{\"id\":\"a\\nb\",\"kind\":\"exact\",\"prompt\":\"p\",\"reference\":\"r\"}\n") == -1);
	CHECK(load_suite_line("{\"id\":\"a|b\",\"kind\":\"exact\",\"prompt\":\"p\",\"reference\":\"r\"}\n") == 0);
	CHECK(str_has_control("x\x7f") && !str_has_control("plain | name") && !str_has_control(NULL));
}
