/* stop.h - stopping rules for a run that looks at its results after every
 * task (`run --stop-when RULE`, `plan --sequential`): the rules, their
 * confidence sequences (stats/anytime.h), which providers are still asked,
 * and the decision in words and as JSON.
 *
 * The caller feeds whole tasks in the plan's order: for each provider its
 * pass fraction over the task's scored samples (the task is the unit) and
 * what the task cost it. Each rule gets an equal share of alpha
 * (Bonferroni over the rules), split again equally over the sequences it
 * watches (Bonferroni over its pairs or providers), so that every
 * sequence of every rule holds at once, at every task, with chance at
 * least 1 - alpha. */
#ifndef TB_STOP_H
#define TB_STOP_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "stats/anytime.h"
#include "util/buf.h"

enum stop_kind {
	STOP_DECIDED, /* decided:A,B[,margin=D]: pass(B) - pass(A) excludes 0, or lies within +-D */
	STOP_RACE,    /* race[:margin=D]: drop whoever is worse than another by more than D, or worse
		       * and not cheaper; done when one is left or all left are within +-D */
	STOP_WIDTH,   /* width:W: every provider still asked has a sequence narrower than W */
};

struct stop_rule {
	enum stop_kind kind;
	char *text;          /* as given; malloced */
	char *a, *b;         /* decided: the providers; malloced */
	double margin;       /* decided, race: D as a fraction (0: none) */
	double width;        /* width: W as a fraction */
};

/* parses "decided:A,B[,margin=D]", "race[:margin=D]" or "width:W" (D and W
 * fractions, or with "pp" percentage points); 0, or -1 (reported) */
int stop_rule_parse(const char *text, struct stop_rule *r);
void stop_rule_release(struct stop_rule *r);

/* one sequence a rule watches: pass(b) - pass(a) for a pair, or pass(a)
 * alone when a == b */
struct stop_seq {
	size_t a, b;
	struct cs cs;
};

struct stop_watch {
	const struct stop_rule *rule; /* borrowed */
	double alpha;                 /* of each of its sequences */
	struct stop_seq *seq;         /* owned */
	size_t nseq;
	int done;                     /* it has its answer (for good: sequences only narrow) */
	size_t done_after;            /* tasks fed when it got it */
	char *why;                    /* its answer in words; malloced */
};

struct stop_state {
	size_t np;
	char **names;            /* the providers, in the caller's order; owned */
	struct stop_watch *w;    /* one per rule; owned */
	size_t nw;
	double alpha;
	int *asked;              /* per provider: still asked */
	size_t *dropped_after;   /* per provider: tasks fed when a race dropped it */
	char **drop_why;         /* per provider: why (malloced), or NULL */
	double *cost_sum;        /* per provider: cost of its tasks fed */
	size_t *cost_n;
	size_t tasks;            /* tasks fed */
	int stopped;             /* every rule has its answer: nobody is asked */
	size_t stopped_after;
};

/* the rules (borrowed; they must outlive s) watching the providers
 * names[0..np) at level 1 - alpha, on sequences of ngrid points; 0, or -1
 * when a rule names a provider that is not in names (reported) */
int stop_init(struct stop_state *s, const struct stop_rule *rules, size_t nrules, const char *const *names,
	      size_t np, double alpha, size_t ngrid);
void stop_release(struct stop_state *s);
/* one more task: x[p] is provider p's pass fraction over its scored
 * samples of the task (NAN when it has none: not asked, or only errors),
 * cost[p] what the task cost it (NAN when unknown). Providers no longer
 * asked are ignored. Returns how many providers stopped being asked */
size_t stop_feed(struct stop_state *s, const double *x, const double *cost);
/* whether provider p is still asked */
int stop_asks(const struct stop_state *s, size_t p);
/* the decision as run.json keeps it: rules, alpha, method, tasks fed,
 * whether and when the run stopped, each rule's answer with its
 * sequences' bounds, each provider dropped and why; caller deletes */
cJSON *stop_json(const struct stop_state *s);
/* the decision in one line: "stopped after 143 tasks: B − A in [+4.1,
 * +19.8] pp, anytime-valid 95%" (no newline) */
void stop_words(const struct stop_state *s, struct buf *out);

#endif
