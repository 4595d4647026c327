/* sim_api.c - the simulator's endpoints: what a request gets back.
 *
 *   POST /v1/chat/completions       OpenAI chat completions, in the model's dialect
 *   POST /v1/messages               Anthropic messages (anthropic-version required)
 *   POST /v1/messages/count_tokens  Anthropic's count of a request's input tokens
 *   GET  /v1/models[/{id}]          the models, as OpenAI lists them, or as
 *                                   Anthropic does when anthropic-version is sent
 *   GET  /api/v1/models             OpenRouter's model list, with prices
 *   (also without /v1, and under /api/v1 as OpenRouter's base URL has it)
 *
 * Errors come in the shape of the API asked (sim_openai.c, sim_anthropic.c),
 * with a request id (OpenAI's x-request-id, Anthropic's request-id) and the
 * rate-limit headers each API documents, counted per model and minute.
 * Faults are drawn per attempt: the simulator counts how often it has seen
 * each request body. Two stand instead, on every request to the model, the
 * models endpoint included: no_model (404, the model not found) and down
 * (after after_answers good answers, every connection reset); a profile
 * with "models_endpoint": false is not served GET /v1/models/{id}. Keys are not required (tokenbench sends none to
 * loopback); auth_echo reads x-api-key or Authorization: Bearer.
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

#include "sim/sim_anthropic.h"
#include "sim/sim_openai.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/rng.h"
#include "util/sha256.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* a model's rate-limit window: what it was asked in the current minute */
struct window {
	double start_ms;
	long requests, tokens;
};

struct sim_api {
	struct sim_world *w;
	struct strmap attempts; /* sha256 of model + body -> times seen */
	struct strmap prefixes; /* sha256 of model, seed and a prompt prefix -> cached */
	struct window *windows; /* one per profile */
	struct sim_serve_state *serving; /* one per profile: its batch (sim_serve.h) */
	long *answered;         /* good answers given, one per profile */
	unsigned long long served;
};

/* OpenAI caches in steps of this many tokens */
#define CACHE_STEP_TOKENS 128
/* how many blocks before a breakpoint Anthropic looks for a cached prefix */
#define CACHE_LOOKBACK 20
/* OpenAI's `n` accepts up to this many choices */
#define MAX_CHOICES 128

