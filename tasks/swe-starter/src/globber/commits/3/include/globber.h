#ifndef GLOBBER_H
#define GLOBBER_H

/*
 * globber: match slash-separated paths against glob patterns.
 *
 *   ?        one character other than '/'
 *   *        any run of characters other than '/' (possibly empty)
 *   **       as a whole path segment ("a/ ** /b" without the spaces, a
 *            leading "** /x" or a trailing "x/ **"): zero or more
 *            directories
 *   [abc]    one of the listed characters; ranges like [a-z]; [!abc] or
 *            [^abc] negates; "]" right after "[" (or "[!") is literal
 *   \c       the character c itself
 *
 * Wildcards never match a '.' at the start of a path segment (hidden
 * files), unless GLOB_DOTALL is given; a literal '.' in the pattern always
 * does. "**" does not descend into hidden directories either.
 */

#include <stddef.h>

#define GLOB_NOCASE 0x1   /* ASCII case-insensitive matching */
#define GLOB_DOTALL 0x2   /* wildcards also match leading dots */

#define GLOB_MATCH    1
#define GLOB_NOMATCH  0
#define GLOB_EPATTERN (-1)  /* malformed pattern (unclosed [ or trailing \) */

int glob_match(const char *pattern, const char *path, int flags);

/* True when the pattern contains an unescaped wildcard. */
int glob_has_magic(const char *pattern);

/*
 * Copy into out the leading directories of pattern that contain no
 * wildcard ("src/lib/" for "src/lib/ *.c", "" for "*.c"), with escapes
 * removed. Returns the length, or -1 if it does not fit.
 */
int glob_literal_prefix(const char *pattern, char *out, size_t outsz);

/*
 * Store in matches the indexes of the paths that match; returns their
 * number, or GLOB_EPATTERN.
 */
int glob_filter(const char *pattern, const char *const *paths, size_t npaths,
                size_t *matches, int flags);

#endif
