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

size_t secret_scrub(struct buf *b, const char *secret)
{
	size_t len = secret ? strlen(secret) : 0;
	if (len < 4 || !b->len)
		return 0;
	struct secret_index x = { secret, len, len < SECRET_MIN_RUN ? len : SECRET_MIN_RUN, { 0 }, NULL };
	x.next = xcalloc(len, sizeof(*x.next));
	for (size_t c = 0; c < 256; c++)
		x.first[c] = -1;
	for (size_t s = len; s-- > 0;) {
		x.next[s] = x.first[(unsigned char)secret[s]];
		x.first[(unsigned char)secret[s]] = (int)s;
	}
	struct buf out = BUF_INIT;
	size_t runs = 0, kept = 0, n = b->len;
	for (size_t i = 0; i + x.min_run <= n;) {
		size_t m = x.first[(unsigned char)b->data[i]] < 0 ? 0 : longest_run(&x, b->data, n, i);
		if (m < x.min_run) {
			i++;
			continue;
		}
		buf_append(&out, b->data + kept, i - kept);
		buf_puts(&out, SECRET_MARK);
		runs++;
		i += m;
		kept = i;
	}
	free(x.next);
	if (runs) {
		buf_append(&out, b->data + kept, n - kept);
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