struct sim_api *sim_api_new(struct sim_world *w)
{
	struct sim_api *a = xcalloc(1, sizeof(*a));
	a->w = w;
	a->windows = xcalloc(w->n ? w->n : 1, sizeof(*a->windows));
	a->serving = xcalloc(w->n ? w->n : 1, sizeof(*a->serving));
	a->answered = xcalloc(w->n ? w->n : 1, sizeof(*a->answered));
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
	free(a->windows);
	for (size_t i = 0; i < a->w->n; i++)
		sim_serve_state_release(&a->serving[i]);
	free(a->serving);
	free(a->answered);
	free(a);
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

/* a query parameter of the request line (sim.c hands over the path without it) */
static int query_param(const struct sim_request *rq, const char *name, char *out, size_t outn)
{
	const char *eol = memchr(rq->head, '\n', rq->head_len);
	const char *q = eol ? memchr(rq->head, '?', (size_t)(eol - rq->head)) : NULL;
	size_t n = strlen(name);
	while (q && q < eol) {
		q++;
		const char *end = q + strcspn(q, "& \r\n");
		if ((size_t)(end - q) > n && strncmp(q, name, n) == 0 && q[n] == '=') {
			size_t k = (size_t)(end - q) - n - 1 < outn - 1 ? (size_t)(end - q) - n - 1 : outn - 1;
			memcpy(out, q + n + 1, k);
			out[k] = '\0';
			return 1;
		}
		q = *end == '&' ? end : NULL;
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- request ids and response headers ---- */

/* "req_" and 24 hex digits, different for every request */
static void new_request_id(struct sim_api *a, char out[32])
{
	char src[96], hex[65];
	snprintf(src, sizeof(src), "%llu|%ld|%.3f", a->served++, (long)time(NULL), now_ms());
	sha256_buf_hex(src, strlen(src), hex);
	snprintf(out, 32, "req_%.24s", hex);
}

/* a Go-style duration, as OpenAI's x-ratelimit-reset-* headers write one */
static void go_duration(double ms, char *out, size_t n)
{
	if (ms < 1000)
		snprintf(out, n, "%.0fms", ms);
	else if (ms < 60000)
		snprintf(out, n, "%.3gs", ms / 1000);
	else
		snprintf(out, n, "%dm%.3gs", (int)(ms / 60000), fmod(ms, 60000) / 1000);
}

/* what the request counts against the model's limits this minute;
 * the window restarts a minute after it began */
static struct window *count_request(struct sim_api *a, const struct sim_profile *p, long tokens)
{
	struct window *win = &a->windows[p - a->w->profiles];
	double now = now_ms();
	if (win->start_ms == 0 || now - win->start_ms >= 60000) {
		win->start_ms = now;
		win->requests = win->tokens = 0;
	}
	win->requests++;
	win->tokens += tokens;
	return win;
}

/* the response headers: the request id, the model's rate limits (OpenAI's
 * x-ratelimit-*, Anthropic's anthropic-ratelimit-*), then `extra`;
 * malloced */
static char *headers(const char *request_id, const struct sim_profile *p, const struct window *win, int anthropic,
		     const char *extra)
{
	struct buf b = BUF_INIT;
	if (anthropic)
		buf_printf(&b, "request-id: %s\r\n", request_id);
	else if (!p || p->wire.dialect == DIALECT_OPENAI)
		buf_printf(&b, "x-request-id: %s\r\n", request_id);
	if (p && win) {
		long req_left = p->wire.rpm > win->requests ? p->wire.rpm - win->requests : 0;
		long tok_left = p->wire.tpm > win->tokens ? p->wire.tpm - win->tokens : 0;
		double reset_ms = fmax(0, 60000 - (now_ms() - win->start_ms));
		if (anthropic) {
			char when[40];
			time_t t = time(NULL) + (time_t)ceil(reset_ms / 1000);
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
			static const char *const kinds[] = { "tokens", "input-tokens", "output-tokens" };
			buf_printf(&b, "anthropic-ratelimit-requests-limit: %ld\r\nanthropic-ratelimit-requests-remaining: %ld\r\n"
				       "anthropic-ratelimit-requests-reset: %s\r\n", p->wire.rpm, req_left, when);
			for (size_t i = 0; i < 3; i++)
				buf_printf(&b, "anthropic-ratelimit-%s-limit: %ld\r\nanthropic-ratelimit-%s-remaining: %ld\r\n"
					       "anthropic-ratelimit-%s-reset: %s\r\n", kinds[i], p->wire.tpm, kinds[i], tok_left,
					   kinds[i], when);
		} else if (p->wire.dialect == DIALECT_OPENAI) {
			char reset[32];
			go_duration(reset_ms, reset, sizeof(reset));
			buf_printf(&b, "x-ratelimit-limit-requests: %ld\r\nx-ratelimit-limit-tokens: %ld\r\n"
				       "x-ratelimit-remaining-requests: %ld\r\nx-ratelimit-remaining-tokens: %ld\r\n"
				       "x-ratelimit-reset-requests: %s\r\nx-ratelimit-reset-tokens: %s\r\n",
				   p->wire.rpm, p->wire.tpm, req_left, tok_left, reset, reset);
		}
	}
	if (extra)
		buf_puts(&b, extra);
	return buf_detach(&b);
}

/* ---- errors ---- */

struct ctx {
	struct sim_api *a;
	const struct sim_request *rq;
	struct sim_reply *r;
	int anthropic;
	enum sim_dialect dialect;
	char request_id[32];
};

static void fail(struct ctx *x, double at, enum sim_error e, const char *detail, const char *param,
		 const char *hdrs)
{
	char *h = hdrs ? NULL : headers(x->request_id, NULL, NULL, x->anthropic, NULL);
	if (x->anthropic)
		sim_anthropic_error(x->r, at, e, detail, x->request_id, hdrs ? hdrs : h);
	else
		sim_openai_error(x->r, at, x->dialect, e, detail, param, hdrs ? hdrs : h);
	free(h);
}

/* "METHOD PATH", as errors about a route name it */
static void route_fail(struct ctx *x, enum sim_error e)
{
	char *what = xasprintf("%s %s", x->rq->method, x->rq->path);
	fail(x, 0, e, what, NULL, NULL);
	free(what);
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

/* the fault that stands on every request to the model now (no_model, or
 * down once it has answered enough), or NULL */
static const struct sim_fault *standing_fault(const struct sim_api *a, const struct sim_profile *p)
{
	for (size_t i = 0; i < p->nfaults; i++) {
		const struct sim_fault *f = &p->faults[i];
		if (f->kind == FAULT_NO_MODEL ||
		    (f->kind == FAULT_DOWN && a->answered[p - a->w->profiles] >= f->after_answers))
			return f;
	}
	return NULL;
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


/* the conversation as text, Anthropic's system prompt first */
struct conv {
	struct message *msgs;
	struct buf *texts;
	int *breakpoint;
	size_t n;
};

static void conv_read(struct conv *cv, const cJSON *req)
{
	const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(req, "messages"), *m;
	const cJSON *sys = cJSON_GetObjectItemCaseSensitive(req, "system");
	size_t cap = (size_t)cJSON_GetArraySize(msgs) + 1;
	cv->msgs = xcalloc(cap, sizeof(*cv->msgs));
	cv->texts = xcalloc(cap, sizeof(*cv->texts));
	cv->breakpoint = xcalloc(cap, sizeof(*cv->breakpoint));
	cv->n = 0;
	if (sys) {
		content_text(sys, &cv->texts[0]);
		cv->breakpoint[0] = has_breakpoint(sys);
		cv->msgs[0] = (struct message){ "system", buf_str(&cv->texts[0]) };
		cv->n++;
	}
	cJSON_ArrayForEach(m, msgs) {
		const cJSON *content = cJSON_GetObjectItemCaseSensitive(m, "content");
		content_text(content, &cv->texts[cv->n]);
		cv->breakpoint[cv->n] = has_breakpoint(content);
		cv->msgs[cv->n] = (struct message){ json_str(m, "role", ""), buf_str(&cv->texts[cv->n]) };
		cv->n++;
	}
}

static void conv_release(struct conv *cv)
{
	for (size_t i = 0; i < cv->n; i++)
		buf_release(&cv->texts[i]);
	free(cv->texts);
	free(cv->msgs);
	free(cv->breakpoint);
}

/* how far the request lets a reasoning model reason: -1 not at all, 0 as
 * it likes, > 0 at most that many tokens. Anthropic thinks only when
 * `thinking` enables it (budget_tokens) or leaves it to the model
 * (adaptive); OpenAI's reasoning models always reason unless
 * reasoning_effort is "none"; OpenRouter's `reasoning` may turn it off or
 * cap it (max_tokens); DeepSeek, Moonshot, Zhipu and MiniMax turn it off
 * with thinking {"type": "disabled"} */
static long reasoning_budget(const cJSON *req, int anthropic, enum sim_dialect d)
{
	const cJSON *thinking = cJSON_GetObjectItemCaseSensitive(req, "thinking");
	const char *type = json_str(thinking, "type", "");
	if (anthropic) {
		if (strcmp(type, "enabled") == 0)
			return (long)fmax(1, json_num(thinking, "budget_tokens", 1));
		return strcmp(type, "adaptive") == 0 ? 0 : -1;
	}
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(req, "reasoning");
	switch (d) {
	case DIALECT_OPENAI:
		return strcmp(json_str(req, "reasoning_effort", ""), "none") == 0 ? -1 : 0;
	case DIALECT_OPENROUTER:
		if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(rs, "enabled")) ||
		    strcmp(json_str(rs, "effort", ""), "none") == 0)
			return -1;
		return (long)fmax(0, json_num(rs, "max_tokens", 0));
	default:
		return strcmp(type, "disabled") == 0 ? -1 : 0;
	}
}

/* reasoning as text, exactly `tokens` long as sim_tokens counts; malloced */
static char *reasoning_text(long tokens)
{
	static const char *const lines[] = {
		"Let me restate what the task asks and what the tests will check. ",
		"The edge cases are an empty input, a single element and repeated values. ",
		"A first idea: walk the input once and keep only what the answer needs. ",
		"Check that idea against the examples given in the prompt. ",
		"It holds for each of them, so write it cleanly and keep the signature. ",
	};
	size_t want = (size_t)((double)tokens * 3.7);
	while (want > 0 && sim_tokens(want) > tokens)
		want--;
	while (sim_tokens(want + 1) <= tokens)
		want++;
	struct buf b = BUF_INIT;
	for (size_t i = 0; b.len < want; i++)
		buf_puts(&b, lines[i % (sizeof(lines) / sizeof(*lines))]);
	buf_puts(&b, "");
	b.data[b.len = want] = '\0';
	return buf_detach(&b);
}

/* the key the request carries: x-api-key, else Authorization: Bearer; "" when none */
static void request_key(const struct sim_request *rq, char *key, size_t n)
{
	if (sim_header(rq->head, rq->head_len, "x-api-key", key, n))
		return;
	if (sim_header(rq->head, rq->head_len, "Authorization", key, n) && strncasecmp(key, "Bearer ", 7) == 0)
		memmove(key, key + 7, strnlen(key, n) - 7 + 1);
	else
		key[0] = '\0';
}

/* answers with the fault when it replaces the answer; 1 if it did */
static int fault(struct ctx *x, const struct sim_fault *f, const char *key, const struct sim_profile *p,
		 const struct window *win)
{
	enum sim_error e;
	char extra[128] = "";
	switch (f->kind) {
	case FAULT_RESET:
	case FAULT_DOWN:
		sim_reply_add(x->r, 10, NULL, 0)->reset = 1;
		return 1;
	case FAULT_STALL:
		return 1; /* no segment: the client's timeout must end it */
	case FAULT_429:
		e = SIM_ERR_RATE_LIMIT;
		if (strcmp(f->retry_after, "date") != 0) {
			snprintf(extra, sizeof(extra), "Retry-After: %s\r\n", f->retry_after);
		} else {
			time_t t = time(NULL) + 2;
			char d[64];
			strftime(d, sizeof(d), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&t));
			snprintf(extra, sizeof(extra), "Retry-After: %s\r\n", d);
		}
		break;
	case FAULT_500: e = SIM_ERR_SERVER; break;
	case FAULT_503: e = SIM_ERR_OVERLOADED; break;
	case FAULT_AUTH_ECHO: e = SIM_ERR_AUTH; break;
	case FAULT_NO_MODEL: e = SIM_ERR_NO_MODEL; break;
	case FAULT_BILLING: e = SIM_ERR_BILLING; break;
	default: return 0; /* the answer itself is spoiled later */
	}
	char *h = headers(x->request_id, p, win, x->anthropic, extra);
	double at = e == SIM_ERR_RATE_LIMIT || e == SIM_ERR_AUTH ? 5 : 20;
	fail(x, at, e, e == SIM_ERR_AUTH ? key : e == SIM_ERR_NO_MODEL ? p->model : "", NULL, h);
	free(h);
	return 1;
}

/* the request's body as JSON with its model, or NULL when it answered an error */
static cJSON *read_body(struct ctx *x, const struct sim_profile **p, int need_messages)
{
	cJSON *req = json_parse(x->rq->body, x->rq->body_len);
	if (!cJSON_IsObject(req)) {
		fail(x, 0, SIM_ERR_BAD_REQUEST,
		     "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
		     "HTTP library correctly.)", NULL, NULL);
		goto fail;
	}
	const char *model = json_str(req, "model", NULL);
	if (!model) {
		fail(x, 0, SIM_ERR_BAD_REQUEST, x->anthropic ? "model: Field required" : "you must provide a model parameter",
		     "model", NULL);
		goto fail;
	}
	if (need_messages && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(req, "messages"))) {
		fail(x, 0, SIM_ERR_BAD_REQUEST,
		     x->anthropic ? "messages: Field required" : "Missing required parameter: 'messages'.", "messages", NULL);
		goto fail;
	}
	*p = sim_find_model(x->a->w, model);
	if (!*p) {
		fail(x, 0, SIM_ERR_NO_MODEL, model, NULL, NULL);
		goto fail;
	}
	if (!x->anthropic)
		x->dialect = (*p)->wire.dialect;
	return req;
fail:
	cJSON_Delete(req);
	return NULL;
}

/* the seed a request carries: OpenAI's seed, or the number in Anthropic's metadata.user_id */
static long request_seed(const cJSON *req)
{
	long seed = (long)json_num(req, "seed", 0);
	const char *uid = json_str(cJSON_GetObjectItemCaseSensitive(req, "metadata"), "user_id", NULL);
	if (uid)
		seed = strtol(uid + strcspn(uid, "0123456789"), NULL, 10);
	return seed;
}

/* the times of an answer from a served profile: its batch decides them
 * (sim_serve.c); with vLLM's ignore_eos the answer is max_tokens long */
static void serve_pace(struct sim_api *a, const struct sim_profile *p, const cJSON *req, long max_tokens,
		       struct sim_answer *ans, struct sim_call *c)
{
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "ignore_eos")))
		for (size_t i = 0; i < c->n; i++)
			sim_serve_pad(&ans[i], max_tokens);
	long out = 0;
	for (size_t i = 0; i < c->n; i++)
		out = ans[i].completion_tokens > out ? ans[i].completion_tokens : out;
	sim_serve_admit(&a->serving[p - a->w->profiles], &p->serve, now_ms(), ans[0].prompt_tokens, out, &c->ttft_ms,
			&c->total_ms);
}

