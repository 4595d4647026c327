/* sched.h - the run loop: one libcurl multi loop that sends every planned
 * request, keeps per-provider concurrency caps, retries what can be
 * retried, holds the budget, and hands answers to the scoring pool. */
#ifndef TB_SCHED_H
#define TB_SCHED_H

#include <stddef.h>

#include "core/provider.h"
#include "core/suite.h"
#include "rundir/cache.h"
#include "rundir/plan.h"
#include "rundir/store.h"
#include "score/agent.h"
#include "score/edit.h"
#include "score/score.h"

struct repo_store;
struct record;

/* what a run's stopping rules (run --stop-when) say of a sample about to
 * start: ask it now; later (its provider is far enough ahead of what the
 * rules have seen: its queue waits); or never (its provider is no longer
 * asked: it and everything its provider has waiting are recorded
 * not_attempted, stopped_early) */
enum sched_ask { SCHED_ASK_NEVER = -1, SCHED_ASK_LATER = 0, SCHED_ASK_NOW = 1 };

/* the rules as plain callbacks, so that the loop needs nothing of the
 * statistics above it; both NULL: no rules */
struct sched_stop {
	/* each record as the store takes it, but those of the samples an
	 * interrupted loop leaves (a later run asks them) */
	void (*record)(void *arg, const struct record *r);
	/* before a sample's first turn starts; with NEVER, *why (borrowed,
	 * valid until the next call) says why for its provider's records */
	enum sched_ask (*ask)(void *arg, const struct plan_item *it, const char **why);
	void *arg;
};

struct sched_opts {
	double max_cost_usd;       /* 0 = no cap */
	double spent_before_usd;   /* already spent in this run directory */
	long seed;                 /* request seed = seed + sample index */
	int max_attempts;          /* per request, retries included */
	int quiet;
	struct cache *cache;       /* raw responses */
	struct store *store;       /* records go here */
	struct scorer *scorer;     /* answers go here */
	struct repo_store *repos;  /* repository tasks' repositories; may be NULL */
	enum edit_format edit_format; /* what repository tasks answer in */
	int tries;                 /* turns per sample: a failed try gets the test output and another */
	const struct agent_opts *agent; /* repository tasks worked on by the bash agent; NULL: not */
	struct sched_stop stop;    /* --stop-when; zeroed: none */
	/* the circuit breaker (breaker.h): consecutive infrastructure failures
	 * that pause a provider (0: never), and how long it may stay paused
	 * before its remaining samples are not attempted (provider_down) */
	int breaker_threshold;
	double breaker_wait_s;
	/* providers not asked at all (preflight failed): their samples are
	 * recorded not_attempted with reason "preflight" and the detail */
	const struct sched_skip *skip;
	size_t nskip;
};

struct sched_skip {
	const struct provider *prov; /* borrowed */
	const char *detail;          /* borrowed: what preflight said */
};

struct sched_stats {
	size_t requests;           /* HTTP requests sent, retries included */
	size_t cache_hits;
	size_t backoffs;           /* times a 429 halved a provider's window */
	size_t passed, failed, errors, not_attempted;
	double spent_usd;          /* paid in this invocation */
	size_t stop_overruled;     /* times the rules held every provider back with nothing in
				    * flight to bring the records they wait for: one sample of each
				    * went anyway (0 unless the plan's order is not the rules') */
};

/* runs every sample the plan asks, each provider's in plan order, made as
 * its provider has room (the plan is never materialised); 0, or -1 on a
 * system error (reported). Per-request failures are records, not return
 * values. */
int sched_run(const struct plan *plan, const struct sched_opts *opts, struct sched_stats *stats);

#endif
