/* sim_openai.c - OpenAI's chat-completions format as the simulator writes
 * it, and where other providers that speak it differ (the dialects).
 *
 * What each field follows:
 *  - OpenAI: the official SDK's types (npm openai 6.49.0: ChatCompletion,
 *    ChatCompletionChunk, CompletionUsage, Model) and the API reference: a
 *    stream's first delta carries the role; with
 *    stream_options.include_usage every chunk has "usage": null but one
 *    last chunk, whose choices are empty and whose usage is the request's;
 *    errors are {"error": {message, type, param, code}}, a 429 with type
 *    "requests" and code "rate_limit_exceeded" (the error-codes guide);
 *    x-request-id and x-ratelimit-* headers (sim_api.c).
 *  - OpenRouter: Usage Accounting (usage.cost in USD, is_byok,
 *    cost_details, prompt_tokens_details.cache_write_tokens; the usage is
 *    always in a stream's last message, stream_options or not), Streaming
 *    (": OPENROUTER PROCESSING" comments; an error during generation is a
 *    data event with an error field), Errors ({"error": {"code": the HTTP
 *    status, "message"}}), the Models API (pricing in USD per token, strings).
 *  - DeepSeek's API reference: prompt_cache_hit_tokens +
 *    prompt_cache_miss_tokens = prompt_tokens; message.reasoning_content.
 *  - Moonshot's (Kimi) streaming guide and error reference: a stream's usage
 *    sits in its last chunk's choices[0].usage; usage.cached_tokens; an
 *    overloaded engine answers 429.
 *  - Z.ai's (Zhipu) streaming guide and error codes: delta.reasoning_content,
 *    usage only on the last chunk (stream_options is not read), errors
 *    {"error": {"code": "1302", "message"}} with a business code.
 *  - MiniMax's OpenAI-compatible API: the thinking inside <think>...</think>
 *    at the start of content, or in message.reasoning_details with
 *    reasoning_split. */
#include "sim/sim_openai.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xalloc.h"

/* ---- bodies ---- */

static void add_head(cJSON *o, const struct sim_call *c, enum sim_dialect d, int chunk)
{
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "object", chunk ? "chat.completion.chunk" : "chat.completion");
	cJSON_AddNumberToObject(o, "created", (double)c->created);
	cJSON_AddStringToObject(o, "model", c->model);
	if (d == DIALECT_OPENAI) {
		cJSON_AddStringToObject(o, "service_tier", "default");
		cJSON_AddStringToObject(o, "system_fingerprint", "fp_tokenbench_sim");
	} else if (d == DIALECT_OPENROUTER) {
		cJSON_AddStringToObject(o, "provider", "tokenbench-sim");
	}
}

static cJSON *usage_json(const struct sim_call *c, enum sim_dialect d)
{
	long prompt, cached, written, completion, reasoning;
	sim_call_totals(c, &prompt, &cached, &written, &completion, &reasoning);
	cJSON *u = cJSON_CreateObject();
	cJSON_AddNumberToObject(u, "prompt_tokens", (double)prompt);
	cJSON_AddNumberToObject(u, "completion_tokens", (double)completion);
	cJSON_AddNumberToObject(u, "total_tokens", (double)(prompt + completion));
	cJSON *pd, *cd;
	switch (d) {
	case DIALECT_OPENAI:
		pd = cJSON_AddObjectToObject(u, "prompt_tokens_details");
		cJSON_AddNumberToObject(pd, "cached_tokens", (double)cached);
		cJSON_AddNumberToObject(pd, "audio_tokens", 0);
		cd = cJSON_AddObjectToObject(u, "completion_tokens_details");
		cJSON_AddNumberToObject(cd, "reasoning_tokens", (double)reasoning);
		cJSON_AddNumberToObject(cd, "audio_tokens", 0);
		cJSON_AddNumberToObject(cd, "accepted_prediction_tokens", 0);
		cJSON_AddNumberToObject(cd, "rejected_prediction_tokens", 0);
		break;
	case DIALECT_OPENROUTER: {
		pd = cJSON_AddObjectToObject(u, "prompt_tokens_details");
		cJSON_AddNumberToObject(pd, "cached_tokens", (double)cached);
		cJSON_AddNumberToObject(pd, "cache_write_tokens", (double)written);
		cJSON_AddNumberToObject(pd, "audio_tokens", 0);
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(u, "completion_tokens_details"), "reasoning_tokens",
					(double)reasoning);
		struct usage billed = { prompt - cached - written, cached, written, completion, reasoning };
		cJSON_AddNumberToObject(u, "cost", price_cost(&c->p->wire.price, &billed));
		cJSON_AddFalseToObject(u, "is_byok");
		cJSON_AddNullToObject(cJSON_AddObjectToObject(u, "cost_details"), "upstream_inference_cost");
		break;
	}
	case DIALECT_DEEPSEEK:
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(u, "prompt_tokens_details"), "cached_tokens", (double)cached);
		cJSON_AddNumberToObject(u, "prompt_cache_hit_tokens", (double)cached);
		cJSON_AddNumberToObject(u, "prompt_cache_miss_tokens", (double)(prompt - cached));
		if (reasoning)
			cJSON_AddNumberToObject(cJSON_AddObjectToObject(u, "completion_tokens_details"),
						"reasoning_tokens", (double)reasoning);
		break;
	case DIALECT_MOONSHOT:
		cJSON_AddNumberToObject(u, "cached_tokens", (double)cached);
		break;
	case DIALECT_ZHIPU:
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(u, "prompt_tokens_details"), "cached_tokens", (double)cached);
		break;
	case DIALECT_MINIMAX:
		break;
	}
	return u;
}

