/* sim_wire.c - a simulated model's wire options (dialect, prices, the
 * rate limits it announces), read from its provider entry and profile. */
#include "sim/sim_wire.h"

#include <string.h>

#include "util/json.h"
#include "util/msg.h"

static const char *const dialects[] = { "openai", "openrouter", "deepseek", "moonshot", "zhipu", "minimax" };

const char *sim_dialect_name(enum sim_dialect d)
{
	return dialects[d];
}

int sim_wire_load(struct sim_wire *wi, const cJSON *provider, const cJSON *profile, const char *where)
{
	memset(wi, 0, sizeof(*wi));
	const char *d = json_str(profile, "dialect", "openai");
	size_t k = 0;
	while (k < sizeof(dialects) / sizeof(*dialects) && strcmp(dialects[k], d) != 0)
		k++;
	if (k == sizeof(dialects) / sizeof(*dialects))
		return error("%s: unknown dialect '%s' (openai, openrouter, deepseek, moonshot, zhipu or minimax)", where,
			     d);
	wi->dialect = (enum sim_dialect)k;
	const cJSON *price = cJSON_GetObjectItemCaseSensitive(provider, "price");
	if (!price)
		price = cJSON_GetObjectItemCaseSensitive(profile, "price");
	if (cJSON_IsObject(price)) {
		wi->priced = 1;
		wi->price.input = json_num(price, "input", 0);
		wi->price.output = json_num(price, "output", 0);
		wi->price.cached_input = json_num(price, "cached_input", wi->price.input);
		wi->price.cache_write = json_num(price, "cache_write", wi->price.input);
	}
	/* high enough by default that no benchmark runs into them */
	const cJSON *rl = cJSON_GetObjectItemCaseSensitive(profile, "rate_limits");
	wi->rpm = (long)json_num(rl, "rpm", 1e6);
	wi->tpm = (long)json_num(rl, "tpm", 1e9);
	if (wi->rpm < 1 || wi->tpm < 1)
		return error("%s: rate_limits: rpm and tpm must be at least 1", where);
	return 0;
}
