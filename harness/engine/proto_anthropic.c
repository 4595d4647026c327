/* proto_anthropic.c - Anthropic Messages (POST {base_url}/messages with
 * x-api-key and anthropic-version), plain or streamed.
 *
 * Usage: input_tokens EXCLUDES cache_read_input_tokens and
 * cache_creation_input_tokens, so each maps straight onto our usage. A
 * stream gives the input side in message_start and the cumulative output
 * in message_delta. Thinking tokens are part of output_tokens, and
 * usage.output_tokens_details.thinking_tokens says how many (the SDK's
 * OutputTokensDetails): they are the record's reasoning. An error event in
 * a stream ends it as an error. The API has no seed: the sample's seed goes into
 * metadata.user_id so that otherwise identical requests stay distinct.
 *
 * Prompt caching is explicit: a request that asks for it (cache_prefix)
 * puts cache_control breakpoints on the system prompt and on the last
 * block of the latest user message, two of the four a request may have. A
 * conversation only ever grows by an answer and a reply, so the previous
 * request's breakpoint is two blocks back, well inside the 20 blocks the
 * API looks back for a cached prefix: each turn reads what the last one
 * wrote and writes only what is new. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/proto.h"
#include "util/json.h"
#include "util/xalloc.h"

#define ANTHROPIC_VERSION "2023-06-01"

/* a content list of one text block that ends a cached prefix */
static cJSON *cached_text(const char *text)
{
	cJSON *blk = cJSON_CreateObject();
	cJSON_AddStringToObject(blk, "type", "text");
	cJSON_AddStringToObject(blk, "text", text);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(blk, "cache_control"), "type", "ephemeral");
	cJSON *list = cJSON_CreateArray();
	cJSON_AddItemToArray(list, blk);
	return list;
}

static void build_body(const struct provider *p, const struct request *rq, struct buf *body)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "model", p->model);
	struct buf system = BUF_INIT;
	cJSON *msgs = cJSON_CreateArray();
	size_t last_user = rq->nmsgs;
	for (size_t i = 0; i < rq->nmsgs; i++)
		if (strcmp(rq->msgs[i].role, "user") == 0)
			last_user = i;
	for (size_t i = 0; i < rq->nmsgs; i++) {
		if (strcmp(rq->msgs[i].role, "system") == 0) {
			if (system.len)
				buf_puts(&system, "\n\n");
			buf_puts(&system, rq->msgs[i].content);
			continue;
		}
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", rq->msgs[i].role);
		if (rq->cache_prefix && i == last_user)
			cJSON_AddItemToObject(m, "content", cached_text(rq->msgs[i].content));
		else
			cJSON_AddStringToObject(m, "content", rq->msgs[i].content);
		cJSON_AddItemToArray(msgs, m);
	}
	if (system.len && rq->cache_prefix)
		cJSON_AddItemToObject(o, "system", cached_text(buf_str(&system)));
	else if (system.len)
		cJSON_AddStringToObject(o, "system", buf_str(&system));
	buf_release(&system);
	cJSON_AddItemToObject(o, "messages", msgs);
	const cJSON *kv;
	cJSON_ArrayForEach(kv, p->params) {
		if (cJSON_IsNull(kv) || strcmp(kv->string, "model") == 0 || strcmp(kv->string, "messages") == 0 ||
		    strcmp(kv->string, "seed") == 0 || strcmp(kv->string, "system") == 0)
			continue;
		cJSON_AddItemToObject(o, kv->string, cJSON_Duplicate(kv, 1));
	}
	if (!cJSON_GetObjectItemCaseSensitive(o, "max_tokens"))
		cJSON_AddNumberToObject(o, "max_tokens", DEFAULT_MAX_TOKENS);
	if (rq->seed >= 0 && !cJSON_GetObjectItemCaseSensitive(o, "metadata")) {
		char id[48];
		snprintf(id, sizeof(id), "tokenbench-sample-%ld", rq->seed);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "metadata"), "user_id", id);
	}
	json_print(body, o);
	cJSON_Delete(o);
}

static char *url(const struct provider *p)
{
	return proto_url(p, "/messages");
}

static struct curl_slist *headers(const struct provider *p, const char *key)
{
	static const char *const extra[] = { "anthropic-version: " ANTHROPIC_VERSION, NULL };
	(void)p;
	return proto_headers(extra, "x-api-key: ", key);
}

/* merges a usage object (message, message_start or message_delta): counts
 * are cumulative, so the largest seen wins */
