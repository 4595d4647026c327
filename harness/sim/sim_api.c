/* sim_api.c - the simulator's endpoints and wire formats.
 *
 *   GET  /v1/models            the simulated models
 *   POST /v1/chat/completions  OpenAI chat completions (stream: true for SSE)
 *   POST /v1/messages          Anthropic messages (x-api-key, anthropic-version)
 *
 * A streamed answer is cut into chunks spread between the time to first
 * token and the end of the answer. Faults are drawn per attempt: the
 * simulator counts how often it has seen each request body.
 *
 * The bash agent's conversations get the prompt cache a provider would
 * give them (prompt_cache), the others the profile's cache_hit_rate. */
#define _GNU_SOURCE
#include "sim/sim_api.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/rng.h"
#include "util/sha256.h"
#include "util/strmap.h"
#include "util/xalloc.h"

#define STREAM_CHUNKS 16

struct sim_api {
	struct sim_world *w;
	struct strmap attempts; /* sha256 of model + body -> times seen */
	struct strmap prefixes; /* sha256 of model, seed and a prompt prefix -> cached */
	unsigned long long served;
};

/* OpenAI caches in steps of this many tokens */
#define CACHE_STEP_TOKENS 128
/* how many blocks before a breakpoint Anthropic looks for a cached prefix */
#define CACHE_LOOKBACK 20

struct sim_api *sim_api_new(struct sim_world *w)
{
	struct sim_api *a = xcalloc(1, sizeof(*a));
	a->w = w;
	strmap_init(&a->attempts);
	strmap_init(&a->prefixes);
	return a;
}

void sim_api_free(struct sim_api *a)
{
	if (!a)
		return;
	strmap_release(&a->attempts);
	strmap_release(&a->prefixes);
	free(a);
}

void sim_reply_release(struct sim_reply *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->seg[i].data);
	free(r->seg);
	memset(r, 0, sizeof(*r));
}

static struct sim_segment *add(struct sim_reply *r, double at, const char *data, size_t len)
{
	XGROW(r->seg, r->cap, r->n + 1);
	struct sim_segment *s = &r->seg[r->n++];
	memset(s, 0, sizeof(*s));
	s->at_ms = at;
	s->data = xstrndup(data ? data : "", len);
	s->len = len;
	return s;
}

int sim_header(const char *head, size_t head_len, const char *name, char *out, size_t outn)
{
	size_t n = strlen(name);
	for (const char *p = head; p < head + head_len;) {
		const char *e = memmem(p, (size_t)(head + head_len - p), "\r\n", 2);
		if (!e)
			break;
		if ((size_t)(e - p) > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t k = (size_t)(e - v) < outn - 1 ? (size_t)(e - v) : outn - 1;
			memcpy(out, v, k);
			out[k] = '\0';
			return 1;
		}
		p = e + 2;
	}
	return 0;
}

/* ---- plain responses ---- */

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

static void respond(struct sim_reply *r, double at, int status, const char *extra_headers, const char *body,
		    size_t len)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		       "Server: tokenbench-sim\r\n%s\r\n",
		   status, reason_phrase(status), len, extra_headers ? extra_headers : "");
	buf_append(&b, body, len);
	add(r, at, b.data, b.len);
	buf_release(&b);
}

/* an error in the protocol's own shape */
static void respond_error(struct sim_reply *r, double at, int anthropic, int status, const char *type,
			  const char *message, const char *extra_headers)
{
	cJSON *o = cJSON_CreateObject();
	if (anthropic)
		cJSON_AddStringToObject(o, "type", "error");
	cJSON *e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(e, anthropic ? "type" : "message", anthropic ? type : message);
	cJSON_AddStringToObject(e, anthropic ? "message" : "type", anthropic ? message : type);
	if (!anthropic)
		cJSON_AddNullToObject(e, "param");
	struct buf b = BUF_INIT;
	json_print(&b, o);
	cJSON_Delete(o);
	respond(r, at, status, extra_headers, b.data, b.len);
	buf_release(&b);
}

