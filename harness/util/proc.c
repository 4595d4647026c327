/* proc.c - synchronous helper processes with captured output. */
#define _GNU_SOURCE
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

extern char **environ;

/* posix_spawnp takes char *const argv[] (it writes to none of them): it
 * gets a copy rather than a cast that drops const; malloced, argv_free */
static char **argv_copy(const char *const *argv)
{
	size_t n = 0;
	while (argv[n])
		n++;
	char **v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(argv[i]);
	return v;
}

static void argv_free(char **v)
{
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

int proc_run(const char *const *argv, const char *cwd, struct buf *out)
{
	int pipefd[2] = { -1, -1 };
	if (out && pipe2(pipefd, O_CLOEXEC) < 0)
		return error("cannot run %s: %s", argv[0], strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out) {
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	}
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	char **args = argv_copy(argv);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, args, environ);
	argv_free(args);
	posix_spawn_file_actions_destroy(&fa);
	if (out)
		close(pipefd[1]);
	if (rc != 0) {
		if (out)
			close(pipefd[0]);
		return error("cannot run %s: %s", argv[0], strerror(rc));
	}
	if (out) {
		fd_read_all(pipefd[0], out); /* a read error ends the output, as the end of file does */
		close(pipefd[0]);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st))
		return error("%s died of signal %d", argv[0], WTERMSIG(st));
	return WEXITSTATUS(st);
}
