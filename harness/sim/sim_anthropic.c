/* sim_anthropic.c - Anthropic's Messages format as the simulator writes it.
 *
 * What each field follows: the official SDK's types (npm
 * @anthropic-ai/sdk 1.17.0: Message, Usage, MessageDeltaUsage,
 * RawMessageStreamEvent, ThinkingBlock, MessageTokensCount, ModelInfo,
 * ErrorResponse, and the status each error class stands for: 529 is
 * OverloadedError) and the API reference: input_tokens exclude cache reads
 * and writes; thinking blocks come before the text, only when the request
 * enables thinking, and their tokens are part of output_tokens (and of
 * usage.output_tokens_details.thinking_tokens); a stream is message_start,
 * per block content_block_start / deltas / content_block_stop, a ping,
 * message_delta with the cumulative usage and message_stop; an error after
 * the 200 is an `error` event; errors carry a request_id, as the
 * `request-id` header does (sim_api.c). */
#include "sim/sim_anthropic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/sha256.h"
#include "util/xalloc.h"

static const char *stop_reason(const struct sim_answer *a)
{
	return strcmp(a->finish_reason, "length") == 0 ? "max_tokens" : "end_turn";
}

/* the usage of a Message or of message_start (output as given), or, for
 * message_delta, the cumulative MessageDeltaUsage (no cache breakdown,
 * tier or speed) */
static cJSON *usage_json(const struct sim_call *c, long output, int delta)
{
	const struct sim_answer *a = &c->ans[0];
	cJSON *u = cJSON_CreateObject();
	cJSON_AddNumberToObject(u, "input_tokens", (double)(a->prompt_tokens - a->cached_tokens - a->cache_write_tokens));
	cJSON_AddNumberToObject(u, "cache_creation_input_tokens", (double)a->cache_write_tokens);
	cJSON_AddNumberToObject(u, "cache_read_input_tokens", (double)a->cached_tokens);
	if (!delta) {
		cJSON *cc = cJSON_AddObjectToObject(u, "cache_creation");
		cJSON_AddNumberToObject(cc, "ephemeral_5m_input_tokens", (double)a->cache_write_tokens);
		cJSON_AddNumberToObject(cc, "ephemeral_1h_input_tokens", 0);
	}
	cJSON_AddNumberToObject(u, "output_tokens", (double)output);
	if (a->reasoning_tokens)
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(u, "output_tokens_details"), "thinking_tokens",
					(double)a->reasoning_tokens);
	else
		cJSON_AddNullToObject(u, "output_tokens_details");
	cJSON_AddNullToObject(u, "server_tool_use");
	if (!delta) {
		cJSON_AddStringToObject(u, "service_tier", "standard");
		cJSON_AddNullToObject(u, "inference_geo");
		cJSON_AddStringToObject(u, "speed", "standard");
	}
	return u;
}

/* an opaque signature for a thinking block, as the API hands back */
static void signature(const struct sim_call *c, char out[65])
{
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, c->id, strlen(c->id));
	sha256_update(&h, c->reasoning[0], strlen(c->reasoning[0]));
	sha256_hex(&h, out);
}

static int thinks(const struct sim_call *c)
{
	return c->reasoning && c->reasoning[0];
}

static cJSON *thinking_block(const char *text, const char *sig)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "type", "thinking");
	cJSON_AddStringToObject(b, "thinking", text);
	cJSON_AddStringToObject(b, "signature", sig);
	return b;
}

static cJSON *text_block(const char *text)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "type", "text");
	cJSON_AddStringToObject(b, "text", text);
	cJSON_AddNullToObject(b, "citations");
	return b;
}

