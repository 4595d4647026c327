/* sched.c - the request loop (after curl's parallel mode in tool_operate.c).
 *
 * One struct job per sample, attached to its transfer with CURLOPT_PRIVATE.
 * The loop is: top up each provider as its pacing allows -> poll (an epoll
 * set of curl's sockets, and the sandboxes' pipes) -> hand curl the sockets
 * that are ready (curl_multi_socket_action, so a wake-up costs what is
 * ready, not what is open) -> drain finished transfers -> step the scoring
 * pool. A retry is the same job with a later start time. One failed sample
 * never stops the run, and one slow or failing provider never holds up the
 * others: each has its own queue, window and pauses (ratelimit.c).
 *
 * The budget is a promise: a job's worst case (prompt bytes as tokens, plus
 * max_tokens) is reserved before it is sent and settled with the real cost
 * after (transfer.c); a response whose cost cannot be known keeps its worst
 * case as spent. What a turn's request is and how it travels is
 * transfer.c's; what an answer becomes, sample.c's and agent_loop.c's.
 *
 * A provider that stops answering is paused by its circuit breaker
 * (breaker.c): its waiting samples hold while one probe at a time asks
 * whether it is back, and when it does not come back in time they are
 * recorded not_attempted (provider_down) while the others go on. */
#define _GNU_SOURCE
#include "engine/sched.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "engine/sched_int.h"
#include "util/clock.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"

/* scoring this far behind stops new requests: answers wait in memory */
#define SCORING_BACKLOG 64

static double budget_left(const struct sched *s)
{
	return s->o->max_cost_usd - s->o->spent_before_usd - s->spent_usd - s->reserved_usd;
}

static int scoring_backlogged(const struct sched *s)
{
	return scorer_pending(s->o->scorer) > SCORING_BACKLOG;
}

/* ---- the providers' queues ---- */

void sched_push_front(struct sched *s, struct job *j)
{
	struct provq *q = &s->pq[j->pq];
	XGROW(q->front, q->front_cap, q->nfront + 1);
	q->front[q->nfront++] = j;
}

/* whether queue q has a sample waiting */
static int queue_waits(const struct provq *q)
{
	return q->nfront > 0 || q->has_next;
}

/* the queue's first waiting job leaves it (it was sent, recorded or queued again) */
static void queue_pop(struct provq *q)
{
	q->nfront--;
}

void sched_drop_provider(struct sched *s, size_t k, const char *reason, const char *detail)
{
	struct provq *q = &s->pq[k];
	if (q->dropped)
		return;
	q->dropped = reason;
	q->dropped_detail = detail ? xstrdup(detail) : NULL;
}

/* the breaker's news on stderr, the progress line cleared first */
static void breaker_announce(struct sched *s, size_t k, enum breaker_event ev)
{
	struct provq *q = &s->pq[k];
	const struct breaker *b = &q->brk;
	if (ev == BREAKER_NONE)
		return;
	if (s->tty && !s->o->quiet)
		fputs("\r\033[K", stderr);
	if (ev == BREAKER_OPENED) {
		warning("provider '%s' paused after %d failures in a row (%s); probing it for up to %.0f s", q->prov->name,
			b->failures, b->why, b->wait_ms / 1e3);
	} else if (ev == BREAKER_CLOSED_AGAIN) {
		warning("provider '%s' answers again: resumed", q->prov->name);
	} else {
		char *d = xasprintf("'%s' down: %s (paused after %d failures in a row; no answer to %d probes in %.0f s)",
				    q->prov->name, b->why, b->failures, b->probes, b->wait_ms / 1e3);
		warning("provider %s: its remaining samples are not attempted (provider_down; `tokenbench run "
			"--retry-errors DIR` asks them again)", d);
		sched_drop_provider(s, k, "provider_down", d);
		free(d);
	}
}

