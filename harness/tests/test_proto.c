/* test_proto.c - response parsing against bodies in the documented shapes,
 * pricing, and provider files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/provider.h"
#include "engine/proto.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

static int parse_with(const struct proto *pr, const char *name, struct response *r)
{
	char *path = xasprintf("%s/%s/%s", test_data_dir(), pr->name, name);
	struct buf b = BUF_INIT;
	int rc = file_read(path, &b);
	char *err = NULL;
	if (rc == 0)
		rc = pr->parse(buf_str(&b), b.len, r, &err);
	CHECK(rc == 0 || err != NULL);
	free(err);
	free(path);
	buf_release(&b);
	return rc;
}

static int parse_fixture(const char *name, struct response *r)
{
	return parse_with(&proto_openai, name, r);
}

void test_proto_openai_usage(void)
{
	struct response r;
	CHECK(parse_fixture("chat_cached_reasoning.json", &r) == 0);
	/* prompt_tokens includes cached_tokens; completion_tokens includes reasoning_tokens */
	CHECK(r.usage.input == 1117 - 1024);
	CHECK(r.usage.cached_input == 1024);
	CHECK(r.usage.cache_write == 0);
	CHECK(r.usage.output == 846);
	CHECK(r.usage.reasoning == 800);
	CHECK(isnan(r.cost_usd));
	CHECK_STR(r.finish_reason, "stop");
	CHECK(r.text && strstr(r.text, "def add") != NULL);
	CHECK(r.raw_usage && strstr(r.raw_usage, "\"cached_tokens\":1024") != NULL);
	response_release(&r);
}

void test_proto_openai_openrouter_cost(void)
{
	struct response r;
	CHECK(parse_fixture("openrouter_cost.json", &r) == 0);
	CHECK(r.usage.cache_write == 100);
	CHECK(r.usage.input == 94);
	CHECK_NEAR(r.cost_usd, 0.95, 1e-12);
	response_release(&r);
}

void test_proto_openai_deepseek(void)
{
	struct response r;
	CHECK(parse_fixture("deepseek_cache.json", &r) == 0);
	CHECK(r.usage.cached_input == 12 && r.usage.input == 4 && r.usage.output == 10);
	response_release(&r);
}

