/* cache.c - the response cache: pack files DIR/pack-<time>-<pid>.jsonl,
 * one JSON object a line ({"key": ..., "body": ...}), each process
 * appending to a pack of its own (so runs sharing a cache, on one machine
 * or on a cluster's shared file system, never write into one file). Opening
 * reads only each line's key and position; an entry is parsed when it is
 * used. One file per response cost more in the file system than the whole
 * rest of a request. */
#define _GNU_SOURCE
#include "rundir/cache.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

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

/* where one entry's line is: its pack (index into packs, or npacks: this
 * process's own) and offset in 64 bits, its length (without its newline);
 * packed to 20 bytes */
struct __attribute__((packed)) cache_entry {
	uint64_t key64;    /* the key's first 16 hex digits */
	uint64_t where;    /* pack << 44 | offset */
	uint32_t len;
};

#define OFF_BITS 44
#define OFF_MASK (((uint64_t)1 << OFF_BITS) - 1)

#define KEY_PREFIX "{\"key\":\""
#define KEY_PREFIX_LEN (sizeof(KEY_PREFIX) - 1)

/* the key at the start of a pack line, or 0 when the line is not an entry */
static int line_key(const char *line, size_t len, char key[65])
{
	if (len < KEY_PREFIX_LEN + 66 || memcmp(line, KEY_PREFIX, KEY_PREFIX_LEN) != 0 ||
	    line[KEY_PREFIX_LEN + 64] != '"' || line[len - 1] != '}')
		return 0;
	for (size_t i = 0; i < 64; i++) {
		char ch = line[KEY_PREFIX_LEN + i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return 0;
		key[i] = ch;
	}
	key[64] = '\0';
	return 1;
}

/* the key's first 64 bits (its first 16 hex digits) */
static uint64_t key64(const char *key)
{
	uint64_t v = 0;
	for (int i = 0; i < 16; i++) {
		char ch = key[i];
		v = v << 4 | (uint64_t)(ch >= 'a' ? ch - 'a' + 10 : ch - '0');
	}
	return v;
}

/* the slot of h: its entry's, or the empty one where it would go */
static size_t slot_of(const struct cache *c, uint64_t h)
{
	size_t mask = c->nslots - 1, i = (size_t)(h ^ h >> 29) & mask;
	while (c->slots[i] && c->entries[c->slots[i] - 1].key64 != h)
		i = (i + 1) & mask;
	return i;
}

static void rehash(struct cache *c, size_t nslots)
{
	free(c->slots);
	c->nslots = nslots;
	c->slots = xcalloc(nslots, sizeof(*c->slots));
	for (size_t e = 0; e < c->n; e++)
		c->slots[slot_of(c, c->entries[e].key64)] = (uint32_t)(e + 1);
}

/* a key seen again (a later pack, a later put) takes the newer line; two
 * keys that share their first 64 bits share a slot: a lookup of the older
 * one then reads the newer's line, sees another key and misses (one
 * request asked again, never a wrong answer) */
static void add_entry(struct cache *c, size_t pack, off_t off, size_t len, const char *key)
{
	if ((uint64_t)off > OFF_MASK || len > UINT32_MAX || c->n >= UINT32_MAX - 1) {
		warning("the cache entry %s is past what the index holds; not indexed", key);
		return;
	}
	if (2 * (c->n + 1) > c->nslots)
		rehash(c, c->nslots ? 2 * c->nslots : 1024);
	uint64_t h = key64(key);
	struct cache_entry e = { h, (uint64_t)pack << OFF_BITS | (uint64_t)off, (uint32_t)len };
	size_t i = slot_of(c, h);
	if (c->slots[i]) {
		c->entries[c->slots[i] - 1] = e;
		return;
	}
	XGROW(c->entries, c->cap, c->n + 1);
	c->entries[c->n] = e;
	c->slots[i] = (uint32_t)(++c->n);
}

/* indexes one pack */
static int index_pack(struct cache *c, size_t pack)
{
	const char *path = c->packs[pack];
	FILE *f = fopen(path, "re");
	if (!f)
		return error("cannot open '%s': %s", path, strerror(errno));
	char *line = NULL, key[65];
	size_t cap = 0, lineno = 0;
	off_t off = 0;
	ssize_t got;
	while ((got = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)got;
		lineno++;
		int complete = line[len - 1] == '\n';
		if (complete)
			len--;
		if (!complete)
			warning("%s:%zu: a torn last entry (a run was killed while writing it); skipped", path, lineno);
		else if (line_key(line, len, key))
			add_entry(c, pack, off, len, key);
		else if (len > 0)
			warning("%s:%zu: not a cache entry; skipped", path, lineno);
		off += got;
	}
	int rc = ferror(f) ? error("cannot read '%s': %s", path, strerror(errno)) : 0;
	free(line);
	fclose(f);
	return rc;
}

int cache_open(struct cache *c, const char *dir)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->dir = xstrdup(dir);
	if (dir_make(dir, 0755) < 0)
		return -1;
	static const char *const sfx[] = { ".jsonl", NULL };
	char **names;
	size_t n;
	if (dir_list(dir, sfx, &names, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && strncmp(names[i], "pack-", 5) == 0) {
			XGROW(c->packs, c->packs_cap, c->npacks + 1);
			c->packs[c->npacks] = xasprintf("%s/%s", dir, names[i]);
			rc = index_pack(c, c->npacks++);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

void cache_close(struct cache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	for (size_t i = 0; i < c->npacks; i++)
		free(c->packs[i]);
	free(c->packs);
	free(c->entries);
	free(c->slots);
	free(c->dir);
	free(c->pack);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

size_t cache_count(const struct cache *c)
{
	return c->n;
}

int cache_get(const struct cache *c, const char *key, struct cached *out)
{
	memset(out, 0, sizeof(*out));
	if (!c->n)
		return 0;
	uint64_t h = key64(key);
	size_t i = slot_of(c, h);
	if (!c->slots[i])
		return 0;
	const struct cache_entry *e = &c->entries[c->slots[i] - 1];
	size_t pack = (size_t)(e->where >> OFF_BITS), len = e->len;
	const char *path = pack < c->npacks ? c->packs[pack] : c->pack;
	char *text = xmalloc(len + 1), line[65];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? pread(fd, text, len, (off_t)(e->where & OFF_MASK)) : -1;
	if (fd >= 0)
		close(fd);
	text[got > 0 ? got : 0] = '\0';
	if (got == (ssize_t)len && line_key(text, len, line) && strcmp(line, key) != 0) {
		free(text); /* another key with the same first 64 bits */
		return 0;
	}
	cJSON *o = got == (ssize_t)len ? json_parse(text, len) : NULL;
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(o, "body");
	int rc = 1;
	if (!cJSON_IsString(body)) {
		warning("the cache entry %s in '%s' is unreadable; requesting again", key, path);
		rc = -1;
	} else {
		out->body = xstrdup(body->valuestring);
		out->len = strlen(out->body);
		out->meta.latency_ms = json_num(o, "latency_ms", 0);
		out->meta.attempts = (int)json_num(o, "attempts", 1);
		out->meta.ttft_ms = json_num(o, "ttft_ms", NAN);
	}
	cJSON_Delete(o);
	free(text);
	return rc;
}

/* this process's pack, created at the first entry */
static int open_pack(struct cache *c)
{
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", gmtime(&t));
	for (int i = 0; i < 100 && c->fd < 0; i++) {
		free(c->pack);
		c->pack = i ? xasprintf("%s/pack-%s-%d-%d.jsonl", c->dir, when, (int)getpid(), i)
			    : xasprintf("%s/pack-%s-%d.jsonl", c->dir, when, (int)getpid());
		c->fd = open(c->pack, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
		if (c->fd < 0 && errno != EEXIST)
			break;
	}
	if (c->fd < 0)
		return error("cannot create a cache pack in '%s': %s", c->dir, strerror(errno));
	return 0;
}

int cache_put(struct cache *c, const char *key, const char *body, size_t len, const struct cached_meta *m)
{
	if (c->fd < 0 && open_pack(c) < 0)
		return -1;
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "key", key);
	cJSON_AddStringToObject(o, "saved", when);
	cJSON_AddNumberToObject(o, "latency_ms", m->latency_ms);
	cJSON_AddNumberToObject(o, "attempts", m->attempts);
	json_add_num(o, "ttft_ms", m->ttft_ms);
	char *text = xstrndup(body, len);
	cJSON_AddStringToObject(o, "body", text);
	free(text);
	struct buf line = BUF_INIT;
	json_print(&line, o);
	cJSON_Delete(o);
	off_t off = lseek(c->fd, 0, SEEK_END);
	size_t line_len = line.len;
	buf_putc(&line, '\n');
	int rc = off >= 0 && fd_write_all(c->fd, line.data, line.len) == 0 ? 0 : -1;
	if (rc < 0)
		error("cannot append to the cache pack '%s': %s", c->pack, strerror(errno));
	else
		add_entry(c, c->npacks, off, line_len, key); /* npacks: this process's own pack */
	buf_release(&line);
	return rc;
}
