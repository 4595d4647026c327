/* globber tests: one "PASS: name" / "FAIL: name" line per test. */
#include <stdio.h>
#include <string.h>

#include "globber.h"

static int fails;

static void expect_match(const char *pat, const char *path, int flags, int want, int line)
{
    int got = glob_match(pat, path, flags);
    if (got != want) {
        printf("  line %d: glob_match(\"%s\", \"%s\", %d) = %d, want %d\n",
               line, pat, path, flags, got, want);
        fails++;
    }
}

#define YES(pat, path) expect_match(pat, path, 0, GLOB_MATCH, __LINE__)
#define NO(pat, path) expect_match(pat, path, 0, GLOB_NOMATCH, __LINE__)
#define YESF(pat, path, f) expect_match(pat, path, f, GLOB_MATCH, __LINE__)
#define NOF(pat, path, f) expect_match(pat, path, f, GLOB_NOMATCH, __LINE__)
#define BAD(pat) expect_match(pat, "x", 0, GLOB_EPATTERN, __LINE__)

static void literal(void)
{
    YES("abc", "abc");
    NO("abc", "abd");
    NO("abc", "ab");
    NO("ab", "abc");
    YES("", "");
    YES("src/main.c", "src/main.c");
}

static void question_mark(void)
{
    YES("a?c", "abc");
    NO("a?c", "ac");
    NO("a?c", "a/c");
    YES("???", "xyz");
}

static void star(void)
{
    YES("*.c", "main.c");
    YES("*", "anything");
    YES("a*", "a");
    YES("a*b*c", "axxbyyc");
    NO("*.c", "src/main.c");
    NO("*.c", "main.h");
    YES("src/*.c", "src/main.c");
    NO("src/*.c", "src/sub/main.c");
    YES("*/*", "a/b");
}

static void classes(void)
{
    YES("[abc]x", "bx");
    NO("[abc]x", "dx");
    YES("file[0-9].txt", "file7.txt");
    NO("file[0-9].txt", "fileA.txt");
    YES("[!a-c]", "d");
    NO("[^a-c]", "b");
    YES("[]]", "]");
    YES("[!]]", "x");
    NO("[a-z]", "/");
}

static void escapes(void)
{
    YES("\\*", "*");
    NO("\\*", "x");
    YES("a\\?b", "a?b");
    YES("[\\]]", "]");
}

static void hidden_files(void)
{
    NO("*", ".profile");
    NO("?bashrc", ".bashrc");
    NO("[.]x", ".x");
    YES(".*", ".profile");
    YES("a/.b", "a/.b");
    NO("a/*", "a/.b");
    YES("a.*", "a.txt");
    YESF("*", ".profile", GLOB_DOTALL);
    YESF("a/*", "a/.b", GLOB_DOTALL);
}

static void nocase(void)
{
    NO("*.TXT", "a.txt");
    YESF("*.TXT", "a.txt", GLOB_NOCASE);
    YESF("[A-C]x", "bX", GLOB_NOCASE);
}

static void globstar(void)
{
    YES("src/**/*.c", "src/lib/util.c");
    YES("src/**/*.c", "src/a/b/c/deep.c");
    NO("src/**/*.c", "src/a/b/c/deep.h");
    NO("src/**/*.c", "lib/a/x.c");
    YES("**/test_*.py", "pkg/tests/test_io.py");
    YES("docs/**", "docs/a/b.md");
    YES("docs/**", "docs/");
    NO("docs/**", "doc/a");
    YES("a/**/b/*.c", "a/x/y/b/z.c");
}

static void globstar_hidden(void)
{
    NO("**/*.c", ".git/x.c");
    NO("src/**/*.c", "src/.cache/x.c");
    NO("docs/**", "docs/.secret");
    YESF("src/**/*.c", "src/.cache/x.c", GLOB_DOTALL);
    YES("src/**/.cache/*.c", "src/a/.cache/x.c");
}

static void double_star_inside_segment(void)
{
    /* "**" that is not a whole segment is just two stars */
    YES("a**b", "axxb");
    NO("a**b", "ax/xb");
}

static void bad_patterns(void)
{
    BAD("[abc");
    BAD("abc\\");
    BAD("[]");
    BAD("[!");
}

static void has_magic(void)
{
    int ok = glob_has_magic("*.c") && glob_has_magic("a/[bc]") &&
             glob_has_magic("a?") && !glob_has_magic("plain/path.c") &&
             !glob_has_magic("escaped\\*star");
    if (!ok) {
        printf("  glob_has_magic\n");
        fails++;
    }
}

#define RUN(t)                                                            \
    do {                                                                  \
        fails = 0;                                                        \
        t();                                                              \
        printf("%s: %s\n", fails ? "FAIL" : "PASS", #t);                  \
        total += fails != 0;                                              \
    } while (0)

int main(void)
{
    int total = 0;
    RUN(literal);
    RUN(question_mark);
    RUN(star);
    RUN(classes);
    RUN(escapes);
    RUN(hidden_files);
    RUN(nocase);
    RUN(globstar);
    RUN(globstar_hidden);
    RUN(double_star_inside_segment);
    RUN(bad_patterns);
    RUN(has_magic);
    return total != 0;
}
