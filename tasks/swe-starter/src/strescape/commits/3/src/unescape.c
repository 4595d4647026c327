#include "strescape.h"

#include <string.h>

int utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    if (cp < 0x110000) {
        out[0] = (char)(0xf0 | cp >> 18);
        out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
    }
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read exactly count hex digits at s (n bytes available) into *value. */
static int read_hex(const char *s, size_t n, int count, uint32_t *value)
{
    uint32_t v = 0;
    if (n < (size_t)count)
        return -1;
    for (int i = 0; i < count; i++) {
        int d = hexval(s[i]);
        if (d < 0)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *value = v;
    return 0;
}

static char simple_unescape(char c)
{
    switch (c) {
    case '\\': return '\\';
    case '"':  return '"';
    case '\'': return '\'';
    case '?':  return '?';
    case 'a':  return '\a';
    case 'b':  return '\b';
    case 'f':  return '\f';
    case 'n':  return '\n';
    case 'r':  return '\r';
    case 't':  return '\t';
    case 'v':  return '\v';
    default:   return 0;
    }
}

ssize_t str_unescape(const char *src, size_t n, char *dst, size_t dstsz, size_t *errpos)
{
    size_t i = 0, o = 0;

    while (i < n) {
        char buf[4];
        size_t len = 1;
        size_t start = i;

        if (src[i] != '\\') {
            buf[0] = src[i++];
        } else if (i + 1 >= n) {
            goto invalid;
        } else {
            char c = src[i + 1];
            char simple = simple_unescape(c);
            uint32_t cp;
            i += 2;
            if (simple) {
                buf[0] = simple;
            } else if (c >= '0' && c <= '7') {
                unsigned v = (unsigned)(c - '0');
                for (int k = 0; k < 2 && i < n && src[i] >= '0' && src[i] <= '7'; k++)
                    v = v * 8 + (unsigned)(src[i++] - '0');
                if (v > 0xff)
                    goto invalid;
                buf[0] = (char)v;
            } else if (c == 'x') {
                if (read_hex(src + i, n - i, 2, &cp) < 0)
                    goto invalid;
                i += 2;
                buf[0] = (char)cp;
            } else if (c == 'u' || c == 'U') {
                int digits = c == 'u' ? 4 : 8;
                if (read_hex(src + i, n - i, digits, &cp) < 0)
                    goto invalid;
                i += (size_t)digits;
                len = (size_t)utf8_encode(cp, buf);
                if (len == 0)
                    goto invalid;
            } else {
                goto invalid;
            }
        }
        if (o + len > dstsz)
            return UNESC_ENOSPC;
        memcpy(dst + o, buf, len);
        o += len;
        continue;
invalid:
        if (errpos)
            *errpos = start;
        return UNESC_EINVAL;
    }
    return (ssize_t)o;
}