static void models(const struct sim_world *w, struct sim_reply *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "object", "list");
	cJSON *data = cJSON_AddArrayToObject(o, "data");
	for (size_t i = 0; i < w->n; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "id", w->profiles[i].model);
		cJSON_AddStringToObject(m, "object", "model");
		cJSON_AddNumberToObject(m, "created", 1767225600);
		cJSON_AddStringToObject(m, "owned_by", "tokenbench-sim");
		cJSON_AddItemToArray(data, m);
	}
	struct buf b = BUF_INIT;
	json_print(&b, o);
	cJSON_Delete(o);
	respond(r, 0, 200, NULL, b.data, b.len);
	buf_release(&b);
}

/* ---- the two protocols' bodies ---- */

struct answer_ctx {
	const char *model, *id;
	const struct sim_answer *a;
	int usage; /* include usage */
};

static cJSON *openai_usage(const struct sim_answer *a)
{
	cJSON *u = cJSON_CreateObject();
	cJSON_AddNumberToObject(u, "prompt_tokens", (double)a->prompt_tokens);
	cJSON_AddNumberToObject(u, "completion_tokens", (double)a->completion_tokens);
	cJSON_AddNumberToObject(u, "total_tokens", (double)(a->prompt_tokens + a->completion_tokens));
	cJSON *pd = cJSON_AddObjectToObject(u, "prompt_tokens_details");
	cJSON_AddNumberToObject(pd, "cached_tokens", (double)a->cached_tokens);
	cJSON_AddNumberToObject(pd, "audio_tokens", 0);
	cJSON *cd = cJSON_AddObjectToObject(u, "completion_tokens_details");
	cJSON_AddNumberToObject(cd, "reasoning_tokens", (double)a->reasoning_tokens);
	cJSON_AddNumberToObject(cd, "audio_tokens", 0);
	cJSON_AddNumberToObject(cd, "accepted_prediction_tokens", 0);
	cJSON_AddNumberToObject(cd, "rejected_prediction_tokens", 0);
	return u;
}

static void openai_body(const struct answer_ctx *c, struct buf *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "object", "chat.completion");
	cJSON_AddNumberToObject(o, "created", (double)time(NULL));
	cJSON_AddStringToObject(o, "model", c->model);
	cJSON *c0 = cJSON_CreateObject();
	cJSON_AddNumberToObject(c0, "index", 0);
	cJSON *msg = cJSON_AddObjectToObject(c0, "message");
	cJSON_AddStringToObject(msg, "role", "assistant");
	cJSON_AddStringToObject(msg, "content", c->a->text);
	cJSON_AddNullToObject(msg, "refusal");
	cJSON_AddNullToObject(c0, "logprobs");
	cJSON_AddStringToObject(c0, "finish_reason", c->a->finish_reason);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "choices"), c0);
	if (c->usage)
		cJSON_AddItemToObject(o, "usage", openai_usage(c->a));
	cJSON_AddStringToObject(o, "system_fingerprint", "fp_tokenbench_sim");
	json_print(b, o);
	cJSON_Delete(o);
}

/* Anthropic: input_tokens excludes cache reads and cache writes */
static cJSON *anthropic_usage(const struct sim_answer *a, int output_only)
{
	cJSON *u = cJSON_CreateObject();
	if (!output_only) {
		cJSON_AddNumberToObject(u, "input_tokens", (double)(a->prompt_tokens - a->cached_tokens - a->cache_write_tokens));
		cJSON_AddNumberToObject(u, "cache_creation_input_tokens", (double)a->cache_write_tokens);
		cJSON_AddNumberToObject(u, "cache_read_input_tokens", (double)a->cached_tokens);
	}
	cJSON_AddNumberToObject(u, "output_tokens", (double)a->completion_tokens);
	return u;
}

