/* msg.h - messages for the user: errors and warnings on stderr, "tokenbench: " first. */
#ifndef TB_MSG_H
#define TB_MSG_H

/* prints "tokenbench: error: ..." and returns -1, so callers can `return error(...)` */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* progress and notes; silenced by msg_quiet */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_set_quiet(int quiet);
/* replaces every occurrence of key (an API key, 4 chars or more) in s, in
 * place, with "[redacted]" (or as much of it as fits), so a provider that
 * echoes a key in an error message cannot put it in a record or on the
 * terminal; s and key may be NULL */
void msg_redact(char *s, const char *key);

#endif
