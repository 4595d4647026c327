/* sched.c - the request loop (after curl's parallel mode in tool_operate.c).
 *
 * One struct job per sample, attached to its transfer with CURLOPT_PRIVATE.
 * The loop is: top up each provider to its concurrency cap -> poll (curl's
 * sockets and the sandboxes' pipes together) -> perform -> drain finished
 * transfers -> step the scoring pool. A retry is the same job with a later
 * start time. One failed sample never stops the run.
 *
 * Paid-for responses are never lost: the raw body is written to the cache
 * before the job leaves the transfer stage, so a run killed at any point
 * finds it again on resume instead of paying twice. The budget is a
 * promise: a job's worst case (prompt bytes as tokens, plus max_tokens) is
 * reserved before it is sent and settled with the real cost after. */
#define _GNU_SOURCE
#include "sched.h"

#include <curl/curl.h>
#include <math.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "extract.h"
#include "msg.h"
#include "prompt.h"
#include "proto.h"
#include "signals.h"
#include "xalloc.h"

#define DEFAULT_MAX_TOKENS 4096
#define MAX_POLL_FDS 256

struct sched;

struct job {
	struct sched *s;
	const struct plan_item *it;
	size_t pq;             /* index of the provider's queue */
	char *body;            /* request body; malloced once prepared */
	char *url;
	char key[65];
	double worst_usd;      /* reserved while in flight */
	int attempts;
	double not_before_ms;  /* retry time */
	double first_start_ms, start_ms;
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf resp;
	double retry_after_ms; /* from a Retry-After header, -1 when none */
	char errbuf[CURL_ERROR_SIZE];
	/* the answer */
	struct response r;
	double cost_usd;
	const char *cost_source;
	double latency_ms;
	int from_cache;
};

struct provq {
	const struct provider *prov;
	char *key;             /* the API key, from the environment; never written anywhere */
	struct job **q;        /* waiting jobs, in plan order; retries go first */
	size_t head, n, cap;
	int in_flight;
};

struct sched {
	const struct sched_opts *o;
	struct sched_stats *st;
	CURLM *multi;
	struct provq *pq;
	size_t npq;
	double reserved_usd, spent_usd;
	size_t total, finished, in_flight;
	int stopping;
	const char *stop_reason;
	double last_progress_ms, t0_ms;
	int tty;
	int failed_io;
};

/* ---- small helpers ---- */

static double clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double budget_left(const struct sched *s)
{
	return s->o->max_cost_usd - s->o->spent_before_usd - s->spent_usd - s->reserved_usd;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->body);
	free(j->url);
	buf_release(&j->resp);
	response_release(&j->r);
	if (j->hdrs)
		curl_slist_free_all(j->hdrs);
	free(j);
}

/* ---- records ---- */

static void write_record(struct sched *s, struct job *j, enum status status, const char *why,
			 const char *detail, const struct verdict *v)
{
	const struct plan_item *it = j->it;
	struct record r;
	record_init(&r);
	r.task = it->task->id;
	r.provider = it->prov->name;
	r.model = it->prov->model;
	r.sample = it->sample;
	r.status = status;
	if (status == ST_FAILED)
		r.fail_reason = (char *)why;
	else if (status != ST_PASSED)
		r.error_kind = (char *)why;
	r.detail = (char *)detail;
	r.cluster = it->task->cluster;
	r.usage = j->r.usage;
	r.raw_usage = j->r.raw_usage;
	r.cost_usd = j->cost_usd;
	r.cost_source = (char *)j->cost_source;
	r.latency_ms = j->latency_ms;
	r.attempts = j->attempts;
	r.cached = j->from_cache;
	r.response_key = j->r.text || j->from_cache ? j->key : NULL;
	if (v) {
		r.test_ms = v->test_ms;
		r.truncated = v->truncated;
		r.near_limit = v->near_limit;
	}
	if (store_append(s->o->store, &r) < 0)
		s->failed_io = 1;
	switch (status) {
	case ST_PASSED: s->st->passed++; break;
	case ST_FAILED: s->st->failed++; break;
	case ST_ERROR: s->st->errors++; break;
	case ST_NOT_ATTEMPTED: s->st->not_attempted++; break;
	}
	s->finished++;
}

static void finish_job(struct sched *s, struct job *j, enum status status, const char *why,
		       const char *detail)
{
	write_record(s, j, status, why, detail, NULL);
	job_free(j);
}

static void on_scored(void *arg, struct verdict *v)
{
	struct job *j = arg;
	struct sched *s = j->s;
	enum status st = v->error ? ST_ERROR : v->passed ? ST_PASSED : ST_FAILED;
	write_record(s, j, st, v->passed ? NULL : v->reason, v->detail, v);
	job_free(j);
}

/* ---- answers ---- */

