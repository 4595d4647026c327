/* sim_api.h - the simulator's endpoints: what a request gets back, as
 * timed segments of bytes (sim.c writes them when their time comes).
 * OpenAI chat completions and Anthropic messages, each plain or streamed,
 * and the faults a profile asks for. */
#ifndef TB_SIM_API_H
#define TB_SIM_API_H

#include <stddef.h>

#include "sim/sim_model.h"

struct sim_segment {
	double at_ms;   /* after the request arrived */
	char *data;     /* malloced */
	size_t len;
	int close;      /* close the connection after these bytes */
	int reset;      /* reset the connection instead of writing */
};

/* a reply with no segment stalls: the connection is held until the client leaves */
struct sim_reply {
	struct sim_segment *seg;
	size_t n, cap;
};

struct sim_request {
	const char *method, *path;
	const char *head, *body; /* borrowed */
	size_t head_len, body_len;
};

struct sim_api;

struct sim_api *sim_api_new(struct sim_world *w);
void sim_api_free(struct sim_api *a);
/* fills out (empty on entry) with the reply to rq */
void sim_api_handle(struct sim_api *a, const struct sim_request *rq, struct sim_reply *out);
void sim_reply_release(struct sim_reply *r);
/* the value of a request header, into out (NUL-terminated); 1 if present */
int sim_header(const char *head, size_t head_len, const char *name, char *out, size_t outn);

#endif