/* the reasoning a dialect shows, or NULL */
static const char *shown_reasoning(const struct sim_call *c, enum sim_dialect d, size_t i)
{
	if (!c->reasoning || !c->reasoning[i] || d == DIALECT_OPENAI || (d == DIALECT_OPENROUTER && c->hide_reasoning))
		return NULL;
	return c->reasoning[i];
}

/* the field a dialect puts reasoning text in (MiniMax: see minimax_reasoning) */
static const char *reasoning_key(enum sim_dialect d)
{
	return d == DIALECT_OPENROUTER ? "reasoning" : "reasoning_content";
}

static cJSON *minimax_details(const char *text)
{
	cJSON *list = cJSON_CreateArray(), *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "reasoning.text");
	cJSON_AddStringToObject(o, "text", text);
	cJSON_AddItemToArray(list, o);
	return list;
}

static cJSON *message_json(const struct sim_call *c, enum sim_dialect d, size_t i)
{
	cJSON *m = cJSON_CreateObject();
	const char *thought = shown_reasoning(c, d, i);
	cJSON_AddStringToObject(m, "role", "assistant");
	if (d == DIALECT_MINIMAX && thought && !c->reasoning_split) {
		char *s = xasprintf("<think>\n%s\n</think>\n\n%s", thought, c->ans[i].text);
		cJSON_AddStringToObject(m, "content", s);
		free(s);
	} else {
		cJSON_AddStringToObject(m, "content", c->ans[i].text);
	}
	if (d == DIALECT_OPENAI) {
		cJSON_AddNullToObject(m, "refusal");
		cJSON_AddArrayToObject(m, "annotations");
	} else if (d == DIALECT_OPENROUTER) {
		cJSON_AddNullToObject(m, "refusal");
		if (thought)
			cJSON_AddStringToObject(m, "reasoning", thought);
		else
			cJSON_AddNullToObject(m, "reasoning");
	} else if (d == DIALECT_MINIMAX) {
		if (thought && c->reasoning_split)
			cJSON_AddItemToObject(m, "reasoning_details", minimax_details(thought));
	} else if (thought) {
		cJSON_AddStringToObject(m, reasoning_key(d), thought);
	}
	return m;
}