int sched_breaker_record(struct sched *s, struct job *j, enum breaker_class c, const char *why)
{
	struct provq *q = &s->pq[j->pq];
	int probe = j->probe;
	j->probe = 0;
	breaker_announce(s, j->pq, breaker_record(&q->brk, c, why, probe, clock_ms()));
	return q->brk.state != BREAKER_CLOSED && (c == BREAKER_FAILURE || c == BREAKER_CERTAIN);
}

/* the next waiting job of queue k, made now if it is the sample's first
 * turn; the queue must not be empty */
static struct job *queue_next(struct sched *s, size_t k)
{
	struct provq *q = &s->pq[k];
	if (!q->nfront) {
		struct job *j = job_new(s, &q->next, k);
		q->has_next = plan_next(s->plan, q->plan_prov, &q->cursor, &q->next);
		sched_push_front(s, j);
	}
	return q->front[q->nfront - 1];
}

static int queues_empty(const struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++)
		if (queue_waits(&s->pq[i]))
			return 0;
	return 1;
}

/* a queue for each provider that has samples in the plan, in the plan's
 * order of providers */
static void setup_queues(struct sched *s)
{
	double now = clock_ms();
	for (size_t pi = 0; pi < s->plan->np; pi++) {
		struct plan_item first;
		size_t cursor = 0;
		if (!plan_next(s->plan, pi, &cursor, &first))
			continue;
		const struct provider *p = first.prov;
		XGROW(s->pq, s->pq_cap, s->npq + 1);
		struct provq *q = &s->pq[s->npq++];
		memset(q, 0, sizeof(*q));
		q->prov = p;
		q->plan_prov = pi;
		q->cursor = cursor;
		q->next = first;
		q->has_next = 1;
		const char *key = getenv(p->api_key_env);
		q->key = key ? xstrdup(key) : NULL;
		q->streams = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->params, "stream"));
		ratelimit_init(&q->rl, p->max_concurrency, p->rpm, p->tpm, now);
		breaker_init(&q->brk, s->o->breaker_threshold, s->o->breaker_wait_s * 1e3);
	}
}

static void release_queues(struct sched *s)
{
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		for (size_t k = 0; k < q->nfront; k++)
			job_free(q->front[k]);
		free(q->front);
		free(q->dropped_detail);
		if (q->key) {
			memset(q->key, 0, strlen(q->key));
			free(q->key);
		}
	}
	free(s->pq);
}

static void not_attempted(struct sched *s, struct job *j, const char *why, const char *detail)
{
	char *d = NULL;
	if (strcmp(why, "budget") == 0)
		d = xasprintf("--max-cost %.4f leaves too little for this request's worst case $%.4f",
			      s->o->max_cost_usd, j->worst_usd);
	j->cost_usd = NAN;
	sample_finish(s, j, ST_NOT_ATTEMPTED, why, d ? d : detail);
	free(d);
}

/* what top_up_one did with a queue's first waiting job */
enum top_up_res {
	TOP_LEFT = -1, /* it left the queue another way (recorded, or answered from the cache) */
	TOP_WAITS = 0, /* it waits for pacing, the budget or a free slot */
	TOP_SENT = 1,
	TOP_HELD = 2,  /* the stopping rules say later */
};

/* what the stopping rules say of queue i's first waiting sample, asked only
 * before its first turn (a retry or a later turn goes on while its provider
 * is asked); never: the provider is dropped */
static enum sched_ask stop_ask(struct sched *s, size_t i)
{
	struct provq *q = &s->pq[i];
	if (!s->o->stop.ask || q->nfront)
		return SCHED_ASK_NOW;
	const char *why = NULL;
	enum sched_ask a = s->o->stop.ask(s->o->stop.arg, &q->next, &why);
	if (a == SCHED_ASK_NEVER)
		sched_drop_provider(s, i, REASON_STOPPED_EARLY, why);
	return a;
}

/* the first waiting job of queue i may go (overrule: even when the rules
 * say later); *next: in how many ms a job that waits may go, unless that
 * is -1 */
