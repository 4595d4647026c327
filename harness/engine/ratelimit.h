/* ratelimit.h - how fast one provider may be sent requests: token buckets
 * for requests and tokens per minute, a congestion window that halves on a
 * 429 and grows back by one per window of successes (AIMD), and pauses the
 * provider's own rate-limit headers ask for. */
#ifndef TB_RATELIMIT_H
#define TB_RATELIMIT_H

#include <stddef.h>

struct bucket {
	double rate_per_ms, cap, level, last_ms; /* rate 0: no limit */
};

struct ratelimit {
	double cwnd;           /* requests allowed in flight, 1 .. max */
	int max;               /* the provider's max_concurrency */
	struct bucket rpm, tpm;
	double paused_until_ms;
	size_t backoffs;       /* times a 429 halved the window */
};

/* what a response's headers said about the provider's limits; -1 = not said */
struct rl_headers {
	double remaining_requests, reset_requests_ms;
	double remaining_tokens, reset_tokens_ms;
	double retry_after_ms;
};

void ratelimit_init(struct ratelimit *rl, int max_concurrency, double rpm, double tpm, double now_ms);
/* whether a request of `tokens` may start now with in_flight running; when
 * not, *wait_ms says when to ask again (-1: when something finishes), and
 * it is 0 when it may */
int ratelimit_allows(struct ratelimit *rl, double now_ms, int in_flight, double tokens, double *wait_ms);
/* a request of `tokens` starts */
void ratelimit_take(struct ratelimit *rl, double now_ms, double tokens);
/* a response came back (status 429 or other) with these headers */
void ratelimit_on_response(struct ratelimit *rl, double now_ms, long status, const struct rl_headers *h);

void rl_headers_init(struct rl_headers *h);
/* reads one header line (x-ratelimit-*, anthropic-ratelimit-*, retry-after) into h */
void rl_headers_parse(struct rl_headers *h, const char *line, size_t len);
/* "1s", "6m0s", "20ms", "1h2m3.5s" (OpenAI's reset format) in ms, or -1 */
double rl_duration_ms(const char *s);

#endif
