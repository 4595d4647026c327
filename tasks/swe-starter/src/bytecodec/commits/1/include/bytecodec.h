#ifndef BYTECODEC_H
#define BYTECODEC_H

/*
 * bytecodec: base64 (RFC 4648).
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

#endif
