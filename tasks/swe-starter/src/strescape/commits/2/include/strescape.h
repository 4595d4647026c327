#ifndef STRESCAPE_H
#define STRESCAPE_H

/*
 * strescape: turn arbitrary bytes into C string literal bodies and back.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* str_escape flags */
#define ESC_ASCII  0x1  /* also escape bytes >= 0x80 (as \xHH)             */

/*
 * Escape n bytes of src into dst, snprintf-style: at most dstsz - 1
 * characters are written followed by a NUL (nothing when dstsz is 0), and
 * the length of the complete escaped string is returned.
 *
 * Escaped: backslash, double quote, \n \r \t \b \f, other control
 * characters (\xHH), DEL, and with ESC_ASCII every byte >= 0x80. An escape
 * sequence is never cut in half.
 */
size_t str_escape(const char *src, size_t n, char *dst, size_t dstsz, int flags);

#define UNESC_EINVAL (-1)  /* malformed escape sequence          */
#define UNESC_ENOSPC (-2)  /* dst too small                      */

/*
 * Resolve escape sequences in n bytes of src into dst (not NUL-terminated,
 * dstsz bytes). Understands \\ \" \' \? \a \b \f \n \r \t \v, octal \o \oo
 * \ooo, \xHH (exactly two hex digits), \uXXXX and \UXXXXXXXX (written as
 * UTF-8). Returns the number of bytes written or a negative UNESC_* code;
 * on UNESC_EINVAL *errpos (if not NULL) is the offset of the backslash.
 */
ssize_t str_unescape(const char *src, size_t n, char *dst, size_t dstsz, size_t *errpos);

/* Encode code point cp as UTF-8 into out; returns 1-4, or 0 if invalid. */
int utf8_encode(uint32_t cp, char out[4]);

#endif
