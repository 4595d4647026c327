/* sim_serve.h - a simulated model served like one on a GPU: continuous
 * batching, as vLLM and SGLang do it. A profile's "serve" object gives the
 * parameters; the state (which batch slots are busy until when) lives with
 * the simulator's endpoints (sim_api.c), one per profile. */
#ifndef TB_SIM_SERVE_H
#define TB_SIM_SERVE_H

#include <cjson/cJSON.h>

struct sim_answer;

/* the serving model. A request waits for a free slot of the batch
 * (max_batch: the KV cache's limit), then its prompt is prefilled
 * (prefill_base_ms + prefill_ms_per_token x its input tokens; the first
 * token comes out at the end of it). Prefills run one at a time, as they
 * take the GPU's compute: one waits for the one before it. Then each
 * further token takes
 *   itl(b) = decode_base_ms + decode_ms_per_seq x b
 * where b is the number of sequences in the batch when it started (itself
 * included, at most max_batch). Aggregate decode throughput b / itl(b)
 * saturates towards max_batch / itl(max_batch). */
struct sim_serve_params {
	int on;                     /* the profile has a "serve" object */
	double decode_base_ms, decode_ms_per_seq;
	double prefill_base_ms, prefill_ms_per_token;
	int max_batch;
	char source[256];           /* where the defaults' figures come from */
};

/* which slots are busy until when (ms on the monotonic clock) */
struct sim_serve_state {
	double *busy_until;         /* malloced, max_batch of them */
	int n;
	double prefill_free_ms;     /* when the prefill under way ends */
};

/* the "serve" object of a profile, defaults filled in (Llama-3.1-8B on one
 * A100, see sim_serve.c); p->on stays 0 when there is none; 0, or -1
 * reported with `where` */
int sim_serve_load(struct sim_serve_params *p, const cJSON *profile, const char *where);
void sim_serve_state_release(struct sim_serve_state *st);
/* admits a request arriving at now_ms with prompt_tokens in and
 * output_tokens out: its first token and its last, in ms after arrival */
void sim_serve_admit(struct sim_serve_state *st, const struct sim_serve_params *p, double now_ms,
		     long prompt_tokens, long output_tokens, double *ttft_ms, double *total_ms);
/* an answer made exactly max_tokens long, as vLLM's ignore_eos asks:
 * text is added until its tokens and its reasoning make max_tokens */
void sim_serve_pad(struct sim_answer *a, long max_tokens);

#endif
