/* proto_openai.c - OpenAI chat completions, the protocol of OpenAI,
 * OpenRouter, DeepSeek, Moonshot, Zhipu, MiniMax, vLLM, llama.cpp and Ollama.
 *
 * Usage: prompt_tokens includes prompt_tokens_details.cached_tokens, and
 * completion_tokens includes completion_tokens_details.reasoning_tokens.
 * DeepSeek reports cache hits as prompt_cache_hit_tokens; OpenRouter adds
 * usage.cost (USD) and, for cache writes, prompt_tokens_details.cache_write_tokens. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "proto.h"
#include "xalloc.h"

static void build_body(const struct provider *p, const struct request *rq, struct buf *body)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "model", p->model);
	cJSON *msgs = cJSON_AddArrayToObject(o, "messages");
	for (size_t i = 0; i < rq->nmsgs; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", rq->msgs[i].role);
		cJSON_AddStringToObject(m, "content", rq->msgs[i].content);
		cJSON_AddItemToArray(msgs, m);
	}
	const cJSON *kv;
	int seed_given = 0;
	cJSON_ArrayForEach(kv, p->params) {
		if (strcmp(kv->string, "seed") == 0)
			seed_given = 1;
		if (cJSON_IsNull(kv) || strcmp(kv->string, "model") == 0 || strcmp(kv->string, "messages") == 0)
			continue;
		cJSON_AddItemToObject(o, kv->string, cJSON_Duplicate(kv, 1));
	}
	if (!seed_given && rq->seed >= 0)
		cJSON_AddNumberToObject(o, "seed", (double)rq->seed);
	json_print(body, o);
	cJSON_Delete(o);
}

static char *url(const struct provider *p)
{
	return xasprintf("%s/chat/completions", p->base_url);
}

static struct curl_slist *headers(const struct provider *p, const char *key)
{
	(void)p;
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	if (key && *key) {
		char *auth = xasprintf("Authorization: Bearer %s", key);
		h = curl_slist_append(h, auth);
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	return h;
}

static long num(const cJSON *o, const char *key)
{
	double v = json_num(o, key, 0);
	return v > 0 ? (long)v : 0;
}

static int parse(const char *body, size_t n, struct response *out, char **err)
{
	memset(out, 0, sizeof(*out));
	out->cost_usd = NAN;
	cJSON *o = json_parse(body, n);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		*err = xstrdup("response body is not a JSON object");
		return -1;
	}
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(o, "choices");
	const cJSON *c0 = cJSON_GetArrayItem(choices, 0);
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(c0, "message");
	if (!cJSON_IsObject(msg)) {
		cJSON_Delete(o);
		*err = xstrdup("response has no choices[0].message");
		return -1;
	}
	const char *text = json_str(msg, "content", NULL);
	out->text = xstrdup(text ? text : "");
	const char *fr = json_str(c0, "finish_reason", NULL);
	out->finish_reason = fr ? xstrdup(fr) : NULL;
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
	if (!cJSON_IsObject(u)) {
		out->usage_missing = 1;
	} else {
		char *raw = cJSON_PrintUnformatted(u);
		out->raw_usage = xstrdup(raw);
		cJSON_free(raw);
		const cJSON *pd = cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens_details");
		const cJSON *cd = cJSON_GetObjectItemCaseSensitive(u, "completion_tokens_details");
		long prompt = num(u, "prompt_tokens"), completion = num(u, "completion_tokens");
		long cached = num(pd, "cached_tokens");
		if (!cached)
			cached = num(u, "prompt_cache_hit_tokens");
		long written = num(pd, "cache_write_tokens");
		if (cached + written > prompt)
			cached = written = 0; /* inconsistent: bill everything as input */
		out->usage.cached_input = cached;
		out->usage.cache_write = written;
		out->usage.input = prompt - cached - written;
		out->usage.output = completion;
		out->usage.reasoning = num(cd, "reasoning_tokens");
		const cJSON *cost = cJSON_GetObjectItemCaseSensitive(u, "cost");
		if (cJSON_IsNumber(cost) && cost->valuedouble >= 0)
			out->cost_usd = cost->valuedouble;
	}
	cJSON_Delete(o);
	return 0;
}

static char *error_message(const char *body, size_t n)
{
	cJSON *o = json_parse(body, n);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
	const char *m = cJSON_IsString(e) ? e->valuestring : json_str(e, "message", NULL);
	char *s = m ? xstrdup(m) : NULL;
	cJSON_Delete(o);
	return s;
}

const struct proto proto_openai = {
	.name = "openai",
	.build_body = build_body,
	.url = url,
	.headers = headers,
	.parse = parse,
	.error_message = error_message,
};
