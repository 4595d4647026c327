/* buf.c - growable byte buffer. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (!b)
		return;
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void buf_reserve(struct buf *b, size_t extra)
{
	XGROW(b->data, b->cap, b->len + extra + 1);
}

void buf_append(struct buf *b, const void *data, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* the length of the valid UTF-8 sequence at p[0..n), or 0 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	static const struct {
		unsigned char mask, lead;
		size_t len;
		unsigned min;
	} forms[] = { { 0xe0, 0xc0, 2, 0x80 }, { 0xf0, 0xe0, 3, 0x800 }, { 0xf8, 0xf0, 4, 0x10000 } };
	if (p[0] < 0x80)
		return p[0] ? 1 : 0;
	for (size_t f = 0; f < sizeof(forms) / sizeof(*forms); f++) {
		if ((p[0] & forms[f].mask) != forms[f].lead)
			continue;
		size_t len = forms[f].len;
		if (len > n)
			return 0;
		unsigned cp = p[0] & (unsigned char)~forms[f].mask;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3fu);
		}
		/* no overlong forms, surrogates or code points past U+10FFFF */
		return cp < forms[f].min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ? 0 : len;
	}
	return 0;
}

void buf_append_utf8(struct buf *b, const char *data, size_t n)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, run = 0;
	while (i + run < n) {
		size_t k = utf8_seq(p + i + run, n - i - run);
		if (k) {
			run += k;
			continue;
		}
		buf_append(b, p + i, run);
		buf_puts(b, "\xef\xbf\xbd");
		i += run + 1;
		run = 0;
	}
	buf_append(b, p + i, run);
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	buf_reserve(b, 128);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

int str_has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	buf_init(b);
	return p;
}
