/* Tests for strescape; output is TAP. */
#include <stdio.h>
#include <string.h>

#include "strescape.h"

static int failures;

/* Print s with non-printable bytes as \xHH, so the TAP stream stays ASCII. */
static void show(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

#define EXPECT_STR(got, want)                                                \
    do {                                                                     \
        if (strcmp((got), (want)) != 0) {                                    \
            printf("#   %s:%d: got \"", __FILE__, __LINE__);                 \
            show(got);                                                       \
            printf("\", want \"");                                           \
            show(want);                                                      \
            printf("\"\n");                                                  \
            failures++;                                                      \
        }                                                                    \
    } while (0)

#define EXPECT(cond)                                                         \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
            failures++;                                                      \
        }                                                                    \
    } while (0)

static char out[256];

static const char *esc(const char *s, int flags)
{
    str_escape(s, strlen(s), out, sizeof out, flags);
    return out;
}

/* Unescape s; returns the result as a NUL-terminated string in out. */
static ssize_t unesc(const char *s)
{
    ssize_t r = str_unescape(s, strlen(s), out, sizeof out - 1, NULL);
    out[r >= 0 ? r : 0] = '\0';
    return r;
}

static void test_escape_plain_text(void)
{
    EXPECT_STR(esc("hello, world", 0), "hello, world");
    EXPECT_STR(esc("", 0), "");
}

static void test_escape_specials(void)
{
    EXPECT_STR(esc("a\"b\\c\n", 0), "a\\\"b\\\\c\\n");
    EXPECT_STR(esc("tab\there\r", 0), "tab\\there\\r");
    EXPECT_STR(esc("it's", 0), "it's");
}

static void test_escape_control_chars(void)
{
    EXPECT_STR(esc("\x01\x1f\x7f", 0), "\\x01\\x1f\\x7f");
}

static void test_escape_high_bytes(void)
{
    EXPECT_STR(esc("caf\xc3\xa9", 0), "caf\xc3\xa9");
    EXPECT_STR(esc("caf\xc3\xa9", ESC_ASCII), "caf\\xc3\\xa9");
}

static void test_escape_returns_full_length(void)
{
    char small[4];
    EXPECT(str_escape("abcdef", 6, small, sizeof small, 0) == 6);
    EXPECT_STR(small, "abc");
    EXPECT(str_escape("a\nb", 3, NULL, 0, 0) == 4);
}

static void test_unescape_simple(void)
{
    EXPECT(unesc("a\\nb\\t\\\\\\\"") == 6);
    EXPECT_STR(out, "a\nb\t\\\"");
    EXPECT(unesc("\\a\\b\\f\\v\\r\\?\\'") == 7);
    EXPECT_STR(out, "\a\b\f\v\r?'");
}

static void test_unescape_octal_and_hex(void)
{
    EXPECT(unesc("\\101\\x42\\7") == 3);
    EXPECT_STR(out, "AB\a");
    EXPECT(unesc("\\1012") == 2);
    EXPECT_STR(out, "A2");
    EXPECT(unesc("x\\0y") == 3);
    EXPECT(out[1] == '\0' && out[2] == 'y');
}

static void test_unescape_errors(void)
{
    size_t pos = 99;
    EXPECT(str_unescape("ab\\q", 4, out, sizeof out, &pos) == UNESC_EINVAL && pos == 2);
    EXPECT(str_unescape("\\x4", 3, out, sizeof out, &pos) == UNESC_EINVAL && pos == 0);
    EXPECT(str_unescape("a\\", 2, out, sizeof out, &pos) == UNESC_EINVAL && pos == 1);
    EXPECT(str_unescape("\\777", 4, out, sizeof out, &pos) == UNESC_EINVAL);
    EXPECT(str_unescape("abc", 3, out, 2, NULL) == UNESC_ENOSPC);
}

static void test_roundtrip(void)
{
    char data[256], escaped[1100], back[256];
    for (int i = 0; i < 256; i++)
        data[i] = (char)i;
    for (int flags = 0; flags < 2; flags++) {
        size_t len = str_escape(data, sizeof data, escaped, sizeof escaped, flags);
        EXPECT(len < sizeof escaped);
        EXPECT(str_unescape(escaped, len, back, sizeof back, NULL) == (ssize_t)sizeof data);
        EXPECT(memcmp(back, data, sizeof data) == 0);
    }
}

struct test {
    const char *name;
    void (*fn)(void);
};

#define T(name) { #name, test_##name }

int main(void)
{
    static const struct test tests[] = {
        T(escape_plain_text),
        T(escape_specials),
        T(escape_control_chars),
        T(escape_high_bytes),
        T(escape_returns_full_length),
        T(unescape_simple),
        T(unescape_octal_and_hex),
        T(unescape_errors),
        T(roundtrip),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = 0;

    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        failures = 0;
        tests[i].fn();
        printf("%s %zu - %s\n", failures ? "not ok" : "ok", i + 1, tests[i].name);
        failed += failures != 0;
    }
    return failed != 0;
}