static const char *anthropic_stop(const struct sim_answer *a)
{
	return strcmp(a->finish_reason, "length") == 0 ? "max_tokens" : "end_turn";
}

static void anthropic_body(const struct answer_ctx *c, struct buf *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "type", "message");
	cJSON_AddStringToObject(o, "role", "assistant");
	cJSON_AddStringToObject(o, "model", c->model);
	cJSON *blk = cJSON_CreateObject();
	cJSON_AddStringToObject(blk, "type", "text");
	cJSON_AddStringToObject(blk, "text", c->a->text);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "content"), blk);
	cJSON_AddStringToObject(o, "stop_reason", anthropic_stop(c->a));
	cJSON_AddNullToObject(o, "stop_sequence");
	if (c->usage)
		cJSON_AddItemToObject(o, "usage", anthropic_usage(c->a, 0));
	json_print(b, o);
	cJSON_Delete(o);
}

/* ---- streams ---- */

static void chunk(struct buf *b, const char *event, const cJSON *data)
{
	struct buf line = BUF_INIT;
	if (event)
		buf_printf(&line, "event: %s\n", event);
	buf_puts(&line, "data: ");
	json_print(&line, data);
	buf_puts(&line, "\n\n");
	buf_printf(b, "%zx\r\n", line.len);
	buf_append(b, line.data, line.len);
	buf_puts(b, "\r\n");
	buf_release(&line);
}

static void chunk_raw(struct buf *b, const char *text)
{
	buf_printf(b, "%zx\r\n%s\r\n", strlen(text), text);
}

static cJSON *openai_chunk(const struct answer_ctx *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "object", "chat.completion.chunk");
	cJSON_AddNumberToObject(o, "created", (double)time(NULL));
	cJSON_AddStringToObject(o, "model", c->model);
	return o;
}

static void openai_delta(struct buf *b, const struct answer_ctx *c, const char *text, size_t n, const char *finish)
{
	cJSON *o = openai_chunk(c);
	cJSON *c0 = cJSON_CreateObject();
	cJSON_AddNumberToObject(c0, "index", 0);
	cJSON *d = cJSON_AddObjectToObject(c0, "delta");
	if (text) {
		char *t = xstrndup(text, n);
		cJSON_AddStringToObject(d, "content", t);
		free(t);
	}
	if (finish)
		cJSON_AddStringToObject(c0, "finish_reason", finish);
	else
		cJSON_AddNullToObject(c0, "finish_reason");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "choices"), c0);
	chunk(b, NULL, o);
	cJSON_Delete(o);
}

static void anthropic_event(struct buf *b, const char *type, cJSON *o)
{
	cJSON_AddStringToObject(o, "type", type);
	chunk(b, type, o);
	cJSON_Delete(o);
}

/* cuts the answer into timed chunks: headers at once, the first text at the
 * time to first token, the rest spread evenly until the end of the answer */
