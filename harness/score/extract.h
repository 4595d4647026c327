/* extract.h - finds the code in a model's answer. */
#ifndef TB_EXTRACT_H
#define TB_EXTRACT_H

#include <stddef.h>

/* one fenced block (``` or ~~~) of an answer */
struct fenced_block {
	const char *start; /* first byte of its content; borrowed from the answer */
	size_t len;
	char tag[24];      /* the info string's first word, lowercased */
	int closed;        /* 0: the answer ended inside it (cut at max_tokens) */
};

/* the fenced blocks of text in order, an unclosed last one included;
 * *out malloced, caller frees */
size_t extract_blocks(const char *text, struct fenced_block **out);

/* the code for a task in `language` from a chat answer: a fenced block
 * tagged with the language (or an alias), else an untagged block, else the
 * bare answer when it looks like code. entry_point (may be NULL) picks
 * between several blocks. NULL when there is none, or when the only code is
 * in another language. malloced, caller frees */
char *extract_code(const char *text, const char *language, const char *entry_point);

#endif
