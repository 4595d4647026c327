/* test_sim_wire.c - the simulator's wire formats, through its request
 * handler: the token counts a response reports follow from the text it
 * shows (thinking and reasoning included), reasoning comes only where the
 * request allows it, and count_tokens agrees with the message. */
#include <stdlib.h>

#include "check.h"
#include "sim/sim_api.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

/* the reply to one request: its status and its JSON body (caller deletes) */
static cJSON *call(struct sim_api *a, const char *path, const char *headers, const char *body, int *status)
{
	char *head = xasprintf("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\n\r\n", path, headers,
			       strlen(body));
	struct sim_request rq = { "POST", path, head, body, strlen(head), strlen(body) };
	struct sim_reply r = { 0 };
	sim_api_handle(a, &rq, &r);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < r.n; i++)
		buf_append(&all, r.seg[i].data, r.seg[i].len);
	*status = (int)strtol(buf_str(&all) + 9, NULL, 10);
	const char *json = strstr(buf_str(&all), "\r\n\r\n");
	cJSON *o = json ? json_parse(json + 4, strlen(json + 4)) : NULL;
	buf_release(&all);
	sim_reply_release(&r);
	free(head);
	return o;
}

static long count(const cJSON *o, const char *key)
{
	return (long)json_num(o, key, -1);
}

#define ANTHROPIC "anthropic-version: 2023-06-01\r\n"
#define PROMPT "\"messages\": [{\"role\": \"user\", \"content\": \"Write add(a, b).\"}]"

void test_sim_wire_tokens(void)
{
	const char *profiles = "[{\"model\": \"r\", \"skill\": 1, \"latency_ms\": {\"median\": 1, \"sigma\": 0},"
			       " \"tokens\": {\"reasoning_mean\": 300}},"
			       " {\"model\": \"d\", \"dialect\": \"deepseek\", \"latency_ms\": {\"median\": 1, \"sigma\": 0},"
			       " \"tokens\": {\"reasoning_mean\": 300}}]";
	char *path = xasprintf("%s/profiles.json", test_tmpdir());
	CHECK(file_write(path, profiles, strlen(profiles), 0644) == 0);
	struct sim_world w;
	sim_world_init(&w);
	CHECK(sim_world_load_profiles(&w, path) == 0);
	struct sim_api *a = sim_api_new(&w);
	int status;

	/* Anthropic with thinking enabled: a thinking block, its tokens in output_tokens */
	cJSON *m = call(a, "/v1/messages", ANTHROPIC,
			"{\"model\": \"r\", \"max_tokens\": 4096, " PROMPT
			", \"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 200}}",
			&status);
	CHECK(status == 200);
	const cJSON *content = cJSON_GetObjectItem(m, "content"), *u = cJSON_GetObjectItem(m, "usage");
	const char *thinking = json_str(cJSON_GetArrayItem(content, 0), "thinking", "");
	const char *text = json_str(cJSON_GetArrayItem(content, 1), "text", "");
	long thought = count(cJSON_GetObjectItem(u, "output_tokens_details"), "thinking_tokens");
	CHECK(thought == sim_tokens(strlen(thinking)) && thought > 0 && thought <= 200);
	CHECK(count(u, "output_tokens") == thought + sim_tokens(strlen(text)));
	long input = count(u, "input_tokens") + count(u, "cache_read_input_tokens") + count(u, "cache_creation_input_tokens");
	cJSON_Delete(m);

	/* without thinking: the text alone */
	m = call(a, "/v1/messages", ANTHROPIC, "{\"model\": \"r\", \"max_tokens\": 4096, " PROMPT "}", &status);
	content = cJSON_GetObjectItem(m, "content");
	CHECK(status == 200 && cJSON_GetArraySize(content) == 1);
	text = json_str(cJSON_GetArrayItem(content, 0), "text", "");
	CHECK(count(cJSON_GetObjectItem(m, "usage"), "output_tokens") == sim_tokens(strlen(text)));
	cJSON_Delete(m);

	/* count_tokens: the input the message reported */
	m = call(a, "/v1/messages/count_tokens", ANTHROPIC, "{\"model\": \"r\", " PROMPT "}", &status);
	CHECK(status == 200 && count(m, "input_tokens") == input);
	cJSON_Delete(m);

	/* DeepSeek: reasoning_content is what reasoning_tokens counts */
	m = call(a, "/v1/chat/completions", "", "{\"model\": \"d\", \"max_tokens\": 4096, " PROMPT "}", &status);
	const cJSON *msg = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "choices"), 0), "message");
	u = cJSON_GetObjectItem(m, "usage");
	long reasoning = count(cJSON_GetObjectItem(u, "completion_tokens_details"), "reasoning_tokens");
	CHECK(status == 200 && reasoning == sim_tokens(strlen(json_str(msg, "reasoning_content", ""))) && reasoning > 0);
	CHECK(count(u, "completion_tokens") == reasoning + sim_tokens(strlen(json_str(msg, "content", ""))));
	CHECK(count(u, "prompt_cache_hit_tokens") + count(u, "prompt_cache_miss_tokens") == count(u, "prompt_tokens"));
	cJSON_Delete(m);

	/* thinking disabled: no reasoning at all */
	m = call(a, "/v1/chat/completions", "",
		 "{\"model\": \"d\", \"max_tokens\": 4096, \"thinking\": {\"type\": \"disabled\"}, " PROMPT "}", &status);
	msg = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "choices"), 0), "message");
	CHECK(status == 200 && !cJSON_GetObjectItem(msg, "reasoning_content"));
	CHECK(count(cJSON_GetObjectItem(m, "usage"), "completion_tokens") == sim_tokens(strlen(json_str(msg, "content", ""))));
	cJSON_Delete(m);

	/* errors in each API's shape: Anthropic's unknown model, OpenAI's missing messages */
	m = call(a, "/v1/messages", ANTHROPIC, "{\"model\": \"nope\", \"max_tokens\": 10, " PROMPT "}", &status);
	CHECK(status == 404 && strcmp(json_str(m, "type", ""), "error") == 0);
	CHECK(strcmp(json_str(cJSON_GetObjectItem(m, "error"), "type", ""), "not_found_error") == 0);
	CHECK(strncmp(json_str(m, "request_id", ""), "req_", 4) == 0);
	cJSON_Delete(m);
	m = call(a, "/v1/chat/completions", "", "{\"model\": \"r\"}", &status);
	CHECK(status == 400 && strcmp(json_str(cJSON_GetObjectItem(m, "error"), "param", ""), "messages") == 0);
	cJSON_Delete(m);

	sim_api_free(a);
	sim_world_release(&w);
	free(path);
}