static void stream(struct sim_reply *r, const struct answer_ctx *c, int anthropic, double ttft, double total,
		   int truncate)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
		     "Transfer-Encoding: chunked\r\nServer: tokenbench-sim\r\n\r\n");
	if (anthropic) {
		cJSON *o = cJSON_CreateObject();
		cJSON *m = cJSON_AddObjectToObject(o, "message");
		cJSON_AddStringToObject(m, "id", c->id);
		cJSON_AddStringToObject(m, "type", "message");
		cJSON_AddStringToObject(m, "role", "assistant");
		cJSON_AddArrayToObject(m, "content");
		cJSON_AddStringToObject(m, "model", c->model);
		cJSON_AddNullToObject(m, "stop_reason");
		cJSON_AddNullToObject(m, "stop_sequence");
		cJSON *u = anthropic_usage(c->a, 0);
		cJSON_ReplaceItemInObject(u, "output_tokens", cJSON_CreateNumber(1));
		cJSON_AddItemToObject(m, "usage", u);
		anthropic_event(&b, "message_start", o);
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "index", 0);
		cJSON *blk = cJSON_AddObjectToObject(o, "content_block");
		cJSON_AddStringToObject(blk, "type", "text");
		cJSON_AddStringToObject(blk, "text", "");
		anthropic_event(&b, "content_block_start", o);
	} else {
		openai_delta(&b, c, "", 0, NULL);
	}
	add(r, 0, b.data, b.len);
	buf_reset(&b);
	const char *text = c->a->text;
	size_t len = strlen(text), per = len / STREAM_CHUNKS + 1;
	int nchunks = (int)((len + per - 1) / per);
	int last = truncate ? nchunks / 2 : nchunks;
	for (int i = 0; i < last; i++) {
		size_t off = (size_t)i * per, n = off + per > len ? len - off : per;
		if (anthropic) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "index", 0);
			cJSON *d = cJSON_AddObjectToObject(o, "delta");
			cJSON_AddStringToObject(d, "type", "text_delta");
			char *t = xstrndup(text + off, n);
			cJSON_AddStringToObject(d, "text", t);
			free(t);
			anthropic_event(&b, "content_block_delta", o);
		} else {
			openai_delta(&b, c, text + off, n, NULL);
		}
		double at = nchunks > 1 ? ttft + (total - ttft) * i / (nchunks - 1) : ttft;
		add(r, at, b.data, b.len);
		buf_reset(&b);
	}
	if (truncate) {
		/* the HTTP body ends cleanly, the event stream does not */
		chunk_raw(&b, "");
		add(r, total, b.data, b.len);
		buf_release(&b);
		return;
	}
	if (anthropic) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "index", 0);
		anthropic_event(&b, "content_block_stop", o);
		o = cJSON_CreateObject();
		cJSON *d = cJSON_AddObjectToObject(o, "delta");
		cJSON_AddStringToObject(d, "stop_reason", anthropic_stop(c->a));
		cJSON_AddNullToObject(d, "stop_sequence");
		if (c->usage)
			cJSON_AddItemToObject(o, "usage", anthropic_usage(c->a, 1));
		anthropic_event(&b, "message_delta", o);
		anthropic_event(&b, "message_stop", cJSON_CreateObject());
	} else {
		openai_delta(&b, c, NULL, 0, c->a->finish_reason);
		if (c->usage) {
			cJSON *o = openai_chunk(c);
			cJSON_AddArrayToObject(o, "choices");
			cJSON_AddItemToObject(o, "usage", openai_usage(c->a));
			chunk(&b, NULL, o);
			cJSON_Delete(o);
		}
		chunk_raw(&b, "data: [DONE]\n\n");
	}
	chunk_raw(&b, "");
	add(r, total, b.data, b.len);
	buf_release(&b);
}

/* ---- requests ---- */

/* the text of a message's content: a string, or Anthropic's list of blocks */
static void content_text(const cJSON *content, struct buf *out)
{
	if (cJSON_IsString(content)) {
		buf_puts(out, content->valuestring);
		return;
	}
	const cJSON *blk;
	cJSON_ArrayForEach(blk, content) {
		const char *t = json_str(blk, "text", NULL);
		if (t)
			buf_puts(out, t);
	}
}

/* whether a message's content (Anthropic's list of blocks) marks a cache breakpoint */
static int has_breakpoint(const cJSON *content)
{
	const cJSON *blk;
	cJSON_ArrayForEach(blk, content)
		if (cJSON_GetObjectItemCaseSensitive(blk, "cache_control"))
			return 1;
	return 0;
}