/* a 200 body (fresh or cached): parse, price, extract, hand to the pool */
static void take_answer(struct sched *s, struct job *j, const char *body, size_t len)
{
	const struct provider *p = j->it->prov;
	char *err = NULL;
	if (p->proto->parse(body, len, &j->r, &err) < 0) {
		/* paid for but unusable: the worst case stays spent */
		j->cost_usd = NAN;
		if (!j->from_cache)
			s->spent_usd += j->worst_usd;
		finish_job(s, j, ST_ERROR, "bad_response", err);
		free(err);
		return;
	}
	if (!isnan(j->r.cost_usd)) {
		j->cost_usd = j->r.cost_usd;
		j->cost_source = "provider";
	} else {
		j->cost_usd = price_cost(&p->price, &j->r.usage);
		j->cost_source = "price_table";
	}
	if (!j->from_cache)
		s->spent_usd += j->cost_usd;
	if (s->o->max_cost_usd > 0 && s->o->spent_before_usd + s->spent_usd > s->o->max_cost_usd && !s->stopping) {
		/* only a provider-reported cost above our worst case gets here */
		warning("%s reported $%.6f, more than the $%.6f reserved: stopping at the budget",
			p->name, j->cost_usd, j->worst_usd);
		s->stopping = 1;
		s->stop_reason = "budget";
	}
	const struct task *t = j->it->task;
	if (strcmp(t->kind, "exact") == 0) {
		struct verdict v;
		score_exact(t, j->r.text, &v);
		on_scored(j, &v);
		verdict_release(&v);
		return;
	}
	char *code = extract_code(j->r.text, t->language, t->entry_point);
	if (!code) {
		char *d = xasprintf("no %s code in the answer (%zu chars)", t->language, strlen(j->r.text));
		finish_job(s, j, ST_FAILED, "no_code", d);
		free(d);
		return;
	}
	scorer_submit(s->o->scorer, t, code, ANSWER_AUTO, on_scored, j);
	free(code);
}

/* ---- requests ---- */

static void prepare(struct sched *s, struct job *j)
{
	if (j->body)
		return;
	const struct plan_item *it = j->it;
	struct prompt pr;
	prompt_render(&pr, it->task);
	struct request rq = { pr.msgs, pr.n, s->o->seed + it->sample };
	struct buf body = BUF_INIT;
	it->prov->proto->build_body(it->prov, &rq, &body);
	/* worst case: every prompt byte a token, plus chat framing, plus max_tokens */
	size_t bytes = 0;
	for (size_t i = 0; i < pr.n; i++)
		bytes += strlen(pr.msgs[i].content) + 16;
	struct usage worst = { .input = (long)bytes + 64,
			       .output = provider_max_tokens(it->prov, DEFAULT_MAX_TOKENS) };
	j->worst_usd = price_cost(&it->prov->price, &worst);
	prompt_release(&pr);
	j->body = buf_detach(&body);
	j->url = it->prov->proto->url(it->prov);
	cache_key(it->prov->protocol, j->url, j->body, it->sample, j->key);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	buf_append(&j->resp, data, size * n);
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct job *j = arg;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof(name) && strncasecmp(data, name, sizeof(name) - 1) == 0) {
		char *v = xstrndup(data + sizeof(name) - 1, len - (sizeof(name) - 1));
		v[strcspn(v, "\r\n")] = '\0';
		char *end;
		double secs = strtod(v, &end);
		if (end != v && *end == '\0' && secs >= 0) {
			j->retry_after_ms = secs * 1e3;
		} else {
			time_t at = curl_getdate(v + strspn(v, " "), NULL);
			if (at > 0)
				j->retry_after_ms = fmax(0, difftime(at, time(NULL)) * 1e3);
		}
		free(v);
	}
	return len;
}

static int start_transfer(struct sched *s, struct job *j)
{
	struct provq *q = &s->pq[j->pq];
	const struct provider *p = j->it->prov;
	if (!j->easy)
		j->easy = curl_easy_init();
	if (!j->easy)
		return -1;
	if (!j->hdrs)
		j->hdrs = p->proto->headers(p, q->key);
	CURL *e = j->easy;
	buf_reset(&j->resp);
	j->retry_after_ms = -1;
	j->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(j->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_PRIVATE, j);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(p->timeout_s * 1e3));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "tokenbench/" TB_VERSION);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	if (curl_multi_add_handle(s->multi, e) != CURLM_OK)
		return -1;
	j->attempts++;
	j->start_ms = clock_ms();
	if (j->attempts == 1)
		j->first_start_ms = j->start_ms;
	s->reserved_usd += j->worst_usd;
	q->in_flight++;
	s->in_flight++;
	s->st->requests++;
	return 0;
}