static void answer(struct ctx *x)
{
	struct sim_api *a = x->a;
	char key[256];
	request_key(x->rq, key, sizeof(key));
	const struct sim_profile *p;
	cJSON *req = read_body(x, &p, 1);
	if (!req)
		return;
	struct sim_answer *ans = NULL;
	char **reasoning = NULL;
	size_t n = 0;
	char *h = NULL;
	long max_tokens = (long)json_num(req, "max_tokens", json_num(req, "max_completion_tokens", 0));
	if (x->anthropic && max_tokens <= 0) {
		fail(x, 0, SIM_ERR_BAD_REQUEST, "max_tokens: Field required", "max_tokens", NULL);
		goto out;
	}
	double nchoices = x->anthropic ? 1 : json_num(req, "n", 1);
	if (nchoices < 1 || nchoices > MAX_CHOICES || nchoices != floor(nchoices)) {
		fail(x, 0, SIM_ERR_BAD_REQUEST, "n: must be an integer between 1 and 128", "n", NULL);
		goto out;
	}
	struct conv cv;
	conv_read(&cv, req);
	long prompt = sim_prompt_tokens(cv.msgs, cv.n);
	const struct window *win = count_request(a, p, prompt + max_tokens);
	const struct sim_fault *f = standing_fault(a, p);
	if (!f)
		f = pick_fault(a, p, x->rq->body, x->rq->body_len);
	if (f && fault(x, f, key, p, win)) {
		conv_release(&cv);
		goto out;
	}
	long seed = request_seed(req), budget = reasoning_budget(req, x->anthropic, x->dialect);
	n = (size_t)nchoices;
	ans = xcalloc(n, sizeof(*ans));
	reasoning = xcalloc(n, sizeof(*reasoning));
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		/* each further choice draws as another sample would */
		sim_answer(a->w, p, cv.msgs, cv.n, seed + 1000003L * (long)i, max_tokens, budget, &ans[i]);
		if (ans[i].reasoning_tokens > 0)
			reasoning[i] = reasoning_text(ans[i].reasoning_tokens);
		total = fmax(total, ans[i].latency_ms);
	}
	if (ans[0].agent)
		prompt_cache(a, p, seed, cv.msgs, cv.breakpoint, cv.n, x->anthropic, &ans[0]);
	conv_release(&cv);
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(req, "reasoning");
	struct sim_call c = {
		.p = p,
		.model = p->model,
		.created = (long)time(NULL),
		.ans = ans,
		.reasoning = reasoning,
		.n = n,
		.stream = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "stream")),
		.usage = !(f && f->kind == FAULT_NO_USAGE),
		.stream_usage = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(req, "stream_options"), "include_usage")),
		.reasoning_split = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req, "reasoning_split")),
		.hide_reasoning = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rs, "exclude")),
		.spoil = !f ? SPOIL_NONE : f->kind == FAULT_TRUNCATE ? SPOIL_TRUNCATE
				       : f->kind == FAULT_STREAM_ERROR ? SPOIL_STREAM_ERROR
				       : f->kind == FAULT_MALFORMED ? SPOIL_MALFORMED : SPOIL_NONE,
		.total_ms = total,
	};
	c.ttft_ms = fmax(total * 0.1, total - p->ms_per_output_token * (double)ans[0].completion_tokens);
	if (p->serve.on && a->w->latency_override_ms < 0)
		serve_pace(a, p, req, max_tokens, ans, &c);
	/* ids: chatcmpl- (OpenAI), gen- (OpenRouter), msg_ (Anthropic) */
	snprintf(c.id, sizeof(c.id), "%s%.24s", x->anthropic ? "msg_" : x->dialect == DIALECT_OPENROUTER ? "gen-" : "chatcmpl-",
		 x->request_id + 4);
	char extra[128] = "";
	if (!x->anthropic && x->dialect == DIALECT_OPENROUTER)
		snprintf(extra, sizeof(extra), "X-Generation-Id: %s\r\n", c.id);
	h = headers(x->request_id, p, win, x->anthropic, extra);
	c.headers = h;
	if (!f)
		a->answered[p - a->w->profiles]++;
	if (x->anthropic)
		sim_anthropic_answer(&c, x->r);
	else
		sim_openai_answer(&c, x->dialect, x->r);
