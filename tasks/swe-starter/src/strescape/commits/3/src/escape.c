#include "strescape.h"

#include <string.h>

/* Output cursor: counts everything, stores what fits. */
struct out {
    char *dst;
    size_t cap;     /* characters that fit (dstsz - 1) */
    size_t len;     /* characters produced */
    size_t stored;  /* characters written to dst */
};

static void put(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->stored < o->cap)
            o->dst[o->stored++] = s[i];
    }
    o->len += n;
}

static const char HEX[] = "0123456789abcdef";

static const char *simple_escape(unsigned char c, int flags)
{
    switch (c) {
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '"':  return (flags & ESC_SQUOTE) ? NULL : "\\\"";
    case '\'': return (flags & ESC_SQUOTE) ? "\\'" : NULL;
    default:   return NULL;
    }
}

size_t str_escape(const char *src, size_t n, char *dst, size_t dstsz, int flags)
{
    struct out o = { dst, dstsz ? dstsz - 1 : 0, 0, 0 };

    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        unsigned char u = (unsigned char)c;
        const char *esc = simple_escape(u, flags);
        char tmp[8];

        if (esc) {
            put(&o, esc, strlen(esc));
        } else if (u < 0x20 || u == 0x7f || (u >= 0x80 && (flags & ESC_ASCII))) {
            size_t k = 0;
            tmp[k++] = '\\';
            if ((flags & ESC_JSON) && u < 0x80) {
                memcpy(tmp + k, "u00", 3);
                k += 3;
            } else {
                tmp[k++] = 'x';
            }
            tmp[k++] = HEX[u >> 4];
            tmp[k++] = HEX[u & 0xf];
            put(&o, tmp, k);
        } else {
            put(&o, &c, 1);
        }
    }
    if (dstsz)
        dst[o.stored] = '\0';
    return o.len;
}
