/* transfer.c - a turn's request on its way: the body (the whole
 * conversation) and its worst case, the libcurl transfer with every option
 * checked, the stream's first token, retries with backoff, and the
 * response cache.
 *
 * Paid-for responses are never lost: a usable body is written to the
 * cache before the job leaves the transfer stage, so a run killed at any
 * point finds it again on resume instead of paying twice.
 *
 * Every outcome is classed for the provider's circuit breaker (breaker.c);
 * while it is paused, a failed request waits in its queue instead of
 * spending its attempts. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/prompt.h"
#include "engine/sched_int.h"
#include "rundir/cache.h"
#include "util/clock.h"
#include "util/msg.h"
#include "util/secret.h"
#include "util/xalloc.h"

int transfer_opt_result(int ok, const char *option, const char *said, char **why)
{
	if (ok)
		return 0;
	if (why) {
		free(*why);
		*why = xasprintf("%s: %s", option, said);
	}
	return -1;
}

/* the sample's first turn: the task's prompt, rendered once */
static int render_first(struct sched *s, struct job *j)
{
	struct prompt first;
	struct prompt_opts po = { s->o->repos, s->o->edit_format, s->o->agent };
	if (prompt_render(&first, j->it->task, &po) < 0)
		return -1;
	j->system = xstrdup(first.system);
	j->user = xstrdup(first.user);
	prompt_release(&first);
	if (j->ag)
		agent_job_begin(s, j);
	return 0;
}

int transfer_prepare(struct sched *s, struct job *j)
{
	if (j->body)
		return 0;
	double t0 = clock_ms();
	const struct plan_item *it = j->it;
	if (!j->user && render_first(s, j) < 0)
		return -1;
	size_t n = 2 + j->nconv;
	struct message *msgs = xcalloc(n, sizeof(*msgs));
	msgs[0] = (struct message){ "system", j->system };
	msgs[1] = (struct message){ "user", j->user };
	for (size_t i = 0; i < j->nconv; i++)
		msgs[i + 2] = (struct message){ j->conv[i].role, j->conv[i].content };
	struct request rq = { msgs, n, s->o->seed + it->sample, j->ag != NULL };
	struct buf body = BUF_INIT;
	proto_of(it->prov)->build_body(it->prov, &rq, &body);
	/* worst case: every prompt byte a token, plus chat framing, plus
	 * max_tokens (price_worst: a prompt marked for the cache may be billed
	 * as cache writes) */
	j->prompt_bytes = 0;
	for (size_t i = 0; i < n; i++)
		j->prompt_bytes += strlen(msgs[i].content) + 16;
	free(msgs);
	long max_out = provider_max_tokens(it->prov);
	j->worst_usd = price_worst(&it->prov->price, (long)j->prompt_bytes + 64, max_out, rq.cache_prefix);
	/* providers count a request's tokens as its prompt plus max_tokens */
	j->worst_tokens = (double)j->prompt_bytes / 4 + (double)max_out;
	j->body = buf_detach(&body);
	j->url = proto_of(it->prov)->url(it->prov);
	cache_key(it->prov->protocol, j->url, j->body, it->sample, j->key);
	if (j->ag)
		agent_job_overhead(j->ag, t0);
	j->ready_ms = clock_ms();
	return 0;
}

/* the largest body the provider's responses may have, decoded */
static size_t body_limit(const struct provider *p)
{
	return p->max_response_bytes ? p->max_response_bytes : PROVIDER_MAX_RESPONSE_BYTES;
}

/* curl hands over decoded bytes (CURLOPT_ACCEPT_ENCODING), so a gzip bomb
 * stops here: returning less than it gave aborts the transfer
 * (CURLE_WRITE_ERROR), and nothing beyond the limit is held or cached.
 * An event stream's lines are bounded by the same limit */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	if (size * n > body_limit(j->it->prov) - j->resp.len) {
		j->too_large = 1;
		return 0;
	}
	buf_append(&j->resp, data, size * n);
	/* a stream's first token: the time to it is the latency a user feels */
	if (isnan(j->ttft_ms) && j->s->pq[j->pq].streams &&
	    proto_of(j->it->prov)->first_token(j->resp.data, j->resp.len, &j->scan_pos))
		j->ttft_ms = clock_ms() - j->start_ms;
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	rl_headers_parse(&j->rl, data, size * n);
	return size * n;
}

