/* sim_anthropic.h - the simulator's Anthropic Messages wire format:
 * messages plain and streamed (thinking blocks included), errors, the
 * model list and count_tokens. */
#ifndef TB_SIM_ANTHROPIC_H
#define TB_SIM_ANTHROPIC_H

#include "sim/sim_reply.h"

/* the answer to POST /v1/messages (c->stream for server-sent events) */
void sim_anthropic_answer(const struct sim_call *c, struct sim_reply *r);
/* an error: {"type": "error", "error": {type, message}, "request_id"};
 * detail as for sim_openai_error */
void sim_anthropic_error(struct sim_reply *r, double at, enum sim_error e, const char *detail, const char *request_id,
			 const char *headers);
/* GET /v1/models (id NULL: a page of at most limit models after after_id
 * or before before_id, either may be NULL) or /v1/models/{id}; 0, or -1
 * when a model named is unknown (nothing written) */
int sim_anthropic_models(const struct sim_world *w, const char *id, const char *after_id, const char *before_id,
			 long limit, const char *headers, struct sim_reply *r);
/* POST /v1/messages/count_tokens */
void sim_anthropic_count(long input_tokens, const char *headers, struct sim_reply *r);

#endif