void test_proto_openai_errors(void)
{
	struct response r;
	char *err = NULL;
	CHECK(proto_openai.parse("not json", 8, &r, &err) == -1 && err);
	free(err);
	err = NULL;
	CHECK(proto_openai.parse("{\"choices\": []}", 15, &r, &err) == -1 && err);
	free(err);
	/* no usage block: parsed, flagged */
	const char *nousage = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"x\"}}]}";
	CHECK(proto_openai.parse(nousage, strlen(nousage), &r, &err) == 0 && r.usage_missing);
	response_release(&r);
	char *path = xasprintf("%s/openai/error_429.json", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	char *m = proto_openai.error_message(buf_str(&b), b.len);
	CHECK(m && strncmp(m, "Rate limit reached", 18) == 0);
	free(m);
	free(path);
	buf_release(&b);
}

void test_price_cost(void)
{
	struct price p = { .input = 3, .output = 15, .cached_input = 0.3, .cache_write = 3.75 };
	struct usage u = { .input = 1000, .cached_input = 2000, .cache_write = 4000, .output = 500, .reasoning = 200 };
	/* reasoning is part of output and is not billed twice */
	CHECK_NEAR(price_cost(&p, &u), (1000 * 3 + 2000 * 0.3 + 4000 * 3.75 + 500 * 15) / 1e6, 1e-15);
	/* the worst case: a prompt marked for the cache at the cache-write price when that is higher */
	CHECK_NEAR(price_worst(&p, 1000, 100, 0), (1000 * 3 + 100 * 15) / 1e6, 1e-15);
	CHECK_NEAR(price_worst(&p, 1000, 100, 1), (1000 * 3.75 + 100 * 15) / 1e6, 1e-15);
	p.cache_write = 2;
	CHECK_NEAR(price_worst(&p, 1000, 100, 1), (1000 * 3 + 100 * 15) / 1e6, 1e-15);
	/* where a cost comes from */
	double cost;
	CHECK_STR(price_answer(&p, &u, 0.25, 0, &cost), "provider");
	CHECK(cost == 0.25);
	CHECK_STR(price_answer(&p, &u, NAN, 0, &cost), "price_table");
	CHECK_NEAR(cost, price_cost(&p, &u), 1e-15);
	CHECK_STR(price_answer(&p, &u, NAN, 1, &cost), "estimate");
	/* nothing read from or written to the cache saves nothing to speak of */
	struct usage plain = { .input = 10, .output = 5 };
	CHECK(isnan(price_cache_saving(&p, &plain)));
	CHECK_NEAR(price_cache_saving(&p, &u), (2000 * (3 - 0.3) + 4000 * (3 - 2)) / 1e6, 1e-15);
}

void test_provider_file(void)
{
	const char *dir = test_tmpdir();
	char *path = xasprintf("%s/p.json", dir);
	const char *text =
		"{\"providers\": [{\"name\": \"a\", \"protocol\": \"openai\", \"base_url\": "
		"\"http://127.0.0.1:${TB_TEST_PORT:-9}/v1/\", \"model\": \"m\", \"api_key_env\": \"K\", "
		"\"price\": {\"input\": 1, \"output\": 2, \"as_of\": \"2026-01-01\", \"source\": \"x\"}, "
		"\"params\": {\"max_tokens\": 123}}]}";
	CHECK(file_write(path, text, strlen(text), 0644) == 0);
	struct provider_set ps;
	provider_set_init(&ps);
	CHECK(provider_set_load(&ps, path) == 0);
	CHECK(ps.n == 1);
	CHECK_STR(ps.v[0].base_url, "http://127.0.0.1:9/v1");
	CHECK(ps.v[0].price.cached_input == 1 && ps.v[0].max_concurrency == 8);
	CHECK(provider_max_tokens(&ps.v[0]) == 123);
	CHECK(ps.v[0].wire == PROTOCOL_OPENAI && proto_of(&ps.v[0]) == &proto_openai);
	provider_set_release(&ps);
	free(path);
}

void test_provider_bad_file(void)
{
	static const char *const bad[] = {
		"[]",
		"{\"providers\": [{\"name\": \"a\"}]}",
		"[{\"name\": \"a\", \"protocol\": \"smtp\", \"base_url\": \"http://x\", \"model\": \"m\", "
		"\"api_key_env\": \"K\", \"price\": {\"input\": 1, \"output\": 2, \"as_of\": \"d\", \"source\": \"s\"}}]",
		"[{\"name\": \"a\", \"protocol\": \"openai\", \"base_url\": \"http://x\", \"model\": \"m\", "
		"\"api_key_env\": \"K\", \"price\": {\"input\": 1, \"output\": 2}}]",
		"[{\"name\": \"a\", \"protocol\": \"openai\", \"base_url\": \"http://x\", \"model\": \"m\", "
		"\"api_key_env\": \"K\", \"price\": {\"input\": -1, \"output\": 2, \"as_of\": \"d\", \"source\": \"s\"}}]",
		"{not json",
	};
	char *path = xasprintf("%s/bad.json", test_tmpdir());
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct provider_set ps;
		provider_set_init(&ps);
		CHECK(file_write(path, bad[i], strlen(bad[i]), 0644) == 0);
		CHECK(provider_set_load(&ps, path) == -1);
		provider_set_release(&ps);
	}
	free(path);
}

