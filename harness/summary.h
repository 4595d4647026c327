/* summary.h - per-provider figures computed from sample records: the one
 * place where samples become rates, intervals, costs and latencies. */
#ifndef TB_SUMMARY_H
#define TB_SUMMARY_H

#include <stddef.h>

#include "store.h"

struct count {
	char *name; /* owned */
	size_t n;
};

struct provider_summary {
	char *name, *model;  /* owned; model may be NULL */
	size_t tasks;        /* tasks with at least one scored sample */
	size_t samples;      /* records of any status */
	size_t passed, failed, errors, not_attempted;
	double pass_rate;    /* mean over tasks of the per-task pass fraction */
	double ci_low, ci_high;
	const char *ci_method; /* static */
	double cost_usd;     /* everything paid, NAN when no record carries a cost */
	double cost_per_task;   /* per answered sample */
	double cost_per_solved; /* NAN when nothing passed */
	long tok_input, tok_cached, tok_cache_write, tok_output, tok_reasoning;
	double latency_p50_ms, latency_p95_ms;
	size_t truncated;
	int on_frontier;     /* no other provider is cheaper and at least as good */
	struct count *reasons; /* failure reasons and error kinds, most frequent first */
	size_t nreasons;
};

struct summary {
	struct provider_summary *p; /* sorted by pass rate, best first */
	size_t n;
	double level;               /* confidence level of the intervals */
};

/* 0, or -1 when there are no records */
int summary_build(struct summary *s, const struct recset *rs);
void summary_release(struct summary *s);

#endif