/* the prompt cache of an agent's conversation, as providers keep it.
 * OpenAI caches every prompt on its own and a later prompt reads the
 * longest prefix seen before, in steps of 128 tokens. Anthropic writes
 * only at the cache_control breakpoints a request marks, and reads the longest prefix written before
 * that ends at a block at most 20 blocks before the last breakpoint; what
 * lies between it and that breakpoint is written. Prefixes end at message
 * boundaries, at least the profile's cache_min tokens long (1,024, as
 * both providers have it), and are keyed by model, seed and the first user
 * message: one sample's conversation never reads another's (not even the
 * system prompt they share, which a provider would serve from its cache to
 * whichever came second), so the figures repeat from run to run. Nothing
 * expires while the simulator runs. */
static void prompt_cache(struct sim_api *a, const struct sim_profile *p, long seed, const struct message *msgs,
			 const int *breakpoint, size_t n, int anthropic, struct sim_answer *ans)
{
	const char *model = p->model;
	char(*keys)[65] = xmalloc((n + 1) * sizeof(*keys));
	long *tokens = xmalloc((n + 1) * sizeof(*tokens));
	struct sha256 h;
	char seed_s[32];
	snprintf(seed_s, sizeof(seed_s), "%ld", seed);
	sha256_init(&h);
	sha256_update(&h, model, strlen(model) + 1);
	sha256_update(&h, seed_s, strlen(seed_s) + 1);
	for (size_t i = 0; i < n; i++)
		if (strcmp(msgs[i].role, "user") == 0) {
			sha256_update(&h, msgs[i].content, strlen(msgs[i].content) + 1);
			break;
		}
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		sha256_update(&h, msgs[i].role, strlen(msgs[i].role) + 1);
		sha256_update(&h, msgs[i].content, strlen(msgs[i].content) + 1);
		bytes += strlen(msgs[i].content);
		struct sha256 at = h;
		sha256_hex(&at, keys[i]);
		tokens[i] = sim_tokens(bytes);
	}
	long seen, read = 0, written = 0;
	int last = -1;
	for (size_t i = 0; i < n; i++)
		if (!anthropic || breakpoint[i])
			last = (int)i;
	for (int i = last; i >= 0 && (!anthropic || i >= last - CACHE_LOOKBACK); i--)
		if (strmap_get(&a->prefixes, keys[i], &seen)) {
			read = tokens[i];
			break;
		}
	if (!anthropic) {
		read = read / CACHE_STEP_TOKENS * CACHE_STEP_TOKENS;
		if (n && tokens[n - 1] >= p->cache_min_tokens)
			strmap_put(&a->prefixes, keys[n - 1], 1);
	} else if (last >= 0 && tokens[last] >= p->cache_min_tokens) {
		written = tokens[last] - read;
		for (size_t i = 0; i < n; i++)
			if (breakpoint[i] && tokens[i] >= p->cache_min_tokens)
				strmap_put(&a->prefixes, keys[i], 1);
	}
	ans->cached_tokens = read;
	ans->cache_write_tokens = written;
	free(keys);
	free(tokens);
}

/* which fault, if any, this attempt of this request gets */
static const struct sim_fault *pick_fault(struct sim_api *a, const struct sim_profile *p, const char *body,
					  size_t len)
{
	if (!p->nfaults)
		return NULL;
	struct sha256 h;
	char key[65];
	sha256_init(&h);
	sha256_update(&h, p->model, strlen(p->model) + 1);
	sha256_update(&h, body, len);
	sha256_hex(&h, key);
	long seen = 0;
	strmap_get(&a->attempts, key, &seen);
	strmap_put(&a->attempts, key, seen + 1);
	struct rng r;
	rng_seed_str(&r, (uint64_t)seen, key, "fault", 0);
	for (size_t i = 0; i < p->nfaults; i++) {
		const struct sim_fault *f = &p->faults[i];
		if (seen < f->first_attempts || (f->rate > 0 && rng_uniform(&r) < f->rate))
			return f;
	}
	return NULL;
}

