/* msg.c - user-facing error, warning and note lines, and keys kept out of them. */
#include "util/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/secret.h"

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
	(void)secret_scrub_in_place(s, key);
}
