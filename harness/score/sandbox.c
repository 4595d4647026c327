/* sandbox.c - runs one untrusted command under bubblewrap.
 *
 * The harness forks, sets rlimits, marks the tree as the first thing the
 * kernel's OOM killer takes, drops to an unprivileged uid when it is root
 * (RLIMIT_NPROC does not bind root), and execs bwrap with an empty
 * environment. bwrap puts the command in new user, pid, net, ipc, uts and
 * cgroup namespaces with a read-only /usr, size-capped private /tmp and
 * /dev/shm, a read-only /dev, no capabilities, our seccomp filter
 * (seccomp.c) and only the binds the caller names. Of /etc it sees the
 * dynamic loader's cache, the system's CA certificates (read-only: a test
 * that builds a TLS context finds them; with no network there is nothing
 * to reach) and an /etc/hosts and /etc/nsswitch.conf of its own, written
 * here, in which localhost and the sandbox's host name are its own
 * loopback and no name goes to DNS. Killing the outer bwrap
 * kills the pid namespace's init, and with it every process inside, daemons
 * included.
 *
 * rlimits bind each process; what a process tree holds together is bounded
 * without cgroups (which this harness cannot assume it may create) by a
 * watchdog that sums the resident memory of the tree ten times a second and
 * kills the sandbox above its limit. A run ends when the pid namespace is
 * empty, not when bwrap exits: the slot's next sandbox then starts with its
 * uid's process count at zero.
 *
 * Three channels come back: stdout+stderr (capped), fd 3 (a socketpair that
 * carries the pass token out and back) and bwrap's json status stream, which
 * says whether the command started and how it exited. */
#define _GNU_SOURCE
#include "score/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "score/seccomp.h"
#include "util/clock.h"
#include "util/msg.h"
#include "util/xalloc.h"

#define BWRAP "/usr/bin/bwrap"
/* the fds the child sees: 0-2 stdio, 3 the token channel, 4 bwrap's status,
 * 5 the seccomp program, 6 and 7 the sandbox's /etc/hosts and
 * /etc/nsswitch.conf (bwrap reads and closes 5-7) */
#define FD_RESULT 3
#define FD_STATUS 4
#define FD_SECCOMP 5
#define FD_HOSTS 6
#define FD_NSSWITCH 7
#define FD_LAST FD_NSSWITCH

/* the sandbox's names: its own loopback (bwrap brings lo up in the new
 * network namespace); its host name is "sandbox" (build_argv) */
static const char etc_hosts[] = "127.0.0.1\tlocalhost\n"
				"::1\tlocalhost ip6-localhost ip6-loopback\n"
				"127.0.1.1\tsandbox\n";
/* files only: with no /etc/nsswitch.conf glibc would ask DNS first */
static const char etc_nsswitch[] = "passwd: files\ngroup: files\nhosts: files\n";
/* how often the memory watchdog looks at the tree */
#define WATCH_MS 100
/* how long the end of a run waits for its pid namespace to empty, and how
 * often it looks */
#define INIT_WAIT_MS 2000
#define INIT_POLL_MS 1
/* the most a single drain reads before giving other sandboxes a turn */
#define DRAIN_CHUNKS 16

void sandbox_limits_default(struct sandbox_limits *lim)
{
	lim->wall_s = 10;
	lim->cpu_s = 10;
	lim->mem_mb = 1024;
	lim->nproc = 64;
	lim->fsize_mb = 64;
	lim->nofile = 256;
	lim->tmp_mb = 64;
	lim->shm_mb = 16;
	lim->work_mb = 128;
	lim->out_keep = 16384;
	lim->out_max = 8 << 20;
}

