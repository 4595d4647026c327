#ifndef TESTS_H
#define TESTS_H

#include <stdio.h>
#include <string.h>

#include "csvread.h"

extern int test_failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);              \
            test_failures++;                                                 \
        }                                                                    \
    } while (0)

/* Compare field i of the current record with the string want. */
#define CHECK_FIELD(r, i, want)                                              \
    do {                                                                     \
        size_t len_;                                                         \
        const char *f_ = csv_field((r), (i), &len_);                         \
        if (!f_ || len_ != strlen(want) || memcmp(f_, (want), len_) != 0) {  \
            printf("# %s:%d: field %d is not \"%s\"\n", __FILE__, __LINE__,  \
                   (int)(i), (want));                                        \
            test_failures++;                                                 \
        }                                                                    \
    } while (0)

/* Every test case, in the order they run. */
#define ALL_TESTS(X)                  \
    X(reader_simple)                  \
    X(reader_empty_fields)            \
    X(reader_crlf)                    \
    X(reader_quoted)                  \
    X(reader_quoted_newline)          \
    X(reader_text_after_quote)        \
    X(reader_unterminated_quote)      \
    X(reader_other_delimiter)         \
    X(reader_no_trailing_newline)     \
    X(reader_line_numbers)            \
    X(sniff_comma)                    \
    X(sniff_semicolon)                \
    X(sniff_tab)                      \
    X(sniff_header)                   \
    X(sniff_no_header)                \
    X(sniff_fails)

#define DECLARE(name) void test_##name(void);
ALL_TESTS(DECLARE)
#undef DECLARE

#endif
