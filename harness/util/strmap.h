/* strmap.h - a string-keyed hash map to small integers (open addressing). */
#ifndef TB_STRMAP_H
#define TB_STRMAP_H

#include <stddef.h>

struct strmap {
	char **keys;   /* owned copies; NULL for empty slots */
	long *vals;
	size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* sets key to val, replacing any earlier value */
void strmap_put(struct strmap *m, const char *key, long val);
/* 1 and *val when key is present, else 0 */
int strmap_get(const struct strmap *m, const char *key, long *val);

#endif
