/* sim_model.h - simulated models: who answers what, how well, how fast and
 * with how many tokens. The wire protocol is sim.c's business. */
#ifndef TB_SIM_MODEL_H
#define TB_SIM_MODEL_H

#include <stddef.h>

#include "core/suite.h"
#include "engine/proto.h"
#include "score/repo.h"
#include "sim/sim_serve.h"
#include "sim/sim_wire.h"
#include "util/rng.h"
#include "util/strmap.h"

enum sim_fault_kind {
	FAULT_429,       /* 429 with Retry-After */
	FAULT_500,
	FAULT_503,
	FAULT_RESET,     /* the connection is reset before any answer */
	FAULT_STALL,     /* no answer at all: the client's timeout must fire */
	FAULT_TRUNCATE,  /* a stream that ends before its last event */
	FAULT_MALFORMED, /* a 200 whose body is not JSON */
	FAULT_NO_USAGE,  /* a good answer without a usage block */
	FAULT_AUTH_ECHO, /* 401 whose message repeats the key it was sent */
	FAULT_STREAM_ERROR, /* a 200 stream that ends in an error event */
	FAULT_NO_MODEL,  /* 404 model not found for every request (the models endpoint too) */
	FAULT_DOWN,      /* after_answers good answers, every request (the models endpoint
			  * too) has its connection reset: a provider that died */
	FAULT_BILLING,   /* the account cannot pay: each API's billing error */
};

struct sim_fault {
	enum sim_fault_kind kind;
	int first_attempts;      /* the first N attempts of each request get it... */
	double rate;             /* ...or each attempt with this chance */
	char retry_after[64];    /* for 429: seconds, or "date" for an HTTP date 2 s ahead */
	long after_answers;      /* for down: the good answers the model gives first */
};

struct sim_profile {
	char *model;             /* owned */
	struct sim_fault *faults; /* owned */
	size_t nfaults, faults_cap;
	double skill;            /* chance of a correct answer at difficulty 1 */
	int has_pass_rate;       /* the profile sets pass_rate (else skill decides) */
	double pass_rate;        /* the chance of a correct answer on every task, whatever its
				  * difficulty, drawn against a latent of the task alone: the
				  * model's true pass rate, exactly */
	double difficulty_slope; /* log-odds lost per difficulty level above 1 */
	double latency_median_ms, latency_sigma; /* lognormal time to the full answer */
	double ms_per_output_token;
	double reasoning_mean;   /* mean reasoning tokens per answer (0 = none) */
	double cache_hit_rate;   /* chance that the prompt prefix is a cache hit */
	long cache_min_tokens;   /* the shortest prefix an agent's prompt cache keeps */
	/* answer styles, relative weights */
	double w_fenced, w_prose, w_bare, w_wrong_language;
	/* as the bash agent ("agent" object) */
	double agent_wander;       /* extra turns spent looking around, on average */
	double agent_format_error; /* chance that an answer holds no command, or two */
	double agent_wrong_fix;    /* chance that the fix it submits is wrong */
	struct sim_wire wire;      /* its dialect, prices and announced rate limits */
	struct sim_serve_params serve; /* served like a GPU ("serve"), or not (serve.on 0) */
	int no_models_endpoint;    /* "models_endpoint": false: GET /v1/models/{id} is not served
				    * for it (404 no such route), as some OpenAI-compatible servers */
};

struct sim_world {
	struct sim_profile *profiles; /* owned */
	size_t n, cap;
	struct suite suite;           /* the tasks the simulator can recognise */
	struct strmap by_prompt;      /* sha256 of the rendered user message -> task index * 4 + edit
				       * format, or + 3 for the bash agent's first message */
	struct repo_store repos;      /* repository tasks' files */
	double latency_override_ms;   /* < 0: use the profiles */
	double task_correlation;      /* of the models' outcomes on one task (latent), 0..1 */
	int task_correlation_fixed;   /* set on the command line: the profile file's does not replace it */
};

struct sim_answer {
	char *text;                   /* malloced */
	long prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens;
	double latency_ms;
	const char *finish_reason;    /* static */
	const struct task *task;      /* recognised task, or NULL */
	int correct;
	int agent;                    /* the conversation is the bash agent's */
};

void sim_world_init(struct sim_world *w);
void sim_world_release(struct sim_world *w);
/* profiles from a provider file whose entries carry a "sim" object, or from
 * a list of profiles; 0 or -1 (reported with the file and entry) */
int sim_world_load_profiles(struct sim_world *w, const char *path);
/* adds a suite whose tasks the simulator answers; 0 or -1 */
int sim_world_add_suite(struct sim_world *w, const char *path);
/* repository mirrors for SWE-bench instances (--repos); 0 or -1 */
int sim_world_set_mirrors(struct sim_world *w, const char *dir);
const struct sim_profile *sim_find_model(const struct sim_world *w, const char *model);
/* the answer of model p to a conversation (msgs[0..n), the system prompt
 * first when there is one): its first user message names the task, and a
 * later turn (a second try, the agent's next step) draws afresh;
 * deterministic in (model, task, seed, the conversation's turns). A model
 * that reasons does so only as far as the request lets it: reasoning_budget
 * < 0 allows none, 0 as much as max_tokens leaves, > 0 at most that many */
void sim_answer(struct sim_world *w, const struct sim_profile *p, const struct message *msgs, size_t n, long seed,
		long max_tokens, long reasoning_budget, struct sim_answer *out);
/* the prompt tokens of a conversation, as sim_answer counts them */
long sim_prompt_tokens(const struct message *msgs, size_t n);
/* whether an answer is correct, given the task's latent z_task (standard
 * normal, shared by every answer to the task) and the answer's own z_own:
 * sqrt(rho) z_task + sqrt(1 - rho) z_own is standard normal, and the answer
 * is correct when it falls in its upper p tail, so each model keeps its
 * rate p while answers to one task go together by rho */
int sim_outcome(double rho, double p, double z_task, double z_own);
/* one simulated task of the `pass_rate` kind, drawn from r without HTTP:
 * for each of np models with true rates rates[], k answers, each correct
 * as sim_outcome decides with one task latent for all; means[i] gets model
 * i's fraction correct. The simulation study and `plan --sequential` draw
 * their tasks this way, so that their truth is the simulator's */
void sim_task_outcomes(struct rng *r, double rho, const double *rates, size_t np, int k, double *means);
/* the tokens the simulator counts for bytes of text */
long sim_tokens(size_t bytes);
void sim_answer_release(struct sim_answer *a);
/* a plausibly broken copy of code: one operator, literal or keyword
 * changed, chosen by the generator; malloced */
char *sim_mutate(const char *code, unsigned long long pick);

#endif