static enum top_up_res top_up_one(struct sched *s, size_t i, double now, double *next, int overrule)
{
	struct provq *q = &s->pq[i];
	enum sched_ask a = q->dropped ? SCHED_ASK_NOW : stop_ask(s, i);
	if (a == SCHED_ASK_LATER && !overrule)
		return TOP_HELD;
	if (q->dropped) {
		struct job *j = queue_next(s, i);
		queue_pop(q);
		not_attempted(s, j, q->dropped, q->dropped_detail);
		return TOP_LEFT;
	}
	/* agent samples finish before new ones begin: each holds a work copy */
	if (s->o->agent && !q->nfront && q->open >= (q->prov->max_concurrency > 0 ? q->prov->max_concurrency : 1))
		return TOP_WAITS;
	struct job *j = queue_next(s, i);
	if (transfer_prepare(s, j) < 0) {
		queue_pop(q);
		sample_finish(s, j, ST_ERROR, "prompt", "the task's repository files could not be read");
		return TOP_LEFT;
	}
	if (j->ag && !j->cache_checked) {
		const char *lim = agent_job_limit(s, j);
		if (lim) {
			queue_pop(q);
			agent_job_stop(s, j, lim);
			return TOP_LEFT;
		}
	}
	if (!j->cache_checked) {
		j->cache_checked = 1;
		if (transfer_from_cache(s, j)) {
			/* j is already recorded and freed, or queued again: pushed
			 * in front once more, so it stays first either way */
			queue_pop(q);
			return TOP_LEFT;
		}
	}
	double wait = 0;
	if (q->brk.state == BREAKER_OPEN) {
		enum breaker_event ev = breaker_tick(&q->brk, now);
		if (ev != BREAKER_NONE) {
			breaker_announce(s, i, ev);
			return TOP_LEFT; /* dropped: the queue empties as the loop comes to it */
		}
	}
	if (!breaker_allows(&q->brk, now, &wait))
		wait = wait > 0 ? wait : -1;
	else if (j->not_before_ms > now)
		wait = j->not_before_ms - now;
	else if (!ratelimit_allows(&q->rl, now, q->in_flight, j->worst_tokens, &wait))
		wait = wait > 0 ? wait : -1;
	if (wait != 0) {
		if (wait > 0 && (*next < 0 || wait < *next))
			*next = wait;
		return TOP_WAITS;
	}
	if (s->o->max_cost_usd > 0 && j->worst_usd > budget_left(s)) {
		/* nothing in flight can free enough: this one will never fit */
		if (j->worst_usd > budget_left(s) + s->reserved_usd || s->in_flight == 0) {
			queue_pop(q);
			not_attempted(s, j, "budget", NULL);
			return TOP_LEFT;
		}
		return TOP_WAITS;
	}
	queue_pop(q);
	char *why = NULL;
	if (transfer_start(s, j, &why) < 0) {
		char *d = xasprintf("cannot start the transfer%s%s", why ? ": " : "", why ? why : "");
		sample_finish(s, j, ST_ERROR, "transport", d);
		free(d);
		free(why);
		return TOP_LEFT;
	}
	if (q->brk.state == BREAKER_OPEN) {
		breaker_probe_sent(&q->brk);
		j->probe = 1;
	}
	return TOP_SENT;
}

/* one pass over the queues: each starts what it may, or with overrule
 * only its first waiting sample, even one the rules hold back; returns
 * whether the rules held one back */
static int top_up_pass(struct sched *s, double now, double *next, int overrule)
{
	int held = 0;
	for (size_t i = 0; i < s->npq; i++) {
		struct provq *q = &s->pq[i];
		while (queue_waits(q) && !s->stopping && !scoring_backlogged(s)) {
			enum top_up_res r = top_up_one(s, i, now, next, overrule);
			held |= r == TOP_HELD;
			if (r == TOP_WAITS || r == TOP_HELD || overrule)
				break;
		}
	}
	return held;
}