void test_proto_openai_stream(void)
{
	struct response r;
	CHECK(parse_fixture("stream.sse", &r) == 0);
	CHECK(r.streamed);
	CHECK_STR(r.text, "Hello world");
	CHECK_STR(r.finish_reason, "stop");
	CHECK(r.usage.input == 9 && r.usage.output == 12 && !r.usage_missing);
	response_release(&r);
	/* cut before finish_reason and [DONE]: a truncated stream, told apart */
	CHECK(parse_fixture("stream_truncated.sse", &r) == -2);
	response_release(&r);
	/* the first token is found as the bytes arrive, not before */
	char *path = xasprintf("%s/openai/stream.sse", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	size_t pos = 0;
	const char *second = strstr(b.data, "\n\ndata:") + 2;
	CHECK(proto_openai.first_token(b.data, (size_t)(second - b.data), &pos) == 0); /* role, empty content */
	CHECK(proto_openai.first_token(b.data, b.len, &pos) == 1);
	free(path);
	buf_release(&b);
	/* OpenRouter with the user's own key: its fee plus what the upstream charged */
	CHECK(parse_fixture("openrouter_byok.json", &r) == 0);
	CHECK_NEAR(r.cost_usd, 0.00055 + 0.011, 1e-15);
	CHECK(r.usage.reasoning == 120 && r.usage.output == 200);
	response_release(&r);
}

void test_proto_anthropic(void)
{
	struct response r;
	CHECK(parse_with(&proto_anthropic, "message_cache.json", &r) == 0);
	/* input_tokens excludes cache reads and writes: each maps straight across */
	CHECK(r.usage.input == 21 && r.usage.cached_input == 1024 && r.usage.cache_write == 188086);
	CHECK(r.usage.output == 393);
	CHECK(r.text && strncmp(r.text, "```python", 9) == 0); /* thinking blocks are not the answer */
	CHECK_STR(r.finish_reason, "end_turn");
	response_release(&r);
	CHECK(parse_with(&proto_anthropic, "stream.sse", &r) == 0);
	CHECK_STR(r.text, "Hello!");
	/* message_start's output count is provisional; message_delta's is the total */
	CHECK(r.usage.input == 25 && r.usage.cached_input == 100 && r.usage.output == 15);
	response_release(&r);
	CHECK(parse_with(&proto_anthropic, "stream_truncated.sse", &r) == -2);
	response_release(&r);
	struct price p = { .input = 3, .output = 15, .cached_input = 0.3, .cache_write = 3.75 };
	struct usage u = { .input = 21, .cached_input = 1024, .cache_write = 188086, .output = 393 };
	CHECK_NEAR(price_cost(&p, &u), (21 * 3 + 1024 * 0.3 + 188086 * 3.75 + 393 * 15) / 1e6, 1e-12);
	const char *eb = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
	char *m = proto_anthropic.error_message(eb, strlen(eb));
	CHECK_STR(m, "Overloaded");
	free(m);
	/* the request: system on top, max_tokens always, the seed in metadata */
	struct provider pv = { 0 };
	pv.model = "claude-x";
	pv.params = cJSON_Parse("{\"temperature\": 0.2, \"seed\": 5}");
	struct message msgs[] = { { "system", "be brief" }, { "user", "hi" } };
	struct request rq = { msgs, 2, 42, 0 };
	struct buf body = BUF_INIT;
	proto_anthropic.build_body(&pv, &rq, &body);
	cJSON *o = cJSON_Parse(buf_str(&body));
	CHECK_STR(cJSON_GetObjectItem(o, "system")->valuestring, "be brief");
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(o, "messages")) == 1);
	CHECK(cJSON_GetObjectItem(o, "max_tokens")->valueint == 4096);
	CHECK(cJSON_GetObjectItem(o, "seed") == NULL);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "metadata"), "user_id")->valuestring, "tokenbench-sample-42");
	cJSON_Delete(o);
	cJSON_Delete(pv.params);
	buf_release(&body);
}

/* with cache_prefix: breakpoints on the system prompt and the last block of
 * the latest user message, and nowhere else; the other messages as they
 * were, so the prefix stays the same from one turn to the next */
void test_proto_anthropic_cache_control(void)
{
	struct provider pv = { 0 };
	pv.model = "claude-x";
	struct message msgs[] = { { "system", "you are an agent" }, { "user", "the issue" },
				  { "assistant", "```bash\nls\n```" }, { "user", "exit code 0\n\nREADME" } };
	for (int cached = 0; cached < 2; cached++) {
		struct request rq = { msgs, 4, 1, cached };
		struct buf body = BUF_INIT;
		proto_anthropic.build_body(&pv, &rq, &body);
		cJSON *o = cJSON_Parse(buf_str(&body));
		const cJSON *sys = cJSON_GetObjectItem(o, "system"), *m = cJSON_GetObjectItem(o, "messages");
		CHECK(cJSON_GetArraySize(m) == 3);
		const cJSON *first = cJSON_GetObjectItem(cJSON_GetArrayItem(m, 0), "content");
		const cJSON *answer = cJSON_GetObjectItem(cJSON_GetArrayItem(m, 1), "content");
		const cJSON *last = cJSON_GetObjectItem(cJSON_GetArrayItem(m, 2), "content");
		CHECK(cJSON_IsString(first) && strcmp(first->valuestring, "the issue") == 0);
		CHECK(cJSON_IsString(answer));
		if (!cached) {
			CHECK(cJSON_IsString(sys) && cJSON_IsString(last));
			CHECK(strstr(buf_str(&body), "cache_control") == NULL);
		} else {
			const cJSON *sb = cJSON_GetArrayItem(sys, 0), *lb = cJSON_GetArrayItem(last, 0);
			CHECK(cJSON_GetArraySize(sys) == 1 && cJSON_GetArraySize(last) == 1);
			CHECK_STR(cJSON_GetObjectItem(sb, "text")->valuestring, "you are an agent");
			CHECK_STR(cJSON_GetObjectItem(lb, "text")->valuestring, "exit code 0\n\nREADME");
			CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(sb, "cache_control"), "type")->valuestring, "ephemeral");
			CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(lb, "cache_control"), "type")->valuestring, "ephemeral");
			/* two breakpoints of the four allowed */
			int n = 0;
			for (const char *p = strstr(buf_str(&body), "cache_control"); p; p = strstr(p + 1, "cache_control"))
				n++;
			CHECK(n == 2);
		}
		cJSON_Delete(o);
		buf_release(&body);
	}
}

