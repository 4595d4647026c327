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
/* the provider's max_tokens (or max_completion_tokens) parameter;
 * DEFAULT_MAX_TOKENS when unset */
long provider_max_tokens(const struct provider *p);
/* the price table as JSON (for run.json); caller deletes */
cJSON *provider_prices_json(const struct provider_set *ps);

#endif
