/* proto.h - protocol adapters: they build request bodies and parse response
 * bodies; they never touch the network (sched.c does). */
#ifndef TB_PROTO_H
#define TB_PROTO_H

#include <curl/curl.h>
#include <stddef.h>

#include "core/provider.h"
#include "core/record.h"
#include "util/buf.h"

struct message {
	const char *role;    /* "system", "user" or "assistant"; borrowed */
	const char *content; /* borrowed */
};

struct request {
	const struct message *msgs;
	size_t nmsgs;
	long seed; /* sent as the request's seed where the protocol has one; -1 = none */
	int cache_prefix; /* a conversation that will grow: where the protocol caches prompts only
			   * when asked (Anthropic), mark its prefix for the cache */
};

struct response {
	char *text;          /* the assistant's answer; malloced, may be NULL */
	int streamed;        /* the body was a server-sent event stream */
	struct usage usage;
	double cost_usd;     /* the provider's own figure, NAN when it gave none */
	char *raw_usage;     /* the usage object as JSON text; malloced, may be NULL */
	char *finish_reason; /* malloced, may be NULL */
	int usage_missing;   /* the body had no usage block */
};

/* an empty response: no text, no usage, cost unknown (NAN) */
void response_init(struct response *r);
/* frees what it holds and leaves it as response_init does */
void response_release(struct response *r);

struct proto {
	const char *name;
	/* appends the request body */
	void (*build_body)(const struct provider *p, const struct request *rq, struct buf *body);
	/* the URL to post to; malloced */
	char *(*url)(const struct provider *p);
	/* the request headers, the key included when there is one */
	struct curl_slist *(*headers)(const struct provider *p, const char *key);
	/* 0; -1 with *err (malloced) when the body is not a usable answer; -2
	 * when a stream ended before its last event; -3 when the stream (an
	 * HTTP 200) ended in the provider's error event */
	int (*parse)(const char *body, size_t n, struct response *out, char **err);
	/* scans the complete events of a stream body from *pos, moving *pos
	 * past them; 1 when one of them carries answer text (the first token) */
	int (*first_token)(const char *body, size_t n, size_t *pos);
	/* the provider's error message from an error body; malloced, or NULL */
	char *(*error_message)(const char *body, size_t n);
};

/* one server-sent event: its name (empty when none) and its data lines joined */
struct sse_event {
	char event[64];
	struct buf data;
};

/* whether a body is an event stream rather than one JSON document */
int sse_is_stream(const char *body, size_t n);
/* the next complete event of body[*pos..n); 1 with *pos past it, or 0 when
 * no complete event is left; ev->data is reset for each event. As the SSE
 * specification has it, a block without data (a comment such as
 * OpenRouter's ": OPENROUTER PROCESSING") is no event */
int sse_next(const char *body, size_t n, size_t *pos, struct sse_event *ev);

/* ---- what the adapters share ---- */

/* the provider's base_url with path appended; malloced */
char *proto_url(const struct provider *p, const char *path);
/* the request headers: JSON content, the protocol's own (extra,
 * NULL-terminated, may be NULL), then "<key_prefix><key>" when there is a
 * key (the copy it was built in is wiped) */
struct curl_slist *proto_headers(const char *const *extra, const char *key_prefix, const char *key);
/* a token count of a usage object: the number member, 0 when it is missing,
 * not a number or negative */
long proto_count(const cJSON *o, const char *key);
/* the provider's error message from an error body: "error" as a string or
 * "error.message"; malloced, or NULL when the body has neither */
char *proto_error_message(const char *body, size_t n);
/* the provider's error code from an error body: "error.code" (a string, or
 * a number written out), else "error.type" (OpenAI's model_not_found,
 * insufficient_quota; Anthropic's not_found_error, authentication_error);
 * malloced, or NULL when the body has neither */
char *proto_error_code(const char *body, size_t n);

/* the adapter for the provider's protocol */
const struct proto *proto_of(const struct provider *p);

extern const struct proto proto_openai;
extern const struct proto proto_anthropic;

#endif