/* the transfer's options, each checked; 0, or -1 with *why */
static int set_options(struct job *j, const struct provider *p, char **why)
{
	CURL *e = j->easy;
	if (EASY_SETOPT(e, CURLOPT_URL, j->url, why) < 0 || EASY_SETOPT(e, CURLOPT_POSTFIELDS, j->body, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(j->body), why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_HTTPHEADER, j->hdrs, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_WRITEFUNCTION, on_body, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_WRITEDATA, j, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_HEADERFUNCTION, on_header, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_HEADERDATA, j, why) < 0 || EASY_SETOPT(e, CURLOPT_PRIVATE, j, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_ERRORBUFFER, j->errbuf, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_TIMEOUT_MS, (long)(p->timeout_s * 1e3), why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, 30000L, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_NOSIGNAL, 1L, why) < 0 || EASY_SETOPT(e, CURLOPT_ACCEPT_ENCODING, "", why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION, why) < 0 ||
	    EASY_SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https", why) < 0)
		return -1;
	return 0;
}

int transfer_start(struct sched *s, struct job *j, char **why)
{
	struct provq *q = &s->pq[j->pq];
	const struct provider *p = j->it->prov;
	if (!j->easy)
		j->easy = curl_easy_init();
	if (!j->easy) {
		*why = xstrdup("libcurl could not make a transfer handle");
		return -1;
	}
	if (!j->hdrs)
		j->hdrs = proto_of(p)->headers(p, q->key);
	buf_reset(&j->resp);
	j->too_large = 0;
	rl_headers_init(&j->rl);
	j->scan_pos = 0;
	j->ttft_ms = NAN;
	j->errbuf[0] = '\0';
	if (set_options(j, p, why) < 0)
		return -1;
	CURLMcode mc = curl_multi_add_handle(s->multi, j->easy);
	if (mc != CURLM_OK) {
		*why = xasprintf("curl_multi_add_handle: %s", curl_multi_strerror(mc));
		return -1;
	}
	j->attempts++;
	j->start_ms = clock_ms();
	j->wait_ms += j->start_ms - j->ready_ms;
	ratelimit_take(&q->rl, j->start_ms, j->worst_tokens);
	s->reserved_usd += j->worst_usd;
	q->in_flight++;
	s->in_flight++;
	s->st->requests++;
	return 0;
}

static int retryable(CURLcode rc, long status)
{
	if (rc == CURLE_OK)
		return status == 408 || status == 409 || status == 429 || status >= 500;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_COULDNT_RESOLVE_HOST:
		return 1;
	default:
		return 0;
	}
}

static const char *curl_kind(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT: return "timeout";
	case CURLE_COULDNT_CONNECT: return "connect";
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY: return "dns";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return "tls";
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE: return "connection";
	default: return "transport";
	}
}

/* exponential backoff with jitter (the run's generator, seeded from
 * --seed), or what the server asked for */
static double backoff_ms(struct sched *s, const struct job *j)
{
	if (j->rl.retry_after_ms >= 0)
		return fmin(j->rl.retry_after_ms, 300e3);
	double base = 500 * pow(2, j->attempts - 1);
	return fmin(base, 60e3) * (0.5 + rng_uniform(&s->jitter));
}

/* a failed attempt (bc: what it says of the provider): try again later, or
 * wait while the provider is paused, or record the error */
static void attempt_failed(struct sched *s, struct job *j, int retry, const char *kind, char *detail,
			   enum breaker_class bc)
{
	double now = clock_ms();
	msg_redact(detail, s->pq[j->pq].key);
	char *why = xasprintf("%s: %.200s", kind, detail ? detail : "");
	int paused = sched_breaker_record(s, j, bc, why);
	free(why);
	if (paused || (retry && j->attempts < s->o->max_attempts && !s->stopping)) {
		/* the failed attempt and the backoff are waiting, not the sample's time */
		j->wait_ms += now - j->start_ms;
		j->ready_ms = now;
		/* paused, the breaker says when the provider is asked again */
		j->not_before_ms = paused ? now : now + backoff_ms(s, j);
		sched_push_front(s, j);
		free(detail);
		return;
	}
	sample_finish(s, j, ST_ERROR, kind, detail);
	free(detail);
}

/* an attempt paid for, perhaps, that gave no usable answer: its worst case
 * is spent, and the sample's record counts it (never $0) */
static void transfer_lost(struct sched *s, struct job *j)
{
	s->spent_usd += j->worst_usd;
	j->lost_usd += j->worst_usd;
}

