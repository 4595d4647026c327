/* extract.h - finds the code in a model's answer. */
#ifndef TB_EXTRACT_H
#define TB_EXTRACT_H

/* the code for a task in `language` from a chat answer: a fenced block
 * tagged with the language (or an alias), else an untagged block, else the
 * bare answer when it looks like code. entry_point (may be NULL) picks
 * between several blocks. NULL when there is none, or when the only code is
 * in another language. malloced, caller frees */
char *extract_code(const char *text, const char *language, const char *entry_point);

#endif