long sandbox_footprint_mb(const struct sandbox_limits *lim)
{
	return lim->mem_mb + lim->tmp_mb + lim->shm_mb + lim->work_mb;
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

static void add_tmpfs(struct argv *a, const char *inside, long mb)
{
	char size[32];
	snprintf(size, sizeof(size), "%ld", mb << 20);
	argv_add(a, "--size");
	argv_add(a, size);
	argv_add(a, "--tmpfs");
	argv_add(a, inside);
}

static void build_argv(struct argv *a, const struct sandbox_spec *spec)
{
	static const char *const fixed[] = {
		BWRAP, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
		"--unshare-uts", "--unshare-cgroup-try", "--disable-userns", "--die-with-parent",
		"--new-session", "--cap-drop", "ALL", "--hostname", "sandbox", "--json-status-fd", "4",
		"--seccomp", "5",
		"--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
		"--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
		"--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
		"--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
		"--ro-bind-try", "/etc/ssl/certs", "/etc/ssl/certs",
		"--ro-bind-try", "/etc/ssl/openssl.cnf", "/etc/ssl/openssl.cnf",
		"--perms", "0444", "--ro-bind-data", "6", "/etc/hosts",
		"--perms", "0444", "--ro-bind-data", "7", "/etc/nsswitch.conf",
		"--proc", "/proc", "--dev", "/dev", "--clearenv",
		"--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
		"--setenv", "TMPDIR", "/tmp", "--setenv", "LANG", "C.UTF-8",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		argv_add(a, fixed[i]);
	/* every writable place is a tmpfs of a fixed size (or a bind the caller
	 * chose): bwrap's /dev is a tmpfs as large as half the RAM, so it
	 * becomes read-only and /dev/shm gets its own small one */
	add_tmpfs(a, "/tmp", spec->lim.tmp_mb);
	add_tmpfs(a, "/dev/shm", spec->lim.shm_mb);
	argv_add(a, "--remount-ro");
	argv_add(a, "/dev");
	for (size_t i = 0; i < spec->nbinds; i++) {
		if (!spec->binds[i].host) {
			add_tmpfs(a, spec->binds[i].inside, spec->lim.work_mb);
			continue;
		}
		argv_add(a, spec->binds[i].writable ? "--bind" : "--ro-bind");
		argv_add(a, spec->binds[i].host);
		argv_add(a, spec->binds[i].inside);
	}
	/* bwrap's root is a tmpfs as large as half the RAM where it made the
	 * mount points: last of all, it becomes read-only */
	argv_add(a, "--remount-ro");
	argv_add(a, "/");
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

/* the tree goes first when the machine runs out of memory, whatever the
 * watchdog missed between two looks */
static void oom_first(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1000", 4) < 0) {
			/* best effort: the watchdog and rlimits still hold */
		}
		close(fd);
	}
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
		       const int data[3], long nproc)
{
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	setpgid(0, 0);
	/* the sources may sit on the low fds the targets need: lift them first */
	int src[] = { open("/dev/null", O_RDONLY), out_w, res_c, st_w, data[0], data[1], data[2] };
	static const int dst[] = { 0, 1, FD_RESULT, FD_STATUS, FD_SECCOMP, FD_HOSTS, FD_NSSWITCH };
	enum { NFDS = sizeof(dst) / sizeof(*dst) };
	for (int i = 0; i < NFDS; i++) {
		src[i] = src[i] < 0 ? -1 : fcntl(src[i], F_DUPFD, 10);
		if (src[i] < 0)
			_exit(126);
	}
	for (int i = 0; i < NFDS; i++)
		if (dup2(src[i], dst[i]) < 0)
			_exit(126);
	if (dup2(1, 2) < 0)
		_exit(126);
	close_range(FD_LAST + 1, ~0U, 0);
	oom_first();
	/* SIGXCPU at the limit, a second before the hard limit's SIGKILL, so
	 * the exit status says which limit it was */
	rlim_t cpu = (rlim_t)(spec->lim.cpu_s + 0.999);
	struct rlimit cpu_rl = { cpu, cpu + 1 };
	setrlimit(RLIMIT_CPU, &cpu_rl);
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

/* a memfd holding text, read from its start (bwrap's --ro-bind-data); -1
 * after reporting why */
static int data_fd(const char *name, const char *text)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return error("cannot create the memfd '%s': %s", name, strerror(errno));
	size_t len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		int e = errno;
		close(fd);
		return error("cannot write the memfd '%s': %s", name, strerror(e));
	}
	return fd;
}

static void close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

