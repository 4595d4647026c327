/* xalloc.h - allocation that never returns NULL: out of memory ends the program. */
#ifndef TB_XALLOC_H
#define TB_XALLOC_H

#include <stddef.h>

/* malloced, caller frees; never NULL */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; malloced, caller frees */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* grow *p (an array of *cap elements of size elem) to hold at least need */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
