/* Minimal TAP producer: every test case runs in its own process. */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int tap_check_failures;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            tap_check_failures++;                                          \
            printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__,      \
                   #cond);                                                 \
        }                                                                  \
    } while (0)

#define CHECK_EQ(a, b)                                                     \
    do {                                                                   \
        long long tap_a_ = (long long)(a), tap_b_ = (long long)(b);        \
        if (tap_a_ != tap_b_) {                                            \
            tap_check_failures++;                                          \
            printf("# %s:%d: %s == %lld, expected %lld\n", __FILE__,       \
                   __LINE__, #a, tap_a_, tap_b_);                          \
        }                                                                  \
    } while (0)

struct tap_case {
    const char *name;
    void (*fn)(void);
};

#define TAP_CASE(fn) { #fn, test_##fn }

static int tap_run(const struct tap_case *cases, size_t n)
{
    int failed = 0;
    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        int status = 0;
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid == 0) {
            tap_check_failures = 0;
            cases[i].fn();
            fflush(stdout);
            _exit(tap_check_failures ? 1 : 0);
        }
        waitpid(pid, &status, 0);
        int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (WIFSIGNALED(status))
            printf("# %s: killed by signal %d\n", cases[i].name, WTERMSIG(status));
        printf("%sok %zu - %s\n", ok ? "" : "not ", i + 1, cases[i].name);
        failed += !ok;
    }
    return failed ? 1 : 0;
}

#endif
