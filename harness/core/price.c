/* price.c - costs from usage and a price table (see price.h). */
#include "core/price.h"

#include <math.h>

int price_cost_valid(double usd)
{
	return isfinite(usd) && usd >= 0 && usd <= COST_MAX_USD;
}

double price_cost(const struct price *p, const struct usage *u)
{
	return ((double)u->input * p->input + (double)u->cached_input * p->cached_input +
		(double)u->cache_write * p->cache_write + (double)u->output * p->output) / 1e6;
}

double price_worst(const struct price *p, long prompt_tokens, long output_tokens, int cache_prefix)
{
	struct usage w = { .input = prompt_tokens, .output = output_tokens };
	if (cache_prefix && p->cache_write > p->input) {
		w.cache_write = prompt_tokens;
		w.input = 0;
	}
	return price_cost(p, &w);
}

const char *price_answer(const struct price *p, const struct usage *u, double reported_usd, int usage_estimated,
			 double *cost_usd)
{
	if (price_cost_valid(reported_usd)) {
		*cost_usd = reported_usd;
		return "provider";
	}
	*cost_usd = price_cost(p, u);
	return usage_estimated ? "estimate" : "price_table";
}

double price_cache_saving(const struct price *p, const struct usage *u)
{
	if (!u->cached_input && !u->cache_write)
		return NAN;
	return ((double)u->cached_input * (p->input - p->cached_input) +
		(double)u->cache_write * (p->input - p->cache_write)) / 1e6;
}
