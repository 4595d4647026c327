/* secret.h - keeping a secret (an API key) out of stored bytes: every run
 * of its characters that a hostile server may echo, whole or in part, is
 * replaced before anything keeps it. */
#ifndef TB_SECRET_H
#define TB_SECRET_H

#include <stddef.h>

#include "util/buf.h"

/* the shortest part of a secret that is scrubbed (the whole secret when it
 * is shorter): a run this long of a random key appears nowhere by chance */
#define SECRET_MIN_RUN 10
/* what stands where a part of the secret was */
#define SECRET_MARK "[redacted]"

/* replaces with SECRET_MARK every run of b's bytes of at least
 * SECRET_MIN_RUN bytes (or the whole secret) that is a substring of secret,
 * so a key echoed whole, cut or split is not stored; a run holding a quote,
 * a backslash or a control byte is left (JSON stays JSON). A secret shorter
 * than 4 bytes, or NULL, scrubs nothing. Returns how many runs it replaced */
size_t secret_scrub(struct buf *b, const char *secret);
/* secret_scrub on a malloced string (NULL allowed), replaced in *s */
size_t secret_scrub_str(char **s, const char *secret);
/* the same in place (NULL allowed): a run shorter than SECRET_MARK gets the
 * mark cut to its length, so s never grows */
size_t secret_scrub_in_place(char *s, const char *secret);

#endif