/* a Message; in message_start its content is empty and its stop_reason null */
static cJSON *message_json(const struct sim_call *c, int start)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "type", "message");
	cJSON_AddStringToObject(o, "role", "assistant");
	cJSON_AddStringToObject(o, "model", c->model);
	cJSON *content = cJSON_AddArrayToObject(o, "content");
	if (!start) {
		char sig[65];
		if (thinks(c)) {
			signature(c, sig);
			cJSON_AddItemToArray(content, thinking_block(c->reasoning[0], sig));
		}
		cJSON_AddItemToArray(content, text_block(c->ans[0].text));
	}
	if (start)
		cJSON_AddNullToObject(o, "stop_reason");
	else
		cJSON_AddStringToObject(o, "stop_reason", stop_reason(&c->ans[0]));
	cJSON_AddNullToObject(o, "stop_sequence");
	cJSON_AddNullToObject(o, "stop_details");
	cJSON_AddNullToObject(o, "container");
	cJSON_AddNullToObject(o, "diagnostics");
	if (c->usage) /* the no_usage fault leaves it out of message_start too */
		cJSON_AddItemToObject(o, "usage", usage_json(c, start ? 1 : c->ans[0].completion_tokens, 0));
	return o;
}

static void event(struct buf *b, const char *type, cJSON *o)
{
	cJSON_AddStringToObject(o, "type", type);
	sim_stream_event(b, type, o);
	cJSON_Delete(o);
}

static void block_start(struct buf *b, int index, cJSON *block)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", index);
	cJSON_AddItemToObject(o, "content_block", block);
	event(b, "content_block_start", o);
}

static void block_delta(struct buf *b, int index, const char *type, const char *key, const char *value)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", index);
	cJSON *d = cJSON_AddObjectToObject(o, "delta");
	cJSON_AddStringToObject(d, "type", type);
	cJSON_AddStringToObject(d, key, value);
	event(b, "content_block_delta", o);
}

static void block_stop(struct buf *b, int index)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", index);
	event(b, "content_block_stop", o);
}

/* opens the block a piece belongs to, closing the thinking block before the text */
static void open_block(struct buf *b, const struct sim_call *c, int reasoning, int *open)
{
	int want = reasoning ? 0 : thinks(c);
	if (*open == want)
		return;
	if (*open == 0 && thinks(c)) {
		char sig[65];
		signature(c, sig);
		block_delta(b, 0, "signature_delta", "signature", sig);
		block_stop(b, 0);
	}
	block_start(b, want, reasoning ? thinking_block("", "") : text_block(""));
	if (*open < 0)
		event(b, "ping", cJSON_CreateObject());
	*open = want;
}

static void stream(const struct sim_call *c, struct sim_reply *r)
{
	struct buf b = BUF_INIT;
	sim_stream_head(&b, c->headers);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "message", message_json(c, 1));
	event(&b, "message_start", o);
	sim_reply_add(r, 0, b.data, b.len);
	buf_reset(&b);
	size_t n;
	struct sim_piece *pieces = sim_call_pieces(c, 1, &n);
	size_t last = c->spoil == SPOIL_NONE ? n : n / 2;
	int open = -1; /* the block open: 0 or 1, -1 before the first */
	for (size_t k = 0; k < last; k++) {
		const struct sim_piece *p = &pieces[k];
		open_block(&b, c, p->reasoning, &open);
		const char *src = p->reasoning ? c->reasoning[0] : c->ans[0].text;
		char *s = xstrndup(src + p->off, p->len);
		if (p->reasoning)
			block_delta(&b, open, "thinking_delta", "thinking", s);
		else
			block_delta(&b, open, "text_delta", "text", s);
		free(s);
		sim_reply_add(r, p->at, b.data, b.len);
		buf_reset(&b);
	}
	free(pieces);
	if (c->spoil == SPOIL_STREAM_ERROR) {
		o = cJSON_CreateObject();
		cJSON *e = cJSON_AddObjectToObject(o, "error");
		cJSON_AddStringToObject(e, "type", "overloaded_error");
		cJSON_AddStringToObject(e, "message", "Overloaded (simulated)");
		event(&b, "error", o);
	} else if (c->spoil == SPOIL_MALFORMED) {
		sim_stream_raw(&b, "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"text\": \"trunc\n\n");
	} else if (c->spoil == SPOIL_NONE) {
		open_block(&b, c, 0, &open); /* an empty answer still has its text block */
		block_stop(&b, open);
		o = cJSON_CreateObject();
		cJSON *d = cJSON_AddObjectToObject(o, "delta");
		cJSON_AddStringToObject(d, "stop_reason", stop_reason(&c->ans[0]));
		cJSON_AddNullToObject(d, "stop_sequence");
		cJSON_AddNullToObject(d, "stop_details");
		cJSON_AddNullToObject(d, "container");
		if (c->usage)
			cJSON_AddItemToObject(o, "usage", usage_json(c, c->ans[0].completion_tokens, 1));
		event(&b, "message_delta", o);
		event(&b, "message_stop", cJSON_CreateObject());
	}
	/* a truncated stream: the HTTP body ends cleanly, the event stream does not */
	sim_stream_raw(&b, "");
	sim_reply_add(r, c->total_ms, b.data, b.len);
	buf_release(&b);
}