out:
	for (size_t i = 0; i < n; i++) {
		sim_answer_release(&ans[i]);
		free(reasoning[i]);
	}
	free(ans);
	free(reasoning);
	free(h);
	cJSON_Delete(req);
}

/* POST /v1/messages/count_tokens: the input tokens /v1/messages would report
 * for the same request (input_tokens plus the cache's reads and writes) */
static void count_tokens(struct ctx *x)
{
	const struct sim_profile *p;
	cJSON *req = read_body(x, &p, 1);
	if (!req)
		return;
	struct conv cv;
	conv_read(&cv, req);
	char *h = headers(x->request_id, NULL, NULL, 1, NULL);
	sim_anthropic_count(sim_prompt_tokens(cv.msgs, cv.n), h, x->r);
	free(h);
	conv_release(&cv);
	cJSON_Delete(req);
}

/* what a model's standing faults make of a request to the models endpoint
 * (a key refused on every request included); 1 if they answered it */
static int models_fault(struct ctx *x, const char *id)
{
	const struct sim_profile *p = id ? sim_find_model(x->a->w, id) : NULL;
	if (!p)
		return 0;
	if (p->no_models_endpoint) {
		route_fail(x, SIM_ERR_NO_ROUTE);
		return 1;
	}
	const struct sim_fault *f = standing_fault(x->a, p);
	for (size_t i = 0; !f && i < p->nfaults; i++)
		if (p->faults[i].kind == FAULT_AUTH_ECHO && p->faults[i].rate >= 1)
			f = &p->faults[i];
	if (!f)
		return 0;
	char key[256] = "";
	request_key(x->rq, key, sizeof(key));
	return fault(x, f, key, p, NULL);
}