/* a 2xx body: parsed, cached, and taken as the answer; or a retry */
static void transfer_ok(struct sched *s, struct job *j)
{
	char *err = NULL;
	response_release(&j->r);
	int pr = proto_of(j->it->prov)->parse(buf_str(&j->resp), j->resp.len, &j->r, &err);
	if (pr == -3) {
		/* the provider's error after its 200: an error as an HTTP error is,
		 * retried, costing what an HTTP error costs */
		j->cost_usd = 0;
		j->latency_ms = NAN;
		attempt_failed(s, j, 1, "stream_error", err, BREAKER_NEUTRAL);
		return;
	}
	if (pr < 0) {
		/* paid for, perhaps, and unusable: its worst case stays spent */
		transfer_lost(s, j);
		j->cost_usd = NAN;
		j->latency_ms = NAN;
		attempt_failed(s, j, 1, pr == -2 ? "truncated_stream" : "bad_response", err, BREAKER_NEUTRAL);
		return;
	}
	struct cached_meta m = { j->latency_ms, j->attempts, j->ttft_ms };
	if (cache_put(s->o->cache, j->key, buf_str(&j->resp), j->resp.len, &m) < 0)
		sched_write_failed(s);
	buf_release(&j->resp);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	sample_take_answer(s, j);
}

void transfer_done(struct sched *s, struct job *j, CURLcode rc)
{
	struct provq *q = &s->pq[j->pq];
	long status = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(s->multi, j->easy);
	q->in_flight--;
	s->in_flight--;
	s->reserved_usd -= j->worst_usd;
	double now = clock_ms();
	j->latency_ms = now - j->start_ms;
	j->answered_ms = now;
	ratelimit_on_response(&q->rl, now, rc == CURLE_OK ? status : 0, &j->rl);
	/* the key leaves no trace in what is kept: scrubbed from the whole body
	 * before anything (an error message cut short, the cache, the record)
	 * takes a part of it */
	secret_scrub(&j->resp, q->key);
	if (j->too_large) {
		transfer_lost(s, j);
		j->cost_usd = NAN;
		j->latency_ms = NAN;
		attempt_failed(s, j, 0, "response_too_large",
			       xasprintf("the response passed %zu bytes (max_response_bytes): aborted, nothing of it kept",
					 body_limit(j->it->prov)),
			       BREAKER_NEUTRAL);
		return;
	}
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		(void)sched_breaker_record(s, j, BREAKER_SUCCESS, NULL); /* an answer: never paused */
		transfer_ok(s, j);
		return;
	}
	char *detail;
	char kind[32];
	enum breaker_class bc;
	int billing = 0;
	if (rc == CURLE_OK) {
		char *m = proto_of(j->it->prov)->error_message(buf_str(&j->resp), j->resp.len);
		char *code = proto_error_code(buf_str(&j->resp), j->resp.len);
		detail = xasprintf("HTTP %ld: %.300s", status, m ? m : buf_str(&j->resp));
		billing = breaker_is_billing(status, code, m);
		if (billing)
			snprintf(kind, sizeof(kind), "billing");
		else
			snprintf(kind, sizeof(kind), "http_%ld", status);
		free(m);
		bc = breaker_classify(NULL, status, code);
		free(code);
	} else {
		detail = xasprintf("%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		snprintf(kind, sizeof(kind), "%s", curl_kind(rc));
		bc = breaker_classify(kind, 0, NULL);
	}
	j->cost_usd = 0;
	if (rc != CURLE_OK && status >= 200 && status < 300 && j->resp.len) {
		/* cut short after the provider began answering (a stream that timed
		 * out): its tokens were generated, so its worst case is spent */
		transfer_lost(s, j);
		j->cost_usd = NAN;
	}
	j->latency_ms = NAN;
	if (billing) {
		/* the account cannot pay: nothing more is asked of this provider */
		if (!q->dropped)
			warning("provider '%s': %s; no more requests to it, its remaining samples not_attempted "
				"(billing)", j->it->prov->name, detail);
		sched_drop_provider(s, j->pq, "billing", detail);
	}
	attempt_failed(s, j, !billing && retryable(rc, status), kind, detail, bc);
}

int transfer_from_cache(struct sched *s, struct job *j)
{
	j->answered_ms = clock_ms();
	struct cached c;
	if (cache_get(s->o->cache, j->key, &c) != 1)
		return 0;
	char *err = NULL;
	if (proto_of(j->it->prov)->parse(c.body, c.len, &j->r, &err) < 0) {
		warning("cache entry %s no longer parses (%s); requesting again", j->key, err);
		free(err);
		response_release(&j->r);
		cached_release(&c);
		return 0;
	}
	j->from_cache = 1;
	j->attempts = c.meta.attempts;
	j->latency_ms = c.meta.latency_ms;
	j->ttft_ms = c.meta.ttft_ms;
	s->st->cache_hits++;
	cached_release(&c);
	sample_take_answer(s, j);
	return 1;
}
