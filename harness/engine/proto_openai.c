/* proto_openai.c - OpenAI chat completions, the protocol of OpenAI,
 * OpenRouter, DeepSeek, Moonshot, Zhipu, MiniMax, vLLM, llama.cpp and Ollama,
 * plain or streamed ("stream": true in a provider's params).
 *
 * Usage: prompt_tokens includes prompt_tokens_details.cached_tokens, and
 * completion_tokens includes completion_tokens_details.reasoning_tokens.
 * DeepSeek reports cache hits as prompt_cache_hit_tokens, Moonshot as
 * usage.cached_tokens, and puts a stream's usage in its last choice
 * (choices[0].usage); OpenRouter adds usage.cost (USD, what it charged),
 * prompt_tokens_details.cache_write_tokens and, with your own key
 * (is_byok), cost_details.upstream_inference_cost, which your provider
 * charges you on top. MiniMax's models put their thinking at the start of
 * content, inside <think>...</think>: it is not the answer. An error event
 * in a stream (OpenRouter documents them) ends it as an error. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/proto.h"
#include "util/json.h"
#include "util/xalloc.h"

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
	/* a stream reports usage only when asked to */
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->params, "stream")) &&
	    !cJSON_GetObjectItemCaseSensitive(p->params, "stream_options"))
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(o, "stream_options"), "include_usage");
	json_print(body, o);
	cJSON_Delete(o);
}

static char *url(const struct provider *p)
{
	return proto_url(p, "/chat/completions");
}

static struct curl_slist *headers(const struct provider *p, const char *key)
{
	(void)p;
	return proto_headers(NULL, "Authorization: Bearer ", key);
}

static void take_usage(const cJSON *u, struct response *out)
{
	free(out->raw_usage);
	out->raw_usage = json_text(u);
	out->usage_missing = 0;
	const cJSON *pd = cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens_details");
	const cJSON *cd = cJSON_GetObjectItemCaseSensitive(u, "completion_tokens_details");
	long prompt = proto_count(u, "prompt_tokens", out), completion = proto_count(u, "completion_tokens", out);
	long cached = proto_count(pd, "cached_tokens", out);
	if (!cached)
		cached = proto_count(u, "prompt_cache_hit_tokens", out);
	if (!cached)
		cached = proto_count(u, "cached_tokens", out);
	long written = proto_count(pd, "cache_write_tokens", out);
	if (cached + written > prompt)
		cached = written = 0; /* inconsistent: bill everything as input */
	out->usage.cached_input = cached;
	out->usage.cache_write = written;
	out->usage.input = prompt - cached - written;
	out->usage.output = completion;
	out->usage.reasoning = proto_count(cd, "reasoning_tokens", out);
	proto_usage_checked(out);
	/* OpenRouter's charge, and with your own key what your provider charges
	 * on top: both validated, or the price table prices the answer */
	out->cost_usd = NAN;
	double cost = proto_cost(u, "cost", out);
	if (isnan(cost))
		return;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(u, "is_byok"))) {
		const cJSON *details = cJSON_GetObjectItemCaseSensitive(u, "cost_details");
		double up = proto_cost(details, "upstream_inference_cost", out);
		if (cJSON_GetObjectItemCaseSensitive(details, "upstream_inference_cost") && isnan(up))
			return; /* half a cost is no cost */
		if (!isnan(up))
			cost += up;
	}
	if (!price_cost_valid(cost)) {
		cJSON *sum = cJSON_CreateNumber(cost);
		proto_reject(out, "cost usage.cost + upstream_inference_cost", sum);
		cJSON_Delete(sum);
		return;
	}
	out->cost_usd = cost;
}

/* the answer without the thinking MiniMax writes before it */
static char *without_think(char *text)
{
	const char *p = text;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	const char *end = strncmp(p, "<think>", 7) == 0 ? strstr(p, "</think>") : NULL;
	if (!end)
		return text;
	end += 8;
	while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
		end++;
	memmove(text, end, strlen(end) + 1);
	return text;
}

static int parse_stream(const char *body, size_t n, struct response *out, char **err)
{
	struct sse_event ev = { "", BUF_INIT };
	struct buf text = BUF_INIT;
	size_t pos = 0;
	int done = 0, finished = 0, rc = 0;
	out->streamed = 1;
	out->usage_missing = 1;
	while (!done && sse_next(body, n, &pos, &ev)) {
		if (strcmp(buf_str(&ev.data), "[DONE]") == 0) {
			done = 1;
			break;
		}
		cJSON *o = json_parse(buf_str(&ev.data), ev.data.len);
		if (!o) {
			*err = xstrdup("a stream event is not JSON");
			rc = -1;
			break;
		}
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
		if (e) {
			const char *m = json_str(e, "message", "error event in the stream");
			*err = xasprintf("stream error: %s", m);
			cJSON_Delete(o);
			rc = -3;
			break;
		}
		const cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "choices"), 0);
		const char *piece = json_str(cJSON_GetObjectItemCaseSensitive(c0, "delta"), "content", NULL);
		if (piece)
			buf_puts(&text, piece);
		const char *fr = json_str(c0, "finish_reason", NULL);
		if (fr) {
			free(out->finish_reason);
			out->finish_reason = xstrdup(fr);
			finished = 1;
		}
		const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
		if (!cJSON_IsObject(u))
			u = cJSON_GetObjectItemCaseSensitive(c0, "usage");
		if (cJSON_IsObject(u))
			take_usage(u, out);
		cJSON_Delete(o);
	}
	buf_release(&ev.data);
	buf_puts(&text, "");
	out->text = without_think(buf_detach(&text));
	if (rc == 0 && !done && !finished) {
		*err = xstrdup("the stream ended before its last event");
		rc = -2;
	}
	return rc;
}

static int parse(const char *body, size_t n, struct response *out, char **err)
{
	response_init(out);
	if (sse_is_stream(body, n))
		return parse_stream(body, n, out, err);
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
	out->text = without_think(xstrdup(text ? text : ""));
	const char *fr = json_str(c0, "finish_reason", NULL);
	out->finish_reason = fr ? xstrdup(fr) : NULL;
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
	if (cJSON_IsObject(u))
		take_usage(u, out);
	else
		out->usage_missing = 1;
	cJSON_Delete(o);
	return 0;
}

static int first_token(const char *body, size_t n, size_t *pos)
{
	struct sse_event ev = { "", BUF_INIT };
	int found = 0;
	while (!found && sse_next(body, n, pos, &ev)) {
		/* a delta with non-empty content; cheap test before parsing */
		if (!strstr(buf_str(&ev.data), "\"content\""))
			continue;
		cJSON *o = json_parse(buf_str(&ev.data), ev.data.len);
		const cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "choices"), 0);
		const char *piece = json_str(cJSON_GetObjectItemCaseSensitive(c0, "delta"), "content", NULL);
		found = piece && *piece;
		cJSON_Delete(o);
	}
	buf_release(&ev.data);
	return found;
}

const struct proto proto_openai = {
	.name = "openai",
	.build_body = build_body,
	.url = url,
	.headers = headers,
	.parse = parse,
	.first_token = first_token,
	.error_message = proto_error_message,
};
