/* sched_int.h - what the request loop's files share, and nothing outside
 * engine/ includes: a sample's job, the providers' queues, the loop's own
 * state, and the calls between
 *   sched.c       the loop: queues, pacing, the budget, curl's sockets, the poll set
 *   transfer.c    a turn's request: its body, its transfer, retries, the cache
 *   sample.c      a sample's answers: pricing, scoring, further tries, its end
 *   agent_loop.c  the bash agent's turns (its state is struct agent_job's)
 *   records.c     the sample record written when a sample ends
 *   progress.c    the progress line
 * (breaker.c, the circuit breaker, knows nothing of these) */
#ifndef TB_SCHED_INT_H
#define TB_SCHED_INT_H

#include <curl/curl.h>
#include <poll.h>
#include <stddef.h>

#include "engine/breaker.h"
#include "engine/proto.h"
#include "engine/ratelimit.h"
#include "engine/sched.h"
#include "util/buf.h"
#include "util/rng.h"

struct sched;
struct agent_job;

/* one message of a conversation that the job owns (struct message borrows) */
struct owned_message {
	const char *role;      /* static */
	char *content;         /* owned */
};

/* a sample's finished tries or agent turns: the record's list and totals */
struct steps {
	cJSON *list;           /* one object a step, in order; owned; NULL before the first */
	struct usage usage;    /* summed */
	double cost_usd;       /* summed, unknown costs as 0 */
};

/* one sample on its way through the loop: its current turn's request and
 * transfer, the answer, and the conversation so far. Attached to its
 * transfer with CURLOPT_PRIVATE */
struct job {
	struct sched *s;
	const struct plan_item *it; /* &item */
	struct plan_item item; /* the sample */
	size_t pq;             /* index of the provider's queue */
	/* the current turn's request */
	char *body;            /* malloced once prepared */
	char *url;             /* malloced once prepared */
	char key[65];          /* its cache key */
	double worst_usd;      /* reserved while in flight */
	double worst_tokens;   /* what the tokens-per-minute bucket is charged */
	size_t prompt_bytes;
	int attempts;
	int probe;             /* this attempt is the paused provider's probe (breaker.h) */
	double not_before_ms;  /* retry time */
	double ready_ms;       /* when the request was ready to go (or to go again) */
	double start_ms;
	double wait_ms;        /* this turn's request waiting: queues, pacing, failed attempts, backoff */
	/* its transfer */
	CURL *easy;
	struct curl_slist *hdrs;
	struct buf resp;
	int too_large;         /* the body passed the provider's max_response_bytes: aborted */
	struct rl_headers rl;  /* what this response's headers said */
	size_t scan_pos;       /* how far a stream was scanned for its first token */
	double ttft_ms;        /* NAN until the first token arrives (streams only) */
	char errbuf[CURL_ERROR_SIZE];
	/* the answer */
	struct response r;
	double cost_usd;
	const char *cost_source; /* static */
	double lost_usd;       /* the worst cases of the sample's attempts paid for, perhaps,
				* that gave no usable answer (cut short, unparsable, too large) */
	double latency_ms;
	int from_cache, cache_checked;
	int usage_estimated;
	double answered_ms;    /* when the answer arrived (or was found in the cache) */
	/* the conversation: the first turn, and what each later one adds */
	int try_no;            /* 1, 2, ...: the try, or the agent's turn */
	char *system, *user;   /* the first turn's messages; owned */
	struct owned_message *conv; /* answers and replies since, in order */
	size_t nconv, conv_cap;
	struct steps steps;    /* the finished tries or turns */
	struct agent_job *ag;  /* the bash agent's state; NULL without --agent */
};

