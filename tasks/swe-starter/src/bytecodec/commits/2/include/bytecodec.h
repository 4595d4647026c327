#ifndef BYTECODEC_H
#define BYTECODEC_H

/*
 * bytecodec: base64 (RFC 4648) and LEB128 varints.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- base64 ------------------------------------------------------------ */

#define B64_URL       0x1  /* use '-' and '_' instead of '+' and '/'      */
#define B64_NOPAD     0x2  /* encode: omit '='; decode: padding optional  */

#define B64_EINVAL  (-1)   /* malformed input                             */
#define B64_ENOSPC  (-2)   /* output buffer too small                     */

/* Characters needed to encode n bytes (without the terminating NUL). */
size_t b64_encoded_len(size_t n, int flags);

/* Upper bound of the bytes that n characters of base64 decode to. */
size_t b64_decoded_max(size_t n);

/*
 * Encode n bytes of src into dst as a NUL-terminated string. Returns the
 * string length, or B64_ENOSPC when dstsz is too small (the NUL included).
 */
ssize_t b64_encode(const void *src, size_t n, char *dst, size_t dstsz, int flags);

/*
 * Decode n characters of src into dst. Returns the number of bytes
 * written, B64_EINVAL for malformed input or B64_ENOSPC when dstsz is too
 * small. Without B64_NOPAD the input length must be a multiple of 4.
 */
ssize_t b64_decode(const char *src, size_t n, void *dst, size_t dstsz, int flags);

/* ---- varints ----------------------------------------------------------- */

#define VARINT_MAX_LEN 10

#define VARINT_ETRUNC    (-1)  /* input ended inside a varint           */
#define VARINT_EOVERFLOW (-2)  /* value does not fit in 64 bits         */

/* Bytes needed to encode v. */
size_t varint_len(uint64_t v);

/* Encode v into out (at least VARINT_MAX_LEN bytes); returns bytes used. */
size_t varint_encode_u64(uint64_t v, uint8_t *out);

/*
 * Decode one varint from the n bytes at buf. On success stores the value
 * and the number of bytes consumed (used may be NULL) and returns 0.
 */
int varint_decode_u64(const uint8_t *buf, size_t n, uint64_t *value, size_t *used);

/* ZigZag mapping for signed values: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ... */
uint64_t zigzag_encode(int64_t v);
int64_t zigzag_decode(uint64_t v);

size_t varint_encode_i64(int64_t v, uint8_t *out);
int varint_decode_i64(const uint8_t *buf, size_t n, int64_t *value, size_t *used);

#endif
