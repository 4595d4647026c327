/* test_anytime.c - confidence sequences against the values that
 * data/stats/anytime_reference.py computed independently (exact capitals,
 * bisection for each end, the running intersection time by time). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rundir/store.h"
#include "stats/anytime.h"
#include "stats/summary.h"
#include "tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

struct aref {
	char name[32];
	double alpha, m;
	double *x; /* malloced */
	size_t n;
	double out[2];
};

/* one line: NAME ALPHA [M] N X1..XN = OUT1 OUT2; 0 or -1 */
static int parse_ref(char *line, struct aref *r)
{
	memset(r, 0, sizeof(*r));
	char *save = NULL, *tok = strtok_r(line, " ", &save);
	if (!tok)
		return -1;
	snprintf(r->name, sizeof(r->name), "%s", tok);
	r->alpha = strtod(strtok_r(NULL, " ", &save), NULL);
	if (strcmp(r->name, "capital") == 0)
		r->m = strtod(strtok_r(NULL, " ", &save), NULL);
	r->n = (size_t)strtoul(strtok_r(NULL, " ", &save), NULL, 10);
	r->x = xcalloc(r->n + 1, sizeof(*r->x));
	for (size_t i = 0; i < r->n; i++) {
		tok = strtok_r(NULL, " ", &save);
		if (!tok)
			return -1;
		r->x[i] = strtod(tok, NULL);
	}
	tok = strtok_r(NULL, " ", &save);
	if (!tok || strcmp(tok, "=") != 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		tok = strtok_r(NULL, " ", &save);
		if (!tok)
			return -1;
		r->out[k] = strtod(tok, NULL);
	}
	return 0;
}

/* the grid's running bounds bracket the exact ones within a step, and the
 * report's (tightened) bounds still contain them */
static void check_running(const struct aref *r, double min, double max)
{
	struct cs c;
	cs_init(&c, r->alpha, min, max, CS_GRID_RUN);
	for (size_t i = 0; i < r->n; i++)
		cs_push(&c, r->x[i]);
	double step = (max - min) / (CS_GRID_RUN - 1), lo, hi;
	CHECK(cs_low(&c) <= r->out[0] + 1e-12 && cs_low(&c) >= r->out[0] - step - 1e-12);
	CHECK(cs_high(&c) >= r->out[1] - 1e-12 && cs_high(&c) <= r->out[1] + step + 1e-12);
	cs_bounds(&c, &lo, &hi);
	CHECK(lo <= r->out[0] + 1e-9 && lo >= cs_low(&c));
	CHECK(hi >= r->out[1] - 1e-9 && hi <= cs_high(&c));
	CHECK(cs_count(&c) == r->n);
	cs_release(&c);
}

