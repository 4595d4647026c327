#include "bytecodec.h"
#include "check.h"

static int enc_eq(const char *in, size_t n, int flags, const char *expected)
{
    char buf[128];
    ssize_t r = b64_encode(in, n, buf, sizeof buf, flags);
    return r == (ssize_t)strlen(expected) && strcmp(buf, expected) == 0;
}

static int dec_eq(const char *in, int flags, const char *expected, size_t explen)
{
    char buf[128];
    memset(buf, 0, sizeof buf);
    ssize_t r = b64_decode(in, strlen(in), buf, sizeof buf, flags);
    return r == (ssize_t)explen && memcmp(buf, expected, explen) == 0;
}

static void encode_rfc4648_vectors(void)
{
    EXPECT(enc_eq("", 0, 0, ""));
    EXPECT(enc_eq("f", 1, 0, "Zg=="));
    EXPECT(enc_eq("fo", 2, 0, "Zm8="));
    EXPECT(enc_eq("foo", 3, 0, "Zm9v"));
    EXPECT(enc_eq("foob", 4, 0, "Zm9vYg=="));
    EXPECT(enc_eq("fooba", 5, 0, "Zm9vYmE="));
    EXPECT(enc_eq("foobar", 6, 0, "Zm9vYmFy"));
}

static void encode_nopad_and_url(void)
{
    EXPECT(enc_eq("f", 1, B64_NOPAD, "Zg"));
    EXPECT(enc_eq("fo", 2, B64_NOPAD, "Zm8"));
    EXPECT(enc_eq("\xfb\xff", 2, 0, "+/8="));
    EXPECT(enc_eq("\xfb\xff", 2, B64_URL | B64_NOPAD, "-_8"));
}

static void encoded_len(void)
{
    EXPECT(b64_encoded_len(0, 0) == 0);
    EXPECT(b64_encoded_len(1, 0) == 4);
    EXPECT(b64_encoded_len(5, 0) == 8);
    EXPECT(b64_encoded_len(1, B64_NOPAD) == 2);
    EXPECT(b64_encoded_len(5, B64_NOPAD) == 7);
    EXPECT(b64_decoded_max(8) == 6);
}

static void encode_buffer_too_small(void)
{
    char buf[4];
    EXPECT(b64_encode("foo", 3, buf, sizeof buf, 0) == B64_ENOSPC);
    char buf5[5];
    EXPECT(b64_encode("foo", 3, buf5, sizeof buf5, 0) == 4);
}

static void decode_rfc4648_vectors(void)
{
    EXPECT(dec_eq("", 0, "", 0));
    EXPECT(dec_eq("Zg==", 0, "f", 1));
    EXPECT(dec_eq("Zm8=", 0, "fo", 2));
    EXPECT(dec_eq("Zm9v", 0, "foo", 3));
    EXPECT(dec_eq("Zm9vYmE=", 0, "fooba", 5));
    EXPECT(dec_eq("Zm9vYmFy", 0, "foobar", 6));
}

static void decode_nopad_and_url(void)
{
    EXPECT(dec_eq("Zg", B64_NOPAD, "f", 1));
    EXPECT(dec_eq("Zm8", B64_NOPAD, "fo", 2));
    EXPECT(dec_eq("Zm8=", B64_NOPAD, "fo", 2));
    EXPECT(dec_eq("-_8", B64_URL | B64_NOPAD, "\xfb\xff", 2));
}

static void decode_rejects_malformed(void)
{
    char buf[16];
    EXPECT(b64_decode("Zg=", 3, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("Zg", 2, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("Z===", 4, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("Zm9v!", 5, buf, sizeof buf, B64_NOPAD) == B64_EINVAL);
    EXPECT(b64_decode("Zh==", 4, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("Zm8==", 5, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("Zm 9v", 5, buf, sizeof buf, 0) == B64_EINVAL);
    EXPECT(b64_decode("-_8=", 4, buf, sizeof buf, 0) == B64_EINVAL);
}

static void decode_buffer_too_small(void)
{
    char buf[2];
    EXPECT(b64_decode("Zm9v", 4, buf, sizeof buf, 0) == B64_ENOSPC);
}

static void roundtrip_all_lengths(void)
{
    unsigned char data[64], back[64];
    char text[100];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof data; n++) {
        for (int flags = 0; flags < 4; flags++) {
            ssize_t len = b64_encode(data, n, text, sizeof text, flags);
            EXPECT(len == (ssize_t)b64_encoded_len(n, flags));
            EXPECT(b64_decode(text, (size_t)len, back, sizeof back, flags) == (ssize_t)n);
            EXPECT(memcmp(data, back, n) == 0);
        }
    }
}

int main(void)
{
    RUN(encode_rfc4648_vectors);
    RUN(encode_nopad_and_url);
    RUN(encoded_len);
    RUN(encode_buffer_too_small);
    RUN(decode_rfc4648_vectors);
    RUN(decode_nopad_and_url);
    RUN(decode_rejects_malformed);
    RUN(decode_buffer_too_small);
    RUN(roundtrip_all_lengths);
    CHECK_EXIT();
}
