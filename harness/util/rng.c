/* rng.c - splitmix64 and what is built on it. */
#include "util/rng.h"

#include <math.h>

void rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void rng_seed_str(struct rng *r, uint64_t seed, const char *a, const char *b, uint64_t c)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	h = mix_str(h, a);
	h = (h ^ 0xff) * 1099511628211ULL;
	h = mix_str(h, b);
	h ^= c * 0x9e3779b97f4a7c15ULL;
	r->state = h;
	rng_next(r);
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

double rng_normal(struct rng *r)
{
	double u1 = rng_uniform(r), u2 = rng_uniform(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}
