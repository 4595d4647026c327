/* proto.c - the table of protocol adapters and what they share: the
 * response, server-sent events, the URL, the headers, token counts and
 * error messages. */
#include "engine/proto.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/xalloc.h"

void response_init(struct response *r)
{
	memset(r, 0, sizeof(*r));
	r->cost_usd = NAN;
}

void response_release(struct response *r)
{
	if (!r)
		return;
	free(r->text);
	free(r->raw_usage);
	free(r->finish_reason);
	response_init(r);
}

char *proto_url(const struct provider *p, const char *path)
{
	return xasprintf("%s%s", p->base_url, path);
}

struct curl_slist *proto_headers(const char *const *extra, const char *key_prefix, const char *key)
{
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	for (const char *const *e = extra; e && *e; e++)
		h = curl_slist_append(h, *e);
	if (key && *key) {
		char *line = xasprintf("%s%s", key_prefix, key);
		h = curl_slist_append(h, line);
		memset(line, 0, strlen(line));
		free(line);
	}
	return h;
}

long proto_count(const cJSON *o, const char *key)
{
	double v = json_num(o, key, 0);
	return v > 0 ? (long)v : 0;
}

char *proto_error_message(const char *body, size_t n)
{
	cJSON *o = json_parse(body, n);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
	const char *m = cJSON_IsString(e) ? e->valuestring : json_str(e, "message", NULL);
	char *s = m ? xstrdup(m) : NULL;
	cJSON_Delete(o);
	return s;
}

char *proto_error_code(const char *body, size_t n)
{
	cJSON *o = json_parse(body, n);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
	char *s = NULL;
	if (cJSON_IsString(c) && *c->valuestring)
		s = xstrdup(c->valuestring);
	else if (cJSON_IsNumber(c))
		s = xasprintf("%.0f", c->valuedouble);
	else if (json_str(e, "type", NULL))
		s = xstrdup(json_str(e, "type", NULL));
	cJSON_Delete(o);
	return s;
}

int sse_is_stream(const char *body, size_t n)
{
	while (n && (*body == ' ' || *body == '\n' || *body == '\r')) {
		body++;
		n--;
	}
	return (n >= 5 && memcmp(body, "data:", 5) == 0) || (n >= 6 && memcmp(body, "event:", 6) == 0) ||
	       (n >= 1 && *body == ':');
}

int sse_next(const char *body, size_t n, size_t *pos, struct sse_event *ev)
{
	ev->event[0] = '\0';
	buf_reset(&ev->data);
	size_t p = *pos;
	while (p < n) {
		const char *nl = memchr(body + p, '\n', n - p);
		if (!nl)
			return 0; /* an incomplete line: wait for more */
		size_t len = (size_t)(nl - (body + p));
		const char *line = body + p;
		if (len && line[len - 1] == '\r')
			len--;
		p = (size_t)(nl - body) + 1;
		if (len == 0) {
			if (ev->data.len) {
				*pos = p;
				return 1;
			}
			ev->event[0] = '\0'; /* no data: nothing to dispatch */
			continue;
		}
		if (len >= 6 && memcmp(line, "event:", 6) == 0) {
			size_t k = 6 + (len > 6 && line[6] == ' ');
			snprintf(ev->event, sizeof(ev->event), "%.*s", (int)(len - k), line + k);
		} else if (len >= 5 && memcmp(line, "data:", 5) == 0) {
			size_t k = 5 + (len > 5 && line[5] == ' ');
			if (ev->data.len)
				buf_putc(&ev->data, '\n');
			buf_append(&ev->data, line + k, len - k);
		}
	}
	return 0;
}

const struct proto *proto_of(const struct provider *p)
{
	switch (p->wire) {
	case PROTOCOL_OPENAI:
		return &proto_openai;
	case PROTOCOL_ANTHROPIC:
		return &proto_anthropic;
	}
	return &proto_openai; /* not reached: provider_load accepts only these */
}
