/* secret.c - scrubbing a secret out of bytes (see secret.h). */
#include "util/secret.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int unsafe(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* the longest run of data[i..n) equal to a substring of secret that starts
 * at one of the positions of data[i] in secret (next[] chains them) */
static size_t longest_run(const char *data, size_t n, size_t i, const char *secret, size_t len, const int *first,
			  const int *next)
{
	size_t best = 0;
	for (int s = first[(unsigned char)data[i]]; s >= 0; s = next[s]) {
		size_t m = 0;
		while ((size_t)s + m < len && i + m < n && secret[(size_t)s + m] == data[i + m] &&
		       !unsafe((unsigned char)data[i + m]))
			m++;
		if (m > best)
			best = m;
	}
	return best;
}

size_t secret_scrub(char *data, size_t n, const char *secret)
{
	size_t len = secret ? strlen(secret) : 0;
	if (len < 4 || !data || !n)
		return 0;
	size_t min_run = len < SECRET_MIN_RUN ? len : SECRET_MIN_RUN;
	int first[256];
	int *next = xcalloc(len, sizeof(*next));
	for (size_t c = 0; c < 256; c++)
		first[c] = -1;
	for (size_t s = len; s-- > 0;) {
		next[s] = first[(unsigned char)secret[s]];
		first[(unsigned char)secret[s]] = (int)s;
	}
	size_t done = 0;
	for (size_t i = 0; i + min_run <= n;) {
		size_t m = first[(unsigned char)data[i]] < 0 ? 0 : longest_run(data, n, i, secret, len, first, next);
		if (m < min_run) {
			i++;
			continue;
		}
		memset(data + i, '*', m);
		done += m;
		i += m;
	}
	free(next);
	return done;
}

size_t secret_scrub_str(char *s, const char *secret)
{
	return s ? secret_scrub(s, strlen(s), secret) : 0;
}