static void plain(const struct sim_call *c, enum sim_dialect d, struct sim_reply *r)
{
	if (c->spoil == SPOIL_MALFORMED) {
		static const char bad[] = "{\"id\": \"chatcmpl-broken\", \"choices\": [{\"message\": {\"content\": \"trunc";
		sim_reply_http(r, c->total_ms, 200, c->headers, bad, sizeof(bad) - 1);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	add_head(o, c, d, 0);
	cJSON *choices = cJSON_AddArrayToObject(o, "choices");
	for (size_t i = 0; i < c->n; i++) {
		cJSON *ch = cJSON_CreateObject();
		cJSON_AddNumberToObject(ch, "index", (double)i);
		cJSON_AddItemToObject(ch, "message", message_json(c, d, i));
		cJSON_AddNullToObject(ch, "logprobs");
		cJSON_AddStringToObject(ch, "finish_reason", c->ans[i].finish_reason);
		if (d == DIALECT_OPENROUTER)
			cJSON_AddStringToObject(ch, "native_finish_reason", c->ans[i].finish_reason);
		cJSON_AddItemToArray(choices, ch);
	}
	if (c->usage)
		cJSON_AddItemToObject(o, "usage", usage_json(c, d));
	sim_reply_json(r, c->total_ms, 200, c->headers, o);
	cJSON_Delete(o);
}

/* ---- streams ---- */

/* where a stream's usage goes in this dialect */
enum usage_at { USAGE_NONE, USAGE_OWN_CHUNK, USAGE_LAST_CHUNK, USAGE_IN_CHOICE };

static enum usage_at stream_usage_at(const struct sim_call *c, enum sim_dialect d)
{
	if (!c->usage)
		return USAGE_NONE;
	switch (d) {
	case DIALECT_OPENROUTER: return USAGE_OWN_CHUNK;
	case DIALECT_MOONSHOT: return USAGE_IN_CHOICE;
	case DIALECT_ZHIPU: return USAGE_LAST_CHUNK;
	default: return c->stream_usage ? USAGE_OWN_CHUNK : USAGE_NONE;
	}
}

/* a chunk with one choice; its delta is filled by the caller */
static cJSON *chunk_json(const struct sim_call *c, enum sim_dialect d, size_t i, cJSON **delta, cJSON **choice)
{
	cJSON *o = cJSON_CreateObject();
	add_head(o, c, d, 1);
	cJSON *ch = cJSON_CreateObject();
	cJSON_AddNumberToObject(ch, "index", (double)i);
	*delta = cJSON_AddObjectToObject(ch, "delta");
	cJSON_AddNullToObject(ch, "logprobs");
	cJSON_AddNullToObject(ch, "finish_reason");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "choices"), ch);
	if (choice)
		*choice = ch;
	return o;
}

static void emit(struct buf *b, cJSON *o, enum sim_dialect d, const struct sim_call *c)
{
	/* OpenAI: with include_usage, every chunk but the last says "usage": null */
	if (d == DIALECT_OPENAI && c->usage && c->stream_usage && !cJSON_GetObjectItemCaseSensitive(o, "usage"))
		cJSON_AddNullToObject(o, "usage");
	sim_stream_event(b, NULL, o);
	cJSON_Delete(o);
}

static void piece(struct buf *b, const struct sim_call *c, enum sim_dialect d, const struct sim_piece *p)
{
	cJSON *delta;
	cJSON *o = chunk_json(c, d, p->choice, &delta, NULL);
	const char *src = p->reasoning ? c->reasoning[p->choice] : c->ans[p->choice].text;
	char *s = xstrndup(src + p->off, p->len);
	if (!p->reasoning) {
		cJSON_AddStringToObject(delta, "content", s);
	} else if (d == DIALECT_MINIMAX && c->reasoning_split) {
		cJSON_AddItemToObject(delta, "reasoning_details", minimax_details(s));
	} else if (d == DIALECT_MINIMAX) {
		/* the thinking opens and closes its tags in the content itself */
		size_t len = strlen(src);
		char *t = xasprintf("%s%s%s", p->off == 0 ? "<think>\n" : "", s,
				    p->off + p->len == len ? "\n</think>\n\n" : "");
		cJSON_AddStringToObject(delta, "content", t);
		free(t);
	} else {
		cJSON_AddStringToObject(delta, reasoning_key(d), s);
	}
	free(s);
	emit(b, o, d, c);
}

static void stream_error(struct buf *b, const struct sim_call *c, enum sim_dialect d)
{
	cJSON *o = cJSON_CreateObject(), *e;
	if (d == DIALECT_OPENROUTER) {
		/* OpenRouter: the chunk's own fields, an error, and finish_reason "error" */
		cJSON *delta, *ch;
		cJSON_Delete(o);
		o = chunk_json(c, d, 0, &delta, &ch);
		cJSON_AddStringToObject(delta, "content", "");
		cJSON_ReplaceItemInObject(ch, "finish_reason", cJSON_CreateString("error"));
		e = cJSON_AddObjectToObject(o, "error");
		cJSON_AddNumberToObject(e, "code", 502);
		cJSON_AddStringToObject(e, "message", "Provider disconnected unexpectedly (simulated)");
	} else {
		e = cJSON_AddObjectToObject(o, "error");
		cJSON_AddStringToObject(e, "message", "The server had an error while processing your request (simulated)");
		cJSON_AddStringToObject(e, "type", "server_error");
		cJSON_AddNullToObject(e, "param");
		cJSON_AddNullToObject(e, "code");
	}
	sim_stream_event(b, NULL, o);
	cJSON_Delete(o);
}

