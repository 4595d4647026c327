/* buf.h - a growable byte buffer, always NUL-terminated. */
#ifndef TB_BUF_H
#define TB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* malloced, owned; NULL until the first append */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* appends data[0..n) as valid UTF-8 text: a NUL byte, an invalid or cut
 * sequence becomes U+FFFD (command output may be anything; JSON may not) */
void buf_append_utf8(struct buf *b, const char *data, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* whether s holds a control character (a newline, a tab, an escape): a
 * name with one could break a table or a terminal, so loaders refuse it */
int str_has_control(const char *s);
/* the contents as a string; never NULL (empty string when nothing was added) */
const char *buf_str(const struct buf *b);
/* hands the data to the caller (malloced, caller frees) and empties b */
char *buf_detach(struct buf *b);

#endif