struct provq {
	const struct provider *prov;
	char *key;             /* the API key, from the environment; never written anywhere */
	/* waiting samples: first the jobs in front (the last pushed first:
	 * retries, later turns, and a sample made when it came up and still
	 * waiting), then the plan's samples for this provider from its cursor
	 * on, the next one peeked. A job is made when its sample comes up: a
	 * run of a million samples holds jobs only for those in flight */
	struct job **front;
	size_t nfront, front_cap;
	size_t plan_prov;      /* the provider's index in the plan */
	size_t cursor;         /* where plan_next goes on */
	struct plan_item next; /* the plan's next sample, when has_next */
	int has_next;
	int in_flight;
	int open;              /* agent samples begun and not finished: at most max_concurrency */
	int streams;           /* the provider's params ask for a stream */
	struct ratelimit rl;
	struct breaker brk;    /* paused after consecutive failures, given up after a bound */
	/* set by sched_drop_provider: why its waiting samples are not asked
	 * (static), and what a record says about it (malloced) */
	const char *dropped;
	char *dropped_detail;
};

/* the fds the loop polls: curl's epoll set first, then the scoring pool's */
struct pollset {
	struct pollfd *pfd;
	int *fds;
	size_t n, cap;
};

struct sched {
	const struct sched_opts *o;
	const struct plan *plan;
	struct sched_stats *st;
	CURLM *multi;
	int epfd;              /* curl's sockets */
	double curl_timer_at;  /* when curl wants to be called, or -1 */
	struct provq *pq;
	size_t npq, pq_cap;
	double reserved_usd, spent_usd;
	size_t total, finished, in_flight;
	int stopping;
	const char *stop_reason;
	int winding_up;        /* the loop is over: what is left is recorded for a later run to ask,
				* and not told to the stopping rules */
	struct rng jitter;     /* the retries' backoff, seeded from --seed */
	double last_progress_ms, t0_ms;
	int tty;
	int failed_io;
};

/* ---- sched.c ---- */
/* a record, a log or a response could not be written (a full disk, EIO):
 * the run stops at once, as an interrupt does: no new request is sent,
 * what is in flight finishes, and nothing more is recorded for the samples
 * that wait (a resume asks them). The failed write reported its file */
void sched_write_failed(struct sched *s);
/* queues j in front of its provider's waiting samples (a retry, a later turn) */
void sched_push_front(struct sched *s, struct job *j);
/* stops asking provider k: every sample of its queue that waits (a retry
 * or an agent's next turn included) is recorded not_attempted with reason
 * (a static string: provider_down, stopped_early, ...) and detail (copied,
 * may be NULL) as the loop comes to it; what is in flight finishes. The
 * first reason given stays */
void sched_drop_provider(struct sched *s, size_t k, const char *reason, const char *detail);
/* where the fds beyond curl's come from: scorer_fds's contract (writes at
 * most max fds of src, returns how many it wrote) */
typedef int (*pollset_source_fn)(const void *src, int *fds, int max);
/* fills ps with curl's epoll fd and every fd the source has now, however
 * many (the loop's source is the scoring pool: 3 a running sandbox);
 * returns how many in all */
size_t sched_pollset_fill(struct pollset *ps, int epfd, pollset_source_fn source, const void *src);
/* frees its arrays and leaves it empty */
void sched_pollset_release(struct pollset *ps);

/* a request's outcome (breaker.h's class; why: "kind: message", the key
 * redacted, may be NULL) fed to its provider's breaker, with what changes
 * announced; given up, the provider is dropped (provider_down). Returns 1
 * when the provider is paused or down: a failed request then waits in its
 * queue rather than spend its attempts */
int sched_breaker_record(struct sched *s, struct job *j, enum breaker_class c, const char *why);

/* ---- transfer.c ---- */
/* the request body of the job's current turn: the whole conversation,
 * priced at its worst; 0, or -1 when a repository task's files cannot be
 * read */