static void finish(struct buf *b, const struct sim_call *c, enum sim_dialect d)
{
	enum usage_at where = stream_usage_at(c, d);
	for (size_t i = 0; i < c->n; i++) {
		cJSON *delta, *ch;
		cJSON *o = chunk_json(c, d, i, &delta, &ch);
		cJSON_ReplaceItemInObject(ch, "finish_reason", cJSON_CreateString(c->ans[i].finish_reason));
		if (d == DIALECT_OPENROUTER)
			cJSON_AddStringToObject(ch, "native_finish_reason", c->ans[i].finish_reason);
		if (i + 1 == c->n && where == USAGE_IN_CHOICE)
			cJSON_AddItemToObject(ch, "usage", usage_json(c, d));
		if (i + 1 == c->n && where == USAGE_LAST_CHUNK)
			cJSON_AddItemToObject(o, "usage", usage_json(c, d));
		emit(b, o, d, c);
	}
	if (where == USAGE_OWN_CHUNK) {
		cJSON *o = cJSON_CreateObject();
		add_head(o, c, d, 1);
		cJSON_AddArrayToObject(o, "choices");
		cJSON_AddItemToObject(o, "usage", usage_json(c, d));
		emit(b, o, d, c);
	}
	sim_stream_raw(b, "data: [DONE]\n\n");
}

static void stream(const struct sim_call *c, enum sim_dialect d, struct sim_reply *r)
{
	struct buf b = BUF_INIT;
	sim_stream_head(&b, c->headers);
	if (d == DIALECT_OPENROUTER)
		sim_stream_raw(&b, ": OPENROUTER PROCESSING\n\n");
	for (size_t i = 0; i < c->n; i++) {
		cJSON *delta;
		cJSON *o = chunk_json(c, d, i, &delta, NULL);
		cJSON_AddStringToObject(delta, "role", "assistant");
		cJSON_AddStringToObject(delta, "content", "");
		if (d == DIALECT_OPENAI)
			cJSON_AddNullToObject(delta, "refusal");
		emit(&b, o, d, c);
	}
	sim_reply_add(r, 0, b.data, b.len);
	buf_reset(&b);
	int show = 0;
	for (size_t i = 0; i < c->n; i++)
		show |= shown_reasoning(c, d, i) != NULL;
	size_t n, last;
	struct sim_piece *pieces = sim_call_pieces(c, show, &n);
	last = c->spoil == SPOIL_NONE ? n : n / 2;
	for (size_t k = 0; k < last; k++) {
		piece(&b, c, d, &pieces[k]);
		sim_reply_add(r, pieces[k].at, b.data, b.len);
		buf_reset(&b);
	}
	free(pieces);
	if (c->spoil == SPOIL_STREAM_ERROR)
		stream_error(&b, c, d);
	else if (c->spoil == SPOIL_MALFORMED)
		sim_stream_raw(&b, "data: {\"id\": \"chatcmpl-broken\", \"choices\": [{\"delta\": {\"content\": \"trunc\n\n");
	else if (c->spoil == SPOIL_NONE)
		finish(&b, c, d);
	/* a truncated stream: the HTTP body ends cleanly, the event stream does not */
	sim_stream_raw(&b, "");
	sim_reply_add(r, c->total_ms, b.data, b.len);
	buf_release(&b);
}

void sim_openai_answer(const struct sim_call *c, enum sim_dialect d, struct sim_reply *r)
{
	if (c->stream)
		stream(c, d, r);
	else
		plain(c, d, r);
}

/* ---- errors ---- */

struct shape {
	int status;
	const char *type, *code, *fmt; /* fmt takes the detail */
};

