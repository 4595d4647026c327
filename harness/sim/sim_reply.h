/* sim_reply.h - what the simulator sends back: a reply is timed segments
 * of bytes (sim.c writes each when its time comes). The helpers here frame
 * HTTP responses and server-sent events; `struct sim_call` is one answered
 * request as the wire formats (sim_openai.c, sim_anthropic.c) write it. */
#ifndef TB_SIM_REPLY_H
#define TB_SIM_REPLY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "sim/sim_model.h"
#include "util/buf.h"

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

void sim_reply_release(struct sim_reply *r);
/* appends a segment of data[0..len) due at `at` ms; returns it */
struct sim_segment *sim_reply_add(struct sim_reply *r, double at, const char *data, size_t len);
/* a whole response: status line, Content-Type, Content-Length, the extra
 * header lines (each ending in CRLF, or NULL) and the body */
void sim_reply_http(struct sim_reply *r, double at, int status, const char *headers, const char *body, size_t len);
/* the same with a JSON body */
void sim_reply_json(struct sim_reply *r, double at, int status, const char *headers, const cJSON *body);
/* the head of a 200 event stream (chunked) */
void sim_stream_head(struct buf *b, const char *headers);
/* one server-sent event, `event:` line first when event is not NULL, as an HTTP chunk */
void sim_stream_event(struct buf *b, const char *event, const cJSON *data);
/* raw text (a comment, `data: [DONE]`, or "" for the last chunk) as an HTTP chunk */
void sim_stream_raw(struct buf *b, const char *text);

/* what went wrong, as each API says it in its own words and status */
enum sim_error {
	SIM_ERR_BAD_REQUEST, /* a malformed body or a missing parameter */
	SIM_ERR_AUTH,        /* the key is refused */
	SIM_ERR_NO_MODEL,    /* no such model */
	SIM_ERR_NO_ROUTE,    /* no such endpoint */
	SIM_ERR_METHOD,      /* the endpoint does not take this method */
	SIM_ERR_RATE_LIMIT,
	SIM_ERR_SERVER,
	SIM_ERR_OVERLOADED,
	SIM_ERR_BILLING,     /* no credit left: OpenAI's 429 insufficient_quota, OpenRouter's 402,
			      * Anthropic's 400 "credit balance is too low" */
};

enum sim_spoil {
	SPOIL_NONE,
	SPOIL_TRUNCATE,     /* the stream stops halfway, its HTTP body ending cleanly */
	SPOIL_STREAM_ERROR, /* the stream ends with an error event */
	SPOIL_MALFORMED,    /* a 200 whose body is not JSON */
};

/* one answered request: n answers (OpenAI's `n` choices; one otherwise) */
struct sim_call {
	const struct sim_profile *p;
	const char *model;         /* as the request named it; borrowed */
	char id[64];               /* chatcmpl-..., msg_... */
	long created;              /* Unix seconds */
	const struct sim_answer *ans; /* borrowed, n of them */
	char **reasoning;          /* per answer, its reasoning as text, or NULL; borrowed */
	size_t n;
	int stream;
	int usage;                 /* write a usage block (not the no_usage fault) */
	int stream_usage;          /* OpenAI's stream_options.include_usage */
	int reasoning_split;       /* MiniMax: reasoning in reasoning_details, not in <think> */
	int hide_reasoning;        /* OpenRouter: reasoning.exclude */
	enum sim_spoil spoil;
	double ttft_ms, total_ms;  /* first output and end of the answer */
	const char *headers;       /* request id and rate-limit headers; borrowed */
};

/* what a stream's answer is cut into: a piece of one answer's reasoning or
 * text, and when it is due */
struct sim_piece {
	double at;
	size_t choice;
	int reasoning;
	size_t off, len; /* in that answer's reasoning or text */
};

/* the pieces of a stream, in time order (at most 16 per text); without
 * show_reasoning the reasoning is not cut into pieces, but still takes its
 * time before the text; malloced, *n of them */
struct sim_piece *sim_call_pieces(const struct sim_call *c, int show_reasoning, size_t *n);

/* the usage the n answers add up to: the prompt once, the completions summed */
void sim_call_totals(const struct sim_call *c, long *prompt, long *cached, long *written, long *completion,
		     long *reasoning);

#endif