static void models(struct ctx *x, const char *id)
{
	if (models_fault(x, id))
		return;
	char *h = headers(x->request_id, NULL, NULL, x->anthropic, NULL);
	int rc;
	if (x->anthropic) {
		char after[256] = "", before[256] = "", limit[32] = "";
		query_param(x->rq, "after_id", after, sizeof(after));
		query_param(x->rq, "before_id", before, sizeof(before));
		long n = query_param(x->rq, "limit", limit, sizeof(limit)) ? strtol(limit, NULL, 10) : 20;
		if (n < 1 || n > 1000) {
			fail(x, 0, SIM_ERR_BAD_REQUEST, "limit: Input should be between 1 and 1000", "limit", h);
			free(h);
			return;
		}
		rc = sim_anthropic_models(x->a->w, id, after[0] ? after : NULL, before[0] ? before : NULL, n, h, x->r);
	} else {
		rc = sim_openai_models(x->a->w, id, h, x->r);
	}
	if (rc < 0)
		fail(x, 0, SIM_ERR_NO_MODEL, id ? id : "(cursor)", NULL, h);
	free(h);
}

/* the path without OpenRouter's /api/v1 or the /v1 prefix */
static const char *route_of(const char *path, int *openrouter)
{
	*openrouter = strncmp(path, "/api/v1/", 8) == 0;
	if (*openrouter)
		return path + 7;
	return strncmp(path, "/v1/", 4) == 0 ? path + 3 : path;
}

