/* loadstat.c - a load test's steps summarised (see loadstat.h). */
#include "stats/loadstat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"
#include "util/xalloc.h"

static int by_end(const void *a, const void *b)
{
	const struct load_req *x = a, *y = b;
	return x->end_ms < y->end_ms ? -1 : x->end_ms > y->end_ms;
}

void loadstat_point(const struct load_step *s, int concurrency, struct load_point *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->concurrency = concurrency;
	pt->sent = s->sent;
	pt->errors = s->errors;
	pt->ok = (long)s->n - s->errors;
	pt->stopped_by = s->stopped_by;
	pt->aborted = s->aborted;
	struct load_req *v = xmalloc((s->n ? s->n : 1) * sizeof(*v));
	memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), by_end);
	for (size_t i = 0; i < s->n; i++)
		if (!v[i].ok && !pt->first_error[0])
			snprintf(pt->first_error, sizeof(pt->first_error), "%s", v[i].error);
	/* the window: from the end of the warm-up round to the last end before sending stopped */
	size_t a = (size_t)concurrency, b = 0;
	for (size_t i = 0; i < s->n; i++)
		if (v[i].end_ms <= s->stop_ms + 1e-9)
			b = i + 1;
	double t_a = a >= 1 && a <= s->n ? v[a - 1].end_ms : 0, t_b = b >= 1 ? v[b - 1].end_ms : 0;
	/* the window's check on throughput, or the whole step when it holds no end */
	int window = b > a && t_b > t_a;
	if (!window) {
		pt->whole_step = 1;
		t_a = 0;
	}
	long out = 0;
	for (size_t i = window ? a : 0; i < (window ? b : s->n); i++)
		if (v[i].ok)
			out += v[i].output_tokens;
	pt->window_s = window ? (t_b - t_a) / 1e3 : s->wall_ms / 1e3;
	if (pt->window_s > 0)
		pt->out_tok_s_window = (double)out / pt->window_s;
	/* latencies: the requests sent after the warm-up (all of them when there are none) */
	double *ttft = xmalloc((s->n ? s->n : 1) * sizeof(double)), *itl = xmalloc((s->n ? s->n : 1) * sizeof(double));
	double *e2e = xmalloc((s->n ? s->n : 1) * sizeof(double));
	size_t m = 0, k = 0;
	double busy_ms = 0, sum_out = 0, sum_in = 0, nok = 0;
	for (int pass = 0; pass < 2 && m == 0; pass++)
		for (size_t i = 0; i < s->n; i++) {
			if (pass == 0 && v[i].start_ms < t_a)
				continue;
			double total = v[i].end_ms - v[i].start_ms;
			busy_ms += total;
			if (!v[i].ok)
				continue;
			sum_out += (double)v[i].output_tokens;
			sum_in += (double)v[i].input_tokens;
			nok++;
			ttft[m] = v[i].ttft_ms;
			e2e[m++] = total;
			if (v[i].output_tokens > 1)
				itl[k++] = (total - v[i].ttft_ms) / (double)(v[i].output_tokens - 1);
		}
	pt->measured = (long)m;
	/* Little's law: concurrency requests in flight all along, each busy for its time */
	if (busy_ms > 0) {
		double per_s = concurrency / (busy_ms / 1e3);
		pt->out_tok_s = sum_out * per_s;
		pt->in_tok_s = sum_in * per_s;
		pt->req_s = nok * per_s;
	}
	pt->prefill_share = NAN; /* loadstat_prefill sets it, from the ladder's first step */
	pt->ttft_p50 = stats_quantile(ttft, m, 0.50);
	pt->ttft_p95 = stats_quantile(ttft, m, 0.95);
	pt->ttft_p99 = stats_quantile(ttft, m, 0.99);
	pt->itl_p50 = stats_quantile(itl, k, 0.50);
	pt->itl_p95 = stats_quantile(itl, k, 0.95);
	pt->e2e_p50 = stats_quantile(e2e, m, 0.50);
	pt->e2e_p95 = stats_quantile(e2e, m, 0.95);
	free(ttft);
	free(itl);
	free(e2e);
	free(v);
}

static int meets(const struct load_point *p, double slo_ttft_ms, double slo_itl_ms)
{
	if (p->ok == 0 || (double)p->errors > 0.01 * (double)(p->ok + p->errors))
		return 0;
	if (slo_ttft_ms > 0 && !(p->ttft_p95 <= slo_ttft_ms))
		return 0;
	if (slo_itl_ms > 0 && !(p->itl_p95 <= slo_itl_ms))
		return 0;
	return 1;
}

int loadstat_knee(const struct load_point *pts, size_t n, double slo_ttft_ms, double slo_itl_ms)
{
	int knee = -1;
	for (size_t i = 0; i < n && meets(&pts[i], slo_ttft_ms, slo_itl_ms); i++)
		knee = (int)i;
	return knee;
}

void loadstat_prefill(struct load_point *pts, size_t n)
{
	double ms_per_token = NAN;
	for (size_t i = 0; i < n; i++) {
		if (isnan(ms_per_token) && pts[i].in_tok_s > 0 && pts[i].req_s > 0 && !isnan(pts[i].ttft_p50))
			ms_per_token = pts[i].ttft_p50 / (pts[i].in_tok_s / pts[i].req_s);
		pts[i].prefill_ms_per_token = ms_per_token;
		pts[i].prefill_share = isnan(ms_per_token) ? NAN : fmin(1, pts[i].in_tok_s * ms_per_token / 1e3);
	}
}
