/* ratelimit.c - per-provider pacing: token buckets, AIMD concurrency and
 * the pauses that rate-limit headers and Retry-After ask for. */
#define _GNU_SOURCE
#include "engine/ratelimit.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/xalloc.h"

static void bucket_init(struct bucket *b, double per_minute, double now)
{
	b->rate_per_ms = per_minute > 0 ? per_minute / 60000.0 : 0;
	/* ten seconds' worth at once: smooth enough not to trip per-second limits */
	b->cap = per_minute > 0 ? fmax(1, per_minute / 6) : 0;
	b->level = b->cap;
	b->last_ms = now;
}

static void bucket_fill(struct bucket *b, double now)
{
	if (b->rate_per_ms <= 0)
		return;
	b->level = fmin(b->cap, b->level + (now - b->last_ms) * b->rate_per_ms);
	b->last_ms = now;
}

/* ms until the bucket holds `need` (a request bigger than the cap waits for a full bucket) */
static double bucket_wait(struct bucket *b, double need)
{
	if (b->rate_per_ms <= 0)
		return 0;
	need = fmin(need, b->cap);
	return b->level >= need ? 0 : (need - b->level) / b->rate_per_ms;
}

void ratelimit_init(struct ratelimit *rl, int max_concurrency, double rpm, double tpm, double now)
{
	memset(rl, 0, sizeof(*rl));
	rl->max = max_concurrency;
	rl->cwnd = max_concurrency;
	bucket_init(&rl->rpm, rpm, now);
	bucket_init(&rl->tpm, tpm, now);
}

int ratelimit_allows(struct ratelimit *rl, double now, int in_flight, double tokens, double *wait_ms)
{
	*wait_ms = -1;
	if (now < rl->paused_until_ms) {
		*wait_ms = rl->paused_until_ms - now;
		return 0;
	}
	if (in_flight >= (int)floor(rl->cwnd))
		return 0;
	bucket_fill(&rl->rpm, now);
	bucket_fill(&rl->tpm, now);
	double w = fmax(bucket_wait(&rl->rpm, 1), bucket_wait(&rl->tpm, tokens));
	if (w > 0) {
		*wait_ms = w;
		return 0;
	}
	*wait_ms = 0;
	return 1;
}

void ratelimit_take(struct ratelimit *rl, double now, double tokens)
{
	bucket_fill(&rl->rpm, now);
	bucket_fill(&rl->tpm, now);
	if (rl->rpm.rate_per_ms > 0)
		rl->rpm.level -= 1;
	if (rl->tpm.rate_per_ms > 0)
		rl->tpm.level -= fmin(tokens, rl->tpm.cap);
}

void ratelimit_on_response(struct ratelimit *rl, double now, long status, const struct rl_headers *h)
{
	if (status == 429) {
		/* multiplicative decrease, and a pause the server may have named */
		rl->cwnd = fmax(1, rl->cwnd / 2);
		rl->backoffs++;
		double pause = h->retry_after_ms >= 0 ? h->retry_after_ms : 1000;
		rl->paused_until_ms = fmax(rl->paused_until_ms, now + fmin(pause, 300e3));
	} else if (status >= 200 && status < 300 && rl->cwnd < rl->max) {
		/* additive increase: one more slot per window of successes */
		rl->cwnd = fmin(rl->max, rl->cwnd + 1 / rl->cwnd);
	}
	if (h->remaining_requests == 0 && h->reset_requests_ms > 0)
		rl->paused_until_ms = fmax(rl->paused_until_ms, now + fmin(h->reset_requests_ms, 300e3));
	if (h->remaining_tokens == 0 && h->reset_tokens_ms > 0)
		rl->paused_until_ms = fmax(rl->paused_until_ms, now + fmin(h->reset_tokens_ms, 300e3));
}

void rl_headers_init(struct rl_headers *h)
{
	h->remaining_requests = h->reset_requests_ms = -1;
	h->remaining_tokens = h->reset_tokens_ms = -1;
	h->retry_after_ms = -1;
}

double rl_duration_ms(const char *s)
{
	double total = 0;
	int any = 0;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
		if (strncmp(s, "ms", 2) == 0) {
			total += v;
			s += 2;
		} else if (*s == 'h') {
			total += v * 3600e3;
			s++;
		} else if (*s == 'm') {
			total += v * 60e3;
			s++;
		} else if (*s == 's') {
			total += v * 1e3;
			s++;
		} else if (*s == '\0' && !any) {
			return v * 1e3; /* a bare number: seconds */
		} else {
			return -1;
		}
		any = 1;
	}
	return any ? total : -1;
}

/* an RFC 3339 or HTTP date, or seconds, as ms from now; -1 when unreadable */
static double until_ms(const char *v)
{
	char *end;
	double secs = strtod(v, &end);
	if (end != v && *end == '\0')
		return secs >= 0 ? secs * 1e3 : -1;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *rest = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	time_t at = rest ? timegm(&tm) : curl_getdate(v, NULL);
	if (at <= 0)
		return -1;
	return fmax(0, difftime(at, time(NULL)) * 1e3);
}

void rl_headers_parse(struct rl_headers *h, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return;
	size_t nlen = (size_t)(colon - line);
	char *v = xstrndup(colon + 1, len - nlen - 1);
	char *p = v + strspn(v, " \t");
	p[strcspn(p, "\r\n")] = '\0';
	static const struct {
		const char *name;
		int field; /* 0 remaining requests, 1 reset requests, 2 remaining tokens, 3 reset tokens, 4 retry-after */
	} map[] = {
		{ "x-ratelimit-remaining-requests", 0 },  { "x-ratelimit-reset-requests", 1 },
		{ "x-ratelimit-remaining-tokens", 2 },    { "x-ratelimit-reset-tokens", 3 },
		{ "anthropic-ratelimit-requests-remaining", 0 }, { "anthropic-ratelimit-requests-reset", 1 },
		{ "anthropic-ratelimit-tokens-remaining", 2 },   { "anthropic-ratelimit-tokens-reset", 3 },
		{ "retry-after", 4 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		if (strlen(map[i].name) != nlen || strncasecmp(line, map[i].name, nlen) != 0)
			continue;
		switch (map[i].field) {
		case 0: h->remaining_requests = strtod(p, NULL); break;
		case 2: h->remaining_tokens = strtod(p, NULL); break;
		case 1:
		case 3: {
			/* OpenAI gives a duration ("6m0s"), Anthropic a time (RFC 3339) */
			double ms = strchr(p, 'T') ? until_ms(p) : rl_duration_ms(p);
			if (map[i].field == 1)
				h->reset_requests_ms = ms;
			else
				h->reset_tokens_ms = ms;
			break;
		}
		case 4: h->retry_after_ms = until_ms(p); break;
		}
	}
	free(v);
}
