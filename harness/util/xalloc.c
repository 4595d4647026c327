/* xalloc.c - allocation wrappers: the one place that handles out of memory
 * and sizes that overflow. */
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "tokenbench: out of memory (%zu bytes)\n", n);
	exit(3);
}

static void overflow(const char *op, size_t a, size_t b)
{
	fprintf(stderr, "tokenbench: size overflow (%zu %s %zu does not fit in %zu bits)\n", a, op, b,
		sizeof(size_t) * 8);
	exit(3);
}

size_t st_mult(size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r))
		overflow("*", a, b);
	return r;
}

size_t st_add(size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r))
		overflow("+", a, b);
	return r;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t count, size_t n)
{
	size_t total = st_mult(count, n);
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (!p)
		oom(total);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *xmallocarray(size_t count, size_t size)
{
	return xmalloc(st_mult(count, size));
}

void *xreallocarray(void *p, size_t count, size_t size)
{
	return xrealloc(p, st_mult(count, size));
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(st_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	if ((size_t)n < sizeof(small))
		return xstrndup(small, (size_t)n);
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? st_mult(*cap, 2) : 16;
	while (n < need)
		n = st_mult(n, 2);
	*p = xreallocarray(*p, n, elem);
	*cap = n;
}
