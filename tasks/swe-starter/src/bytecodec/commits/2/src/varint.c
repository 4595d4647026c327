#include "bytecodec.h"

size_t varint_len(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

size_t varint_encode_u64(uint64_t v, uint8_t *out)
{
    size_t i = 0;
    while (v >= 0x80) {
        out[i++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[i++] = (uint8_t)v;
    return i;
}

int varint_decode_u64(const uint8_t *buf, size_t n, uint64_t *value, size_t *used)
{
    uint64_t v = 0;
    unsigned shift = 0;

    for (size_t i = 0; i < n; i++) {
        uint8_t b = buf[i];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *value = v;
            if (used)
                *used = i + 1;
            return 0;
        }
        shift += 7;
        if (shift >= 63)
            return VARINT_EOVERFLOW;
    }
    return VARINT_ETRUNC;
}

uint64_t zigzag_encode(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

int64_t zigzag_decode(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

size_t varint_encode_i64(int64_t v, uint8_t *out)
{
    return varint_encode_u64(zigzag_encode(v), out);
}

int varint_decode_i64(const uint8_t *buf, size_t n, int64_t *value, size_t *used)
{
    uint64_t u;
    int rc = varint_decode_u64(buf, n, &u, used);
    if (rc == 0)
        *value = zigzag_decode(u);
    return rc;
}
