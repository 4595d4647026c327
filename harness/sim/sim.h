/* sim.h - the simulator's HTTP server: an event-driven HTTP/1.1 server on
 * loopback that answers as the OpenAI and Anthropic APIs do (sim_api.c)
 * for the simulated models of a sim_world. */
#ifndef TB_SIM_H
#define TB_SIM_H

#include "sim/sim_model.h"

struct sim_server_opts {
	const char *listen;     /* "127.0.0.1:PORT" or "[::1]:PORT" */
	int max_connections;
	int quiet;
};

/* serves until SIGINT or SIGTERM; 0, or -1 when it cannot listen (reported) */
int sim_serve(struct sim_world *w, const struct sim_server_opts *o);

#endif
