/* provider.h - provider files (providers/NAME.json): endpoints, models, dated
 * prices and limits; and what a response costs. */
#ifndef TB_PROVIDER_H
#define TB_PROVIDER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/record.h"

struct price {
	/* USD per million tokens */
	double input, output, cached_input, cache_write;
	char *as_of, *source; /* owned */
};

/* the wire protocols a provider file may name */
enum protocol { PROTOCOL_OPENAI, PROTOCOL_ANTHROPIC };

struct provider {
	char *name, *protocol, *base_url, *model; /* owned */
	char *api_key_env;   /* the NAME of the variable holding the key; owned */
	struct price price;
	int max_concurrency;
	double rpm, tpm;     /* 0 = no limit */
	double timeout_s;    /* one request, start to end */
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
 * 0 or -1 after reporting the file and entry at fault */
int provider_set_load(struct provider_set *ps, const char *path);
/* the provider with this name, or NULL; borrowed */
const struct provider *provider_find(const struct provider_set *ps, const char *name);
/* the cost of usage at these prices, in USD */
double price_cost(const struct price *p, const struct usage *u);
/* what the prompt cache saved on usage: its cached reads and cache writes
 * at the full input price, minus what they cost (cache writes priced above
 * input count against it), in USD */
double price_cache_saving(const struct price *p, const struct usage *u);
/* the provider's max_tokens (or max_completion_tokens) parameter; def when unset */
long provider_max_tokens(const struct provider *p, long def);
/* the price table as JSON (for run.json); caller deletes */
cJSON *provider_prices_json(const struct provider_set *ps);

#endif
