/* cache.h - raw responses stored content-addressed by a hash of the request,
 * so that a paid-for response is never requested again. */
#ifndef TB_CACHE_H
#define TB_CACHE_H

#include <stddef.h>

struct cached {
	char *body;        /* the raw response body; malloced */
	size_t len;
	double latency_ms; /* of the request that produced it */
	int attempts;
	double ttft_ms;    /* time to first token of a stream, NAN otherwise */
};

void cached_release(struct cached *c);

/* the key of a request: sha256 over protocol, URL, body and sample index */
void cache_key(const char *protocol, const char *url, const char *body, int sample, char out[65]);
/* 1 and *out on a hit, 0 on a miss, -1 when the entry is unreadable (reported) */
int cache_get(const char *dir, const char *key, struct cached *out);
/* stores an entry atomically (a killed run leaves no torn entry); 0 or -1 */
int cache_put(const char *dir, const char *key, const struct cached *in);

#endif
