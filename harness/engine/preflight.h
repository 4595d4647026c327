/* preflight.h - before a run, one cheap request per provider checks that
 * its URL answers, its key is accepted and its model exists: the models
 * endpoint (GET {base_url}/models/{model}, as OpenAI and Anthropic serve
 * it), else a one-token completion. All providers at once, bounded in
 * time. */
#ifndef TB_PREFLIGHT_H
#define TB_PREFLIGHT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/provider.h"
#include "core/record.h"

/* each request's bounds; a provider is asked at most twice (the models
 * endpoint, then a completion), so preflight ends within twice
 * PREFLIGHT_REQUEST_S */
#define PREFLIGHT_REQUEST_S 15
#define PREFLIGHT_CONNECT_S 10

struct preflight_result {
	const struct provider *prov; /* borrowed */
	int ok;
	const char *method;      /* how it was checked: "models" or "completion" (static) */
	long http_status;        /* of the last request; 0: no response */
	char *detail;            /* malloced: what failed, with the provider's own message
				  * (key redacted); or NULL when it passed */
	char *fallback;          /* malloced: why the models endpoint did not settle it; or NULL */
	struct usage usage;      /* the completion's tokens (zero for the models endpoint) */
	double cost_usd;         /* what the completion cost (0 for the models endpoint) */
	double ms;               /* from the first request to the verdict */
};

/* checks the n providers of v (their keys from their environment
 * variables) at once, into res[n]; 0, or -1 when libcurl could not be set
 * up (reported). A provider that fails is a result, not an error */
int preflight_run(const struct provider *const *v, size_t n, struct preflight_result *res);
/* frees what each result holds; accepts NULL */
void preflight_release(struct preflight_result *res, size_t n);
/* the results as run.json's "preflight" list; caller deletes */
cJSON *preflight_json(const struct preflight_result *res, size_t n);

#endif