/* starts what the pacing, the budget and the stopping rules allow; returns
 * the ms until something waiting may start (-1: only when something
 * finishes) */
static long top_up(struct sched *s)
{
	double now = clock_ms(), next = -1;
	size_t finished = s->finished;
	if (!top_up_pass(s, now, &next, 0) || s->in_flight || scorer_pending(s->o->scorer) || next >= 0)
		return next < 0 ? -1 : (long)next + 1;
	/* the rules hold back every provider that has work, and nothing under
	 * way will bring the records they wait for. Their window (stop_run.c)
	 * should make that impossible when the plan takes tasks in the rules'
	 * order; should it happen, the loop goes on rather than waiting for
	 * ever: asking a sample early costs what it costs, never validity */
	if (s->finished != finished)
		return 0; /* records came in this pass: ask again first */
	s->st->stop_overruled++;
	top_up_pass(s, now, &next, 1);
	return next < 0 ? -1 : (long)next + 1;
}

/* ---- curl's sockets and timer ---- */

/* curl says which sockets to watch, and for what */
static int on_socket(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct sched *s = arg;
	(void)e;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
		return 0;
	}
	struct epoll_event ev = { .events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) |
					    ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u),
				  .data.fd = fd };
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 && errno == ENOENT)
		epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev);
	return 0;
}

/* and when it wants to be called whatever the sockets do */
static int on_timer(CURLM *m, long ms, void *arg)
{
	struct sched *s = arg;
	(void)m;
	s->curl_timer_at = ms < 0 ? -1 : clock_ms() + (double)ms;
	return 0;
}