void sandbox_run_init(struct sandbox_run *r, const struct sandbox_limits *lim, const char *token)
{
	memset(r, 0, sizeof(*r));
	r->out_fd = r->res_fd = r->st_fd = -1;
	r->exit_code = -1;
	r->out_keep = lim->out_keep;
	r->out_max = lim->out_max;
	r->mem_kb = lim->mem_mb << 10;
	r->cpu_limit_ms = (double)(rlim_t)(lim->cpu_s + 0.999) * 1e3;
	snprintf(r->token, sizeof(r->token), "%s", token ? token : "");
}

int sandbox_start(struct sandbox_run *r, const struct sandbox_spec *spec)
{
	sandbox_run_init(r, &spec->lim, spec->token);

	/* data: the seccomp program, /etc/hosts, /etc/nsswitch.conf */
	int out[2] = { -1, -1 }, res[2] = { -1, -1 }, st[2] = { -1, -1 }, data[3] = { -1, -1, -1 };
	if (pipe2(out, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, res) < 0 ||
	    pipe2(st, O_CLOEXEC) < 0) {
		error("cannot create sandbox pipes: %s", strerror(errno));
		goto fail;
	}
	data[0] = seccomp_memfd();
	data[1] = data[0] < 0 ? -1 : data_fd("tokenbench-hosts", etc_hosts);
	data[2] = data[1] < 0 ? -1 : data_fd("tokenbench-nsswitch", etc_nsswitch);
	if (data[2] < 0)
		goto fail;
	struct argv a = { 0 };
	build_argv(&a, spec);
	long nproc = spec->lim.nproc + (spec->uid || geteuid() == 0 ? 0 : own_tasks());

	r->oom_start = sandbox_oom_kills();
	r->start_ms = clock_ms();
	r->deadline_ms = r->start_ms + spec->lim.wall_s * 1e3;
	r->next_check_ms = r->start_ms + WATCH_MS;
	pid_t pid = fork();
	if (pid == 0)
		child_exec(spec, a.v, out[1], res[1], st[1], data, nproc);
	int e = errno;
	argv_free(&a);
	if (pid < 0) {
		error("cannot fork a sandbox: %s", strerror(e));
		goto fail;
	}
	close(out[1]);
	close(res[1]);
	close(st[1]);
	for (int i = 0; i < 3; i++)
		close(data[i]);
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
fail:
	close_pair(out);
	close_pair(res);
	close_pair(st);
	for (int i = 0; i < 3; i++)
		if (data[i] >= 0)
			close(data[i]);
	return -1;
}

static void keep_output(struct sandbox_run *r, const char *p, size_t n)
{
	r->out_total += n;
	if (r->head.len < r->out_keep) {
		size_t take = r->out_keep - r->head.len;
		if (take > n)
			take = n;
		buf_append(&r->head, p, take);
	}
	if (r->out_total > r->head.len)
		r->truncated = 1;
	for (size_t i = 0; i < n; i++) {
		r->tail[r->tail_pos % sizeof(r->tail)] = p[i];
		r->tail_pos++;
	}
}

/* reads fd until it would block, or until a bounded amount was read (a
 * writer as fast as the reader must not hold the whole pool). Returns 1 at
 * EOF, 2 when more than cap came into a capped channel (nothing it carries
 * is that long: what was kept proves it, a too-long token never matches),
 * and closes fd then; 0 otherwise */
static int drain(int *fd, struct sandbox_run *r, struct buf *into, size_t cap)
{
	char chunk[65536];
	int end = 0;
	for (int i = 0; i < DRAIN_CHUNKS && !end; i++) {
		ssize_t n = read(*fd, chunk, sizeof(chunk));
		if (n > 0 && !into) {
			keep_output(r, chunk, (size_t)n);
			if (r->out_total > r->out_max)
				return 0;
		} else if (n > 0 && into->len + (size_t)n > cap) {
			buf_append(into, chunk, cap - into->len);
			end = 2;
		} else if (n > 0) {
			buf_append(into, chunk, (size_t)n);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return 0;
		} else {
			end = 1;
		}
	}
	if (end) {
		close(*fd);
		*fd = -1;
	}
	return end;
}

void sandbox_kill(struct sandbox_run *r)
{
	if (r->pid > 0 && !r->finished) {
		r->harness_killed = 1;
		kill(-r->pid, SIGKILL);
		kill(r->pid, SIGKILL);
	}
}

