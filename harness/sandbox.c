/* sandbox.c - runs one untrusted command under bubblewrap.
 *
 * The harness forks, sets rlimits, drops to an unprivileged uid when it is
 * root (RLIMIT_NPROC does not bind root), and execs bwrap with an empty
 * environment. bwrap puts the command in new user, pid, net, ipc, uts and
 * cgroup namespaces with a read-only /usr, a private /tmp and only the binds
 * the caller names. Killing the outer bwrap kills the pid namespace's init,
 * and with it every process inside, daemons included.
 *
 * Three channels come back: stdout+stderr (capped), fd 3 (a socketpair that
 * carries the pass token out and back) and bwrap's json status stream, which
 * says whether the command started and how it exited. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "xalloc.h"

#define BWRAP "/usr/bin/bwrap"

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void sandbox_limits_default(struct sandbox_limits *lim)
{
	lim->wall_s = 10;
	lim->cpu_s = 10;
	lim->mem_mb = 1024;
	lim->nproc = 64;
	lim->fsize_mb = 64;
	lim->nofile = 256;
	lim->tmp_mb = 64;
	lim->out_keep = 16384;
	lim->out_max = 8 << 20;
}

struct argv {
	char **v;
	size_t n, cap;
};

static void argv_add(struct argv *a, const char *s)
{
	XGROW(a->v, a->cap, a->n + 2);
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

static void argv_free(struct argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

static void build_argv(struct argv *a, const struct sandbox_spec *spec)
{
	static const char *const fixed[] = {
		BWRAP, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
		"--unshare-uts", "--unshare-cgroup-try", "--disable-userns", "--die-with-parent",
		"--new-session", "--cap-drop", "ALL", "--hostname", "sandbox", "--json-status-fd", "4",
		"--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
		"--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
		"--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
		"--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
		"--proc", "/proc", "--dev", "/dev", "--clearenv",
		"--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
		"--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		argv_add(a, fixed[i]);
	char size[32];
	snprintf(size, sizeof(size), "%ld", spec->lim.tmp_mb << 20);
	argv_add(a, "--size");
	argv_add(a, size);
	argv_add(a, "--tmpfs");
	argv_add(a, "/tmp");
	for (size_t i = 0; i < spec->nbinds; i++) {
		argv_add(a, spec->binds[i].writable ? "--bind" : "--ro-bind");
		argv_add(a, spec->binds[i].host);
		argv_add(a, spec->binds[i].inside);
	}
	for (const char *const *e = spec->env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		char *k = xstrndup(*e, (size_t)(eq - *e));
		argv_add(a, "--setenv");
		argv_add(a, k);
		argv_add(a, eq + 1);
		free(k);
	}
	if (spec->chdir) {
		argv_add(a, "--chdir");
		argv_add(a, spec->chdir);
	}
	argv_add(a, "--");
	for (const char *const *p = spec->argv; *p; p++)
		argv_add(a, *p);
}

static void set_limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };
	setrlimit(res, &rl);
}

/* processes and threads this (non-root) uid already runs, so that
 * RLIMIT_NPROC leaves the sandbox its own allowance on top of them */