int transfer_prepare(struct sched *s, struct job *j);
/* sends the job's request; 0, or -1 with *why (malloced) saying what failed */
int transfer_start(struct sched *s, struct job *j, char **why);
/* a finished transfer: its answer taken, or a retry queued, or the error recorded */
void transfer_done(struct sched *s, struct job *j, CURLcode rc);
/* the answer from the response cache, taken: 1; 0 when there is none */
int transfer_from_cache(struct sched *s, struct job *j);
/* the result of setting one libcurl option (ok: it returned CURLE_OK or
 * CURLM_OK): 0, or -1 with *why (malloced, may be NULL) naming the option
 * and what libcurl said */
int transfer_opt_result(int ok, const char *option, const char *said, char **why);
#define EASY_SETOPT(e, opt, val, why) \
	({ \
		CURLcode rc_ = curl_easy_setopt((e), (opt), (val)); \
		transfer_opt_result(rc_ == CURLE_OK, #opt, curl_easy_strerror(rc_), (why)); \
	})
#define MULTI_SETOPT(m, opt, val, why) \
	({ \
		CURLMcode rc_ = curl_multi_setopt((m), (opt), (val)); \
		transfer_opt_result(rc_ == CURLM_OK, #opt, curl_multi_strerror(rc_), (why)); \
	})

/* ---- sample.c ---- */
/* a new job for the sample it (queue k), at its first turn; an agent
 * sample counts as open in its queue until its record is written */
struct job *job_new(struct sched *s, const struct plan_item *it, size_t k);
/* frees the job, its transfer and its agent state; accepts NULL */
void job_free(struct job *j);
/* a usable answer (fresh or cached): priced, then extracted and scored */
void sample_take_answer(struct sched *s, struct job *j);
/* the next turn of the same conversation: the answer and the reply to it
 * are appended, and the job waits in front of its provider's queue */
void sample_next_turn(struct sched *s, struct job *j, const char *answer, const char *reply);
/* the scoring pool's callback (arg: the job): a verdict ends the sample or
 * gives it another try */
void sample_scored(void *arg, struct verdict *v);
/* the sample ends without a verdict: its record is written, the job freed */
void sample_finish(struct sched *s, struct job *j, enum status status, const char *why, const char *detail);

/* ---- agent_loop.c ---- */
/* the agent's state for a new sample; agent_job_free frees it (and removes
 * its work copy), accepting NULL */
struct agent_job *agent_job_new(void);
void agent_job_free(struct agent_job *a);
/* the sample's first turn was rendered: its trajectory starts */
void agent_job_begin(struct sched *s, struct job *j);
/* the harness's own time on the sample since t0_ms */
void agent_job_overhead(struct agent_job *a, double t0_ms);
/* the limit the next request would pass (turn_limit, cost_limit,
 * time_limit), or NULL */
const char *agent_job_limit(const struct sched *s, const struct job *j);
/* a limit stopped the sample: recorded as failed, the job freed */
void agent_job_stop(struct sched *s, struct job *j, const char *reason);
/* an answer came: its command runs, or a reminder goes back, or the work
 * copy is submitted */
void agent_job_answer(struct sched *s, struct job *j);
/* what an agent sample's record adds: its turns (the last, if it was
 * asked), how it ended, its totals; and its trajectory's last lines */
void agent_job_record(struct sched *s, struct job *j, struct record *r, const char *why);

/* ---- records.c ---- */
/* one try, as it goes into the record's "tries"; caller deletes */
cJSON *records_try_json(const struct job *j, enum status status, const char *why);
/* a finished try or turn (step, taken) joins the list, and the job's
 * current usage and cost its totals */
void records_add_step(struct job *j, cJSON *step);
/* the sample's record: written to the store, counted in the stats */
void records_write(struct sched *s, struct job *j, enum status status, const char *why, const char *detail,
		   const struct verdict *v);
/* appends a line (taken) to a file beside the sample's record; a failure stops the run (sched_write_failed) */
void records_log_line(struct sched *s, const struct job *j, const char *name, cJSON *line, int append);

/* ---- progress.c ---- */
/* the progress line, at most every 200 ms on a terminal (10 s otherwise),
 * and the last one when last */
void progress_show(struct sched *s, int last);

#endif
