/* test_stats.c - intervals, tests, estimators and planning against the
 * values R computed in data/stats/reference.txt (from reference.R). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stats/stats.h"
#include "tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

#define MAXV 32

struct ref {
	char name[32];
	double in[MAXV], out[MAXV];
	int nin, nout;
};

/* the lines of reference.txt; returns how many */
static int load_refs(struct ref *refs, int max)
{
	char *path = xasprintf("%s/stats/reference.txt", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	free(path);
	int n = 0;
	char *save = NULL;
	for (char *line = strtok_r(b.data, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		struct ref *r = &refs[n];
		memset(r, 0, sizeof(*r));
		char *tok, *s2 = NULL;
		int side = 0;
		for (tok = strtok_r(line, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2)) {
			if (!r->name[0]) {
				snprintf(r->name, sizeof(r->name), "%s", tok);
			} else if (strcmp(tok, "=") == 0) {
				side = 1;
			} else if (side == 0 && r->nin < MAXV) {
				r->in[r->nin++] = strtod(tok, NULL);
			} else if (side == 1 && r->nout < MAXV) {
				r->out[r->nout++] = strtod(tok, NULL);
			}
		}
		n++;
	}
	buf_release(&b);
	return n;
}

void test_stats_reference(void)
{
	static struct ref refs[128];
	int n = load_refs(refs, 128), seen = 0;
	CHECK(n >= 40);
	for (int i = 0; i < n; i++) {
		const struct ref *r = &refs[i];
		double lo, hi;
		if (strcmp(r->name, "wilson") == 0) {
			stats_wilson(r->in[0], r->in[1], 0.95, &lo, &hi);
			CHECK_NEAR(lo, r->out[0], 1e-9);
			CHECK_NEAR(hi, r->out[1], 1e-9);
		} else if (strcmp(r->name, "clopper") == 0) {
			stats_clopper_pearson(r->in[0], r->in[1], 0.95, &lo, &hi);
			CHECK_NEAR(lo, r->out[0], 1e-9);
			CHECK_NEAR(hi, r->out[1], 1e-9);
		} else if (strcmp(r->name, "mcnemar") == 0) {
			long b = (long)r->in[0], c = (long)r->in[1];
			CHECK_NEAR(stats_binom_test_half(b < c ? b : c, b + c), r->out[0], 1e-12);
		} else if (strcmp(r->name, "holm") == 0) {
			double adj[MAXV];
			stats_holm(r->in, adj, (size_t)r->nin);
			for (int k = 0; k < r->nin; k++)
				CHECK_NEAR(adj[k], r->out[k], 1e-12);
		} else if (strcmp(r->name, "bonett_price") == 0) {
			stats_bonett_price((long)r->in[0], (long)r->in[1], (long)r->in[2], 0.95, &lo, &hi);
			CHECK_NEAR(lo, r->out[0], 1e-12);
			CHECK_NEAR(hi, r->out[1], 1e-12);
		} else if (strcmp(r->name, "fieller") == 0) {
			int unbounded = stats_fieller(r->in[0], r->in[1], r->in[2], r->in[3], r->in[4], 0.95, &lo, &hi);
			if (isnan(r->out[0])) {
				CHECK(unbounded == 1 && isnan(lo));
			} else {
				CHECK(unbounded == 0);
				CHECK_NEAR(lo, r->out[0], 1e-12);
				CHECK_NEAR(hi, r->out[1], 1e-12);
			}
		} else if (strcmp(r->name, "pass_at_k") == 0) {
			CHECK_NEAR(stats_pass_at_k((int)r->in[0], (int)r->in[1], (int)r->in[2]), r->out[0], 1e-12);
		} else if (strcmp(r->name, "pass_hat_k") == 0) {
			CHECK_NEAR(stats_pass_hat_k((int)r->in[0], (int)r->in[1], (int)r->in[2]), r->out[0], 1e-12);
		} else if (strcmp(r->name, "cluster_var") == 0) {
			int half = r->nin / 2, cl[MAXV];
			for (int k = 0; k < half; k++)
				cl[k] = (int)r->in[half + k] - 1;
			double v;
			stats_mean_cov(r->in, NULL, cl, (size_t)half, &v, NULL, NULL);
			CHECK_NEAR(v, r->out[0], 1e-15);
		} else if (strcmp(r->name, "task_var") == 0) {
			double v;
			stats_mean_cov(r->in, NULL, NULL, (size_t)r->nin, &v, NULL, NULL);
			CHECK_NEAR(v, r->out[0], 1e-15);
		} else if (strcmp(r->name, "plan_tasks") == 0) {
			CHECK(stats_plan_tasks(r->in[0], r->in[1], r->in[2], (int)r->in[3], r->in[4], 0.05, 0.8) ==
			      r->out[0]);
		} else {
			check_fail(__FILE__, __LINE__, r->name);
		}
		seen++;
	}
	CHECK(seen == n);
	/* the planned number of tasks is exactly what detects delta */
	double n_tasks = stats_plan_tasks(0.8, 0.03, 0.5, 1, 0.6, 0.05, 0.8);
	CHECK(stats_plan_mdd(0.8, n_tasks, 0.5, 1, 0.6, 0.05, 0.8) <= 0.03 + 1e-9);
	CHECK(stats_plan_mdd(0.8, n_tasks - 1, 0.5, 1, 0.6, 0.05, 0.8) > 0.03 - 1e-4);
}

void test_stats_quantile(void)
{
	double v[] = { 5, 1, 4, 2, 3 };
	CHECK_NEAR(stats_quantile(v, 5, 0.5), 3, 1e-12);
	CHECK_NEAR(stats_quantile(v, 5, 0.95), 4.8, 1e-12);
	CHECK(isnan(stats_quantile(v, 0, 0.5)));
	double w[] = { 1, 1, 1, 0 };
	CHECK_NEAR(stats_mean(w, 4), 0.75, 1e-12);
	CHECK_NEAR(stats_var(w, 4), 0.25, 1e-12);
	double lo, hi;
	CHECK(stats_wilson(0, 0, 0.95, &lo, &hi) == -1 && isnan(lo));
	CHECK_NEAR(stats_z(0.95), 1.959964, 1e-6);
	double a[] = { 1, 2, 3 }, b[] = { 2, 4, 6 }, c[] = { 1, 1, 1 };
	CHECK_NEAR(stats_corr(a, b, 3), 1, 1e-12);
	CHECK(isnan(stats_corr(a, c, 3)));
}