void test_anytime_reference(void)
{
	char *path = xasprintf("%s/stats/anytime_reference.txt", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	free(path);
	int seen[4] = { 0 };
	char *save = NULL;
	for (char *line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct aref r;
		int ok = parse_ref(line, &r) == 0;
		CHECK(ok);
		if (!ok) {
			free(r.x);
			continue;
		}
		if (strcmp(r.name, "capital") == 0) {
			double kp, km;
			cs_capital(r.x, r.n, r.alpha, r.m, &kp, &km);
			CHECK(fabs(kp / r.out[0] - 1) < 1e-10);
			CHECK(fabs(km / r.out[1] - 1) < 1e-10);
			seen[0]++;
		} else if (strcmp(r.name, "bounds_at") == 0) {
			double lo, hi;
			CHECK(cs_bounds_at(r.x, r.n, r.alpha, &lo, &hi) == 0);
			CHECK_NEAR(lo, r.out[0], 1e-9);
			CHECK_NEAR(hi, r.out[1], 1e-9);
			seen[1]++;
		} else if (strcmp(r.name, "running") == 0) {
			check_running(&r, 0, 1);
			seen[2]++;
		} else if (strcmp(r.name, "running_pair") == 0) {
			check_running(&r, -1, 1);
			seen[3]++;
		} else {
			check_fail(__FILE__, __LINE__, r.name);
		}
		free(r.x);
	}
	CHECK(seen[0] >= 9 && seen[1] >= 5 && seen[2] >= 3 && seen[3] >= 2);
	buf_release(&b);
}

/* the sequence narrows as data come, never widens (running intersection),
 * excludes a mean far from the data, and one value per task is one
 * observation: a task of 3 samples counts once */
void test_anytime_shape(void)
{
	struct cs c;
	cs_init(&c, 0.05, 0, 1, CS_GRID_RUN);
	CHECK(cs_low(&c) == 0 && cs_high(&c) == 1 && isnan(cs_mean(&c)));
	double prev_w = 1;
	int narrowed = 0;
	for (int t = 0; t < 300; t++) {
		cs_push(&c, (t % 10) < 8 ? 1 : (t % 10) == 8 ? 2.0 / 3 : 0); /* mean 0.8667 */
		double w = cs_high(&c) - cs_low(&c);
		CHECK(w <= prev_w + 1e-15);
		narrowed += w < prev_w;
		prev_w = w;
	}
	CHECK(narrowed > 20);
	CHECK(cs_low(&c) > 0.7 && cs_high(&c) < 0.97);
	CHECK(cs_low(&c) < 0.8667 && cs_high(&c) > 0.8667);
	CHECK_NEAR(cs_mean(&c), (240 + 30 * 2.0 / 3) / 300, 1e-12);
	CHECK(cs_count(&c) == 300);
	/* a smaller alpha gives a wider sequence on the same data */
	struct cs d;
	cs_init(&d, 0.005, 0, 1, CS_GRID_RUN);
	for (int t = 0; t < 300; t++)
		cs_push(&d, (t % 10) < 8 ? 1 : (t % 10) == 8 ? 2.0 / 3 : 0);
	CHECK(cs_low(&d) < cs_low(&c) && cs_high(&d) > cs_high(&c));
	cs_release(&c);
	cs_release(&d);
}

/* a report's sequences: one observation per task (its pass fraction over
 * 3 samples), tasks in the run's order, not in the order of their ids;
 * against the reference's running intersection of the same fractions */
void test_anytime_summary(void)
{
	char *path = xasprintf("%s/stats/anytime_reference.txt", test_data_dir());
	struct buf b = BUF_INIT;
	CHECK(file_read(path, &b) == 0);
	free(path);
	struct aref ref = { .n = 0 };
	char *save = NULL;
	for (char *line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct aref r;
		if (strncmp(line, "running 0.005 80 ", 17) == 0 && parse_ref(line, &r) == 0) {
			ref = r;
			break;
		}
	}
	buf_release(&b);
	CHECK(ref.n == 80);
	struct recset rs;
	recset_init(&rs);
	const char **order = xcalloc(ref.n, sizeof(*order));
	char ids[80][16];
	for (size_t t = 0; t < ref.n; t++) {
		/* ids that sort in another order than the run took them */
		snprintf(ids[t], sizeof(ids[t]), "t%02zu", (t * 37) % 80);
		order[t] = ids[t];
		int pass = (int)lround(ref.x[t] * 3);
		for (int k = 0; k < 3; k++) {
			struct record r;
			record_init(&r);
			r.task = xstrdup(ids[t]);
			r.provider = xstrdup("a");
			r.sample = k;
			r.status = k < pass ? ST_PASSED : ST_FAILED;
			XGROW(rs.v, rs.cap, rs.n + 1);
			rs.v[rs.n++] = r;
		}
	}
	recset_sort(&rs); /* as recset_load leaves them: by task id */
	struct summary_opts so = { .level = 1 - 0.005, .replicates = 200, .seed = 1, .anytime = 1, .order = order, .norder = ref.n };
	struct summary s;
	CHECK(summary_build(&s, &rs, &so) == 0);
	double step = 1.0 / (CS_GRID_REPORT - 1);
	CHECK(s.p[0].anytime_low <= ref.out[0] + 1e-9 && s.p[0].anytime_low >= ref.out[0] - step);
	CHECK(s.p[0].anytime_high >= ref.out[1] - 1e-9 && s.p[0].anytime_high <= ref.out[1] + step);
	summary_release(&s);
	/* without the run's order the tasks come by id: t00, t01, ... */
	so.order = NULL;
	CHECK(summary_build(&s, &rs, &so) == 0);
	struct cs c;
	cs_init(&c, 0.005, 0, 1, CS_GRID_REPORT);
	for (size_t id = 0; id < ref.n; id++)
		for (size_t t = 0; t < ref.n; t++)
			if ((t * 37) % 80 == id)
				cs_push(&c, ref.x[t]);
	double lo, hi;
	cs_bounds(&c, &lo, &hi);
	CHECK(s.p[0].anytime_low == lo && s.p[0].anytime_high == hi);
	cs_release(&c);
	summary_release(&s);
	/* not asked: not computed */
	so.anytime = 0;
	CHECK(summary_build(&s, &rs, &so) == 0);
	CHECK(isnan(s.p[0].anytime_low));
	summary_release(&s);
	recset_release(&rs);
	free(order);
	free(ref.x);
}
