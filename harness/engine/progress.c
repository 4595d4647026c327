/* progress.c - the run's progress on stderr: on a terminal one line
 * redrawn with a bar, done/total, dollars against the budget, errors, what
 * is in flight and an ETA; otherwise a plain line every 10 s. Silent with
 * --quiet. */
#include <math.h>
#include <stdio.h>

#include "engine/sched_int.h"
#include "util/clock.h"

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
	if (s->tty) {
		char bar[21];
		int fill = s->total ? (int)(20.0 * (double)s->finished / (double)s->total) : 20;
		for (int i = 0; i < 20; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[20] = '\0';
		fprintf(stderr, "\r\033[K[%s] %zu/%zu  %s  %zu errors  %zu in flight%s%s", bar, s->finished, s->total,
			money, s->st->errors, s->in_flight, eta_s, last ? "\n" : "");
	} else {
		fprintf(stderr, "tokenbench: %zu/%zu done, %s, %zu errors, %zu in flight, %zu scoring%s\n", s->finished,
			s->total, money, s->st->errors, s->in_flight, scorer_pending(s->o->scorer), eta_s);
	}
}
