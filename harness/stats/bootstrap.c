/* bootstrap.c - the joint task bootstrap: frontier probabilities, the
 * lambda curve, cost-per-solved intervals and paired differences. Seeded
 * with GSL's MT19937, so the same data and seed give the same figures. */
#include "stats/bootstrap.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/frontier.h"
#include "stats/stats.h"
#include "util/xalloc.h"

#define NLAMBDA 48

void boot_result_release(struct boot_result *r)
{
	if (!r)
		return;
	free(r->p_frontier);
	free(r->cps);
	free(r->rate);
	free(r->cpt);
	free(r->lambda);
	free(r->p_best);
	memset(r, 0, sizeof(*r));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void boot_percentile(double *v, size_t n, double level, double *lo, double *hi)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	if (m == 0) {
		*lo = *hi = NAN;
		return;
	}
	qsort(v, m, sizeof(*v), cmp_double);
	double a = (1 - level) / 2;
	/* type-7 quantiles, as R's default */
	double pos_lo = a * (double)(m - 1), pos_hi = (1 - a) * (double)(m - 1);
	size_t il = (size_t)pos_lo, ih = (size_t)pos_hi;
	*lo = v[il] + (il + 1 < m && isfinite(v[il + 1]) ? (pos_lo - (double)il) * (v[il + 1] - v[il]) : 0);
	*hi = v[ih] + (ih + 1 < m && isfinite(v[ih + 1]) && isfinite(v[ih]) ? (pos_hi - (double)ih) * (v[ih + 1] - v[ih]) : 0);
}

/* a log-spaced range of values of a solved task, from below the cheapest
 * cost per task to far above the dearest */
static void lambda_grid(const struct outcomes *o, struct boot_result *r)
{
	double lo = INFINITY, hi = 0;
	for (size_t p = 0; p < o->np; p++) {
		double cost = 0;
		long k = 0;
		for (size_t t = 0; t < o->nt; t++) {
			cost += o->cost[OUT_AT(o, p, t)];
			k += o->k[OUT_AT(o, p, t)];
		}
		if (k > 0 && cost > 0) {
			lo = fmin(lo, cost / (double)k);
			hi = fmax(hi, cost / (double)k);
		}
	}
	if (!isfinite(lo)) {
		r->nlambda = 0;
		return;
	}
	r->nlambda = NLAMBDA;
	r->lambda = xmalloc(NLAMBDA * sizeof(*r->lambda));
	double a = log10(lo), b = log10(hi * 1000);
	for (int i = 0; i < NLAMBDA; i++)
		r->lambda[i] = pow(10, a + (b - a) * i / (NLAMBDA - 1));
}

/* per provider sums over one replicate's tasks */
struct acc {
	double pass_sum, weight, cost, k, c;
};

