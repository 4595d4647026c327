/* seqsim.h - a stopping rule simulated over many runs whose truth is known:
 * how often it decides, how often wrongly, after how many tasks and
 * dollars, beside the naive rule that stops when the fixed-sample 95%
 * interval excludes 0. `plan --sequential` and the study in `make bench`
 * run it; the tasks come from a caller's generator (the simulator's
 * model, sim_task_outcomes), so that its truth is the simulator's. */
#ifndef TB_SEQSIM_H
#define TB_SEQSIM_H

#include <stddef.h>

#include "stats/stop.h"

/* draws one task: means[p] = provider p's fraction of correct answers */
typedef void (*seqsim_draw_fn)(void *arg, double *means);

struct seqsim_opts {
	size_t np;
	const char *const *names;   /* borrowed */
	const double *rates;        /* the true pass rates, to judge decisions by */
	const double *usd_per_task; /* what one task's samples cost each provider */
	const struct stop_rule *rule; /* borrowed */
	double alpha;
	size_t tasks;               /* the suite: a run ends there at the latest */
	int runs;
	size_t ngrid;               /* of each confidence sequence */
	int naive;                  /* also the naive rule (decided rules only) */
	size_t naive_from;          /* the naive rule looks from this task on */
	seqsim_draw_fn draw;
	void *arg;
};

struct seqsim_result {
	int runs;
	int stopped;          /* runs the rule ended before the suite did */
	int claims;           /* decided: runs that declared a difference (the interval left 0 out) */
	int equivalent;       /* decided with a margin: runs that declared the two within it */
	int right;            /* decided: declared the true sign, or equivalence where the truth is
			       * within the margin; race: the truly best was never dropped */
	int wrong;            /* decided: declared a difference of the wrong sign or where there is
			       * none, or equivalence where there is none; race: the best was dropped */
	double tasks_mean, tasks_p50, tasks_p90; /* tasks until the run ended */
	double usd_mean;      /* spent, on average */
	double usd_full;      /* every provider on every task of the suite */
	double *asked_mean;   /* per provider: tasks it answered, on average; malloced */
	double *dropped;      /* per provider: share of runs a race dropped it; malloced */
	int naive_claims, naive_right, naive_wrong;
	double naive_tasks_mean;
	double corr;          /* correlation of the first two providers' task fractions */
	double var_diff;      /* the variance of their difference, per task */
};

/* runs the simulation; 0, or -1 when the rule does not fit the providers
 * (reported) */
int seqsim_run(const struct seqsim_opts *o, struct seqsim_result *res);
void seqsim_result_release(struct seqsim_result *res);

#endif
