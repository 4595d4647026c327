#include "bytecodec.h"
#include "check.h"

static int encodes_to(uint64_t v, const char *hex)
{
    uint8_t out[VARINT_MAX_LEN];
    char got[2 * VARINT_MAX_LEN + 1];
    size_t n = varint_encode_u64(v, out);
    for (size_t i = 0; i < n; i++)
        snprintf(got + 2 * i, 3, "%02x", out[i]);
    got[2 * n] = '\0';
    return strcmp(got, hex) == 0 && n == varint_len(v);
}

static void encode_known_values(void)
{
    EXPECT(encodes_to(0, "00"));
    EXPECT(encodes_to(1, "01"));
    EXPECT(encodes_to(127, "7f"));
    EXPECT(encodes_to(128, "8001"));
    EXPECT(encodes_to(300, "ac02"));
    EXPECT(encodes_to(16384, "808001"));
    EXPECT(encodes_to(UINT32_MAX, "ffffffff0f"));
}

static void decode_known_values(void)
{
    const uint8_t a[] = {0xac, 0x02, 0xff};
    uint64_t v = 0;
    size_t used = 0;
    EXPECT(varint_decode_u64(a, sizeof a, &v, &used) == 0);
    EXPECT(v == 300 && used == 2);
    const uint8_t b[] = {0x00};
    EXPECT(varint_decode_u64(b, 1, &v, NULL) == 0 && v == 0);
}

static void decode_truncated(void)
{
    const uint8_t a[] = {0x80, 0x80};
    uint64_t v;
    EXPECT(varint_decode_u64(a, sizeof a, &v, NULL) == VARINT_ETRUNC);
    EXPECT(varint_decode_u64(a, 0, &v, NULL) == VARINT_ETRUNC);
}

static void roundtrip_u64(void)
{
    static const uint64_t values[] = {
        0, 1, 127, 128, 255, 256, 16383, 16384, 1u << 21, (1ull << 35) + 3,
        UINT32_MAX, (uint64_t)INT64_MAX,
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        uint8_t buf[VARINT_MAX_LEN];
        uint64_t back = 0;
        size_t used = 0;
        size_t n = varint_encode_u64(values[i], buf);
        EXPECT(varint_decode_u64(buf, n, &back, &used) == 0);
        EXPECT(back == values[i] && used == n);
    }
}

static void zigzag_mapping(void)
{
    EXPECT(zigzag_encode(0) == 0);
    EXPECT(zigzag_encode(-1) == 1);
    EXPECT(zigzag_encode(1) == 2);
    EXPECT(zigzag_encode(-2) == 3);
    EXPECT(zigzag_encode(INT32_MAX) == 4294967294u);
    EXPECT(zigzag_decode(3) == -2);
    EXPECT(zigzag_decode(4294967295u) == INT32_MIN);
}

static void roundtrip_i64_small(void)
{
    for (int64_t v = -70000; v <= 70000; v += 7) {
        uint8_t buf[VARINT_MAX_LEN];
        int64_t back = 0;
        size_t n = varint_encode_i64(v, buf);
        EXPECT(varint_decode_i64(buf, n, &back, NULL) == 0 && back == v);
    }
}

static void decode_stream(void)
{
    uint8_t buf[64];
    size_t len = 0;
    for (uint64_t v = 1; v < 1000000; v *= 9)
        len += varint_encode_u64(v, buf + len);
    size_t pos = 0;
    uint64_t expect = 1;
    while (pos < len) {
        uint64_t v;
        size_t used;
        EXPECT(varint_decode_u64(buf + pos, len - pos, &v, &used) == 0);
        EXPECT(v == expect);
        pos += used;
        expect *= 9;
    }
}

int main(void)
{
    RUN(encode_known_values);
    RUN(decode_known_values);
    RUN(decode_truncated);
    RUN(roundtrip_u64);
    RUN(zigzag_mapping);
    RUN(roundtrip_i64_small);
    RUN(decode_stream);
    CHECK_EXIT();
}