/* hands curl what is ready: its sockets, then its timer */
static void curl_step(struct sched *s)
{
	struct epoll_event ev[256];
	int running, n = epoll_wait(s->epfd, ev, 256, 0);
	for (int i = 0; i < n; i++) {
		int mask = ((ev[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
			   ((ev[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
			   ((ev[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
		curl_multi_socket_action(s->multi, ev[i].data.fd, mask, &running);
	}
	if (s->curl_timer_at >= 0 && clock_ms() >= s->curl_timer_at) {
		s->curl_timer_at = -1;
		curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(s->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		void *j = priv;
		transfer_done(s, j, m->data.result);
	}
}

/* the multi handle with its callbacks; 0, or -1 (reported) */
static int multi_setup(struct sched *s)
{
	s->multi = curl_multi_init();
	if (!s->multi)
		return error("cannot create a libcurl multi handle");
	char *why = NULL;
	if (MULTI_SETOPT(s->multi, CURLMOPT_MAXCONNECTS, 4096L, &why) < 0 ||
	    MULTI_SETOPT(s->multi, CURLMOPT_SOCKETFUNCTION, on_socket, &why) < 0 ||
	    MULTI_SETOPT(s->multi, CURLMOPT_SOCKETDATA, s, &why) < 0 ||
	    MULTI_SETOPT(s->multi, CURLMOPT_TIMERFUNCTION, on_timer, &why) < 0 ||
	    MULTI_SETOPT(s->multi, CURLMOPT_TIMERDATA, s, &why) < 0) {
		error("cannot set up the libcurl multi handle: %s", why);
		free(why);
		return -1;
	}
	return 0;
}

/* ---- the poll set ---- */

size_t sched_pollset_fill(struct pollset *ps, int epfd, pollset_source_fn source, const void *src)
{
	/* the source says how many fds it has by filling what it is given: as
	 * long as it fills all of it, there may be more */
	size_t room;
	int n;
	for (;;) {
		room = ps->cap > 1 ? ps->cap - 1 : 0;
		n = room ? source(src, ps->fds, (int)room) : 0;
		if (room && (size_t)n < room)
			break;
		size_t cap = ps->cap;
		XGROW(ps->fds, cap, ps->cap ? ps->cap * 2 : 64);
		XGROW(ps->pfd, ps->cap, cap);
	}
	ps->pfd[0] = (struct pollfd){ .fd = epfd, .events = POLLIN };
	for (int i = 0; i < n; i++)
		ps->pfd[i + 1] = (struct pollfd){ .fd = ps->fds[i], .events = POLLIN };
	ps->n = (size_t)n + 1;
	return ps->n;
}

/* the scoring pool's sandboxes' pipes */
static int scorer_source(const void *sc, int *fds, int max)
{
	return scorer_fds(sc, fds, max);
}

void sched_pollset_release(struct pollset *ps)
{
	free(ps->pfd);
	free(ps->fds);
	memset(ps, 0, sizeof(*ps));
}

/* how long the poll may sleep: until a paced request may go, the pool's or
 * curl's next deadline, and at most 250 ms (a stop request is seen then) */
static int poll_timeout(const struct sched *s, long wake_ms)
{
	long t = scorer_timeout_ms(s->o->scorer);
	if (wake_ms >= 0 && (t < 0 || wake_ms < t))
		t = wake_ms;
	if (s->curl_timer_at >= 0) {
		double left = s->curl_timer_at - clock_ms();
		long c = left <= 0 ? 0 : (long)left + 1;
		if (t < 0 || c < t)
			t = c;
	}
	return t < 0 || t > 250 ? 250 : (int)t;
}

/* ---- the run ---- */

void sched_write_failed(struct sched *s)
{
	if (!s->failed_io)
		warning("a write failed: stopping, no new request is sent (resume once the disk has room)");
	s->failed_io = 1;
	s->stopping = 1;
	s->stop_reason = "write_failed";
}

int sched_run(const struct plan *plan, const struct sched_opts *opts, struct sched_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	struct sched s = { .o = opts, .plan = plan, .st = stats, .total = plan->n, .curl_timer_at = -1 };
	s.tty = isatty(2);
	s.t0_ms = clock_ms();
	rng_seed(&s.jitter, (uint64_t)opts->seed + 1);
	s.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s.epfd < 0)
		return error("cannot create an epoll set: %s", strerror(errno));
	if (multi_setup(&s) < 0) {
		curl_multi_cleanup(s.multi);
		close(s.epfd);
		return -1;
	}
	setup_queues(&s);
	for (size_t i = 0; i < opts->nskip; i++)
		for (size_t k = 0; k < s.npq; k++)
			if (s.pq[k].prov == opts->skip[i].prov)
				sched_drop_provider(&s, k, "preflight", opts->skip[i].detail);
	struct pollset ps = { 0 };
	for (;;) {
		if (!s.stopping && signals_stop_requested()) {
			s.stopping = 1;
			s.stop_reason = "interrupted";
		}
		long wake_ms = top_up(&s);
		if (s.in_flight == 0 && scorer_pending(opts->scorer) == 0 && (queues_empty(&s) || s.stopping))
			break;
		sched_pollset_fill(&ps, s.epfd, scorer_source, opts->scorer);
		poll(ps.pfd, (nfds_t)ps.n, poll_timeout(&s, wake_ms));
		curl_step(&s);
		scorer_step(opts->scorer);
		progress_show(&s, 0);
	}
	/* what the stop left behind is recorded, so a report shows it; after a
	 * failed write nothing more is (the disk is full: a resume asks them) */
	s.winding_up = 1;
	for (size_t i = 0; i < s.npq; i++) {
		struct provq *q = &s.pq[i];
		while (queue_waits(q)) {
			struct job *j = queue_next(&s, i);
			queue_pop(q);
			if (s.failed_io)
				job_free(j);
			else
				not_attempted(&s, j, s.stop_reason ? s.stop_reason : "stopped", NULL);
		}
		stats->backoffs += q->rl.backoffs;
	}
	progress_show(&s, 1);
	stats->spent_usd = s.spent_usd;
	sched_pollset_release(&ps);
	release_queues(&s);
	curl_multi_cleanup(s.multi);
	close(s.epfd);
	return s.failed_io ? error("stopped after a failed write (the file is named above): resume once there is room")
			   : 0;
}
