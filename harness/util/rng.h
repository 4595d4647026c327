/* rng.h - a small deterministic generator (splitmix64) for reproducible
 * shuffles and simulated answers; statistics use GSL's generators. */
#ifndef TB_RNG_H
#define TB_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
};

void rng_seed(struct rng *r, uint64_t seed);
/* seeds from a string and a number, so that (model, task, sample) pick a stream */
void rng_seed_str(struct rng *r, uint64_t seed, const char *a, const char *b, uint64_t c);
uint64_t rng_next(struct rng *r);
/* uniform in [0, 1) */
double rng_uniform(struct rng *r);
/* uniform integer in [0, n) */
uint64_t rng_below(struct rng *r, uint64_t n);
/* standard normal */
double rng_normal(struct rng *r);

#endif
