/* stop.c - stopping rules on confidence sequences: which providers a run
 * still asks after each task, and when it has its answer.
 *
 * Every sequence a rule watches holds at every task at once (stop.h says
 * how alpha is split), so whatever a rule decides at whatever task it
 * decides keeps its level: that is what makes stopping early valid. A race
 * drops a provider once some other one is better by more than the margin,
 * or better at all and not dearer per task (costs as measured: they are
 * known far more precisely than pass rates). */
#include "stats/stop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

/* a fraction, or percentage points with "pp"; in [0, 1) (width: (0, 1]) */
static int parse_amount(const char *s, const char *what, int width, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return error("--stop-when: %s '%s' is not a number", what, s);
	if (strcmp(end, "pp") == 0)
		v /= 100;
	else if (*end)
		return error("--stop-when: %s '%s': a fraction (0.05) or percentage points (5pp)", what, s);
	if (width ? !(v > 0 && v <= 1) : !(v >= 0 && v < 1))
		return error("--stop-when: %s '%s' is out of range (%s)", what, s, width ? "0 < W <= 1" : "0 <= D < 1");
	*out = v;
	return 0;
}

int stop_rule_parse(const char *text, struct stop_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->text = xstrdup(text);
	char *copy = xstrdup(text), *arg = strchr(copy, ':');
	if (arg)
		*arg++ = '\0';
	int rc = -1;
	if (strcmp(copy, "decided") == 0) {
		r->kind = STOP_DECIDED;
		char *save = NULL, *a = arg ? strtok_r(arg, ",", &save) : NULL, *b = a ? strtok_r(NULL, ",", &save) : NULL;
		char *opt = b ? strtok_r(NULL, ",", &save) : NULL;
		if (!a || !b || strtok_r(NULL, ",", &save) || (opt && strncmp(opt, "margin=", 7) != 0)) {
			error("--stop-when: '%s': expected decided:A,B or decided:A,B,margin=D", text);
			goto out;
		}
		if (strcmp(a, b) == 0) {
			error("--stop-when: '%s' compares '%s' with itself", text, a);
			goto out;
		}
		r->a = xstrdup(a);
		r->b = xstrdup(b);
		if (opt && parse_amount(opt + 7, "margin", 0, &r->margin) < 0)
			goto out;
	} else if (strcmp(copy, "race") == 0) {
		r->kind = STOP_RACE;
		if (arg && (strncmp(arg, "margin=", 7) != 0 || parse_amount(arg + 7, "margin", 0, &r->margin) < 0)) {
			if (strncmp(arg, "margin=", 7) != 0)
				error("--stop-when: '%s': expected race or race:margin=D", text);
			goto out;
		}
	} else if (strcmp(copy, "width") == 0) {
		r->kind = STOP_WIDTH;
		if (!arg) {
			error("--stop-when: '%s': expected width:W", text);
			goto out;
		}
		if (parse_amount(arg, "width", 1, &r->width) < 0)
			goto out;
	} else {
		error("--stop-when: unknown rule '%s' (decided:A,B[,margin=D], race[:margin=D] or width:W)", text);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	if (rc < 0)
		stop_rule_release(r);
	return rc;
}

void stop_rule_release(struct stop_rule *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->a);
	free(r->b);
	memset(r, 0, sizeof(*r));
}

