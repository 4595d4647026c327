/* secret.c - scrubbing a secret out of bytes (see secret.h). */
#include "util/secret.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int unsafe(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* where the secret's bytes are: first[c] its first position holding c,
 * next[s] the next position holding secret[s] (-1: none) */
struct secret_index {
	const char *secret;
	size_t len, min_run;
	int first[256];
	int *next;
};

/* the longest run of data[i..n) equal to a substring of the secret */
static size_t longest_run(const struct secret_index *x, const char *data, size_t n, size_t i)
{
	size_t best = 0;
	for (int s = x->first[(unsigned char)data[i]]; s >= 0; s = x->next[s]) {
		size_t m = 0;
		while ((size_t)s + m < x->len && i + m < n && x->secret[(size_t)s + m] == data[i + m] &&
		       !unsafe((unsigned char)data[i + m]))
			m++;
		if (m > best)
			best = m;
	}
	return best;
}

/* builds the index of secret; 0, or -1 when it is too short to scrub */
static int index_init(struct secret_index *x, const char *secret)
{
	size_t len = secret ? strlen(secret) : 0;
	if (len < 4)
		return -1;
	x->secret = secret;
	x->len = len;
	x->min_run = len < SECRET_MIN_RUN ? len : SECRET_MIN_RUN;
	x->next = xcalloc(len, sizeof(*x->next));
	for (size_t c = 0; c < 256; c++)
		x->first[c] = -1;
	for (size_t s = len; s-- > 0;) {
		x->next[s] = x->first[(unsigned char)secret[s]];
		x->first[(unsigned char)secret[s]] = (int)s;
	}
	return 0;
}

/* the next run of data[*at..n) to scrub: 1 with *at at its start and *m
 * its length, or 0 when there is none */
static int next_run(const struct secret_index *x, const char *data, size_t n, size_t *at, size_t *m)
{
	for (size_t i = *at; i + x->min_run <= n; i++) {
		size_t k = x->first[(unsigned char)data[i]] < 0 ? 0 : longest_run(x, data, n, i);
		if (k >= x->min_run) {
			*at = i;
			*m = k;
			return 1;
		}
	}
	return 0;
}

size_t secret_scrub(struct buf *b, const char *secret)
{
	struct secret_index x;
	if (!b->len || index_init(&x, secret) < 0)
		return 0;
	struct buf out = BUF_INIT;
	size_t runs = 0, kept = 0, at = 0, m;
	while (next_run(&x, b->data, b->len, &at, &m)) {
		buf_append(&out, b->data + kept, at - kept);
		buf_puts(&out, SECRET_MARK);
		runs++;
		at += m;
		kept = at;
	}
	free(x.next);
	if (runs) {
		buf_append(&out, b->data + kept, b->len - kept);
		buf_release(b);
		*b = out;
	}
	return runs;
}

size_t secret_scrub_str(char **s, const char *secret)
{
	if (!*s)
		return 0;
	struct buf b = BUF_INIT;
	buf_puts(&b, *s);
	size_t runs = secret_scrub(&b, secret);
	if (runs) {
		free(*s);
		*s = buf_detach(&b);
	}
	buf_release(&b);
	return runs;
}

size_t secret_scrub_in_place(char *s, const char *secret)
{
	struct secret_index x;
	if (!s || !*s || index_init(&x, secret) < 0)
		return 0;
	size_t runs = 0, at = 0, m, n = strlen(s);
	while (next_run(&x, s, n, &at, &m)) {
		/* the mark, cut to the run when the run is shorter: s never grows */
		size_t k = m < sizeof(SECRET_MARK) - 1 ? m : sizeof(SECRET_MARK) - 1;
		memcpy(s + at, SECRET_MARK, k);
		memmove(s + at + k, s + at + m, n - (at + m) + 1);
		n -= m - k;
		at += k;
		runs++;
	}
	free(x.next);
	return runs;
}
