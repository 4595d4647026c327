/* html.h - writing HTML that stays text: element text and attribute values
 * escaped, JSON that cannot end the <script> element holding it, and the
 * replacement of strings a published page must not show (the machine's
 * paths, secrets). Whatever a model or a test wrote reaches report.html
 * only through these. */
#ifndef TB_HTML_H
#define TB_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* appends s[0..n) as HTML text, also safe inside a quoted attribute value:
 * & < > " ' become entities, a NUL byte or invalid UTF-8 becomes U+FFFD */
void html_text_n(struct buf *b, const char *s, size_t n);
void html_text(struct buf *b, const char *s);
/* appends s[0..n) as a JSON string literal that is safe inside a <script>
 * element: < > & are written \u003c \u003e \u0026 (so no "</script" or
 * "<!--" can appear), U+2028 and U+2029 escaped, invalid UTF-8 replaced */
void html_json_str(struct buf *b, const char *s, size_t n);
/* a number as JSON, written as cJSON writes it (so that the page's figures
 * are summary.json's to the digit), null when not finite */
void html_json_num(struct buf *b, double v);

/* strings to replace before anything reaches the page */
struct scrub {
	char **from, **to; /* owned */
	size_t n, from_cap, to_cap;
};

void scrub_init(struct scrub *sc);
/* replace every occurrence of from (ignored when shorter than 4 bytes) by to */
void scrub_add(struct scrub *sc, const char *from, const char *to);
/* appends s[0..n) with every listed string replaced (the longest first) */
void scrub_apply(const struct scrub *sc, const char *s, size_t n, struct buf *out);
/* s scrubbed, as a new string; malloced */
char *scrub_str(const struct scrub *sc, const char *s);
void scrub_release(struct scrub *sc);

#endif
