/* Tiny test helper: one "PASS: name" or "FAIL: name" line per test. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed;   /* failures in the running test */
static int check_total_failed;

#define EXPECT(cond)                                                     \
    do {                                                                 \
        if (!(cond)) {                                                   \
            check_failed++;                                              \
            fprintf(stderr, "  %s:%d: expected %s\n", __FILE__, __LINE__, \
                    #cond);                                              \
        }                                                                \
    } while (0)

#define RUN(test)                                                        \
    do {                                                                 \
        check_failed = 0;                                                \
        test();                                                          \
        printf("%s: %s\n", check_failed ? "FAIL" : "PASS", #test);       \
        fflush(stdout);                                                  \
        if (check_failed)                                                \
            check_total_failed++;                                        \
    } while (0)

#define CHECK_EXIT() return check_total_failed ? 1 : 0

#endif