static void retry_after(const struct sim_fault *f, char *out, size_t n)
{
	if (strcmp(f->retry_after, "date") != 0) {
		snprintf(out, n, "Retry-After: %s\r\n", f->retry_after);
		return;
	}
	time_t t = time(NULL) + 2;
	char d[64];
	strftime(d, sizeof(d), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&t));
	snprintf(out, n, "Retry-After: %s\r\n", d);
}

/* answers a fault; returns 1 when the request is answered by it */
static int fault(const struct sim_fault *f, struct sim_reply *r, int anthropic, const char *key)
{
	char hdr[128];
	switch (f->kind) {
	case FAULT_429:
		retry_after(f, hdr, sizeof(hdr));
		respond_error(r, 5, anthropic, 429, anthropic ? "rate_limit_error" : "rate_limit_exceeded",
			      "Rate limit reached for requests (simulated)", hdr);
		return 1;
	case FAULT_500:
		respond_error(r, 20, anthropic, 500, anthropic ? "api_error" : "server_error",
			      "The server had an error while processing your request (simulated)", NULL);
		return 1;
	case FAULT_503:
		respond_error(r, 20, anthropic, 503, anthropic ? "overloaded_error" : "server_error",
			      "The engine is currently overloaded (simulated)", NULL);
		return 1;
	case FAULT_RESET:
		add(r, 10, NULL, 0)->reset = 1;
		return 1;
	case FAULT_STALL:
		return 1; /* no segment: the client's timeout must end it */
	case FAULT_AUTH_ECHO: {
		char *m = xasprintf("Incorrect API key provided: %s. You can find your API key in your account settings.", key);
		respond_error(r, 5, anthropic, 401, anthropic ? "authentication_error" : "invalid_request_error", m, NULL);
		free(m);
		return 1;
	}
	default:
		return 0; /* the answer itself is spoiled later */
	}
}