/* the dialects of OpenAI's format, each in its provider's documented
 * shape: OpenRouter's SSE comments and usage in the last chunk, Moonshot's
 * usage in the last choice with usage.cached_tokens, MiniMax's <think>
 * before the answer */
void test_proto_openai_dialects(void)
{
	struct response r;
	CHECK(parse_fixture("openrouter_stream.sse", &r) == 0);
	CHECK_STR(r.text, "Hello world");
	CHECK_STR(r.finish_reason, "stop");
	CHECK(!r.usage_missing && r.usage.cache_write == 100 && r.usage.input == 94 && r.usage.output == 2);
	CHECK_NEAR(r.cost_usd, 0.95, 1e-12);
	response_release(&r);
	CHECK(parse_fixture("moonshot_stream.sse", &r) == 0);
	CHECK_STR(r.text, "1 + 1 = 2");
	CHECK(!r.usage_missing && r.usage.cached_input == 16 && r.usage.input == 3 && r.usage.output == 13);
	response_release(&r);
	CHECK(parse_fixture("minimax_think.json", &r) == 0);
	CHECK(r.text && strncmp(r.text, "```python\ndef add(a, b):\n    return a + b", 41) == 0);
	CHECK(strstr(r.text, "a - b") == NULL);
	CHECK(r.usage.input == 40 && r.usage.output == 80);
	response_release(&r);
	/* a comment-only block is no event: the first token is still found */
	char *path = xasprintf("%s/openai/openrouter_stream.sse", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	size_t pos = 0;
	CHECK(proto_openai.first_token(b.data, b.len, &pos) == 1);
	free(path);
	buf_release(&b);
}

/* an error event in a 200 stream is the provider's error (-3), not a bad
 * body (-1) nor a cut stream (-2) */
void test_proto_stream_errors(void)
{
	struct response r;
	char *err = NULL;
	char *path = xasprintf("%s/openai/openrouter_stream_error.sse", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	CHECK(proto_openai.parse(buf_str(&b), b.len, &r, &err) == -3);
	CHECK(err && strstr(err, "Provider disconnected unexpectedly") != NULL);
	free(err);
	err = NULL;
	response_release(&r);
	buf_release(&b);
	free(path);
	path = xasprintf("%s/anthropic/stream_error.sse", test_data_dir());
	CHECK(file_read(path, &b) == 0);
	CHECK(proto_anthropic.parse(buf_str(&b), b.len, &r, &err) == -3);
	CHECK(err && strstr(err, "Overloaded") != NULL);
	free(err);
	response_release(&r);
	buf_release(&b);
	free(path);
}

/* thinking tokens: part of output_tokens, and counted apart in
 * output_tokens_details; the thinking block is not the answer */
void test_proto_anthropic_thinking(void)
{
	struct response r;
	CHECK(parse_with(&proto_anthropic, "message_thinking.json", &r) == 0);
	CHECK(r.usage.output == 412 && r.usage.reasoning == 389 && r.usage.input == 61);
	CHECK(r.text && strncmp(r.text, "```python", 9) == 0 && strstr(r.text, "tests call") == NULL);
	CHECK(r.raw_usage && strstr(r.raw_usage, "\"thinking_tokens\":389") != NULL);
	response_release(&r);
}
