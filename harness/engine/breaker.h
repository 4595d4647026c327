/* breaker.h - a circuit breaker per provider: how a request's outcome is
 * classed (breaker_classify), and the small state machine that pauses a
 * provider after consecutive infrastructure failures, probes it with one
 * request at growing intervals, and gives it up when it does not come back
 * in time. It knows nothing of curl or of the loop: sched.c and transfer.c
 * feed it outcomes and times, and ask it whether a request may go. */
#ifndef TB_BREAKER_H
#define TB_BREAKER_H

/* what one request's outcome says about the provider */
enum breaker_class {
	BREAKER_SUCCESS, /* it answered (2xx): the provider is up */
	BREAKER_NEUTRAL, /* the request's own fault or pacing (400, 422, 429...): says nothing */
	BREAKER_FAILURE, /* may pass (5xx, a timeout, a reset): counts towards the threshold */
	BREAKER_CERTAIN, /* will not pass by retrying (refused, DNS, TLS, 401/403, 404 model,
			  * billing): opens the breaker at once */
};

/* the class of an outcome: kind is the transport failure's error kind
 * ("connect", "dns", "tls", "timeout", "connection", "transport") or NULL
 * when a response came; http_status its status (0: none); code the
 * provider's error code or type from the error body ("model_not_found",
 * "insufficient_quota", "billing_error"...; may be NULL). One function so
 * that new kinds of certain failure are added in one place */
enum breaker_class breaker_classify(const char *kind, long http_status, const char *code);

/* 1 for a failure no retry can mend because the account cannot pay (the
 * provider is dropped with reason billing): OpenAI's
 * 429 with type or code insufficient_quota (or one of the spend-limit codes
 * its error-code guide lists under it; proto_error_code gives the code,
 * else the type), OpenRouter's 402 (insufficient
 * credits; Anthropic documents 402 billing_error too), Anthropic's 400
 * "credit balance is too low", Moonshot's exceeded_current_quota_error and
 * Z.ai's 1113 (an account in arrears). A rate limit's 429 is not one */
int breaker_is_billing(long status, const char *code, const char *message);

enum breaker_state {
	BREAKER_CLOSED,  /* requests go */
	BREAKER_OPEN,    /* paused: one probe at a time, at growing intervals */
	BREAKER_DOWN,    /* given up: its waiting samples are not attempted */
};

/* what an outcome or the clock changed */
enum breaker_event {
	BREAKER_NONE,
	BREAKER_OPENED,  /* closed -> open */
	BREAKER_CLOSED_AGAIN, /* open -> closed: an answer came */
	BREAKER_GAVE_UP, /* open -> down: no answer within wait_ms */
};

struct breaker {
	int threshold;         /* consecutive failures that open it; 0: never opens */
	double wait_ms;        /* how long it stays open before the provider is down */
	enum breaker_state state;
	int failures;          /* consecutive failures since the last success */
	int probing;           /* a probe is in flight */
	int probes;            /* probes sent since it opened */
	int last_sent;         /* the last probe, due at the deadline, was sent */
	double opened_ms, next_probe_ms, gap_ms;
	char why[320];         /* the last failure, as "kind: message" */
};

/* closed, with the threshold (0: off) and the bound on being open */
void breaker_init(struct breaker *b, int threshold, double wait_ms);
/* a request's outcome at now_ms (probe: it was the probe); why describes a
 * failure (copied, may be NULL). Returns what changed */
enum breaker_event breaker_record(struct breaker *b, enum breaker_class c, const char *why, int probe,
				  double now_ms);
/* whether a request may go now: closed, 1; open, 1 when a probe is due (the
 * caller sends one request and calls breaker_probe_sent), else 0 with
 * *wait_ms until the next probe or the deadline; down, 0 with *wait_ms -1 */
int breaker_allows(const struct breaker *b, double now_ms, double *wait_ms);
/* the request breaker_allows let go while open was sent */
void breaker_probe_sent(struct breaker *b);
/* the clock alone: open for wait_ms with no probe in flight gives it up
 * (BREAKER_GAVE_UP), else BREAKER_NONE */
enum breaker_event breaker_tick(struct breaker *b, double now_ms);

#endif