static long own_tasks(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	long running = 0, total = 0;
	if (f) {
		if (fscanf(f, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
			total = 0;
		fclose(f);
	}
	return total;
}

/* in the child between fork and exec: async-signal-safe calls only */
static void child_exec(const struct sandbox_spec *spec, char **argv, int out_w, int res_c, int st_w,
		       long nproc)
{
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	setpgid(0, 0);
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(out_w, 2) < 0 ||
	    dup2(res_c, 3) < 0 || dup2(st_w, 4) < 0)
		_exit(126);
	close_range(5, ~0U, 0);
	set_limit(RLIMIT_CPU, (rlim_t)(spec->lim.cpu_s + 0.999));
	set_limit(RLIMIT_AS, (rlim_t)spec->lim.mem_mb << 20);
	set_limit(RLIMIT_FSIZE, (rlim_t)spec->lim.fsize_mb << 20);
	set_limit(RLIMIT_NOFILE, (rlim_t)spec->lim.nofile);
	set_limit(RLIMIT_CORE, 0);
	set_limit(RLIMIT_NPROC, (rlim_t)nproc);
	if (spec->uid) {
		gid_t g = (gid_t)spec->uid;
		if (setgroups(0, NULL) < 0 || setresgid(g, g, g) < 0 || setresuid(spec->uid, spec->uid, spec->uid) < 0)
			_exit(126);
	}
	signal(SIGPIPE, SIG_DFL);
	execve(BWRAP, argv, envp);
	_exit(127);
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int sandbox_start(struct sandbox_run *r, const struct sandbox_spec *spec)
{
	memset(r, 0, sizeof(*r));
	r->out_fd = r->res_fd = r->st_fd = -1;
	r->exit_code = -1;
	r->out_keep = spec->lim.out_keep;
	r->out_max = spec->lim.out_max;
	snprintf(r->token, sizeof(r->token), "%s", spec->token ? spec->token : "");

	int out[2] = { -1, -1 }, res[2] = { -1, -1 }, st[2] = { -1, -1 };
	if (pipe2(out, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, res) < 0 ||
	    pipe2(st, O_CLOEXEC) < 0) {
		int e = errno;
		for (int i = 0; i < 2; i++) {
			if (out[i] >= 0)
				close(out[i]);
			if (res[i] >= 0)
				close(res[i]);
		}
		return error("cannot create sandbox pipes: %s", strerror(e));
	}
	struct argv a = { 0 };
	build_argv(&a, spec);
	long nproc = spec->lim.nproc + (spec->uid || geteuid() == 0 ? 0 : own_tasks());

	r->start_ms = now_ms();
	r->deadline_ms = r->start_ms + spec->lim.wall_s * 1e3;
	pid_t pid = fork();
	if (pid == 0)
		child_exec(spec, a.v, out[1], res[1], st[1], nproc);
	int e = errno;
	argv_free(&a);
	close(out[1]);
	close(res[1]);
	close(st[1]);
	if (pid < 0) {
		close(out[0]);
		close(res[0]);
		close(st[0]);
		return error("cannot fork a sandbox: %s", strerror(e));
	}
	r->pid = pid;
	r->out_fd = out[0];
	r->res_fd = res[0];
	r->st_fd = st[0];
	set_nonblock(r->out_fd);
	set_nonblock(r->res_fd);
	set_nonblock(r->st_fd);
	if (r->token[0])
		send(r->res_fd, r->token, strlen(r->token), MSG_NOSIGNAL | MSG_DONTWAIT);
	return 0;
}

static void keep_output(struct sandbox_run *r, const char *p, size_t n)
{
	r->out_total += n;
	if (r->head.len < r->out_keep) {
		size_t take = r->out_keep - r->head.len;
		if (take > n)
			take = n;
		buf_append(&r->head, p, take);
	} else {
		r->truncated = 1;
	}
	for (size_t i = 0; i < n; i++) {
		r->tail[r->tail_pos % sizeof(r->tail)] = p[i];
		r->tail_pos++;
	}
}

/* reads fd until it would block; returns 1 at EOF (and closes it) */
static int drain(int *fd, struct sandbox_run *r, struct buf *into, size_t cap)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(*fd, chunk, sizeof(chunk));
		if (n > 0) {
			if (!into)
				keep_output(r, chunk, (size_t)n);
			else if (into->len < cap)
				buf_append(into, chunk, (size_t)n < cap - into->len ? (size_t)n : cap - into->len);
			if (!into && r->out_total > r->out_max)
				return 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		close(*fd);
		*fd = -1;
		return 1;
	}
}

void sandbox_kill(struct sandbox_run *r)
{
	if (r->pid > 0 && !r->finished) {
		kill(-r->pid, SIGKILL);
		kill(r->pid, SIGKILL);
	}
}

static void parse_status(struct sandbox_run *r)
{
	const char *p = buf_str(&r->status);
	if (strstr(p, "\"child-pid\""))
		r->started = 1;
	const char *x = strstr(p, "\"exit-code\"");
	if (x && (x = strchr(x, ':')))
		r->exit_code = atoi(x + 1);
}

static void finish(struct sandbox_run *r, double now)
{
	int st = 0;
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (r->out_fd >= 0)
		drain(&r->out_fd, r, NULL, 0);
	if (r->res_fd >= 0)
		drain(&r->res_fd, r, &r->res, 256);
	parse_status(r);
	if (r->exit_code < 0)
		r->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->token_ok = r->token[0] && r->res.len == strlen(r->token) &&
		      memcmp(r->res.data, r->token, r->res.len) == 0;
	r->end_ms = now;
	r->finished = 1;
	r->pid = 0;
}

void sandbox_poll(struct sandbox_run *r, double now)
{
	if (r->finished)
		return;
	if (r->out_fd >= 0) {
		drain(&r->out_fd, r, NULL, 0);
		if (r->out_total > r->out_max && !r->output_killed) {
			r->output_killed = 1;
			sandbox_kill(r);
		}
	}
	if (r->res_fd >= 0)
		drain(&r->res_fd, r, &r->res, 256);
	if (r->st_fd >= 0 && drain(&r->st_fd, r, &r->status, 4096)) {
		finish(r, now);
		return;
	}
	if (now >= r->deadline_ms && !r->timed_out) {
		r->timed_out = 1;
		sandbox_kill(r);
	}
}

int sandbox_fds(const struct sandbox_run *r, int fds[3])
{
	int n = 0;
	if (r->finished)
		return 0;
	if (r->out_fd >= 0)
		fds[n++] = r->out_fd;
	if (r->res_fd >= 0)
		fds[n++] = r->res_fd;
	if (r->st_fd >= 0)
		fds[n++] = r->st_fd;
	return n;
}

char *sandbox_tail(const struct sandbox_run *r)
{
	size_t n = r->tail_pos < sizeof(r->tail) ? r->tail_pos : sizeof(r->tail);
	char *s = xmalloc(n + 1);
	size_t start = r->tail_pos - n;
	for (size_t i = 0; i < n; i++)
		s[i] = r->tail[(start + i) % sizeof(r->tail)];
	s[n] = '\0';
	return s;
}

void sandbox_release(struct sandbox_run *r)
{
	if (!r)
		return;
	if (r->pid > 0 && !r->finished) {
		sandbox_kill(r);
		waitpid(r->pid, NULL, 0);
	}
	if (r->out_fd >= 0)
		close(r->out_fd);
	if (r->res_fd >= 0)
		close(r->res_fd);
	if (r->st_fd >= 0)
		close(r->st_fd);
	buf_release(&r->head);
	buf_release(&r->res);
	buf_release(&r->status);
	r->out_fd = r->res_fd = r->st_fd = -1;
}

int sandbox_check(void)
{
	if (access(BWRAP, X_OK) < 0)
		return error("bubblewrap is not installed (%s); run scripts/install-deps", BWRAP);
	return 0;
}