static void take_usage(const cJSON *u, struct response *out, cJSON *merged)
{
	static const char *const keys[] = { "input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
					    "output_tokens" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(u, keys[i]);
		if (!v || cJSON_IsNull(v))
			continue;
		if (!cJSON_IsNumber(v) || !usage_count_valid(v->valuedouble)) {
			proto_count(u, keys[i], out); /* notes it */
			continue;
		}
		cJSON *old = cJSON_GetObjectItemCaseSensitive(merged, keys[i]);
		if (!old)
			cJSON_AddNumberToObject(merged, keys[i], v->valuedouble);
		else if (v->valuedouble > old->valuedouble)
			cJSON_SetNumberValue(old, v->valuedouble);
	}
	out->usage.input = proto_count(merged, "input_tokens", out);
	out->usage.cached_input = proto_count(merged, "cache_read_input_tokens", out);
	out->usage.cache_write = proto_count(merged, "cache_creation_input_tokens", out);
	out->usage.output = proto_count(merged, "output_tokens", out);
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(u, "output_tokens_details");
	const cJSON *old_details = cJSON_GetObjectItemCaseSensitive(merged, "output_tokens_details");
	if (proto_count(details, "thinking_tokens", out) > proto_count(old_details, "thinking_tokens", out)) {
		cJSON_DeleteItemFromObjectCaseSensitive(merged, "output_tokens_details");
		cJSON_AddItemToObject(merged, "output_tokens_details", cJSON_Duplicate(details, 1));
	}
	out->usage.reasoning = proto_count(cJSON_GetObjectItemCaseSensitive(merged, "output_tokens_details"),
					   "thinking_tokens", out);
	out->usage_missing = 0;
	proto_usage_checked(out);
}

static void finish_usage(struct response *out, cJSON *merged)
{
	if (!out->usage_missing)
		out->raw_usage = json_text(merged);
	cJSON_Delete(merged);
}

static void text_of(const cJSON *content, struct buf *out)
{
	const cJSON *blk;
	cJSON_ArrayForEach(blk, content)
		if (strcmp(json_str(blk, "type", ""), "text") == 0)
			buf_puts(out, json_str(blk, "text", ""));
}

static int parse_stream(const char *body, size_t n, struct response *out, char **err)
{
	struct sse_event ev = { "", BUF_INIT };
	struct buf text = BUF_INIT;
	cJSON *merged = cJSON_CreateObject();
	size_t pos = 0;
	int stopped = 0, rc = 0;
	out->streamed = 1;
	out->usage_missing = 1;
	while (rc == 0 && !stopped && sse_next(body, n, &pos, &ev)) {
		cJSON *o = json_parse(buf_str(&ev.data), ev.data.len);
		if (!o) {
			*err = xstrdup("a stream event is not JSON");
			rc = -1;
			break;
		}
		const char *type = json_str(o, "type", ev.event);
		if (strcmp(type, "message_start") == 0) {
			const cJSON *u = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "message"), "usage");
			if (u)
				take_usage(u, out, merged);
		} else if (strcmp(type, "content_block_delta") == 0) {
			const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "delta");
			if (strcmp(json_str(d, "type", ""), "text_delta") == 0)
				buf_puts(&text, json_str(d, "text", ""));
		} else if (strcmp(type, "message_delta") == 0) {
			const char *sr = json_str(cJSON_GetObjectItemCaseSensitive(o, "delta"), "stop_reason", NULL);
			if (sr) {
				free(out->finish_reason);
				out->finish_reason = xstrdup(sr);
			}
			const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
			if (u)
				take_usage(u, out, merged);
		} else if (strcmp(type, "message_stop") == 0) {
			stopped = 1;
		} else if (strcmp(type, "error") == 0) {
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
			*err = xasprintf("stream error: %s", json_str(e, "message", "unknown"));
			rc = -3;
		}
		cJSON_Delete(o);
	}
	buf_release(&ev.data);
	out->text = buf_detach(&text);
	finish_usage(out, merged);
	if (rc == 0 && !stopped) {
		*err = xstrdup("the stream ended before message_stop");
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
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(o, "content");
	if (!cJSON_IsObject(o) || !cJSON_IsArray(content)) {
		cJSON_Delete(o);
		*err = xstrdup("response body is not a message with content");
		return -1;
	}
	struct buf text = BUF_INIT;
	text_of(content, &text);
	out->text = buf_detach(&text);
	const char *sr = json_str(o, "stop_reason", NULL);
	out->finish_reason = sr ? xstrdup(sr) : NULL;
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "usage");
	cJSON *merged = cJSON_CreateObject();
	out->usage_missing = 1;
	if (cJSON_IsObject(u))
		take_usage(u, out, merged);
	finish_usage(out, merged);
	cJSON_Delete(o);
	return 0;
}

static int first_token(const char *body, size_t n, size_t *pos)
{
	struct sse_event ev = { "", BUF_INIT };
	int found = 0;
	while (!found && sse_next(body, n, pos, &ev)) {
		if (strcmp(ev.event, "content_block_delta") != 0)
			continue;
		cJSON *o = json_parse(buf_str(&ev.data), ev.data.len);
		const char *t = json_str(cJSON_GetObjectItemCaseSensitive(o, "delta"), "text", NULL);
		found = t && *t;
		cJSON_Delete(o);
	}
	buf_release(&ev.data);
	return found;
}

const struct proto proto_anthropic = {
	.name = "anthropic",
	.build_body = build_body,
	.url = url,
	.headers = headers,
	.parse = parse,
	.first_token = first_token,
	.error_message = proto_error_message,
};
