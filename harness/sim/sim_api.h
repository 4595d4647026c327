/* sim_api.h - the simulator's endpoints: what a request gets back, as
 * timed segments of bytes (sim_reply.h; sim.c writes them when their time
 * comes). OpenAI chat completions (in each provider's dialect), Anthropic
 * messages and count_tokens, the model lists, each error in its API's
 * shape, and the faults a profile asks for. */
#ifndef TB_SIM_API_H
#define TB_SIM_API_H

#include <stddef.h>

#include "sim/sim_model.h"
#include "sim/sim_reply.h"

struct sim_request {
	const char *method, *path; /* path without its query */
	const char *head, *body;   /* borrowed; head starts with the request line */
	size_t head_len, body_len;
};

struct sim_api;

struct sim_api *sim_api_new(struct sim_world *w);
void sim_api_free(struct sim_api *a);
/* fills out (empty on entry) with the reply to rq */
void sim_api_handle(struct sim_api *a, const struct sim_request *rq, struct sim_reply *out);
/* the value of a request header, into out (NUL-terminated); 1 if present */
int sim_header(const char *head, size_t head_len, const char *name, char *out, size_t outn);

#endif
