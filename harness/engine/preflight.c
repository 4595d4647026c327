/* preflight.c - one cheap request per provider before a run (preflight.h).
 *
 * First GET {base_url}/models/{model}, which OpenAI and Anthropic both
 * serve (base_url ends in /v1): a 2xx says the URL answers, the key is
 * accepted and the model exists. A 404 there is "model not found" only
 * when the body says so (OpenAI's code model_not_found, Anthropic's
 * not_found_error "model: ..."): some OpenAI-compatible servers do not
 * serve the endpoint at all, and they, like a 5xx or another 4xx from it,
 * get a one-token completion instead, whose cost the caller counts in the
 * budget. A refused connection, a DNS or TLS failure, a refused key
 * (401/403), billing (402, insufficient_quota) or a missing model fail the
 * provider with its own message, the key redacted. One libcurl multi loop
 * asks every provider at once; each request is bounded (preflight.h). */
#define _GNU_SOURCE
#include "engine/preflight.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "engine/breaker.h"
#include "engine/proto.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

/* one provider's check in flight */
struct check {
	struct preflight_result *res;
	const char *key;         /* borrowed from the environment; may be NULL */
	CURL *easy;
	struct curl_slist *hdrs;
	char *url, *body;
	struct buf resp;
	char errbuf[CURL_ERROR_SIZE];
	double t0_ms;
	int done;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct check *c = arg;
	/* an error body or a model is small: a provider that streams more is cut off */
	if (c->resp.len < (1u << 20))
		buf_append(&c->resp, data, size * n);
	return size * n;
}

/* a one-token completion's body: the provider's own parameters, with its
 * answer's length cut to one token where the body names it (a thinking
 * budget needs more, so Anthropic's with thinking keeps its own); malloced */
static char *completion_body(const struct provider *p)
{
	struct message m[1] = { { "user", "Reply with OK." } };
	struct request rq = { m, 1, 0, 0 };
	struct buf b = BUF_INIT;
	proto_of(p)->build_body(p, &rq, &b);
	cJSON *o = json_parse(buf_str(&b), b.len);
	buf_release(&b);
	if (!o)
		return NULL;
	const char *field = cJSON_GetObjectItemCaseSensitive(o, "max_completion_tokens") ? "max_completion_tokens"
			    : cJSON_GetObjectItemCaseSensitive(o, "max_tokens")	      ? "max_tokens"
											      : NULL;
	if (field && !cJSON_GetObjectItemCaseSensitive(o, "thinking"))
		cJSON_ReplaceItemInObjectCaseSensitive(o, field, cJSON_CreateNumber(1));
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* starts c's request: the models endpoint, or (completion) a one-token
 * completion; 0, or -1 with the result's detail set */
static int check_start(CURLM *multi, struct check *c, int completion)
{
	const struct provider *p = c->res->prov;
	curl_easy_cleanup(c->easy);
	free(c->url);
	free(c->body);
	c->body = NULL;
	buf_reset(&c->resp);
	c->errbuf[0] = '\0';
	c->res->method = completion ? "completion" : "models";
	if (completion) {
		c->url = proto_of(p)->url(p);
		c->body = completion_body(p);
	} else {
		char *path = xasprintf("/models/%s", p->model);
		c->url = proto_url(p, path);
		free(path);
	}
	c->easy = curl_easy_init();
	long timeout_ms = (long)(p->timeout_s * 1e3);
	if (timeout_ms <= 0 || timeout_ms > PREFLIGHT_REQUEST_S * 1000L)
		timeout_ms = PREFLIGHT_REQUEST_S * 1000L;
	if (!c->easy || (completion && !c->body) ||
	    curl_easy_setopt(c->easy, CURLOPT_URL, c->url) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->hdrs) != CURLE_OK ||
	    (completion && curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body) != CURLE_OK) ||
	    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_PRIVATE, c) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_ERRORBUFFER, c->errbuf) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_CONNECTTIMEOUT_MS, PREFLIGHT_CONNECT_S * 1000L) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION) != CURLE_OK ||
	    curl_easy_setopt(c->easy, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_multi_add_handle(multi, c->easy) != CURLM_OK) {
		c->res->detail = xasprintf("the %s request to %s could not be set up", c->res->method, c->url);
		c->done = 1;
		return -1;
	}
	return 0;
}

/* the verdict is in: detail (taken) says what failed, NULL when it passed */
static void check_end(struct check *c, char *detail)
{
	c->res->ok = detail == NULL;
	msg_redact(detail, c->key);
	c->res->detail = detail;
	c->res->ms = clock_ms() - c->t0_ms;
	c->done = 1;
}

/* the completion's answer: its tokens priced */
static void take_completion(struct check *c)
{
	const struct provider *p = c->res->prov;
	struct response r;
	response_init(&r);
	char *err = NULL;
	if (proto_of(p)->parse(buf_str(&c->resp), c->resp.len, &r, &err) < 0) {
		/* it answered 2xx: the URL, key and model are fine; the sample's own
		 * parse will say more if this persists */
		free(err);
	} else {
		c->res->usage = r.usage;
		price_answer(&p->price, &r.usage, r.cost_usd, r.usage_missing, &c->res->cost_usd);
	}
	response_release(&r);
}

/* what a 404 from the models endpoint means: the model is missing (1), or
 * the endpoint may not be served at all (0) */
