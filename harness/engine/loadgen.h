/* loadgen.h - a load generator for one endpoint: a closed loop of
 * streaming requests at a fixed concurrency, bounded in requests, seconds
 * and errors, each request's times and tokens kept (stats/loadstat.h
 * summarises them). It speaks through the protocol adapters (proto.h), as
 * the request loop does. */
#ifndef TB_LOADGEN_H
#define TB_LOADGEN_H

#include <stddef.h>

#include "core/provider.h"

struct loadgen_opts {
	const struct provider *prov; /* borrowed */
	const char *key;             /* the API key, or NULL; borrowed */
	int concurrency;
	long max_requests;           /* sends at most this many */
	double max_seconds;          /* sends nothing after this; what is in flight is ended
				      * at max_seconds + timeout_s */
	double timeout_s;            /* one request, start to end */
	long max_errors;             /* sends nothing more after this many errors */
	long output_tokens;          /* max_tokens, with ignore_eos where the protocol has it */
	const char *const *prompts;  /* user messages, taken in turn; borrowed */
	size_t nprompts;
};

/* one request: times in ms from the step's start (start, end) or from its
 * own start (ttft, NAN when no token came) */
struct loadgen_req {
	double start_ms, end_ms, ttft_ms;
	long input_tokens, output_tokens;
	int ok;
	int usage_estimated;         /* no usage block: tokens from the text */
	char error[120];             /* when !ok: what went wrong */
};

struct loadgen_step {
	struct loadgen_req *v;       /* in order of completion; malloced */
	size_t n, cap;
	long sent, errors;
	double stop_ms;              /* when it stopped sending */
	double wall_ms;              /* when the last request ended */
	const char *stopped_by;      /* "requests", "seconds" or "errors" (static) */
	int aborted;                 /* requests still in flight at the bound were ended */
};

/* runs one step of the ladder; 0, or -1 when it could not start (reported).
 * Failing requests are data in out, never a failure of the step */
int loadgen_run(const struct loadgen_opts *o, struct loadgen_step *out);
void loadgen_step_release(struct loadgen_step *s);

#endif