static void queue_push_front(struct provq *q, struct job *j)
{
	if (q->head == 0) {
		XGROW(q->q, q->cap, q->n + 1);
		memmove(q->q + 1, q->q, q->n * sizeof(*q->q));
		q->n++;
	} else {
		q->head--;
	}
	q->q[q->head] = j;
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
	case CURLE_COULDNT_RESOLVE_HOST: return "dns";
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE: return "connection";
	default: return "transport";
	}
}

/* exponential backoff with jitter, or what the server asked for */
static double backoff_ms(const struct job *j)
{
	if (j->retry_after_ms >= 0)
		return fmin(j->retry_after_ms, 300e3);
	double base = 500 * pow(2, j->attempts - 1);
	return fmin(base, 60e3) * (0.5 + (double)rand() / RAND_MAX);
}

static void transfer_done(struct sched *s, struct job *j, CURLcode rc)
{
	struct provq *q = &s->pq[j->pq];
	long status = 0;
	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(s->multi, j->easy);
	curl_easy_cleanup(j->easy);
	j->easy = NULL;
	q->in_flight--;
	s->in_flight--;
	s->reserved_usd -= j->worst_usd;
	double now = clock_ms();
	j->latency_ms = now - j->start_ms;
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		struct cached c = { j->resp.data ? j->resp.data : "", j->resp.len, j->latency_ms, j->attempts };
		if (cache_put(s->o->cache_dir, j->key, &c) < 0)
			s->failed_io = 1;
		struct buf body = j->resp;
		buf_init(&j->resp);
		take_answer(s, j, buf_str(&body), body.len);
		buf_release(&body);
		return;
	}
	char *detail;
	char kind[32];
	if (rc == CURLE_OK) {
		char *m = j->it->prov->proto->error_message(buf_str(&j->resp), j->resp.len);
		detail = xasprintf("HTTP %ld: %.300s", status, m ? m : buf_str(&j->resp));
		free(m);
		snprintf(kind, sizeof(kind), "http_%ld", status);
	} else {
		detail = xasprintf("%s", j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
		snprintf(kind, sizeof(kind), "%s", curl_kind(rc));
	}
	if (retryable(rc, status) && j->attempts < s->o->max_attempts && !s->stopping) {
		j->not_before_ms = now + backoff_ms(j);
		queue_push_front(q, j);
		free(detail);
		return;
	}
	j->cost_usd = 0;
	j->latency_ms = NAN;
	finish_job(s, j, ST_ERROR, kind, detail);
	free(detail);
}

/* ---- the loop ---- */

static int scoring_backlogged(const struct sched *s)
{
	return scorer_pending(s->o->scorer) > 64;
}

static void not_attempted(struct sched *s, struct job *j, const char *why)
{
	char *d = NULL;
	if (strcmp(why, "budget") == 0)
		d = xasprintf("--max-cost %.4f leaves too little for this request's worst case $%.4f",
			      s->o->max_cost_usd, j->worst_usd);
	j->cost_usd = NAN;
	finish_job(s, j, ST_NOT_ATTEMPTED, why, d);
	free(d);
}

/* starts what the caps and the budget allow; returns the ms until the
 * next retry is due (or -1) */
static long top_up(struct sched *s)
{
	double now = clock_ms(), next = -1;
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		while (q->head < q->n && q->in_flight < q->prov->max_concurrency && !s->stopping &&
		       !scoring_backlogged(s)) {
			struct job *j = q->q[q->head];
			if (j->not_before_ms > now) {
				double wait = j->not_before_ms - now;
				if (next < 0 || wait < next)
					next = wait;
				break;
			}
			prepare(s, j);
			if (j->attempts == 0) {
				struct cached c;
				int hit = cache_get(s->o->cache_dir, j->key, &c);
				if (hit == 1) {
					q->head++;
					j->from_cache = 1;
					j->attempts = c.attempts;
					j->latency_ms = c.latency_ms;
					s->st->cache_hits++;
					take_answer(s, j, c.body, c.len);
					cached_release(&c);
					continue;
				}
			}
			if (s->o->max_cost_usd > 0 && j->worst_usd > budget_left(s)) {
				/* nothing in flight can free enough: this one will never fit */
				if (j->worst_usd > budget_left(s) + s->reserved_usd || s->in_flight == 0) {
					q->head++;
					not_attempted(s, j, "budget");
					continue;
				}
				break;
			}
			q->head++;
			if (start_transfer(s, j) < 0) {
				finish_job(s, j, ST_ERROR, "transport", "cannot start the transfer");
				continue;
			}
		}
	}
	return next < 0 ? -1 : (long)next + 1;
}

