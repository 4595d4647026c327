/* load.h - the data model of a load test's step (engine/loadgen.c fills
 * it, stats/loadstat.c summarises it): each request's times and tokens,
 * and how the step stopped. */
#ifndef TB_LOAD_H
#define TB_LOAD_H

#include <stddef.h>

/* one request: times in ms from the step's start (start, end) or from its
 * own start (ttft, NAN when no token came) */
struct load_req {
	double start_ms, end_ms, ttft_ms;
	long input_tokens, output_tokens;
	int ok;
	int usage_estimated;         /* no usage block: tokens from the text */
	char error[120];             /* when !ok: what went wrong */
};

struct load_step {
	struct load_req *v;          /* in order of completion; malloced */
	size_t n, cap;
	long sent, errors;
	double stop_ms;              /* when it stopped sending */
	double wall_ms;              /* when the last request ended */
	const char *stopped_by;      /* "requests", "seconds" or "errors" (static) */
	int aborted;                 /* requests still in flight at the bound were ended */
};

/* frees what the step holds and empties it */
void load_step_release(struct load_step *s);

#endif
