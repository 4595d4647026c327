/* breaker.c - the circuit breaker's classes and states (breaker.h).
 *
 * Closed: requests go; every infrastructure failure adds one to a count
 * that a success resets, and a certain failure (one that retrying will not
 * mend) fills it at once. At the threshold it opens: the provider gets no
 * request but one probe at a time, the first a second after it opened and
 * each next one twice as late (at most a minute apart), the last no later
 * than the deadline. An answer to anything (probe or a request that was
 * already in flight) closes it; wait_ms after it opened with no answer, the
 * provider is down. */
#define _GNU_SOURCE
#include "engine/breaker.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIRST_PROBE_MS 1000.0
#define MAX_PROBE_GAP_MS 60000.0

/* error codes or types that say the account, the key or the model is wrong:
 * OpenAI's, OpenRouter's and Anthropic's (their error bodies' code/type) */
static const char *const certain_codes[] = {
	"invalid_api_key", "model_not_found", "insufficient_quota", "billing_hard_limit_reached",
	"billing_not_active", "authentication_error", "permission_error", "billing_error",
	"not_found_error",
};

enum breaker_class breaker_classify(const char *kind, long http_status, const char *code)
{
	if (kind) {
		if (strcmp(kind, "connect") == 0 || strcmp(kind, "dns") == 0 || strcmp(kind, "tls") == 0)
			return BREAKER_CERTAIN;
		if (strcmp(kind, "timeout") == 0 || strcmp(kind, "connection") == 0)
			return BREAKER_FAILURE;
		return BREAKER_NEUTRAL; /* our side could not set the transfer up */
	}
	if (http_status >= 200 && http_status < 300)
		return BREAKER_SUCCESS;
	if (code)
		for (size_t i = 0; i < sizeof(certain_codes) / sizeof(*certain_codes); i++)
			if (strcmp(code, certain_codes[i]) == 0)
				return BREAKER_CERTAIN;
	/* 402: OpenRouter's (and others') "add credits" */
	if (http_status == 401 || http_status == 402 || http_status == 403 || http_status == 404)
		return BREAKER_CERTAIN;
	if (http_status >= 500)
		return BREAKER_FAILURE;
	return BREAKER_NEUTRAL;
}

void breaker_init(struct breaker *b, int threshold, double wait_ms)
{
	memset(b, 0, sizeof(*b));
	b->threshold = threshold;
	b->wait_ms = wait_ms;
	b->state = BREAKER_CLOSED;
}

static void open_at(struct breaker *b, double now_ms)
{
	b->state = BREAKER_OPEN;
	b->opened_ms = now_ms;
	b->probes = 0;
	b->probing = 0;
	b->last_sent = 0;
	b->gap_ms = FIRST_PROBE_MS;
	b->next_probe_ms = fmin(now_ms + FIRST_PROBE_MS, now_ms + b->wait_ms);
}

enum breaker_event breaker_record(struct breaker *b, enum breaker_class c, const char *why, int probe,
				  double now_ms)
{
	if (b->threshold <= 0 || b->state == BREAKER_DOWN)
		return BREAKER_NONE;
	if (probe)
		b->probing = 0;
	if (c == BREAKER_SUCCESS) {
		b->failures = 0;
		if (b->state == BREAKER_OPEN) {
			b->state = BREAKER_CLOSED;
			return BREAKER_CLOSED_AGAIN;
		}
		return BREAKER_NONE;
	}
	if (c == BREAKER_NEUTRAL)
		return probe ? breaker_tick(b, now_ms) : BREAKER_NONE;
	if (why)
		snprintf(b->why, sizeof(b->why), "%s", why);
	b->failures = c == BREAKER_CERTAIN && b->failures < b->threshold ? b->threshold : b->failures + 1;
	if (b->state == BREAKER_CLOSED) {
		if (b->failures < b->threshold)
			return BREAKER_NONE;
		open_at(b, now_ms);
		return BREAKER_OPENED;
	}
	if (probe) {
		/* the next probe, twice as late, and never after the deadline */
		b->gap_ms = fmin(b->gap_ms * 2, MAX_PROBE_GAP_MS);
		b->next_probe_ms = fmin(now_ms + b->gap_ms, b->opened_ms + b->wait_ms);
	}
	return breaker_tick(b, now_ms);
}

int breaker_allows(const struct breaker *b, double now_ms, double *wait_ms)
{
	*wait_ms = -1;
	if (b->state == BREAKER_CLOSED)
		return 1;
	if (b->state == BREAKER_DOWN || b->probing)
		return 0;
	if (now_ms >= b->next_probe_ms)
		return 1;
	*wait_ms = b->next_probe_ms - now_ms;
	return 0;
}

void breaker_probe_sent(struct breaker *b)
{
	if (b->state != BREAKER_OPEN)
		return;
	b->probing = 1;
	b->probes++;
	b->last_sent = b->next_probe_ms >= b->opened_ms + b->wait_ms;
}

enum breaker_event breaker_tick(struct breaker *b, double now_ms)
{
	if (b->state != BREAKER_OPEN || b->probing || now_ms < b->opened_ms + b->wait_ms)
		return BREAKER_NONE;
	/* the last probe goes at the deadline: give up only once it has failed */
	if (!b->last_sent)
		return BREAKER_NONE;
	b->state = BREAKER_DOWN;
	return BREAKER_GAVE_UP;
}

int breaker_is_billing(long status, const char *code, const char *message)
{
	static const char *const ids[] = {
		"insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
		"project_spend_limit_exceeded", "organization_usage_limit_exceeded", "billing_hard_limit_reached",
		"billing_error", "exceeded_current_quota_error", "1113",
	};
	if (status == 402)
		return 1;
	if (status != 429 && status != 400 && status != 403)
		return 0;
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (code && strcmp(code, ids[i]) == 0)
			return 1;
	return message && strcasestr(message, "credit balance is too low") != NULL;
}