static int find_name(const char *const *names, size_t np, const char *name)
{
	for (size_t i = 0; i < np; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* the sequences of one rule, alpha split equally over them */
static int watch_init(struct stop_watch *w, const struct stop_rule *r, const char *const *names, size_t np,
		      double alpha, size_t ngrid)
{
	memset(w, 0, sizeof(*w));
	w->rule = r;
	switch (r->kind) {
	case STOP_DECIDED: {
		int a = find_name(names, np, r->a), b = find_name(names, np, r->b);
		if (a < 0 || b < 0)
			return error("--stop-when %s: no provider '%s' in this run", r->text, a < 0 ? r->a : r->b);
		w->seq = xcalloc(1, sizeof(*w->seq));
		w->seq[0].a = (size_t)a;
		w->seq[0].b = (size_t)b;
		w->nseq = 1;
		break;
	}
	case STOP_RACE:
		if (np < 2)
			return error("--stop-when %s: a race needs two providers or more", r->text);
		w->seq = xcalloc(np * (np - 1) / 2, sizeof(*w->seq));
		for (size_t i = 0; i < np; i++)
			for (size_t j = i + 1; j < np; j++)
				w->seq[w->nseq++] = (struct stop_seq){ .a = i, .b = j };
		break;
	case STOP_WIDTH:
		w->seq = xcalloc(np, sizeof(*w->seq));
		for (size_t i = 0; i < np; i++)
			w->seq[w->nseq++] = (struct stop_seq){ .a = i, .b = i };
		break;
	}
	w->alpha = alpha / (double)w->nseq;
	for (size_t k = 0; k < w->nseq; k++) {
		int pair = w->seq[k].a != w->seq[k].b;
		cs_init(&w->seq[k].cs, w->alpha, pair ? -1 : 0, 1, ngrid);
	}
	return 0;
}

int stop_init(struct stop_state *s, const struct stop_rule *rules, size_t nrules, const char *const *names,
	      size_t np, double alpha, size_t ngrid)
{
	memset(s, 0, sizeof(*s));
	s->np = np;
	s->alpha = alpha;
	s->names = xcalloc(np + 1, sizeof(*s->names));
	for (size_t i = 0; i < np; i++)
		s->names[i] = xstrdup(names[i]);
	s->asked = xcalloc(np + 1, sizeof(*s->asked));
	for (size_t i = 0; i < np; i++)
		s->asked[i] = 1;
	s->dropped_after = xcalloc(np + 1, sizeof(*s->dropped_after));
	s->drop_why = xcalloc(np + 1, sizeof(*s->drop_why));
	s->cost_sum = xcalloc(np + 1, sizeof(*s->cost_sum));
	s->cost_n = xcalloc(np + 1, sizeof(*s->cost_n));
	s->w = xcalloc(nrules + 1, sizeof(*s->w));
	for (size_t k = 0; k < nrules; k++, s->nw++)
		if (watch_init(&s->w[k], &rules[k], names, np, alpha / (double)nrules, ngrid) < 0) {
			s->nw++;
			stop_release(s);
			return -1;
		}
	return 0;
}

void stop_release(struct stop_state *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->nw; k++) {
		for (size_t j = 0; j < s->w[k].nseq; j++)
			cs_release(&s->w[k].seq[j].cs);
		free(s->w[k].seq);
		free(s->w[k].why);
	}
	free(s->w);
	for (size_t i = 0; i < s->np; i++) {
		free(s->names[i]);
		free(s->drop_why[i]);
	}
	free(s->names);
	free(s->asked);
	free(s->dropped_after);
	free(s->drop_why);
	free(s->cost_sum);
	free(s->cost_n);
	memset(s, 0, sizeof(*s));
}

int stop_asks(const struct stop_state *s, size_t p)
{
	return !s->stopped && s->asked[p];
}

static double cost_per_task(const struct stop_state *s, size_t p)
{
	return s->cost_n[p] ? s->cost_sum[p] / (double)s->cost_n[p] : NAN;
}

/* the bounds of pass(q) - pass(p) from the race's pair sequence */
static void race_diff(const struct stop_watch *w, size_t np, size_t q, size_t p, double *lo, double *hi)
{
	size_t i = q < p ? q : p, j = q < p ? p : q;
	/* pairs (i, j), i < j, in order: the index of (i, j) */
	size_t k = i * (2 * np - i - 1) / 2 + (j - i - 1);
	const struct cs *c = &w->seq[k].cs;
	if (w->seq[k].b == p) { /* b - a = p - q */
		*lo = -cs_high(c);
		*hi = -cs_low(c);
	} else {
		*lo = cs_low(c);
		*hi = cs_high(c);
	}
}

static void say_bounds(struct buf *b, double lo, double hi)
{
	buf_printf(b, "[%+.1f, %+.1f] pp", 100 * lo, 100 * hi);
}

/* the race's drops at this task; returns how many */
static size_t race_step(struct stop_state *s, struct stop_watch *w)
{
	size_t np = s->np, dropped = 0, left = 0;
	int *drop = xcalloc(np + 1, sizeof(*drop));
	char **why = xcalloc(np + 1, sizeof(*why));
	double D = w->rule->margin;
	for (size_t p = 0; p < np; p++) {
		if (!s->asked[p])
			continue;
		for (size_t q = 0; q < np && !drop[p]; q++) {
			if (q == p)
				continue;
			double lo, hi, cp = cost_per_task(s, p), cq = cost_per_task(s, q);
			race_diff(w, np, q, p, &lo, &hi);
			int worse = lo > D, dominated = lo > 0 && !isnan(cp) && !isnan(cq) && cq <= cp;
			if (!worse && !dominated)
				continue;
			struct buf b = BUF_INIT;
			if (!worse)
				buf_printf(&b, "worse than %s and not cheaper", s->names[q]);
			else if (D > 0)
				buf_printf(&b, "worse than %s by more than %.1f pp", s->names[q], 100 * D);
			else
				buf_printf(&b, "worse than %s", s->names[q]);
			buf_printf(&b, ": %s − %s in ", s->names[q], s->names[p]);
			say_bounds(&b, lo, hi);
			why[p] = buf_detach(&b);
			drop[p] = 1;
		}
	}
	for (size_t p = 0; p < np; p++)
		left += s->asked[p] && !drop[p];
	/* sequences that all hold never drop everyone: data that say so
	 * contradict themselves, and drop no one */
	if (left == 0)
		memset(drop, 0, (np + 1) * sizeof(*drop));
	for (size_t p = 0; p < np; p++) {
		if (drop[p] && s->asked[p]) {
			s->asked[p] = 0;
			s->dropped_after[p] = s->tasks;
			free(s->drop_why[p]);
			s->drop_why[p] = why[p];
			why[p] = NULL;
			dropped++;
		}
		free(why[p]);
	}
	free(why);
	free(drop);
	return dropped;
}

/* whether the race has its answer: one provider left, or (with a margin)
 * all those left within it of each other */
static void race_done(struct stop_state *s, struct stop_watch *w)
{
	size_t left = 0, last = 0;
	for (size_t p = 0; p < s->np; p++)
		if (s->asked[p]) {
			left++;
			last = p;
		}
	struct buf b = BUF_INIT;
	if (left == 1) {
		buf_printf(&b, "%s is left", s->names[last]);
	} else if (w->rule->margin > 0) {
		double D = w->rule->margin;
		for (size_t p = 0; p < s->np; p++)
			for (size_t q = p + 1; q < s->np; q++) {
				double lo, hi;
				if (!s->asked[p] || !s->asked[q])
					continue;
				race_diff(w, s->np, q, p, &lo, &hi);
				if (!(lo > -D && hi < D)) {
					buf_release(&b);
					return;
				}
			}
		buf_printf(&b, "the %zu left are within %.1f pp of each other", left, 100 * D);
	} else {
		return;
	}
	w->done = 1;
	w->why = buf_detach(&b);
}

static void decided_step(struct stop_watch *w, char **names)
{
	const struct cs *c = &w->seq[0].cs;
	double lo = cs_low(c), hi = cs_high(c), D = w->rule->margin;
	const char *a = names[w->seq[0].a], *b = names[w->seq[0].b];
	struct buf t = BUF_INIT;
	if (lo > 0 || hi < 0)
		buf_printf(&t, "%s is better", lo > 0 ? b : a);
	else if (D > 0 && lo > -D && hi < D)
		buf_printf(&t, "equivalent within %.1f pp", 100 * D);
	else
		return;
	if (D > 0 && (lo > 0 || hi < 0) && lo > -D && hi < D)
		buf_printf(&t, ", by less than %.1f pp", 100 * D);
	buf_printf(&t, ": %s − %s in ", b, a);
	say_bounds(&t, lo, hi);
	w->done = 1;
	w->why = buf_detach(&t);
}

static void width_step(struct stop_state *s, struct stop_watch *w)
{
	double widest = 0;
	size_t at = 0;
	for (size_t k = 0; k < w->nseq; k++) {
		size_t p = w->seq[k].a;
		if (!s->asked[p])
			continue;
		const struct cs *c = &w->seq[k].cs;
		double width = cs_high(c) - cs_low(c);
		if (!cs_count(c) || width >= w->rule->width)
			return;
		if (width >= widest) {
			widest = width;
			at = p;
		}
	}
	w->done = 1;
	w->why = xasprintf("every pass rate within %.1f pp (the widest: %s, %.1f pp)", 100 * w->rule->width,
			   s->names[at], 100 * widest);
}

size_t stop_feed(struct stop_state *s, const double *x, const double *cost)
{
	s->tasks++;
	if (s->stopped)
		return 0;
	for (size_t p = 0; p < s->np; p++)
		if (s->asked[p] && !isnan(x[p])) {
			s->cost_sum[p] += isnan(cost[p]) ? 0 : cost[p];
			s->cost_n[p]++;
		}
	size_t dropped = 0;
	for (size_t k = 0; k < s->nw; k++) {
		struct stop_watch *w = &s->w[k];
		for (size_t j = 0; j < w->nseq; j++) {
			size_t a = w->seq[j].a, b = w->seq[j].b;
			if (!s->asked[a] || !s->asked[b] || isnan(x[a]) || isnan(x[b]))
				continue;
			cs_push(&w->seq[j].cs, a == b ? x[a] : x[b] - x[a]);
		}
	}
	for (size_t k = 0; k < s->nw; k++) {
		struct stop_watch *w = &s->w[k];
		if (w->rule->kind == STOP_RACE)
			dropped += race_step(s, w);
	}
	int all = 1;
	for (size_t k = 0; k < s->nw; k++) {
		struct stop_watch *w = &s->w[k];
		if (!w->done) {
			switch (w->rule->kind) {
			case STOP_DECIDED: decided_step(w, s->names); break;
			case STOP_RACE: race_done(s, w); break;
			case STOP_WIDTH: width_step(s, w); break;
			}
			if (w->done)
				w->done_after = s->tasks;
		}
		all &= w->done;
	}
	if (all && s->nw) {
		s->stopped = 1;
		s->stopped_after = s->tasks;
		for (size_t p = 0; p < s->np; p++)
			dropped += s->asked[p];
	}
	return dropped;
}

static const char *kind_name(enum stop_kind k)
{
	return k == STOP_DECIDED ? "decided" : k == STOP_RACE ? "race" : "width";
}

cJSON *stop_json(const struct stop_state *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *rules = cJSON_AddArrayToObject(o, "rules");
	json_add_num(o, "alpha", s->alpha);
	cJSON_AddStringToObject(o, "method", "betting_hedged");
	cJSON_AddStringToObject(o, "correction", "bonferroni");
	json_add_num(o, "tasks_seen", (double)s->tasks);
	cJSON_AddBoolToObject(o, "stopped", s->stopped);
	json_add_num(o, "stopped_after_tasks", s->stopped ? (double)s->stopped_after : NAN);
	for (size_t k = 0; k < s->nw; k++) {
		const struct stop_watch *w = &s->w[k];
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "rule", w->rule->text);
		cJSON_AddStringToObject(r, "kind", kind_name(w->rule->kind));
		json_add_num(r, "alpha_each", w->alpha);
		cJSON_AddBoolToObject(r, "done", w->done);
		json_add_num(r, "done_after_tasks", w->done ? (double)w->done_after : NAN);
		if (w->why)
			cJSON_AddStringToObject(r, "answer", w->why);
		cJSON *seqs = cJSON_AddArrayToObject(r, "sequences");
		for (size_t j = 0; j < w->nseq; j++) {
			const struct stop_seq *q = &w->seq[j];
			cJSON *e = cJSON_CreateObject();
			if (q->a == q->b) {
				cJSON_AddStringToObject(e, "provider", s->names[q->a]);
			} else {
				cJSON_AddStringToObject(e, "a", s->names[q->a]);
				cJSON_AddStringToObject(e, "b", s->names[q->b]);
			}
			json_add_num(e, "n", (double)cs_count(&q->cs));
			json_add_num(e, "mean", cs_mean(&q->cs));
			json_add_num(e, "low", cs_low(&q->cs));
			json_add_num(e, "high", cs_high(&q->cs));
			cJSON_AddItemToArray(seqs, e);
		}
		cJSON_AddItemToArray(rules, r);
	}
	cJSON *provs = cJSON_AddArrayToObject(o, "providers");
	for (size_t p = 0; p < s->np; p++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", s->names[p]);
		cJSON_AddBoolToObject(e, "asked", stop_asks(s, p));
		json_add_num(e, "tasks", (double)s->cost_n[p]);
		json_add_num(e, "dropped_after_tasks", s->drop_why[p] ? (double)s->dropped_after[p] : NAN);
		if (s->drop_why[p])
			cJSON_AddStringToObject(e, "why", s->drop_why[p]);
		cJSON_AddItemToArray(provs, e);
	}
	return o;
}

void stop_words(const struct stop_state *s, struct buf *out)
{
	double level = 100 * (1 - s->alpha);
	if (s->stopped)
		buf_printf(out, "stopped after %zu tasks: ", s->stopped_after);
	else
		buf_printf(out, "not stopped after %zu tasks: ", s->tasks);
	size_t nseq = 0;
	for (size_t k = 0; k < s->nw; k++) {
		const struct stop_watch *w = &s->w[k];
		if (k)
			buf_puts(out, "; ");
		if (w->why)
			buf_puts(out, w->why);
		else
			buf_printf(out, "%s undecided", w->rule->text);
		nseq += w->nseq;
	}
	buf_printf(out, ", anytime-valid %.*f%%", level == floor(level) ? 0 : 1, level);
	if (nseq > 1)
		buf_printf(out, " (simultaneous over %zu sequences)", nseq);
	for (size_t p = 0; p < s->np; p++)
		if (s->drop_why[p])
			buf_printf(out, "; %s dropped after %zu tasks (%s)", s->names[p], s->dropped_after[p],
				   s->drop_why[p]);
}