void boot_run(const struct outcomes *o, int replicates, unsigned long seed, struct boot_pair *pairs,
	      size_t npairs, struct boot_result *r)
{
	memset(r, 0, sizeof(*r));
	r->replicates = replicates;
	size_t np = o->np, nt = o->nt, R = (size_t)replicates;
	r->p_frontier = xcalloc(np + 1, sizeof(double));
	r->cps = xcalloc(np * R + 1, sizeof(double));
	r->rate = xcalloc(np * R + 1, sizeof(double));
	r->cpt = xcalloc(np * R + 1, sizeof(double));
	lambda_grid(o, r);
	r->p_best = xcalloc(np * r->nlambda + 1, sizeof(double));
	for (size_t i = 0; i < npairs; i++)
		pairs[i].diffs = xmalloc((R + 1) * sizeof(double));

	/* per-task pass fractions, and tasks grouped by cluster for a cluster bootstrap */
	double *m = xcalloc(np * nt + 1, sizeof(*m));
	for (size_t i = 0; i < np * nt; i++)
		m[i] = o->k[i] ? (double)o->c[i] / o->k[i] : 0;
	size_t units = o->clustered ? o->ncl : nt;
	size_t *start = xcalloc(units + 2, sizeof(*start)), *members = xmalloc((nt + 1) * sizeof(*members));
	if (o->clustered) {
		for (size_t t = 0; t < nt; t++)
			start[o->cluster[t] + 1]++;
		for (size_t u = 0; u < units; u++)
			start[u + 1] += start[u];
		size_t *fill = xcalloc(units + 1, sizeof(*fill));
		for (size_t t = 0; t < nt; t++) {
			size_t u = (size_t)o->cluster[t];
			members[start[u] + fill[u]++] = t;
		}
		free(fill);
	} else {
		for (size_t t = 0; t < nt; t++) {
			start[t] = t;
			members[t] = t;
		}
		start[nt] = nt;
	}
	/* pairs whose providers completed exactly the same tasks use the rates directly */
	char *same = xcalloc(npairs + 1, 1);
	for (size_t i = 0; i < npairs; i++) {
		same[i] = 1;
		for (size_t t = 0; t < nt && same[i]; t++)
			same[i] = (o->k[OUT_AT(o, pairs[i].a, t)] > 0) == (o->k[OUT_AT(o, pairs[i].b, t)] > 0);
	}

	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	/* a cluster bootstrap may draw the largest cluster every time */
	size_t largest = 1;
	for (size_t u = 0; u < units; u++)
		largest = start[u + 1] - start[u] > largest ? start[u + 1] - start[u] : largest;
	size_t *draw = xmallocarray(st_add(st_mult(units, largest), 1), sizeof(*draw));
	struct acc *acc = xmalloc((np + 1) * sizeof(*acc));
	double *rate = xmalloc((np + 1) * sizeof(*rate)), *cpt = xmalloc((np + 1) * sizeof(*cpt));
	for (size_t rep = 0; rep < R; rep++) {
		size_t nd = 0;
		for (size_t u = 0; u < units; u++) {
			size_t pick = gsl_rng_uniform_int(rng, units);
			for (size_t j = start[pick]; j < start[pick + 1]; j++)
				draw[nd++] = members[j];
		}
		memset(acc, 0, np * sizeof(*acc));
		for (size_t p = 0; p < np; p++) {
			const int *kp = o->k + p * nt, *cp = o->c + p * nt;
			const double *mp = m + p * nt, *costp = o->cost + p * nt;
			struct acc *a = &acc[p];
			for (size_t d = 0; d < nd; d++) {
				size_t t = draw[d];
				a->cost += costp[t];
				if (!kp[t])
					continue;
				a->pass_sum += mp[t];
				a->weight += 1;
				a->k += kp[t];
				a->c += cp[t];
			}
			rate[p] = a->weight > 0 ? a->pass_sum / a->weight : NAN;
			cpt[p] = a->k > 0 && o->have_cost[p] ? a->cost / a->k : NAN;
			r->rate[p * R + rep] = rate[p];
			r->cpt[p * R + rep] = cpt[p];
			r->cps[p * R + rep] = !o->have_cost[p] ? NAN : a->c > 0 ? a->cost / a->c : INFINITY;
		}
		for (size_t p = 0; p < np; p++)
			if (!isnan(rate[p]) && !isnan(cpt[p]) && !frontier_dominated(cpt, rate, np, p))
				r->p_frontier[p] += 1;
		for (size_t l = 0; l < r->nlambda; l++) {
			int best = -1;
			double bu = -INFINITY;
			for (size_t p = 0; p < np; p++) {
				if (isnan(rate[p]) || isnan(cpt[p]))
					continue;
				double u = r->lambda[l] * rate[p] - cpt[p];
				if (u > bu) {
					bu = u;
					best = (int)p;
				}
			}
			if (best >= 0)
				r->p_best[(size_t)best * r->nlambda + l] += 1;
		}
		for (size_t i = 0; i < npairs; i++) {
			int a = pairs[i].a, b = pairs[i].b;
			if (same[i]) {
				pairs[i].diffs[rep] = rate[b] - rate[a];
				continue;
			}
			double sum = 0, w = 0;
			for (size_t d = 0; d < nd; d++) {
				size_t t = draw[d];
				if (o->k[OUT_AT(o, a, t)] && o->k[OUT_AT(o, b, t)]) {
					sum += m[OUT_AT(o, b, t)] - m[OUT_AT(o, a, t)];
					w += 1;
				}
			}
			pairs[i].diffs[rep] = w > 0 ? sum / w : NAN;
		}
	}
	for (size_t p = 0; p < np; p++)
		r->p_frontier[p] /= (double)R;
	for (size_t i = 0; i < np * r->nlambda; i++)
		r->p_best[i] /= (double)R;
	gsl_rng_free(rng);
	free(draw);
	free(acc);
	free(rate);
	free(cpt);
	free(m);
	free(start);
	free(members);
	free(same);
}
