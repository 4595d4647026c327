/* provider.h - provider files (providers/NAME.json): endpoints, models, dated
 * prices (core/price.h prices with them) and limits. */
#ifndef TB_PROVIDER_H
#define TB_PROVIDER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/price.h"

/* the answer's length a request asks for when the provider's params do not
 * say (Anthropic requires one), and what a worst case counts then */
#define DEFAULT_MAX_TOKENS 4096

/* the largest response body (decoded) a request takes when the provider
 * file does not say (max_response_bytes): beyond it the transfer is
 * aborted as response_too_large */
#define PROVIDER_MAX_RESPONSE_BYTES (8 << 20)

/* the wire protocols a provider file may name */
enum protocol { PROTOCOL_OPENAI, PROTOCOL_ANTHROPIC };

struct provider {
	char *name, *protocol, *base_url, *model; /* owned */
	char *api_key_env;   /* the NAME of the variable holding the key; owned */
	struct price price;
	int max_concurrency;
	double rpm, tpm;     /* 0 = no limit */
	double timeout_s;    /* one request, start to end */
	size_t max_response_bytes; /* the largest response body taken, decoded */
	cJSON *params;       /* request parameters merged into the body; owned */
	enum protocol wire;  /* parsed from protocol */
	char *origin;        /* "file: provider N", for messages */
};

struct provider_set {
	struct provider *v; /* owned */
	size_t n;
	char *path;
	char hash[65];      /* sha256 of the file */
};

void provider_set_init(struct provider_set *ps);
void provider_set_release(struct provider_set *ps);
/* reads a provider file: a JSON list of providers or {"providers": [...]};
 * every number validated (prices, limits, timeout_s, max_response_bytes,
 * params.max_tokens); 0 or -1 after reporting the file, entry and field
 * at fault */
int provider_set_load(struct provider_set *ps, const char *path);
/* the provider with this name, or NULL; borrowed */
const struct provider *provider_find(const struct provider_set *ps, const char *name);
/* the provider's max_tokens (or max_completion_tokens) parameter;
 * DEFAULT_MAX_TOKENS when unset (or not a count in [1, TOKENS_MAX], which
 * provider_set_load refuses) */
long provider_max_tokens(const struct provider *p);
/* the price table as JSON (for run.json); caller deletes */
cJSON *provider_prices_json(const struct provider_set *ps);

#endif