/* the number after "key": in bwrap's status stream, or -1 */
static long status_field(const struct sandbox_run *r, const char *key)
{
	const char *x = strstr(buf_str(&r->status), key);
	const char *colon = x ? strchr(x, ':') : NULL;
	return colon ? atol(colon + 1) : -1;
}

/* the outer bwrap has closed its status stream: it is exiting */
static void reap_outer(struct sandbox_run *r, double now)
{
	int st = 0;
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	long child = status_field(r, "\"child-pid\"");
	r->started = child > 0;
	r->init_pid = child > 0 ? (pid_t)child : 0;
	r->exit_code = (int)status_field(r, "\"exit-code\"");
	if (r->exit_code < 0 && WIFSIGNALED(st))
		r->outer_signal = WTERMSIG(st); /* bwrap itself was killed */
	if (r->exit_code < 0)
		r->exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->pid = 0;
	r->outer_done = 1;
	r->outer_end_ms = now;
	r->next_check_ms = now + INIT_POLL_MS;
}

/* whether the pid namespace's init is gone, and with it everything in the
 * sandbox (a dying init first kills and reaps every process of its
 * namespace). bubblewrap does not wait for it: as its adopter (see
 * sandbox_adopt_orphans) this process reaps it, and its rusage then covers
 * the tree; otherwise it is gone once its pid is */
static int init_gone(struct sandbox_run *r)
{
	if (r->init_pid <= 0)
		return 1;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	pid_t w = wait4(r->init_pid, NULL, WNOHANG, &ru);
	if (w == r->init_pid) {
		r->cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		return 1;
	}
	return w < 0 && kill(r->init_pid, 0) < 0 && errno == ESRCH;
}

static void finish(struct sandbox_run *r, double now)
{
	if (r->out_fd >= 0)
		drain(&r->out_fd, r, NULL, 0);
	if (r->res_fd >= 0)
		drain(&r->res_fd, r, &r->res, 256);
	r->token_ok = r->token[0] && r->res.len == strlen(r->token) &&
		      memcmp(r->res.data, r->token, r->res.len) == 0;
	long oom = sandbox_oom_kills();
	r->oom_kills = oom >= 0 && r->oom_start >= 0 && oom > r->oom_start ? oom - r->oom_start : 0;
	r->end_ms = now;
	r->finished = 1;
}

