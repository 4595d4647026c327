/* msg.c - user-facing error, warning and note lines, and keys kept out of them. */
#include "util/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int quiet;

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "tokenbench: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void msg_set_quiet(int q)
{
	quiet = q;
}

void msg_redact(char *s, const char *key)
{
	if (!s || !key || strlen(key) < 4)
		return;
	size_t k = strlen(key);
	for (char *p = strstr(s, key); p; p = strstr(p, key)) {
		static const char mark[] = "[redacted]";
		size_t m = sizeof(mark) - 1 < k ? sizeof(mark) - 1 : k;
		memcpy(p, mark, m);
		memmove(p + m, p + k, strlen(p + k) + 1);
		p += m;
	}
}