static void answer(struct sim_api *a, const struct sim_request *rq, struct sim_reply *r, int anthropic)
{
	char key[256] = "";
	if (anthropic) {
		char version[64];
		sim_header(rq->head, rq->head_len, "x-api-key", key, sizeof(key));
		if (!sim_header(rq->head, rq->head_len, "anthropic-version", version, sizeof(version))) {
			respond_error(r, 0, 1, 400, "invalid_request_error", "anthropic-version: header is required", NULL);
			return;
		}
	} else if (sim_header(rq->head, rq->head_len, "Authorization", key, sizeof(key)) &&
		   strncasecmp(key, "Bearer ", 7) == 0) {
		memmove(key, key + 7, strlen(key + 7) + 1);
	}
	cJSON *req = json_parse(rq->body, rq->body_len);
	const char *model = json_str(req, "model", NULL);
	const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(req, "messages");
	if (!req || !model || !cJSON_IsArray(msgs)) {
		respond_error(r, 0, anthropic, 400, "invalid_request_error",
			      "expected a JSON body with 'model' and 'messages'", NULL);
		goto out;
	}
	const struct sim_profile *p = sim_find_model(a->w, model);
	if (!p) {
		char *m = xasprintf("The model `%s` does not exist", model);
		respond_error(r, 0, anthropic, 404, anthropic ? "not_found_error" : "invalid_request_error", m, NULL);
		free(m);
		goto out;
	}
	long max_tokens = (long)json_num(req, "max_tokens", json_num(req, "max_completion_tokens", 0));
	if (anthropic && max_tokens <= 0) {
		respond_error(r, 0, 1, 400, "invalid_request_error", "max_tokens: Field required", NULL);
		goto out;
	}
	const struct sim_fault *f = pick_fault(a, p, rq->body, rq->body_len);
	if (f && fault(f, r, anthropic, key))
		goto out;
	/* the conversation as text: Anthropic's system prompt first */
	size_t n = (size_t)cJSON_GetArraySize(msgs) + 1, k = 0;
	struct message *conv = xcalloc(n, sizeof(*conv));
	struct buf *texts = xcalloc(n, sizeof(*texts));
	int *breakpoint = xcalloc(n, sizeof(*breakpoint));
	const cJSON *sys = cJSON_GetObjectItemCaseSensitive(req, "system"), *m;
	if (anthropic && sys) {
		content_text(sys, &texts[k]);
		breakpoint[k] = has_breakpoint(sys);
		conv[k] = (struct message){ "system", buf_str(&texts[k]) };
		k++;
	}
	cJSON_ArrayForEach(m, msgs) {
		const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
		content_text(content, &texts[k]);
		breakpoint[k] = has_breakpoint(content);
		conv[k] = (struct message){ json_str(m, "role", ""), buf_str(&texts[k]) };
		k++;
	}
	long seed = (long)json_num(req, "seed", 0);
	/* Anthropic has no seed: a request's content decides, as the sample's metadata does */
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(req, "metadata");
	const char *uid = json_str(meta, "user_id", NULL);
	if (uid)
		seed = strtol(uid + strcspn(uid, "0123456789"), NULL, 10);
	struct sim_answer ans;
	sim_answer(a->w, p, conv, k, seed, max_tokens, &ans);
	if (ans.agent)
		prompt_cache(a, p, seed, conv, breakpoint, k, anthropic, &ans);
	for (size_t i = 0; i < n; i++)
		buf_release(&texts[i]);
	free(texts);
	free(conv);
	free(breakpoint);
	char idsrc[160], hex[65], id[64];
	snprintf(idsrc, sizeof(idsrc), "%s|%ld|%llu", model, seed, a->served++);
	sha256_buf_hex(idsrc, strlen(idsrc), hex);
	snprintf(id, sizeof(id), anthropic ? "msg_%.24s" : "chatcmpl-%.24s", hex);
	struct answer_ctx c = { model, id, &ans, !(f && f->kind == FAULT_NO_USAGE) };
	const cJSON *so = cJSON_GetObjectItemCaseSensitive(req, "stream_options");
	if (!anthropic && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(so, "include_usage")))
		c.usage = c.usage && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "stream"));
	double total = ans.latency_ms;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "stream"))) {
		double ttft = fmax(total * 0.1, total - p->ms_per_output_token * (double)ans.completion_tokens);
		stream(r, &c, anthropic, ttft, total, f && f->kind == FAULT_TRUNCATE);
	} else if (f && f->kind == FAULT_MALFORMED) {
		static const char bad[] = "{\"id\": \"chatcmpl-broken\", \"choices\": [{\"message\": {\"content\": \"trunc";
		respond(r, total, 200, NULL, bad, sizeof(bad) - 1);
	} else {
		struct buf b = BUF_INIT;
		if (anthropic)
			anthropic_body(&c, &b);
		else
			openai_body(&c, &b);
		respond(r, total, 200, NULL, b.data, b.len);
		buf_release(&b);
	}
	sim_answer_release(&ans);
out:
	cJSON_Delete(req);
}

void sim_api_handle(struct sim_api *a, const struct sim_request *rq, struct sim_reply *out)
{
	const char *path = rq->path;
	int post = strcmp(rq->method, "POST") == 0;
	if (strcmp(path, "/v1/models") == 0 || strcmp(path, "/models") == 0)
		models(a->w, out);
	else if (strcmp(path, "/v1/chat/completions") == 0 || strcmp(path, "/chat/completions") == 0)
		post ? answer(a, rq, out, 0) : respond_error(out, 0, 0, 405, "invalid_request_error", "use POST", NULL);
	else if (strcmp(path, "/v1/messages") == 0 || strcmp(path, "/messages") == 0)
		post ? answer(a, rq, out, 1) : respond_error(out, 0, 1, 405, "invalid_request_error", "use POST", NULL);
	else
		respond_error(out, 0, 0, 404, "invalid_request_error", "no such endpoint", NULL);
}