static struct shape openai_shape(enum sim_error e)
{
	switch (e) {
	case SIM_ERR_BAD_REQUEST: return (struct shape){ 400, "invalid_request_error", NULL, "%s" };
	case SIM_ERR_AUTH:
		return (struct shape){ 401, "invalid_request_error", "invalid_api_key",
				       "Incorrect API key provided: %s. You can find your API key at "
				       "https://platform.openai.com/account/api-keys." };
	case SIM_ERR_NO_MODEL:
		return (struct shape){ 404, "invalid_request_error", "model_not_found",
				       "The model `%s` does not exist or you do not have access to it." };
	case SIM_ERR_NO_ROUTE: return (struct shape){ 404, "invalid_request_error", NULL, "Invalid URL (%s)" };
	case SIM_ERR_METHOD: return (struct shape){ 405, "invalid_request_error", NULL, "Invalid method for URL (%s)" };
	case SIM_ERR_RATE_LIMIT:
		return (struct shape){ 429, "requests", "rate_limit_exceeded",
				       "Rate limit reached for requests (simulated). Please try again later.%s" };
	case SIM_ERR_SERVER:
		return (struct shape){ 500, "server_error", NULL,
				       "The server had an error while processing your request. Sorry about that!%s" };
	case SIM_ERR_OVERLOADED:
		return (struct shape){ 503, "server_error", NULL,
				       "The engine is currently overloaded, please try again later.%s" };
	case SIM_ERR_BILLING:
		return (struct shape){ 429, "insufficient_quota", "insufficient_quota",
				       "You exceeded your current quota, please check your plan and billing details.%s" };
	}
	return (struct shape){ 500, "server_error", NULL, "%s" };
}

/* Moonshot's error types; an overloaded engine is a 429 */
static struct shape moonshot_shape(enum sim_error e)
{
	struct shape s = openai_shape(e);
	s.code = NULL;
	switch (e) {
	case SIM_ERR_AUTH: s.type = "invalid_authentication_error"; s.fmt = "Invalid Authentication: %s"; break;
	case SIM_ERR_NO_MODEL: s.type = "resource_not_found_error"; s.fmt = "Not found the model %s or Permission denied"; break;
	case SIM_ERR_NO_ROUTE: s.type = "resource_not_found_error"; break;
	case SIM_ERR_RATE_LIMIT: s.type = "rate_limit_reached_error"; break;
	case SIM_ERR_OVERLOADED: s.status = 429; s.type = "engine_overloaded_error"; break;
	case SIM_ERR_BILLING: s.type = "exceeded_current_quota_error"; break;
	default: break;
	}
	return s;
}

/* Z.ai's business codes (its error-code table) */
static struct shape zhipu_shape(enum sim_error e)
{
	switch (e) {
	case SIM_ERR_BAD_REQUEST: return (struct shape){ 400, NULL, "1210", "%s" };
	case SIM_ERR_AUTH: return (struct shape){ 401, NULL, "1002", "Authentication Token illegal: %s" };
	case SIM_ERR_NO_MODEL: return (struct shape){ 400, NULL, "1211", "Unknown Model, please check the model code: %s" };
	case SIM_ERR_NO_ROUTE: return (struct shape){ 404, NULL, "1222", "API %s does not exist" };
	case SIM_ERR_METHOD: return (struct shape){ 405, NULL, "1212", "The model does not support %s" };
	case SIM_ERR_RATE_LIMIT: return (struct shape){ 429, NULL, "1302", "High concurrency usage of this API (simulated)%s" };
	case SIM_ERR_SERVER: return (struct shape){ 500, NULL, "500", "Internal Error (simulated)%s" };
	case SIM_ERR_OVERLOADED: return (struct shape){ 429, NULL, "1312", "The model is overloaded (simulated)%s" };
	case SIM_ERR_BILLING: return (struct shape){ 429, NULL, "1113", "Your account is in arrears (simulated)%s" };
	}
	return (struct shape){ 500, NULL, "500", "%s" };
}

void sim_openai_error(struct sim_reply *r, double at, enum sim_dialect d, enum sim_error e, const char *detail,
		      const char *param, const char *headers)
{
	struct shape s = d == DIALECT_MOONSHOT ? moonshot_shape(e) : d == DIALECT_ZHIPU ? zhipu_shape(e) : openai_shape(e);
	if (d == DIALECT_OPENROUTER && e == SIM_ERR_OVERLOADED)
		s.fmt = "No allowed providers are available for the selected model (simulated)%s";
	if (d == DIALECT_OPENROUTER && e == SIM_ERR_BILLING) {
		s.status = 402;
		s.fmt = "Insufficient credits. Add more using https://openrouter.ai/credits%s";
	}
	char *msg = xasprintf(s.fmt, detail ? detail : "");
	cJSON *o = cJSON_CreateObject();
	cJSON *err = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(err, "message", msg);
	if (d == DIALECT_OPENROUTER) {
		cJSON_AddNumberToObject(err, "code", s.status);
	} else if (d == DIALECT_ZHIPU) {
		cJSON_AddStringToObject(err, "code", s.code);
	} else {
		cJSON_AddStringToObject(err, "type", s.type);
		if (d != DIALECT_MOONSHOT) {
			if (param)
				cJSON_AddStringToObject(err, "param", param);
			else
				cJSON_AddNullToObject(err, "param");
			if (s.code)
				cJSON_AddStringToObject(err, "code", s.code);
			else
				cJSON_AddNullToObject(err, "code");
		}
	}
	sim_reply_json(r, at, s.status, headers, o);
	cJSON_Delete(o);
	free(msg);
}

