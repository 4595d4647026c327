/* sha256.h - SHA-256 (FIPS 180-4) for content addresses and file fingerprints. */
#ifndef TB_SHA256_H
#define TB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* final digest as 64 lowercase hex digits plus NUL */
void sha256_hex(struct sha256 *s, char out[65]);
/* one-shot digest of a buffer, as hex */
void sha256_buf_hex(const void *data, size_t n, char out[65]);
/* one-shot digest of a buffer in base64 (44 characters, padded), as a
 * Content-Security-Policy hash source writes it */
void sha256_buf_base64(const void *data, size_t n, char out[45]);

#endif