static int model_missing(const struct provider *p, const char *code, const char *msg)
{
	if (code && strcmp(code, "model_not_found") == 0)
		return 1;
	return p->wire == PROTOCOL_ANTHROPIC && code && strcmp(code, "not_found_error") == 0 && msg &&
	       strncmp(msg, "model:", 6) == 0;
}

/* a finished request: a verdict, or the completion after the models endpoint */
static void check_done(CURLM *multi, struct check *c, CURLcode rc)
{
	long status = 0;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(multi, c->easy);
	c->res->http_status = rc == CURLE_OK ? status : 0;
	const char *what = c->res->method[0] == 'm' ? "GET" : "POST";
	if (rc != CURLE_OK) {
		check_end(c, xasprintf("%s %s: %s", what, c->url, c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc)));
		return;
	}
	int models = c->res->method[0] == 'm';
	if (status >= 200 && status < 300) {
		if (!models)
			take_completion(c);
		check_end(c, NULL);
		return;
	}
	char *msg = proto_of(c->res->prov)->error_message(buf_str(&c->resp), c->resp.len);
	char *code = proto_error_code(buf_str(&c->resp), c->resp.len);
	char *detail = xasprintf("HTTP %ld from %s %s: %.300s", status, what, c->url, msg ? msg : buf_str(&c->resp));
	enum breaker_class bc = breaker_classify(NULL, status, code);
	if (models && status == 404 && model_missing(c->res->prov, code, msg)) {
		check_end(c, detail);
	} else if (models && status != 429 && (status == 404 || bc != BREAKER_CERTAIN)) {
		/* not settled by the models endpoint: ask for one token */
		msg_redact(detail, c->key);
		c->res->fallback = detail;
		(void)check_start(multi, c, 1); /* a failure to set it up is the verdict */
	} else if (bc == BREAKER_NEUTRAL && status == 429) {
		/* rate-limited, not refused: the key and the model were accepted */
		c->res->fallback = c->res->fallback ? c->res->fallback : xstrdup(detail);
		msg_redact(c->res->fallback, c->key);
		free(detail);
		check_end(c, NULL);
	} else {
		check_end(c, detail);
	}
	free(msg);
	free(code);
}

int preflight_run(const struct provider *const *v, size_t n, struct preflight_result *res)
{
	CURLM *multi = curl_multi_init();
	if (!multi)
		return error("cannot create a libcurl multi handle");
	struct check *cs = xcalloc(n + 1, sizeof(*cs));
	for (size_t i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].prov = v[i];
		struct check *c = &cs[i];
		c->res = &res[i];
		c->key = getenv(v[i]->api_key_env);
		if (c->key && !*c->key)
			c->key = NULL;
		c->hdrs = proto_of(v[i])->headers(v[i], c->key);
		c->t0_ms = clock_ms();
		(void)check_start(multi, c, 0); /* a failure to set it up is the verdict */
	}
	/* each request has its own timeout; this bounds the loop should one not fire */
	double deadline = clock_ms() + 2 * PREFLIGHT_REQUEST_S * 1000.0 + 5000;
	int running = 1;
	while (clock_ms() < deadline) {
		curl_multi_perform(multi, &running);
		CURLMsg *m;
		int left, finished = 0;
		while ((m = curl_multi_info_read(multi, &left)))
			if (m->msg == CURLMSG_DONE) {
				char *priv = NULL;
				curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
				void *c = priv;
				check_done(multi, c, m->data.result);
				finished++;
			}
		if (finished)
			continue; /* a completion may have been added: perform again */
		if (!running)
			break;
		curl_multi_poll(multi, NULL, 0, 200, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		struct check *c = &cs[i];
		if (!c->done)
			check_end(c, xasprintf("no verdict from %s within %d s", c->url, 2 * PREFLIGHT_REQUEST_S));
		if (c->easy) {
			curl_multi_remove_handle(multi, c->easy);
			curl_easy_cleanup(c->easy);
		}
		curl_slist_free_all(c->hdrs);
		free(c->url);
		free(c->body);
		buf_release(&c->resp);
	}
	free(cs);
	curl_multi_cleanup(multi);
	return 0;
}

void preflight_release(struct preflight_result *res, size_t n)
{
	if (!res)
		return;
	for (size_t i = 0; i < n; i++) {
		free(res[i].detail);
		free(res[i].fallback);
		res[i].detail = res[i].fallback = NULL;
	}
}

cJSON *preflight_json(const struct preflight_result *res, size_t n)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		const struct preflight_result *r = &res[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "provider", r->prov->name);
		cJSON_AddBoolToObject(o, "ok", r->ok);
		cJSON_AddStringToObject(o, "method", r->method ? r->method : "models");
		cJSON_AddNumberToObject(o, "http_status", (double)r->http_status);
		if (r->detail)
			cJSON_AddStringToObject(o, "detail", r->detail);
		if (r->fallback)
			cJSON_AddStringToObject(o, "fallback", r->fallback);
		cJSON_AddNumberToObject(o, "ms", r->ms);
		if (strcmp(r->method ? r->method : "", "completion") == 0) {
			usage_add_json(o, &r->usage);
			json_add_num(o, "cost_usd", r->cost_usd);
		}
		cJSON_AddItemToArray(list, o);
	}
	return list;
}
