/* sim_reply.c - replies as timed segments, HTTP framing and server-sent
 * events for the simulator's wire formats. */
#include "sim/sim_reply.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xalloc.h"

void sim_reply_release(struct sim_reply *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->seg[i].data);
	free(r->seg);
	memset(r, 0, sizeof(*r));
}

struct sim_segment *sim_reply_add(struct sim_reply *r, double at, const char *data, size_t len)
{
	XGROW(r->seg, r->cap, r->n + 1);
	struct sim_segment *s = &r->seg[r->n++];
	memset(s, 0, sizeof(*s));
	s->at_ms = at;
	s->data = xstrndup(data ? data : "", len);
	s->len = len;
	return s;
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 529: return "Site Overloaded";
	default: return "Error";
	}
}

void sim_reply_http(struct sim_reply *r, double at, int status, const char *headers, const char *body, size_t len)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		       "Server: tokenbench-sim\r\n%s\r\n",
		   status, reason_phrase(status), len, headers ? headers : "");
	buf_append(&b, body, len);
	sim_reply_add(r, at, b.data, b.len);
	buf_release(&b);
}

void sim_reply_json(struct sim_reply *r, double at, int status, const char *headers, const cJSON *body)
{
	struct buf b = BUF_INIT;
	json_print(&b, body);
	sim_reply_http(r, at, status, headers, buf_str(&b), b.len);
	buf_release(&b);
}

void sim_stream_head(struct buf *b, const char *headers)
{
	buf_printf(b, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
		      "Transfer-Encoding: chunked\r\nServer: tokenbench-sim\r\n%s\r\n",
		   headers ? headers : "");
}

void sim_stream_raw(struct buf *b, const char *text)
{
	buf_printf(b, "%zx\r\n%s\r\n", strlen(text), text);
}

void sim_stream_event(struct buf *b, const char *event, const cJSON *data)
{
	struct buf line = BUF_INIT;
	if (event)
		buf_printf(&line, "event: %s\n", event);
	buf_puts(&line, "data: ");
	json_print(&line, data);
	buf_puts(&line, "\n\n");
	sim_stream_raw(b, buf_str(&line));
	buf_release(&line);
}

void sim_call_totals(const struct sim_call *c, long *prompt, long *cached, long *written, long *completion,
		     long *reasoning)
{
	*prompt = c->ans[0].prompt_tokens;
	*cached = c->ans[0].cached_tokens;
	*written = c->ans[0].cache_write_tokens;
	*completion = *reasoning = 0;
	for (size_t i = 0; i < c->n; i++) {
		*completion += c->ans[i].completion_tokens;
		*reasoning += c->ans[i].reasoning_tokens;
	}
}

#define STREAM_PIECES 16

/* when the i-th of n pieces is due: the reasoning from ttft on, then the text until the end */
static double piece_at(const struct sim_call *c, int reasoning, size_t i, size_t n)
{
	long prompt, cached, written, completion, thought;
	sim_call_totals(c, &prompt, &cached, &written, &completion, &thought);
	double span = c->total_ms - c->ttft_ms;
	double split = c->ttft_ms + (completion > 0 ? span * (double)thought / (double)completion : 0);
	double from = reasoning ? c->ttft_ms : split, to = reasoning ? split : c->total_ms;
	return n > 1 ? from + (to - from) * (double)i / (double)(n - 1) : from;
}

static int by_time(const void *x, const void *y)
{
	const struct sim_piece *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->reasoning != b->reasoning)
		return b->reasoning - a->reasoning;
	if (a->choice != b->choice)
		return a->choice < b->choice ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

static void cut(const struct sim_call *c, size_t choice, int reasoning, size_t len, struct sim_piece **v,
		size_t *n, size_t *cap)
{
	size_t per = len / STREAM_PIECES + 1, count = (len + per - 1) / per;
	for (size_t i = 0; i < count; i++) {
		XGROW(*v, *cap, *n + 1);
		size_t off = i * per;
		(*v)[(*n)++] = (struct sim_piece){ piece_at(c, reasoning, i, count), choice, reasoning, off,
						    off + per > len ? len - off : per };
	}
}

struct sim_piece *sim_call_pieces(const struct sim_call *c, int show_reasoning, size_t *n)
{
	struct sim_piece *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (show_reasoning && c->reasoning && c->reasoning[i])
			cut(c, i, 1, strlen(c->reasoning[i]), &v, n, &cap);
		cut(c, i, 0, strlen(c->ans[i].text), &v, n, &cap);
	}
	qsort(v, *n, sizeof(*v), by_time);
	return v;
}