/* ---- model lists ---- */

/* the date every simulated model is said to be created (2026-01-01) */
#define SIM_CREATED 1767225600

static cJSON *model_json(const struct sim_profile *p)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "id", p->model);
	cJSON_AddStringToObject(m, "object", "model");
	cJSON_AddNumberToObject(m, "created", SIM_CREATED);
	cJSON_AddStringToObject(m, "owned_by", "tokenbench-sim");
	return m;
}

int sim_openai_models(const struct sim_world *w, const char *id, const char *headers, struct sim_reply *r)
{
	cJSON *o;
	if (id) {
		const struct sim_profile *p = sim_find_model(w, id);
		if (!p)
			return -1;
		o = model_json(p);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "object", "list");
		cJSON *data = cJSON_AddArrayToObject(o, "data");
		for (size_t i = 0; i < w->n; i++)
			cJSON_AddItemToArray(data, model_json(&w->profiles[i]));
	}
	sim_reply_json(r, 0, 200, headers, o);
	cJSON_Delete(o);
	return 0;
}

/* USD per million tokens as OpenRouter writes a price: USD per token, in a string */
static void per_token(cJSON *o, const char *key, double per_million)
{
	char s[64];
	snprintf(s, sizeof(s), "%.12g", per_million / 1e6);
	cJSON_AddStringToObject(o, key, s);
}

void sim_openrouter_models(const struct sim_world *w, const char *headers, struct sim_reply *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *data = cJSON_AddArrayToObject(o, "data");
	for (size_t i = 0; i < w->n; i++) {
		const struct sim_profile *p = &w->profiles[i];
		if (!p->wire.priced)
			continue;
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "id", p->model);
		cJSON_AddStringToObject(m, "canonical_slug", p->model);
		cJSON_AddStringToObject(m, "name", p->model);
		cJSON_AddNumberToObject(m, "created", SIM_CREATED);
		cJSON_AddStringToObject(m, "description", "A model simulated by tokenbench sim");
		cJSON_AddNumberToObject(m, "context_length", 200000);
		cJSON *arch = cJSON_AddObjectToObject(m, "architecture");
		cJSON_AddStringToObject(arch, "modality", "text->text");
		cJSON_AddItemToObject(arch, "input_modalities", cJSON_CreateStringArray((const char *[]){ "text" }, 1));
		cJSON_AddItemToObject(arch, "output_modalities", cJSON_CreateStringArray((const char *[]){ "text" }, 1));
		cJSON_AddStringToObject(arch, "tokenizer", "Other");
		cJSON_AddNullToObject(arch, "instruct_type");
		cJSON *pr = cJSON_AddObjectToObject(m, "pricing");
		per_token(pr, "prompt", p->wire.price.input);
		per_token(pr, "completion", p->wire.price.output);
		per_token(pr, "request", 0);
		per_token(pr, "image", 0);
		per_token(pr, "web_search", 0);
		per_token(pr, "internal_reasoning", 0);
		per_token(pr, "input_cache_read", p->wire.price.cached_input);
		per_token(pr, "input_cache_write", p->wire.price.cache_write);
		cJSON *top = cJSON_AddObjectToObject(m, "top_provider");
		cJSON_AddNumberToObject(top, "context_length", 200000);
		cJSON_AddNumberToObject(top, "max_completion_tokens", 32000);
		cJSON_AddFalseToObject(top, "is_moderated");
		cJSON_AddNullToObject(m, "per_request_limits");
		static const char *const params[] = { "max_tokens", "temperature", "seed", "stop", "reasoning" };
		cJSON_AddItemToObject(m, "supported_parameters", cJSON_CreateStringArray(params, p->reasoning_mean > 0 ? 5 : 4));
		cJSON_AddItemToArray(data, m);
	}
	sim_reply_json(r, 0, 200, headers, o);
	cJSON_Delete(o);
}
