/* cache.h - raw responses kept by a hash of the request, so that a paid-for
 * response is never requested again. */
#ifndef TB_CACHE_H
#define TB_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* what the cache keeps of the request beside the response's body */
struct cached_meta {
	double latency_ms; /* of the request that produced it */
	int attempts;
	double ttft_ms;    /* time to first token of a stream, NAN otherwise */
};

/* a response found in the cache */
struct cached {
	char *body;        /* the raw response body; malloced */
	size_t len;
	struct cached_meta meta;
};

void cached_release(struct cached *c);

/* a cache directory: pack files of one entry a line, an index in memory
 * of 28 bytes an entry: the key's first 64 bits and where its line is (a
 * hit is checked against the whole key in the line) */
struct cache {
	char *dir;
	char **packs;        /* the pack files' paths */
	size_t npacks, packs_cap;
	struct cache_entry *entries;
	size_t n, cap;
	uint32_t *slots;     /* open addressing over entries: 1 + an entry's index, 0 empty */
	size_t nslots;       /* a power of 2, at least twice n */
	int fd;              /* this process's pack, opened at the first put; -1 before */
	char *pack;          /* its path */
};

/* the key of a request: sha256 over protocol, URL, body and sample index */
void cache_key(const char *protocol, const char *url, const char *body, int sample, char out[65]);
/* opens (creating) dir and indexes what its packs hold; a torn last line,
 * left by a killed run, is skipped with a warning; 0 or -1 (reported) */
int cache_open(struct cache *c, const char *dir);
void cache_close(struct cache *c);
/* how many responses it holds */
size_t cache_count(const struct cache *c);
/* 1 and *out on a hit, 0 on a miss, -1 when the entry is unreadable (reported) */
int cache_get(const struct cache *c, const char *key, struct cached *out);
/* appends an entry to this process's pack, in one write: a killed run
 * leaves at most a torn last line, which the next open skips; 0 or -1 */
int cache_put(struct cache *c, const char *key, const char *body, size_t len, const struct cached_meta *m);

#endif
