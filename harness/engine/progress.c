/* progress.c - the run's progress on stderr: on a terminal one line
 * redrawn with a bar, done/total, dollars against the budget, errors, what
 * is in flight and an ETA; otherwise a plain line every 10 s. Either says
 * which providers are paused or down, and why. Silent with --quiet. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/sched_int.h"
#include "util/buf.h"
#include "util/clock.h"

/* "; 'x' paused (connect: ...); 'y' down (...)" for the providers whose
 * breaker is not closed, or whose samples preflight dropped */
static void providers_out(const struct sched *s, struct buf *out)
{
	for (size_t i = 0; i < s->npq; i++) {
		const struct provq *q = &s->pq[i];
		const char *state = q->dropped && strcmp(q->dropped, "preflight") == 0 ? "failed preflight"
				    : q->brk.state == BREAKER_DOWN			  ? "down"
				    : q->brk.state == BREAKER_OPEN			  ? "paused"
											  : NULL;
		/* what preflight said was printed when it said it */
		if (state && state[0] == 'f')
			buf_printf(out, "; '%s' %s", q->prov->name, state);
		else if (state)
			buf_printf(out, "; '%s' %s (%.80s)", q->prov->name, state, q->brk.why);
	}
}

void progress_show(struct sched *s, int last)
{
	if (s->o->quiet)
		return;
	double now = clock_ms();
	if (!last && now - s->last_progress_ms < (s->tty ? 200 : 10000))
		return;
	s->last_progress_ms = now;
	double el = (now - s->t0_ms) / 1e3;
	double eta = s->finished ? el * (double)(s->total - s->finished) / (double)s->finished : NAN;
	char money[64];
	if (s->o->max_cost_usd > 0)
		snprintf(money, sizeof(money), "$%.4f of $%.2f", s->o->spent_before_usd + s->spent_usd, s->o->max_cost_usd);
	else
		snprintf(money, sizeof(money), "$%.4f", s->spent_usd);
	char eta_s[32] = "";
	if (!isnan(eta))
		snprintf(eta_s, sizeof(eta_s), ", eta %.0fs", eta);
	struct buf down = BUF_INIT;
	providers_out(s, &down);
	if (s->tty) {
		char bar[21];
		int fill = s->total ? (int)(20.0 * (double)s->finished / (double)s->total) : 20;
		for (int i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		fprintf(stderr, "\r\033[K[%s] %zu/%zu  %s  %zu errors  %zu in flight%s%s%s", bar, s->finished, s->total,
			money, s->st->errors, s->in_flight, eta_s, buf_str(&down), last ? "\n" : "");
	} else {
		fprintf(stderr, "tokenbench: %zu/%zu done, %s, %zu errors, %zu in flight, %zu scoring%s%s\n", s->finished,
			s->total, money, s->st->errors, s->in_flight, scorer_pending(s->o->scorer), eta_s, buf_str(&down));
	}
	buf_release(&down);
}
