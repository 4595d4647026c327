#include "globber.h"

#include <ctype.h>
#include <string.h>

struct ctx {
    const char *pattern;  /* start of the pattern */
    const char *path;     /* start of the path */
    int flags;
};

static int chars_equal(char a, char b, int flags)
{
    if (flags & GLOB_NOCASE)
        return tolower((unsigned char)a) == tolower((unsigned char)b);
    return a == b;
}

/* Is s at the start of a path segment? */
static int segment_start(const struct ctx *c, const char *s)
{
    return s == c->path || s[-1] == '/';
}

/* May a wildcard consume the character at s? */
static int wild_ok(const struct ctx *c, const char *s)
{
    if (*s == '\0' || *s == '/')
        return 0;
    if (*s == '.' && segment_start(c, s) && !(c->flags & GLOB_DOTALL))
        return 0;
    return 1;
}

/*
 * Match the bracket expression at p (pointing at '[') against ch.
 * Stores the position after the closing ']' in *end.
 * Returns 1 on match, 0 on mismatch.
 */
static int match_class(const char *p, char ch, int flags, const char **end)
{
    int negate = 0, matched = 0;
    p++;
    if (*p == '!' || *p == '^') {
        negate = 1;
        p++;
    }
    int first = 1;
    while (*p && (*p != ']' || first)) {
        char lo = *p;
        if (lo == '\\' && p[1])
            lo = *++p;
        char hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hi = p[2];
            p += 2;
            if (hi == '\\' && p[1])
                hi = *++p;
        }
        if (flags & GLOB_NOCASE) {
            char l = (char)tolower((unsigned char)ch);
            char u = (char)toupper((unsigned char)ch);
            if ((l >= lo && l <= hi) || (u >= lo && u <= hi))
                matched = 1;
        } else if (ch >= lo && ch <= hi) {
            matched = 1;
        }
        p++;
        first = 0;
    }
    *end = p + 1; /* validated: *p == ']' */
    return matched != negate;
}

/* Is "**" at p a whole path segment? */
static int is_globstar(const struct ctx *c, const char *p)
{
    return p[0] == '*' && p[1] == '*' &&
           (p == c->pattern || p[-1] == '/') &&
           (p[2] == '/' || p[2] == '\0');
}

static int match_here(const struct ctx *c, const char *p, const char *s)
{
    for (;;) {
        if (is_globstar(c, p)) {
            const char *rest = p + 2;
            if (*rest == '\0') {
                /* Trailing "**": everything below, but no hidden entries. */
                for (const char *t = s; *t; t++) {
                    if (*t == '.' && segment_start(c, t) && !(c->flags & GLOB_DOTALL))
                        return 0;
                }
                return 1;
            }
            rest++; /* skip the '/' */
            /* Try the rest of the pattern after each directory of s. */
            for (const char *t = s; *t; t++) {
                if (*t == '.' && segment_start(c, t) && !(c->flags & GLOB_DOTALL))
                    return 0;
                if (*t == '/' && match_here(c, rest, t + 1))
                    return 1;
            }
            return 0;
        }
        switch (*p) {
        case '\0':
            return *s == '\0';
        case '*':
            while (*p == '*')
                p++;
            for (const char *t = s;; t++) {
                if (match_here(c, p, t))
                    return 1;
                if (!wild_ok(c, t))
                    return 0;
            }
        case '?':
            if (!wild_ok(c, s))
                return 0;
            p++;
            s++;
            break;
        case '[': {
            const char *end;
            if (!wild_ok(c, s) || !match_class(p, *s, c->flags, &end))
                return 0;
            p = end;
            s++;
            break;
        }
        case '\\':
            p++;
            /* fall through */
        default:
            if (!chars_equal(*p, *s, c->flags))
                return 0;
            p++;
            s++;
            break;
        }
    }
}

/* Check brackets and escapes once, so the matcher can trust the pattern. */
static int pattern_ok(const char *p)
{
    while (*p) {
        if (*p == '\\') {
            if (!p[1])
                return 0;
            p += 2;
        } else if (*p == '[') {
            p++;
            if (*p == '!' || *p == '^')
                p++;
            if (*p == ']')
                p++;
            while (*p && *p != ']') {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
            if (!*p)
                return 0;
            p++;
        } else {
            p++;
        }
    }
    return 1;
}

int glob_match(const char *pattern, const char *path, int flags)
{
    struct ctx c = { pattern, path, flags };
    if (!pattern_ok(pattern))
        return GLOB_EPATTERN;
    return match_here(&c, pattern, path) ? GLOB_MATCH : GLOB_NOMATCH;
}

int glob_has_magic(const char *pattern)
{
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '*' || *p == '?' || *p == '[')
            return 1;
    }
    return 0;
}

int glob_literal_prefix(const char *pattern, char *out, size_t outsz)
{
    size_t n = 0, keep = 0;
    for (const char *p = pattern; *p; p++) {
        char ch = *p;
        if (ch == '*' || ch == '?' || ch == '[')
            break;
        if (ch == '\\' && p[1])
            ch = *++p;
        if (n + 1 >= outsz)
            return -1;
        out[n++] = ch;
        if (ch == '/')
            keep = n;
    }
    if (outsz == 0)
        return -1;
    out[keep] = '\0';
    return (int)keep;
}

int glob_filter(const char *pattern, const char *const *paths, size_t npaths,
                size_t *matches, int flags)
{
    int count = 0;
    if (!pattern_ok(pattern))
        return GLOB_EPATTERN;
    for (size_t i = 0; i < npaths; i++) {
        if (glob_match(pattern, paths[i], flags) == GLOB_MATCH)
            matches[count++] = i;
    }
    return count;
}
