/* test_ratelimit.c - pacing: durations, headers, buckets and the AIMD window. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "engine/ratelimit.h"
#include "tests.h"

void test_ratelimit_headers(void)
{
	CHECK_NEAR(rl_duration_ms("1s"), 1000, 1e-9);
	CHECK_NEAR(rl_duration_ms("6m0s"), 360000, 1e-9);
	CHECK_NEAR(rl_duration_ms("20ms"), 20, 1e-9);
	CHECK_NEAR(rl_duration_ms("1h2m3.5s"), 3723500, 1e-9);
	CHECK_NEAR(rl_duration_ms("7"), 7000, 1e-9);
	CHECK(rl_duration_ms("soon") < 0);
	struct rl_headers h;
	rl_headers_init(&h);
	static const char *const lines[] = {
		"x-ratelimit-remaining-requests: 0\r\n", "x-ratelimit-reset-requests: 1.5s\r\n",
		"X-RateLimit-Remaining-Tokens: 1200\r\n", "retry-after: 3\r\n", "content-type: text/plain\r\n",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		rl_headers_parse(&h, lines[i], strlen(lines[i]));
	CHECK(h.remaining_requests == 0 && h.remaining_tokens == 1200);
	CHECK_NEAR(h.reset_requests_ms, 1500, 1e-9);
	CHECK_NEAR(h.retry_after_ms, 3000, 1e-9);
	/* Retry-After as an HTTP date, Anthropic's reset as an RFC 3339 time: both in the past here */
	rl_headers_init(&h);
	const char *d = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n";
	rl_headers_parse(&h, d, strlen(d));
	CHECK(h.retry_after_ms == 0);
	const char *a = "anthropic-ratelimit-requests-reset: 2015-10-21T07:28:00Z\r\n";
	rl_headers_parse(&h, a, strlen(a));
	CHECK(h.reset_requests_ms == 0);
}

void test_ratelimit_pacing(void)
{
	struct ratelimit rl;
	double wait;
	/* 60 requests a minute: a burst of 10, then one a second */
	ratelimit_init(&rl, 100, 60, 0, 0);
	int sent = 0;
	while (ratelimit_allows(&rl, 0, 0, 1, &wait) && sent < 100) {
		ratelimit_take(&rl, 0, 1);
		sent++;
	}
	CHECK(sent == 10);
	CHECK_NEAR(wait, 1000, 1e-6);
	CHECK(ratelimit_allows(&rl, 1000, 0, 1, &wait) && wait == 0);
	/* tokens per minute: a request bigger than the bucket waits for a full one */
	ratelimit_init(&rl, 100, 0, 6000, 0);
	CHECK(ratelimit_allows(&rl, 0, 0, 800, &wait));
	ratelimit_take(&rl, 0, 800);
	CHECK(!ratelimit_allows(&rl, 0, 0, 800, &wait) && wait > 0);
	/* concurrency: the window halves on a 429, pauses, then grows back one per window */
	ratelimit_init(&rl, 16, 0, 0, 0);
	CHECK(!ratelimit_allows(&rl, 0, 16, 1, &wait) && wait < 0);
	struct rl_headers h;
	rl_headers_init(&h);
	h.retry_after_ms = 2000;
	ratelimit_on_response(&rl, 0, 429, &h);
	CHECK(rl.cwnd == 8 && rl.backoffs == 1);
	CHECK(!ratelimit_allows(&rl, 1000, 0, 1, &wait) && fabs(wait - 1000) < 1e-9);
	CHECK(ratelimit_allows(&rl, 2000, 7, 1, &wait));
	CHECK(!ratelimit_allows(&rl, 2000, 8, 1, &wait));
	rl_headers_init(&h);
	for (int i = 0; i < 8; i++)
		ratelimit_on_response(&rl, 3000, 200, &h);
	CHECK(rl.cwnd > 8.9 && rl.cwnd < 9.1);
	/* a header that says the requests are used up pauses until their reset */
	h.remaining_requests = 0;
	h.reset_requests_ms = 500;
	ratelimit_on_response(&rl, 4000, 200, &h);
	CHECK(!ratelimit_allows(&rl, 4100, 0, 1, &wait) && fabs(wait - 400) < 1e-9);
}