void sim_anthropic_answer(const struct sim_call *c, struct sim_reply *r)
{
	if (c->stream) {
		stream(c, r);
		return;
	}
	if (c->spoil == SPOIL_MALFORMED) {
		static const char bad[] = "{\"id\": \"msg_broken\", \"type\": \"message\", \"content\": [{\"type\": \"text\", \"text\": \"trunc";
		sim_reply_http(r, c->total_ms, 200, c->headers, bad, sizeof(bad) - 1);
		return;
	}
	cJSON *o = message_json(c, 0);
	sim_reply_json(r, c->total_ms, 200, c->headers, o);
	cJSON_Delete(o);
}

void sim_anthropic_error(struct sim_reply *r, double at, enum sim_error e, const char *detail, const char *request_id,
			 const char *headers)
{
	int status = 500;
	const char *type = "api_error", *fmt = "Internal server error (simulated)%s";
	switch (e) {
	case SIM_ERR_BAD_REQUEST: status = 400; type = "invalid_request_error"; fmt = "%s"; break;
	case SIM_ERR_AUTH: status = 401; type = "authentication_error"; fmt = "invalid x-api-key: %s"; break;
	case SIM_ERR_NO_MODEL: status = 404; type = "not_found_error"; fmt = "model: %s"; break;
	case SIM_ERR_NO_ROUTE: status = 404; type = "not_found_error"; fmt = "Not Found: %s"; break;
	case SIM_ERR_METHOD: status = 405; type = "invalid_request_error"; fmt = "Method Not Allowed: %s"; break;
	case SIM_ERR_RATE_LIMIT:
		status = 429;
		type = "rate_limit_error";
		fmt = "This request would exceed the rate limit for your organization (simulated).%s";
		break;
	case SIM_ERR_SERVER: break;
	case SIM_ERR_OVERLOADED: status = 529; type = "overloaded_error"; fmt = "Overloaded (simulated)%s"; break;
	case SIM_ERR_BILLING:
		status = 400;
		type = "invalid_request_error";
		fmt = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
		      "upgrade or purchase credits.%s";
		break;
	}
	char *msg = xasprintf(fmt, detail ? detail : "");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "error");
	cJSON *err = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(err, "type", type);
	cJSON_AddStringToObject(err, "message", msg);
	cJSON_AddStringToObject(o, "request_id", request_id);
	sim_reply_json(r, at, status, headers, o);
	cJSON_Delete(o);
	free(msg);
}

/* ---- models ---- */

static void support(cJSON *o, const char *key, int yes)
{
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(o, key), "supported", yes);
}

/* ModelInfo.capabilities: every capability named, the simulator offering
 * only thinking (when the profile reasons) and batch-free plain text */
