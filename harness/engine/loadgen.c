/* loadgen.c - the load generator of loadgen.h: one libcurl multi handle,
 * `concurrency` transfers in flight, a new one as soon as one ends (a closed
 * loop, as vLLM's benchmark_serving runs with --max-concurrency). Bodies,
 * the first token and the final usage come from the protocol adapter. */
#define _GNU_SOURCE
#include "engine/loadgen.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/proto.h"
#include "engine/sched_int.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/msg.h"
#include "util/xalloc.h"

/* one transfer in flight, attached with CURLOPT_PRIVATE */
struct lg_xfer {
	const struct proto *proto;
	CURL *easy;
	struct buf resp;
	size_t scan_pos;
	double start_ms;             /* on the clock */
	double ttft_ms;
	char errbuf[CURL_ERROR_SIZE];
};

struct lg {
	const struct loadgen_opts *o;
	struct provider view;        /* the provider with the step's params; its strings borrowed */
	struct curl_slist *hdrs;
	char *url;
	char **bodies;               /* one a prompt */
	CURLM *multi;
	double t0;
	struct lg_xfer **live;       /* in flight */
	size_t nlive, live_cap;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct lg_xfer *x = arg;
	buf_append(&x->resp, data, size * n);
	if (isnan(x->ttft_ms) && x->proto->first_token(x->resp.data, x->resp.len, &x->scan_pos))
		x->ttft_ms = clock_ms() - x->start_ms;
	return size * n;
}

/* the step's request parameters: the provider's, streamed, max_tokens fixed
 * and, for OpenAI's protocol, ignore_eos so that every answer is that long
 * (vLLM, SGLang and the simulator honour it); owned by the caller */
static cJSON *step_params(const struct loadgen_opts *o)
{
	cJSON *p = o->prov->params ? cJSON_Duplicate(o->prov->params, 1) : cJSON_CreateObject();
	static const char *const drop[] = { "stream", "max_tokens", "max_completion_tokens", "ignore_eos",
					    "stream_options" };
	for (size_t i = 0; i < sizeof(drop) / sizeof(*drop); i++)
		cJSON_DeleteItemFromObjectCaseSensitive(p, drop[i]);
	cJSON_AddTrueToObject(p, "stream");
	cJSON_AddNumberToObject(p, "max_tokens", (double)o->output_tokens);
	if (o->prov->wire == PROTOCOL_OPENAI)
		cJSON_AddTrueToObject(p, "ignore_eos");
	return p;
}

