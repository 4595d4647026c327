/* sim_openai.h - the simulator's OpenAI chat-completions wire format, in
 * each provider's dialect: answers plain and streamed, errors, and the
 * model lists (OpenAI's, and OpenRouter's with prices). */
#ifndef TB_SIM_OPENAI_H
#define TB_SIM_OPENAI_H

#include "sim/sim_reply.h"

/* the answer to a chat completion (c->stream for server-sent events) */
void sim_openai_answer(const struct sim_call *c, enum sim_dialect d, struct sim_reply *r);
/* an error in the dialect's shape; detail is the key (SIM_ERR_AUTH), the
 * model (SIM_ERR_NO_MODEL), "METHOD PATH" (SIM_ERR_NO_ROUTE, SIM_ERR_METHOD)
 * or the whole message (SIM_ERR_BAD_REQUEST, which may name a param) */
void sim_openai_error(struct sim_reply *r, double at, enum sim_dialect d, enum sim_error e, const char *detail,
		      const char *param, const char *headers);
/* GET /v1/models (id NULL) or /v1/models/{id}; 0, or -1 when there is no such model (nothing written) */
int sim_openai_models(const struct sim_world *w, const char *id, const char *headers, struct sim_reply *r);
/* GET /api/v1/models: OpenRouter's list, prices as USD per token in strings */
void sim_openrouter_models(const struct sim_world *w, const char *headers, struct sim_reply *r);

#endif