long sandbox_oom_kills(void)
{
	char text[8192];
	int fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	while (len < sizeof(text) - 1) {
		ssize_t n = read(fd, text + len, sizeof(text) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	const char *p = strstr(text, "\noom_kill ");
	return p ? atol(p + 10) : -1;
}

/* the memory one process holds, in kB: its proportional share of resident
 * pages (Pss), so that pages a fork shares with its parent count once
 * across the tree; the plain resident size where that cannot be read */
static long process_mem_kb(const char *pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	if (fd >= 0)
		close(fd);
	text[n > 0 ? n : 0] = '\0';
	const char *pss = strstr(text, "\nPss:");
	if (pss)
		return atol(pss + 5);
	snprintf(path, sizeof(path), "/proc/%s/statm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	if (fd >= 0)
		close(fd);
	long size = 0, resident = 0;
	text[n > 0 ? n : 0] = '\0';
	if (sscanf(text, "%ld %ld", &size, &resident) != 2)
		return 0;
	return resident * (sysconf(_SC_PAGESIZE) >> 10);
}

/* the memory (kB) root and its descendants hold, found through the children
 * lists of every thread (daemons are re-parented to the pid namespace's
 * init, which is in the tree); bounded by the rlimit on processes anyway,
 * and here by the stack and a count of visits */
static long tree_mem_kb(pid_t root)
{
	char stack[512][16];
	size_t n = 0;
	long total = 0;
	snprintf(stack[n++], sizeof(stack[0]), "%d", (int)root);
	/* a tree has no cycles, but it changes while it is read: bound the walk */
	for (int visits = 0; n && visits < 4096; visits++) {
		char pid[16];
		memcpy(pid, stack[--n], sizeof(pid));
		total += process_mem_kb(pid);
		char path[96];
		snprintf(path, sizeof(path), "/proc/%s/task", pid);
		DIR *d = opendir(path);
		if (!d)
			continue;
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%.16s/children", pid, de->d_name);
			FILE *f = fopen(path, "re");
			if (!f)
				continue;
			long child;
			while (fscanf(f, "%ld", &child) == 1 && n < sizeof(stack) / sizeof(*stack))
				snprintf(stack[n++], sizeof(stack[0]), "%ld", child);
			fclose(f);
		}
		closedir(d);
	}
	return total;
}

int sandbox_read(struct sandbox_run *r)
{
	if (r->out_fd >= 0)
		drain(&r->out_fd, r, NULL, 0);
	if (r->res_fd >= 0)
		drain(&r->res_fd, r, &r->res, 256);
	return r->out_total > r->out_max;
}

void sandbox_end(struct sandbox_run *r, double now)
{
	finish(r, now);
}

void sandbox_poll(struct sandbox_run *r, double now)
{
	if (r->finished)
		return;
	if (r->outer_done) {
		/* the verdict waits until nothing of the run is left, so that the
		 * slot's next sandbox starts with its uid's process count at zero */
		if (init_gone(r) || now >= r->outer_end_ms + INIT_WAIT_MS)
			finish(r, now);
		else
			r->next_check_ms = now + INIT_POLL_MS;
		return;
	}
	if (r->out_fd >= 0) {
		drain(&r->out_fd, r, NULL, 0);
		if (r->out_total > r->out_max && !r->output_killed) {
			r->output_killed = 1;
			sandbox_kill(r);
		}
	}
	if (r->res_fd >= 0)
		drain(&r->res_fd, r, &r->res, 256);
	if (r->st_fd >= 0 && drain(&r->st_fd, r, &r->status, 65536)) {
		reap_outer(r, now);
		if (init_gone(r))
			finish(r, now);
		return;
	}
	if (now >= r->deadline_ms && !r->timed_out) {
		r->timed_out = 1;
		sandbox_kill(r);
	}
	if (now >= r->next_check_ms && !r->mem_killed) {
		long kb = tree_mem_kb(r->pid);
		if (kb > r->peak_kb)
			r->peak_kb = kb;
		if (kb > r->mem_kb) {
			r->mem_killed = 1;
			sandbox_kill(r);
		}
		r->next_check_ms = now + WATCH_MS;
	}
}

double sandbox_next_ms(const struct sandbox_run *r)
{
	if (r->finished)
		return 0;
	if (r->outer_done)
		return r->next_check_ms;
	return r->next_check_ms < r->deadline_ms ? r->next_check_ms : r->deadline_ms;
}

int sandbox_fds(const struct sandbox_run *r, int fds[SANDBOX_MAX_FDS])
{
	int n = 0;
	if (r->finished || r->outer_done)
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

uid_t sandbox_uid(uid_t base, int slot)
{
	return base + ((uid_t)getpid() & 0x3fffff) * 256 + (uid_t)(slot & 255);
}

void sandbox_adopt_orphans(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

/* whether pid's command name is bwrap (zombies keep theirs) */
static int is_bwrap(pid_t pid)
{
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	return n > 0 && strncmp(comm, "bwrap\n", 6) == 0;
}

void sandbox_reap_orphans(const pid_t *live, size_t n)
{
	/* waitid without WNOWAIT would take any child: peek first. It shows
	 * the oldest exited child; when that one is not ours to reap, the
	 * others wait for a later call */
	for (int round = 0; round < 64; round++) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		for (size_t i = 0; i < n; i++)
			if (live[i] == si.si_pid)
				return;
		if (!is_bwrap(si.si_pid))
			return;
		waitpid(si.si_pid, NULL, WNOHANG);
	}
}

void sandbox_reap_all(double max_ms)
{
	double end = clock_ms() + max_ms;
	for (;;) {
		sandbox_reap_orphans(NULL, 0);
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || clock_ms() >= end)
			return; /* ECHILD: none left */
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int sandbox_check(void)
{
	if (seccomp_check() < 0)
		return -1;
	if (access(BWRAP, X_OK) < 0)
		return error("bubblewrap is not installed (%s); run scripts/install-deps", BWRAP);
	return 0;
}
