/* msg.h - messages for the user: errors and warnings on stderr, "tokenbench: " first. */
#ifndef TB_MSG_H
#define TB_MSG_H

/* prints "tokenbench: error: ..." and returns -1, so callers can `return error(...)` */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* progress and notes; silenced by msg_quiet */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_set_quiet(int quiet);

#endif