static cJSON *capabilities(const struct sim_profile *p)
{
	int reasons = p->reasoning_mean > 0;
	cJSON *c = cJSON_CreateObject();
	support(c, "batch", 0);
	support(c, "citations", 0);
	support(c, "code_execution", 0);
	cJSON *cm = cJSON_AddObjectToObject(c, "context_management");
	cJSON_AddNullToObject(cm, "clear_thinking_20251015");
	cJSON_AddNullToObject(cm, "clear_tool_uses_20250919");
	cJSON_AddNullToObject(cm, "compact_20260112");
	cJSON_AddFalseToObject(cm, "supported");
	cJSON *ef = cJSON_AddObjectToObject(c, "effort");
	support(ef, "high", 0);
	support(ef, "low", 0);
	support(ef, "max", 0);
	support(ef, "medium", 0);
	cJSON_AddFalseToObject(ef, "supported");
	cJSON_AddNullToObject(ef, "xhigh");
	support(c, "image_input", 0);
	support(c, "pdf_input", 0);
	cJSON *st = cJSON_AddObjectToObject(c, "server_tools");
	support(st, "code_execution", 0);
	cJSON_AddFalseToObject(st, "supported");
	support(st, "web_search", 0);
	support(c, "structured_outputs", 0);
	cJSON *th = cJSON_AddObjectToObject(c, "thinking");
	cJSON_AddBoolToObject(th, "supported", reasons);
	cJSON *types = cJSON_AddObjectToObject(th, "types");
	support(types, "adaptive", reasons);
	support(types, "between_tools", 0);
	support(types, "disabled", 1);
	support(types, "enabled", reasons);
	return c;
}

static cJSON *model_json(const struct sim_profile *p)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "id", p->model);
	cJSON_AddItemToObject(m, "capabilities", capabilities(p));
	cJSON_AddStringToObject(m, "created_at", "2026-01-01T00:00:00Z");
	cJSON_AddNullToObject(m, "deprecated_at");
	cJSON_AddStringToObject(m, "display_name", p->model);
	cJSON_AddStringToObject(m, "lifecycle", "active");
	cJSON_AddNullToObject(m, "line");
	cJSON_AddNumberToObject(m, "max_input_tokens", 200000);
	cJSON_AddNumberToObject(m, "max_tokens", 32000);
	cJSON_AddNullToObject(m, "retires_at");
	cJSON_AddStringToObject(m, "type", "model");
	return m;
}

static long index_of(const struct sim_world *w, const char *id)
{
	for (size_t i = 0; id && i < w->n; i++)
		if (strcmp(w->profiles[i].model, id) == 0)
			return (long)i;
	return -1;
}

int sim_anthropic_models(const struct sim_world *w, const char *id, const char *after_id, const char *before_id,
			 long limit, const char *headers, struct sim_reply *r)
{
	cJSON *o;
	if (id) {
		long i = index_of(w, id);
		if (i < 0)
			return -1;
		o = model_json(&w->profiles[i]);
	} else {
		long from = 0, to = (long)w->n; /* [from, to) */
		if (after_id && (from = index_of(w, after_id) + 1) == 0)
			return -1;
		if (before_id && (to = index_of(w, before_id)) < 0)
			return -1;
		if (before_id && to - from > limit)
			from = to - limit;
		else if (to - from > limit)
			to = from + limit;
		o = cJSON_CreateObject();
		cJSON *data = cJSON_AddArrayToObject(o, "data");
		for (long i = from; i < to; i++)
			cJSON_AddItemToArray(data, model_json(&w->profiles[i]));
		if (to > from) {
			cJSON_AddStringToObject(o, "first_id", w->profiles[from].model);
			cJSON_AddStringToObject(o, "last_id", w->profiles[to - 1].model);
		} else {
			cJSON_AddNullToObject(o, "first_id");
			cJSON_AddNullToObject(o, "last_id");
		}
		cJSON_AddBoolToObject(o, "has_more", before_id ? from > 0 : to < (long)w->n);
	}
	sim_reply_json(r, 0, 200, headers, o);
	cJSON_Delete(o);
	return 0;
}

void sim_anthropic_count(long input_tokens, const char *headers, struct sim_reply *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "input_tokens", (double)input_tokens);
	sim_reply_json(r, 0, 200, headers, o);
	cJSON_Delete(o);
}
