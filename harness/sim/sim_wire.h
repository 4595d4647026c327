/* sim_wire.h - a simulated model's wire options: which provider's dialect
 * of the OpenAI chat-completions format it speaks, the prices it bills
 * at (OpenRouter's usage.cost and model list) and the rate limits its
 * headers announce. Loaded with the profile; read by sim_api.c and the
 * two wire formats. */
#ifndef TB_SIM_WIRE_H
#define TB_SIM_WIRE_H

#include <cjson/cJSON.h>

#include "core/provider.h"

/* where providers that speak OpenAI's format differ from it (each
 * writer cites the documentation it follows) */
enum sim_dialect {
	DIALECT_OPENAI,     /* OpenAI itself */
	DIALECT_OPENROUTER, /* usage.cost, is_byok, cost_details; usage always; numeric error codes */
	DIALECT_DEEPSEEK,   /* prompt_cache_hit_tokens / prompt_cache_miss_tokens, reasoning_content */
	DIALECT_MOONSHOT,   /* usage.cached_tokens; a stream's usage inside its last choice */
	DIALECT_ZHIPU,      /* reasoning_content; a stream's usage on its last chunk, always */
	DIALECT_MINIMAX,    /* thinking inside <think> in content, or reasoning_details when split */
};

struct sim_wire {
	enum sim_dialect dialect;
	int priced;          /* a price was given */
	struct price price;  /* USD per million tokens; its as_of and source stay NULL */
	long rpm, tpm;    /* announced limits per minute */
};

/* the wire options of one profile: "dialect" and "rate_limits" ({"rpm",
 * "tpm"}) from the sim object, "price" from the provider entry or the
 * profile; 0, or -1 reported with `where` */
int sim_wire_load(struct sim_wire *wi, const cJSON *provider, const cJSON *profile, const char *where);
const char *sim_dialect_name(enum sim_dialect d);

#endif
