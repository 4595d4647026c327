/* test_breaker.c - the circuit breaker: how outcomes are classed (and the
 * error codes read from each API's bodies), and its states driven by a
 * clock of our own (no curl, no sockets). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine/breaker.h"
#include "engine/proto.h"
#include "tests.h"

void test_breaker_classify(void)
{
	static const struct {
		const char *kind;
		long status;
		const char *code;
		enum breaker_class want;
	} cases[] = {
		{ "connect", 0, NULL, BREAKER_CERTAIN },
		{ "dns", 0, NULL, BREAKER_CERTAIN },
		{ "tls", 0, NULL, BREAKER_CERTAIN },
		{ "timeout", 0, NULL, BREAKER_FAILURE },
		{ "connection", 0, NULL, BREAKER_FAILURE },
		{ "transport", 0, NULL, BREAKER_NEUTRAL },
		{ NULL, 200, NULL, BREAKER_SUCCESS },
		{ NULL, 401, "invalid_api_key", BREAKER_CERTAIN },
		{ NULL, 403, NULL, BREAKER_CERTAIN },
		{ NULL, 404, "model_not_found", BREAKER_CERTAIN },
		{ NULL, 402, NULL, BREAKER_CERTAIN },
		{ NULL, 429, "insufficient_quota", BREAKER_CERTAIN },
		{ NULL, 429, "rate_limit_exceeded", BREAKER_NEUTRAL },
		{ NULL, 400, "invalid_request_error", BREAKER_NEUTRAL },
		{ NULL, 500, NULL, BREAKER_FAILURE },
		{ NULL, 503, NULL, BREAKER_FAILURE },
		{ NULL, 529, "overloaded_error", BREAKER_FAILURE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		CHECK(breaker_classify(cases[i].kind, cases[i].status, cases[i].code) == cases[i].want);
}

void test_breaker_states(void)
{
	struct breaker b;
	double wait;
	breaker_init(&b, 3, 10000);
	/* two failures, then a success: the count starts again */
	CHECK(breaker_record(&b, BREAKER_FAILURE, "http_500: a", 0, 0) == BREAKER_NONE);
	CHECK(breaker_record(&b, BREAKER_FAILURE, "http_500: b", 0, 1) == BREAKER_NONE);
	CHECK(breaker_record(&b, BREAKER_SUCCESS, NULL, 0, 2) == BREAKER_NONE && b.failures == 0);
	CHECK(breaker_record(&b, BREAKER_NEUTRAL, NULL, 0, 3) == BREAKER_NONE && b.failures == 0);
	CHECK(breaker_allows(&b, 3, &wait) == 1);
	/* three in a row open it; it waits a second for its first probe */
	breaker_record(&b, BREAKER_FAILURE, "timeout: x", 0, 10);
	breaker_record(&b, BREAKER_FAILURE, "timeout: x", 0, 11);
	CHECK(breaker_record(&b, BREAKER_FAILURE, "timeout: y", 0, 12) == BREAKER_OPENED);
	CHECK(b.state == BREAKER_OPEN && strcmp(b.why, "timeout: y") == 0);
	CHECK(breaker_allows(&b, 12, &wait) == 0 && wait > 999 && wait < 1001);
	CHECK(breaker_allows(&b, 1012, &wait) == 1);
	breaker_probe_sent(&b);
	/* one probe at a time */
	CHECK(breaker_allows(&b, 1013, &wait) == 0);
	/* a failed probe: the next one two seconds later, then four */
	CHECK(breaker_record(&b, BREAKER_FAILURE, "timeout: z", 1, 1100) == BREAKER_NONE);
	CHECK(breaker_allows(&b, 2000, &wait) == 0 && wait > 1099 && wait < 1101);
	CHECK(breaker_allows(&b, 3100, &wait) == 1);
	breaker_probe_sent(&b);
	breaker_record(&b, BREAKER_FAILURE, "timeout: z", 1, 3100);
	CHECK(b.next_probe_ms == 7100);
	/* an answer closes it */
	CHECK(breaker_allows(&b, 7100, &wait) == 1);
	breaker_probe_sent(&b);
	CHECK(breaker_record(&b, BREAKER_SUCCESS, NULL, 1, 7200) == BREAKER_CLOSED_AGAIN);
	CHECK(b.state == BREAKER_CLOSED && b.failures == 0 && breaker_allows(&b, 7200, &wait) == 1);
}

void test_breaker_gives_up(void)
{
	struct breaker b;
	double wait;
	breaker_init(&b, 20, 5000);
	/* a certain failure opens it at once */
	CHECK(breaker_record(&b, BREAKER_CERTAIN, "connect: refused", 0, 0) == BREAKER_OPENED);
	/* failures of requests already in flight change nothing */
	CHECK(breaker_record(&b, BREAKER_CERTAIN, "connect: refused", 0, 5) == BREAKER_NONE);
	int probes = 0;
	enum breaker_event ev = BREAKER_NONE;
	/* probes at 1, 3, 5 s (the last one at the deadline), then down */
	for (double t = 0; t <= 20000 && ev != BREAKER_GAVE_UP; t += 10) {
		ev = breaker_tick(&b, t);
		if (ev == BREAKER_GAVE_UP)
			break;
		if (breaker_allows(&b, t, &wait)) {
			breaker_probe_sent(&b);
			probes++;
			ev = breaker_record(&b, BREAKER_CERTAIN, "connect: refused", 1, t);
			CHECK(ev == BREAKER_NONE || t >= 5000);
		}
	}
	CHECK(ev == BREAKER_GAVE_UP && b.state == BREAKER_DOWN && probes == 3);
	CHECK(breaker_allows(&b, 30000, &wait) == 0 && wait < 0);
	/* down stays down */
	CHECK(breaker_record(&b, BREAKER_SUCCESS, NULL, 0, 30000) == BREAKER_NONE && b.state == BREAKER_DOWN);
	/* threshold 0: never opens */
	breaker_init(&b, 0, 5000);
	CHECK(breaker_record(&b, BREAKER_CERTAIN, "connect: refused", 0, 0) == BREAKER_NONE);
	CHECK(breaker_allows(&b, 0, &wait) == 1);
}

/* the code breaker_classify is given, as each API's error body has it */
void test_breaker_error_codes(void)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
		{ "{\"error\":{\"message\":\"The model `x` does not exist\",\"type\":\"invalid_request_error\","
		  "\"param\":null,\"code\":\"model_not_found\"}}", "model_not_found" },
		{ "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
		  "\"param\":null,\"code\":\"insufficient_quota\"}}", "insufficient_quota" },
		{ "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: x\"}}", "not_found_error" },
		{ "{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"out of credits\"}}", "billing_error" },
		{ "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}", "402" },
		{ "{\"error\":{\"message\":\"x\",\"type\":\"server_error\",\"code\":null}}", "server_error" },
		{ "Not Found", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *c = proto_error_code(cases[i].body, strlen(cases[i].body));
		if (cases[i].want)
			CHECK_STR(c, cases[i].want);
		else
			CHECK(c == NULL);
		free(c);
	}
	/* billing, whichever way a provider says it, will not pass by retrying */
	CHECK(breaker_classify(NULL, 429, "insufficient_quota") == BREAKER_CERTAIN);
	CHECK(breaker_classify(NULL, 402, "402") == BREAKER_CERTAIN);
	CHECK(breaker_classify(NULL, 400, "billing_error") == BREAKER_CERTAIN);
}
