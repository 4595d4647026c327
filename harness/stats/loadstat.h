/* loadstat.h - what a load test's step measured, summarised: throughput
 * over its steady window, latency percentiles, errors; and the knee of the
 * ladder under a latency objective. */
#ifndef TB_LOADSTAT_H
#define TB_LOADSTAT_H

#include <stddef.h>

#include "core/load.h"

struct load_point {
	int concurrency;
	long sent, ok, errors;
	const char *stopped_by;     /* static */
	int aborted;
	double window_s;            /* the steady window throughput is counted over */
	int whole_step;             /* too few requests for a steady window: the whole step */
	double out_tok_s, in_tok_s, req_s; /* concurrency x tokens (requests) / busy seconds */
	double out_tok_s_window;    /* output tokens ended in the window / its length, as a check */
	double ttft_p50, ttft_p95, ttft_p99; /* ms */
	double itl_p50, itl_p95;    /* ms a token after the first, per request */
	double e2e_p50, e2e_p95;    /* ms */
	double prefill_ms_per_token; /* from the first step that served (loadstat_prefill) */
	double prefill_share;       /* of a serving second, spent on prefill (loadstat_prefill) */
	long measured;              /* requests the latencies are over */
	char first_error[120];      /* an example, "" when none */
};

/* the step's figures. The warm-up (until the concurrency-th request ends)
 * is left out: the figures are over the requests sent after it (all of
 * them when there are none). Throughput by Little's law: with
 * `concurrency` requests in flight all along, tokens/s = concurrency x
 * their tokens / the sum of their times (failed requests' times count).
 * The steady window's count (requests that end between the warm-up and
 * the last end before sending stopped, over that time) is kept as a check:
 * it is biased when few requests end in it */
void loadstat_point(const struct load_step *s, int concurrency, struct load_point *pt);

/* the prefill share of each step: a prompt's prefill time per input token
 * is the p50 TTFT over the input tokens of a request at the ladder's first
 * step that served (nothing queues there), and a step's share of each
 * serving second is its input tokens/s times that time, at most 1 */
void loadstat_prefill(struct load_point *pts, size_t n);

/* the knee under an objective (p95 TTFT at most slo_ttft_ms, p95
 * inter-token latency at most slo_itl_ms; <= 0: not bounded): the index of
 * the highest concurrency that meets it with no more than 1% errors while
 * every lower one does too, or -1 when the first does not */
int loadstat_knee(const struct load_point *pts, size_t n, double slo_ttft_ms, double slo_itl_ms);

#endif
