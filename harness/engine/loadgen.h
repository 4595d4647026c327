/* loadgen.h - a load generator for one endpoint: a closed loop of
 * streaming requests at a fixed concurrency, bounded in requests, seconds
 * and errors, each request's times and tokens kept (stats/loadstat.h
 * summarises them). It speaks through the protocol adapters (proto.h), as
 * the request loop does. */
#ifndef TB_LOADGEN_H
#define TB_LOADGEN_H

#include <stddef.h>

#include "core/load.h"
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

/* runs one step of the ladder; 0, or -1 when it could not start (reported).
 * Failing requests are data in out, never a failure of the step */
int loadgen_run(const struct loadgen_opts *o, struct load_step *out);

#endif