static int lg_start(struct lg *g, long index, char **why)
{
	struct lg_xfer *x = xcalloc(1, sizeof(*x));
	x->proto = proto_of(&g->view);
	x->ttft_ms = NAN;
	x->easy = curl_easy_init();
	const char *body = g->bodies[(size_t)index % g->o->nprompts];
	CURL *e = x->easy;
	if (!e) {
		*why = xstrdup("libcurl could not make a transfer handle");
		goto fail;
	}
	if (EASY_SETOPT(e, CURLOPT_URL, g->url, why) < 0 || EASY_SETOPT(e, CURLOPT_POSTFIELDS, body, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body), why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_HTTPHEADER, g->hdrs, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_WRITEFUNCTION, on_body, why) < 0 || EASY_SETOPT(e, CURLOPT_WRITEDATA, x, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_PRIVATE, x, why) < 0 || EASY_SETOPT(e, CURLOPT_ERRORBUFFER, x->errbuf, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_TIMEOUT_MS, (long)(g->o->timeout_s * 1e3), why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, (long)fmin(30000, g->o->timeout_s * 1e3), why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_NOSIGNAL, 1L, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https", why) < 0)
		goto fail;
	x->start_ms = clock_ms();
	CURLMcode mc = curl_multi_add_handle(g->multi, e);
	if (mc != CURLM_OK) {
		*why = xasprintf("curl_multi_add_handle: %s", curl_multi_strerror(mc));
		goto fail;
	}
	XGROW(g->live, g->live_cap, g->nlive + 1);
	g->live[g->nlive++] = x;
	return 0;
fail:
	if (x->easy)
		curl_easy_cleanup(x->easy);
	free(x);
	return -1;
}

/* what a finished transfer measured, into r */
static void lg_measure(struct lg *g, struct lg_xfer *x, CURLcode res, struct load_req *r)
{
	memset(r, 0, sizeof(*r));
	double now = clock_ms();
	r->start_ms = x->start_ms - g->t0;
	r->end_ms = now - g->t0;
	r->ttft_ms = x->ttft_ms;
	long status = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (res != CURLE_OK) {
		snprintf(r->error, sizeof(r->error), "transport: %.100s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
		return;
	}
	if (status != 200) {
		char *msg = x->proto->error_message(buf_str(&x->resp), x->resp.len);
		snprintf(r->error, sizeof(r->error), "http %ld%s%.90s", status, msg ? ": " : "", msg ? msg : "");
		free(msg);
		return;
	}
	struct response resp;
	char *err = NULL;
	response_init(&resp);
	int pr = x->proto->parse(buf_str(&x->resp), x->resp.len, &resp, &err);
	if (pr < 0) {
		snprintf(r->error, sizeof(r->error), "%s: %.80s",
			 pr == -2 ? "stream_truncated" : pr == -3 ? "stream_error" : "bad_body", err ? err : "");
	} else if (isnan(x->ttft_ms)) {
		snprintf(r->error, sizeof(r->error), "no token in the answer");
	} else {
		r->ok = 1;
		r->input_tokens = resp.usage.input + resp.usage.cached_input + resp.usage.cache_write;
		r->output_tokens = resp.usage.output;
		if (resp.usage_missing) {
			/* about four bytes a token, as the request loop estimates */
			r->usage_estimated = 1;
			r->output_tokens = resp.text ? (long)(strlen(resp.text) / 4) : 0;
		}
	}
	free(err);
	response_release(&resp);
}

static void lg_xfer_free(struct lg *g, struct lg_xfer *x)
{
	curl_multi_remove_handle(g->multi, x->easy);
	curl_easy_cleanup(x->easy);
	buf_release(&x->resp);
	free(x);
}

static void step_add(struct load_step *s, const struct load_req *r)
{
	XGROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = *r;
	if (!r->ok)
		s->errors++;
}

/* takes the finished transfers; returns how many ended */
static int lg_drain(struct lg *g, struct load_step *s)
{
	CURLMsg *m;
	int left, ended = 0;
	while ((m = curl_multi_info_read(g->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		struct lg_xfer *x = (void *)priv;
		struct load_req r;
		lg_measure(g, x, m->data.result, &r);
		step_add(s, &r);
		for (size_t i = 0; i < g->nlive; i++)
			if (g->live[i] == x) {
				g->live[i] = g->live[--g->nlive];
				break;
			}
		lg_xfer_free(g, x);
		ended++;
	}
	return ended;
}

/* ends what is still in flight at the step's bound, each as an error */
static void lg_abort(struct lg *g, struct load_step *s)
{
	while (g->nlive > 0) {
		struct lg_xfer *x = g->live[--g->nlive];
		struct load_req r;
		lg_measure(g, x, CURLE_OPERATION_TIMEDOUT, &r);
		snprintf(r.error, sizeof(r.error), "ended at the step's bound (max_seconds + timeout)");
		step_add(s, &r);
		lg_xfer_free(g, x);
		s->aborted = 1;
	}
}

/* g zeroed on entry */
static int lg_init(struct lg *g, const struct loadgen_opts *o)
{
	g->o = o;
	g->view = *o->prov;
	g->view.params = step_params(o);
	const struct proto *pr = proto_of(&g->view);
	g->url = pr->url(&g->view);
	g->hdrs = pr->headers(&g->view, o->key);
	g->bodies = xcalloc(o->nprompts, sizeof(*g->bodies));
	for (size_t i = 0; i < o->nprompts; i++) {
		struct message msg = { "user", o->prompts[i] };
		struct request rq = { &msg, 1, -1, 0 };
		struct buf b = BUF_INIT;
		pr->build_body(&g->view, &rq, &b);
		g->bodies[i] = buf_detach(&b);
	}
	g->multi = curl_multi_init();
	if (!g->multi)
		return error("cannot create a libcurl multi handle");
	char *why = NULL;
	if (MULTI_SETOPT(g->multi, CURLMOPT_MAXCONNECTS, (long)o->concurrency + 16, &why) < 0) {
		error("cannot set up the libcurl multi handle: %s", why);
		free(why);
		return -1;
	}
	return 0;
}

static void lg_release(struct lg *g)
{
	if (g->multi)
		curl_multi_cleanup(g->multi);
	curl_slist_free_all(g->hdrs);
	free(g->url);
	for (size_t i = 0; g->bodies && i < g->o->nprompts; i++)
		free(g->bodies[i]);
	free(g->bodies);
	cJSON_Delete(g->view.params);
	free(g->live);
}

int loadgen_run(const struct loadgen_opts *o, struct load_step *out)
{
	struct lg g;
	memset(&g, 0, sizeof(g));
	memset(out, 0, sizeof(*out));
	int rc = -1, stopped = 0;
	if (o->nprompts == 0 || o->concurrency < 1) {
		error("loadgen: no prompt or no concurrency");
		goto out;
	}
	if (lg_init(&g, o) < 0)
		goto out;
	g.t0 = clock_ms();
	double send_until = g.t0 + o->max_seconds * 1e3;
	double hard_stop = send_until + o->timeout_s * 1e3 + 1000;
	out->stopped_by = "requests";
	for (;;) {
		double now = clock_ms();
		int sending = out->sent < o->max_requests && now < send_until && out->errors < o->max_errors;
		while (sending && g.nlive < (size_t)o->concurrency) {
			char *why = NULL;
			if (lg_start(&g, out->sent, &why) < 0) {
				error("loadgen: %s", why);
				free(why);
				goto out;
			}
			out->sent++;
			sending = out->sent < o->max_requests;
		}
		if (!stopped && !(out->sent < o->max_requests && now < send_until && out->errors < o->max_errors)) {
			stopped = 1;
			out->stop_ms = now - g.t0;
			out->stopped_by = out->errors >= o->max_errors ? "errors" : out->sent >= o->max_requests ? "requests"
												 : "seconds";
		}
		if (g.nlive == 0 && stopped)
			break;
		if (now >= hard_stop) {
			lg_abort(&g, out);
			break;
		}
		int running;
		curl_multi_perform(g.multi, &running);
		lg_drain(&g, out);
		if (g.nlive > 0)
			curl_multi_poll(g.multi, NULL, 0, 50, NULL);
	}
	out->wall_ms = clock_ms() - g.t0;
	rc = 0;
out:
	lg_release(&g);
	return rc;
}
