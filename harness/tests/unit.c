/* unit.c - the unit-test runner: one table of tests, each run in order;
 * a test passes when none of its CHECKs failed. Last line: "N passed, N failed". */
#define _GNU_SOURCE
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define ENTRY(name) { #name, test_##name },
	TESTS(ENTRY)
};

static int current_failed;
static char tmpdir[256];

void check_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "  %s:%d: CHECK failed: %s\n", file, line, what);
	current_failed = 1;
}

const char *test_data_dir(void)
{
	return "harness/tests/data";
}

const char *test_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/tb-unit.XXXXXX");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(3);
		}
	}
	return tmpdir;
}

int test_child(void (*fn)(void *), void *arg, struct buf *err)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 2);
		close(pipefd[1]);
		fn(arg);
		_exit(0);
	}
	close(pipefd[1]);
	struct buf sink = BUF_INIT;
	fd_read_all(pipefd[0], err ? err : &sink);
	close(pipefd[0]);
	buf_release(&sink);
	int st = 0;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(tests) / sizeof(*tests); i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_failed = 0;
		tmpdir[0] = '\0';
		tests[i].fn();
		if (tmpdir[0])
			dir_remove(tmpdir);
		printf("%s %s\n", current_failed ? "FAIL" : "ok", tests[i].name);
		fflush(stdout);
		if (current_failed)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