static void progress(struct sched *s, int last)
{
	if (s->o->quiet)
		return;
	double now = clock_ms();
	if (!last && now - s->last_progress_ms < (s->tty ? 250 : 10000))
		return;
	s->last_progress_ms = now;
	double el = (now - s->t0_ms) / 1e3;
	double eta = s->finished ? el * (double)(s->total - s->finished) / (double)s->finished : NAN;
	char money[64] = "";
	if (s->o->max_cost_usd > 0)
		snprintf(money, sizeof(money), " $%.4f of $%.2f", s->o->spent_before_usd + s->spent_usd,
			 s->o->max_cost_usd);
	else
		snprintf(money, sizeof(money), " $%.4f", s->spent_usd);
	char line[256];
	snprintf(line, sizeof(line), "%zu/%zu done,%s, %zu errors, %zu in flight, %zu scoring%s%.0fs",
		 s->finished, s->total, money, s->st->errors, s->in_flight, scorer_pending(s->o->scorer),
		 isnan(eta) ? "" : ", eta ", isnan(eta) ? 0.0 : eta);
	if (isnan(eta))
		line[strlen(line) - 2] = '\0';
	if (s->tty)
		fprintf(stderr, "\r\033[K%s%s", line, last ? "\n" : "");
	else
		fprintf(stderr, "tokenbench: %s\n", line);
}

static int queues_empty(const struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++)
		if (s->pq[i].head < s->pq[i].n)
			return 0;
	return 1;
}

static int setup_queues(struct sched *s, const struct plan_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < s->npq && s->pq[k].prov != items[i].prov)
			k++;
		if (k == s->npq) {
			s->pq = xrealloc(s->pq, (s->npq + 1) * sizeof(*s->pq));
			memset(&s->pq[k], 0, sizeof(*s->pq));
			s->pq[k].prov = items[i].prov;
			const char *key = getenv(items[i].prov->api_key_env);
			s->pq[k].key = key ? xstrdup(key) : NULL;
			s->npq++;
		}
		struct job *j = xcalloc(1, sizeof(*j));
		j->s = s;
		j->it = &items[i];
		j->pq = k;
		j->cost_usd = NAN;
		j->latency_ms = NAN;
		struct provq *q = &s->pq[k];
		XGROW(q->q, q->cap, q->n + 1);
		q->q[q->n++] = j;
	}
	return 0;
}

static void release_queues(struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		for (size_t k = q->head; k < q->n; k++)
			job_free(q->q[k]);
		free(q->q);
		if (q->key) {
			memset(q->key, 0, strlen(q->key));
			free(q->key);
		}
	}
	free(s->pq);
}

int sched_run(const struct plan_item *items, size_t n, const struct sched_opts *opts,
	      struct sched_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct sched s = { .o = opts, .st = stats, .total = n };
	s.tty = isatty(2);
	s.t0_ms = clock_ms();
	srand((unsigned)opts->seed + 1);
	s.multi = curl_multi_init();
	if (!s.multi)
		return error("cannot create a libcurl multi handle");
	curl_multi_setopt(s.multi, CURLMOPT_MAXCONNECTS, 4096L);
	setup_queues(&s, items, n);
	int fds[MAX_POLL_FDS];
	struct curl_waitfd wfds[MAX_POLL_FDS];
	for (;;) {
		if (!s.stopping && signals_stop_requested()) {
			s.stopping = 1;
			s.stop_reason = "interrupted";
		}
		long retry_ms = top_up(&s);
		if (s.in_flight == 0 && scorer_pending(opts->scorer) == 0 && (queues_empty(&s) || s.stopping))
			break;
		int nfd = scorer_fds(opts->scorer, fds, MAX_POLL_FDS);
		for (int i = 0; i < nfd; i++) {
			wfds[i].fd = fds[i];
			wfds[i].events = CURL_WAIT_POLLIN;
			wfds[i].revents = 0;
		}
		long t = scorer_timeout_ms(opts->scorer);
		if (retry_ms >= 0 && (t < 0 || retry_ms < t))
			t = retry_ms;
		if (t < 0 || t > 250)
			t = 250;
		curl_multi_poll(s.multi, wfds, (unsigned)nfd, (int)t, NULL);
		int running;
		curl_multi_perform(s.multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(s.multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct job *j;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
			transfer_done(&s, j, m->data.result);
		}
		scorer_step(opts->scorer);
		progress(&s, 0);
	}
	/* what the stop left behind is recorded, so a report shows it */
	for (size_t i = 0; i < s.npq; i++) {
		struct provq *q = &s.pq[i];
		while (q->head < q->n) {
			struct job *j = q->q[q->head++];
			not_attempted(&s, j, s.stop_reason ? s.stop_reason : "stopped");
		}
	}
	progress(&s, 1);
	stats->spent_usd = s.spent_usd;
	release_queues(&s);
	curl_multi_cleanup(s.multi);
	return s.failed_io ? error("some records or responses could not be written") : 0;
}
