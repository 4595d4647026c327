/* xalloc.h - allocation that never returns NULL: out of memory ends the
 * program. Sizes computed from a count are multiplied and added with an
 * overflow check (st_mult, st_add, as git does): a size that does not fit
 * in size_t ends the program too, instead of allocating too little. */
#ifndef TB_XALLOC_H
#define TB_XALLOC_H

#include <stddef.h>

/* a * b and a + b; a result that does not fit in size_t ends the program
 * (exit 3) with a message naming the operation */
size_t st_mult(size_t a, size_t b);
size_t st_add(size_t a, size_t b);

/* malloced, caller frees; never NULL */
void *xmalloc(size_t n);
/* count zeroed elements of n bytes each (count * n overflow-checked) */
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* count elements of size bytes each, uninitialised (count * size overflow-checked) */
void *xmallocarray(size_t count, size_t size);
/* p resized to count elements of size bytes each (count * size overflow-checked) */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; malloced, caller frees */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* grow *p (an array of *cap elements of size elem) to hold at least need;
 * capacities double (from 16), every size overflow-checked. The one way an
 * array grows in the tree: XGROW(arr, cap, n + 1) before arr[n++] = x */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
