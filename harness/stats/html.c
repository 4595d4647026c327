/* html.c - escaping for report.html: element text, attribute values, JSON
 * inside a <script> element, and the scrubbing of strings a published page
 * must not show. */
#include "stats/html.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void html_text_n(struct buf *b, const char *s, size_t n)
{
	struct buf clean = BUF_INIT;
	buf_append_utf8(&clean, s, n);
	const char *p = buf_str(&clean), *run = p;
	for (; *p; p++) {
		const char *e = NULL;
		switch (*p) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, e);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
	buf_release(&clean);
}

void html_text(struct buf *b, const char *s)
{
	html_text_n(b, s, strlen(s));
}

void html_json_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	struct buf clean = BUF_INIT;
	buf_append_utf8(&clean, s, n);
	const unsigned char *p = (const unsigned char *)buf_str(&clean), *end = p + clean.len, *run = p;
	buf_putc(b, '"');
	for (; p < end; p++) {
		char esc[8];
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			esc[2] = 0;
		} else if (c == '\n') {
			strcpy(esc, "\\n");
		} else if (c == '\t') {
			strcpy(esc, "\\t");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			snprintf(esc, sizeof(esc), "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		} else if (c == 0xe2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* U+2028, U+2029: line ends to older JavaScript */
			strcpy(esc, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
			buf_append(b, run, (size_t)(p - run));
			buf_puts(b, esc);
			p += 2;
			run = p + 1;
			continue;
		} else {
			continue;
		}
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, esc);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
	buf_putc(b, '"');
	buf_release(&clean);
}

void html_json_num(struct buf *b, double v)
{
	if (!isfinite(v)) {
		buf_puts(b, "null");
		return;
	}
	/* cJSON's rule: 15 digits, 17 when those do not read back within an epsilon */
	char s[32];
	snprintf(s, sizeof(s), "%1.15g", v);
	double t = strtod(s, NULL);
	if (fabs(t - v) > fmax(fabs(t), fabs(v)) * DBL_EPSILON)
		snprintf(s, sizeof(s), "%1.17g", v);
	buf_puts(b, s);
}

void scrub_init(struct scrub *sc)
{
	memset(sc, 0, sizeof(*sc));
}

void scrub_add(struct scrub *sc, const char *from, const char *to)
{
	if (!from || strlen(from) < 4)
		return;
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->from[i], from) == 0)
			return;
	/* kept longest first, so that a path is replaced before its parent */
	size_t at = 0;
	while (at < sc->n && strlen(sc->from[at]) >= strlen(from))
		at++;
	XGROW(sc->from, sc->from_cap, sc->n + 1);
	XGROW(sc->to, sc->to_cap, sc->n + 1);
	memmove(sc->from + at + 1, sc->from + at, (sc->n - at) * sizeof(*sc->from));
	memmove(sc->to + at + 1, sc->to + at, (sc->n - at) * sizeof(*sc->to));
	sc->from[at] = xstrdup(from);
	sc->to[at] = xstrdup(to);
	sc->n++;
}

void scrub_apply(const struct scrub *sc, const char *s, size_t n, struct buf *out)
{
	size_t i = 0, run = 0;
	while (i < n) {
		size_t k = 0, hit = 0;
		for (; k < sc->n; k++) {
			size_t len = strlen(sc->from[k]);
			if (s[i] == sc->from[k][0] && len <= n - i && memcmp(s + i, sc->from[k], len) == 0) {
				hit = len;
				break;
			}
		}
		if (!hit) {
			i++;
			continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, sc->to[k]);
		i += hit;
		run = i;
	}
	buf_append(out, s + run, n - run);
}

char *scrub_str(const struct scrub *sc, const char *s)
{
	struct buf b = BUF_INIT;
	scrub_apply(sc, s, strlen(s), &b);
	return buf_detach(&b);
}

void scrub_release(struct scrub *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n; i++) {
		free(sc->from[i]);
		free(sc->to[i]);
	}
	free(sc->from);
	free(sc->to);
	scrub_init(sc);
}