void sim_api_handle(struct sim_api *a, const struct sim_request *rq, struct sim_reply *out)
{
	char version[64];
	int openrouter, get = strcmp(rq->method, "GET") == 0, post = strcmp(rq->method, "POST") == 0;
	const char *route = route_of(rq->path, &openrouter);
	struct ctx x = { a, rq, out, 0, DIALECT_OPENAI, "" };
	/* Anthropic's clients send anthropic-version with every request */
	x.anthropic = sim_header(rq->head, rq->head_len, "anthropic-version", version, sizeof(version)) ||
		      strncmp(route, "/messages", 9) == 0;
	if (openrouter)
		x.dialect = DIALECT_OPENROUTER;
	new_request_id(a, x.request_id);
	if (strcmp(route, "/chat/completions") == 0) {
		x.anthropic = 0;
		post ? answer(&x) : route_fail(&x, SIM_ERR_METHOD);
	} else if (strcmp(route, "/messages") == 0 || strcmp(route, "/messages/count_tokens") == 0) {
		if (!post)
			route_fail(&x, SIM_ERR_METHOD);
		else if (!sim_header(rq->head, rq->head_len, "anthropic-version", version, sizeof(version)))
			fail(&x, 0, SIM_ERR_BAD_REQUEST, "anthropic-version: header is required", NULL, NULL);
		else if (route[9] == '/')
			count_tokens(&x);
		else
			answer(&x);
	} else if (strcmp(route, "/models") == 0 && openrouter) {
		char *h = headers(x.request_id, NULL, NULL, 0, NULL);
		get ? sim_openrouter_models(a->w, h, out) : route_fail(&x, SIM_ERR_METHOD);
		free(h);
	} else if (strcmp(route, "/models") == 0 || strncmp(route, "/models/", 8) == 0) {
		get ? models(&x, route[7] ? route + 8 : NULL) : route_fail(&x, SIM_ERR_METHOD);
	} else {
		route_fail(&x, SIM_ERR_NO_ROUTE);
	}
}
