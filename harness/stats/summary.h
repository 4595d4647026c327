/* summary.h - everything a report says, computed from sample records: per
 * provider rates, intervals, pass@k, costs and latencies; paired
 * comparisons of every two providers; the frontier and its probability. */
#ifndef TB_SUMMARY_H
#define TB_SUMMARY_H

#include <stddef.h>

#include "rundir/store.h"

struct count {
	char *name; /* owned */
	size_t n;
	int error;  /* an error kind (not scored), not a failure reason */
};

struct kstat {
	int k;
	double value, se;
};

#define MAX_TRIES 10

struct provider_summary {
	char *name, *model;  /* owned; model may be NULL */
	int row;             /* the provider's row in the outcomes table */
	size_t tasks;        /* tasks with at least one scored sample */
	size_t samples;      /* records of any status */
	size_t passed, failed, errors, not_attempted;
	int k_min, k_max;    /* scored samples per task */
	double pass_rate;    /* mean over tasks of the per-task pass fraction */
	double ci_low, ci_high;
	const char *ci_method; /* static: wilson, clopper_pearson, each optionally _task_se or _cluster_se */
	struct kstat *pass_at_k, *pass_hat_k; /* k = 1 .. k_min; owned */
	int nk;
	double cost_usd;        /* everything paid, NAN when no record carries a cost */
	size_t estimated_costs; /* records whose cost is an estimate (summary_estimated_costs) */
	double cost_per_task;   /* per answered sample */
	double cost_per_task_low, cost_per_task_high;
	double cost_per_solved; /* per passed sample; NAN when nothing passed */
	double cost_per_solved_low, cost_per_solved_high; /* Fieller; NAN when unbounded */
	int cost_per_solved_unbounded;
	double cost_per_solved_boot_low, cost_per_solved_boot_high; /* the bootstrap's, for a cross-check */
	long tok_input, tok_cached, tok_cache_write, tok_output, tok_reasoning;
	double cache_hit_ratio;   /* cached input tokens over all input tokens; NAN without input */
	double cache_saving_usd;  /* what the prompt cache saved against the full input price */
	double latency_p50_ms, latency_p95_ms;
	double ttft_p50_ms, output_tps_p50; /* streamed answers only; NAN without */
	/* repository tasks */
	size_t edits, well_formed;  /* answers with an edit judged, and those that parsed and applied */
	int ntries;                 /* the most tries a sample took (0: one try per sample) */
	size_t graded;              /* repository samples passed or failed */
	size_t resolved_adjusted;   /* of those, resolved once the tests that the environment
				     * spec lists as failing here are excluded */
	double pass_try[MAX_TRIES]; /* share of samples passing within k+1 tries (task means) */
	double cost_try[MAX_TRIES]; /* cost of the (k+1)-th tries, per sample */
	size_t truncated;
	/* the bash agent's samples (--agent bash) */
	size_t agent_samples;       /* answered ones: passed or failed */
	double turns_p50, turns_p90, turns_mean; /* turns per sample */
	double tokens_per_turn;     /* input (cached and written included) and output tokens, per turn */
	double agent_ms_p50;        /* a sample's own time */
	double overhead_p50_ms, overhead_mean_ms; /* tokenbench's own time per turn (not the model's,
						   * not the commands', not its queues) */
	struct count *ends;         /* how the agent's samples ended, most frequent first */
	size_t nends, ends_cap;
	double anytime_low, anytime_high; /* the pass rate's confidence sequence at its last task
					   * (tasks in plan order), at the report's level; NAN
					   * unless asked for (summary_opts.anytime) */
	int on_frontier;     /* no other provider is cheaper and at least as good */
	double p_frontier;   /* share of bootstrap replicates where it is on the frontier */
	struct count *reasons; /* failure reasons and error kinds, most frequent first */
	size_t nreasons, reasons_cap;
	struct count *skipped; /* why samples were not attempted (budget, interrupted, ...), most frequent first */
	size_t nskipped, skipped_cap;
};

struct pair_summary {
	const char *a, *b;   /* borrowed from the provider summaries; diff is b - a */
	size_t n;            /* tasks both completed */
	double diff, ci_low, ci_high, p_value, p_holm;
	const char *method;  /* static: mcnemar_exact (one sample per task) or paired_bootstrap */
	double corr;         /* correlation of the per-task outcomes */
	double mdd;          /* the difference detectable with 80% power at alpha 0.05 */
	long n10, n01;       /* tasks only a passed, only b passed (one sample per task) */
	double anytime_low, anytime_high; /* b - a's confidence sequence at its last task, NAN unless asked for */
	double anytime_alpha; /* its alpha: the report's, split over its pairs (Bonferroni) */
};

struct summary_opts {
	double level;        /* of the intervals, 0.95 */
	int replicates;      /* bootstrap replicates, 10000 */
	unsigned long seed;  /* of the bootstrap */
	int anytime;         /* also the anytime-valid intervals (confidence sequences) */
	const char *const *order; /* the tasks in the order the run took them (run.json's plan), for
				   * the sequences; borrowed; NULL: by task id */
	size_t norder;
};

struct summary {
	struct provider_summary *p; /* sorted by pass rate, best first */
	size_t n;
	struct pair_summary *pairs; /* every two providers, the better one as b */
	size_t npairs;
	size_t nlambda;
	double *lambda;      /* USD per solved task */
	double *p_best;      /* provider (in p order) x lambda: chance it maximises lambda*rate - cost */
	int clustered;       /* clustered standard errors were used */
	struct summary_opts opts;
	char *decision;      /* how a run that stopped early (run --stop-when) decided, in words, for
			      * the report; malloced, NULL when it did not */
};

void summary_opts_default(struct summary_opts *o);
/* 0, or -1 when there are no records */
int summary_build(struct summary *s, const struct recset *rs, const struct summary_opts *o);
void summary_release(struct summary *s);
/* how many of the provider's records carry a cost that is an estimate
 * (cost_source "estimate": no usage block came back, the tokens were
 * counted from the text) */
size_t summary_estimated_costs(const struct recset *rs, const char *provider);
/* the provider by name, or NULL */
const struct provider_summary *summary_find(const struct summary *s, const char *name);
/* the comparison of a and b (b - a), computed on demand; 0, or -1 when a
 * provider is unknown */
int summary_compare(const struct recset *rs, const struct summary_opts *o, const char *a, const char *b,
		    struct pair_summary *out);

#endif
