/* price.h - what tokens cost, in one place: a provider's dated prices, the
 * cost of a usage, the worst case of a request (what --max-cost reserves,
 * what --dry-run and a shard's share of the budget count), where a recorded
 * cost comes from, and what the prompt cache saved. The request loop, the
 * plan, --dry-run and `tokenbench reprice` all price through these. */
#ifndef TB_PRICE_H
#define TB_PRICE_H

#include "core/record.h"

struct price {
	/* USD per million tokens */
	double input, output, cached_input, cache_write;
	char *as_of, *source; /* owned */
};

/* the most a price may be, USD per million tokens: a provider file that
 * says more is wrong */
#define PRICE_MAX 1e5
/* the most one request may cost, USD: a provider that reports more (or a
 * worst case above it) reports nonsense */
#define COST_MAX_USD 1e4

/* whether usd is a cost one request can have: finite, in [0, COST_MAX_USD];
 * the one check every cost a provider reports passes */
int price_cost_valid(double usd);
/* the cost of usage at these prices, in USD */
double price_cost(const struct price *p, const struct usage *u);
/* the most a request of prompt_tokens in and output_tokens out can cost,
 * in USD: a prompt marked for the provider's cache (cache_prefix) may be
 * billed as cache writes, so it is priced as such when they cost more than
 * input */
double price_worst(const struct price *p, long prompt_tokens, long output_tokens, int cache_prefix);
/* an answer's cost into *cost_usd, and where the figure comes from (static):
 * "provider" when the provider reported a valid one (reported_usd, NAN when
 * it did not; one price_cost_valid refuses is ignored), else usage at these prices, "price_table", or "estimate" when the
 * usage itself was estimated from the text (no usage block came back) */
const char *price_answer(const struct price *p, const struct usage *u, double reported_usd, int usage_estimated,
			 double *cost_usd);
/* what the prompt cache saved on usage: its cached reads and cache writes
 * at the full input price, minus what they cost (cache writes priced above
 * input count against it), in USD; NAN when no token was read from or
 * written to the cache */
double price_cache_saving(const struct price *p, const struct usage *u);

#endif
