/* Runs every test case in a child process and reports TAP. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests.h"

int test_failures;

struct test_case {
    const char *name;
    void (*fn)(void);
};

#define ENTRY(name) { #name, test_##name },
static const struct test_case CASES[] = { ALL_TESTS(ENTRY) };
#undef ENTRY

int main(void)
{
    size_t n = sizeof CASES / sizeof CASES[0];
    int bad = 0;

    printf("1..%zu\n", n);
    for (size_t i = 0; i < n; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            CASES[i].fn();
            fflush(stdout);
            _exit(test_failures ? 1 : 0);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
            status = -1;
        int ok = status == 0;
        printf("%s %zu - %s\n", ok ? "ok" : "not ok", i + 1, CASES[i].name);
        bad += !ok;
    }
    return bad ? 1 : 0;
}
