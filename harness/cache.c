/* cache.c - the response cache: DIR/ab/<key>.json, one file per response,
 * written to a temporary name and renamed into place. */
#include "cache.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "msg.h"
#include "sha256.h"
#include "xalloc.h"

void cached_release(struct cached *c)
{
	if (!c)
		return;
	free(c->body);
	memset(c, 0, sizeof(*c));
}

void cache_key(const char *protocol, const char *url, const char *body, int sample, char out[65])
{
	struct sha256 s;
	char idx[32];
	int n = snprintf(idx, sizeof(idx), "%d", sample);
	sha256_init(&s);
	sha256_update(&s, protocol, strlen(protocol) + 1);
	sha256_update(&s, url, strlen(url) + 1);
	sha256_update(&s, body, strlen(body) + 1);
	sha256_update(&s, idx, (size_t)n);
	sha256_hex(&s, out);
}

static char *entry_path(const char *dir, const char *key)
{
	return xasprintf("%s/%.2s/%s.json", dir, key, key);
}

int cache_get(const char *dir, const char *key, struct cached *out)
{
	memset(out, 0, sizeof(*out));
	char *path = entry_path(dir, key);
	if (!path_exists(path)) {
		free(path);
		return 0;
	}
	struct buf data = BUF_INIT;
	int rc = file_read(path, &data);
	cJSON *o = rc == 0 ? json_parse(buf_str(&data), data.len) : NULL;
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(o, "body");
	if (rc == 0 && !cJSON_IsString(body)) {
		warning("cache entry '%s' is unreadable; requesting again", path);
		rc = -1;
	}
	if (rc == 0) {
		out->body = xstrdup(body->valuestring);
		out->len = strlen(out->body);
		out->latency_ms = json_num(o, "latency_ms", 0);
		out->attempts = (int)json_num(o, "attempts", 1);
		out->ttft_ms = json_num(o, "ttft_ms", NAN);
		rc = 1;
	}
	cJSON_Delete(o);
	buf_release(&data);
	free(path);
	return rc;
}

int cache_put(const char *dir, const char *key, const struct cached *in)
{
	char *sub = xasprintf("%s/%.2s", dir, key);
	int rc = dir_make(sub, 0755);
	free(sub);
	if (rc < 0)
		return -1;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "key", key);
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON_AddStringToObject(o, "saved", when);
	cJSON_AddNumberToObject(o, "latency_ms", in->latency_ms);
	cJSON_AddNumberToObject(o, "attempts", in->attempts);
	json_add_num(o, "ttft_ms", in->ttft_ms);
	char *body = xstrndup(in->body, in->len);
	cJSON_AddStringToObject(o, "body", body);
	free(body);
	struct buf text = BUF_INIT;
	json_print(&text, o);
	buf_putc(&text, '\n');
	cJSON_Delete(o);
	char *path = entry_path(dir, key);
	rc = file_write_atomic(path, text.data, text.len);
	free(path);
	buf_release(&text);
	return rc;
}
