#include "bytecodec.h"

static const char STD_ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char URL_ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64_encoded_len(size_t n, int flags)
{
    if (flags & B64_NOPAD)
        return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
    return (n + 2) / 3 * 4;
}

size_t b64_decoded_max(size_t n)
{
    return (n + 3) / 4 * 3;
}

ssize_t b64_encode(const void *src, size_t n, char *dst, size_t dstsz, int flags)
{
    const uint8_t *in = src;
    const char *alpha = (flags & B64_URL) ? URL_ALPHABET : STD_ALPHABET;
    size_t need = b64_encoded_len(n, flags);
    size_t o = 0;

    if (dstsz < need + 1)
        return B64_ENOSPC;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t w = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        dst[o++] = alpha[w >> 18 & 63];
        dst[o++] = alpha[w >> 12 & 63];
        dst[o++] = alpha[w >> 6 & 63];
        dst[o++] = alpha[w & 63];
    }
    if (i < n) {
        uint32_t w = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            w |= (uint32_t)in[i + 1] << 8;
        dst[o++] = alpha[w >> 18 & 63];
        dst[o++] = alpha[w >> 12 & 63];
        if (i + 1 < n)
            dst[o++] = alpha[w >> 6 & 63];
        else if (!(flags & B64_NOPAD))
            dst[o++] = '=';
        if (!(flags & B64_NOPAD))
            dst[o++] = '=';
    }
    dst[o] = '\0';
    return (ssize_t)o;
}

static int decode_char(char c, int flags)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (flags & B64_URL) {
        if (c == '-')
            return 62;
        if (c == '_')
            return 63;
    } else {
        if (c == '+')
            return 62;
        if (c == '/')
            return 63;
    }
    return -1;
}

ssize_t b64_decode(const char *src, size_t n, void *dst, size_t dstsz, int flags)
{
    uint8_t *out = dst;
    size_t o = 0, pad = 0;
    uint32_t acc = 0;
    int bits = 0;

    while (n > 0 && src[n - 1] == '=') {
        n--;
        pad++;
    }
    if (pad > 2)
        return B64_EINVAL;
    if (!(flags & B64_NOPAD) && (n + pad) % 4 != 0)
        return B64_EINVAL;

    for (size_t i = 0; i < n; i++) {
        int v = decode_char(src[i], flags);
        if (v < 0)
            return B64_EINVAL;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= dstsz)
                return B64_ENOSPC;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    /* A lone trailing character cannot encode a byte. */
    if (bits >= 6)
        return B64_EINVAL;
    /* Unused low bits must be zero (canonical encoding). */
    if (acc & ((1u << bits) - 1))
        return B64_EINVAL;
    /* Padding, when present, must complete the last quantum. */
    if (pad && (bits == 0 || (bits == 4) != (pad == 2)))
        return B64_EINVAL;
    return (ssize_t)o;
}
