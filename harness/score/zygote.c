/* zygote.c - a warm Python interpreter per sandbox slot (zygote.h).
 *
 * Where the isolation comes from. The zygote runs in the sandbox a test
 * would get (sandbox.c: bubblewrap's namespaces, the seccomp filter, the
 * rlimits, the slot's uid), so every child inherits all of that and cannot
 * shed it: the filter is installed by bubblewrap and is never undone, and
 * it allows a plain fork (clone without namespace flags). Each test is a
 * child forked for it, so no two tests share a process: a monkey-patched
 * builtin, a changed environment or a signal handler dies with its child.
 * The child takes its own session (setsid), its own output and token
 * channel (the harness passes them over the control socket, SCM_RIGHTS),
 * closes every other fd (the control socket among them) before it reads
 * the token, sets the test's CPU limit and runs the driver's logic. When
 * the child ends, or the harness asks (deadline, output cap), the zygote
 * sends SIGKILL to every process of the pid namespace but itself and its
 * init (kill(-1) semantics: daemons, setsid and double forks included;
 * orphans come to it as the subreaper), reaps them, reports the child's
 * raw wait status and the CPU they used, then empties /work, /tmp and
 * /dev/shm and restores their modes, and checks that no process (kill(-1,
 * 0) finds none) and no System V IPC object is left: otherwise it exits,
 * and a new one is started for the next test.
 *
 * What a test costs here is mostly page faults: after each fork every page
 * the child or the zygote writes first is copied or write-enabled, and on
 * a virtual machine each fault can be dear (10-50 us measured on the
 * project's 2-core VM). So the zygote preloads no module that registers an
 * at-fork hook (threading, and random with statistics, which imports it:
 * their hooks ran Python code in every child, about 160 faults a test),
 * compiles and runs a small program of a test's usual shapes before it
 * forks, so that what the compiler sets up on first use is set up once
 * here (a child's compile then takes about half the faults), reads the
 * test with os.read rather than a text file object, and keeps its own work
 * between tests small (no scan of /proc, one poll object).
 *
 * Attacks on the zygote. It is non-dumpable (PR_SET_DUMPABLE 0), so its
 * /proc files (mem, fd, environ, maps) are closed to the tests although
 * they run as the same uid; ptrace, process_vm_readv/writev and pidfd_getfd
 * are refused by the seccomp filter; this kernel has no Yama (no
 * /proc/sys/kernel/yama), so nothing else would stop a same-uid reader: the
 * non-dumpable flag is the wall. A test can still signal it (same uid):
 * SIGKILL or SIGTERM ends it, SIGSTOP hangs it. Either way the harness sees
 * the zygote's sandbox end, or no report by the test's deadline plus a
 * grace, kills the zygote's sandbox and runs the test again on the
 * ordinary path; what the test did cannot make it pass.
 *
 * Known differences from a fresh interpreter: the hash seed and the
 * modules imported here are the zygote's (random is not among them: a test
 * that imports it seeds a fresh one), and the tests' processes share the
 * slot's pid count with the zygote and its init (the zygote's sandbox gets
 * one more process to make up for it). */
#define _GNU_SOURCE
#include "score/zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

/* how long past its deadline a test may go unreported before the zygote is
 * taken for hung */
#define HANG_GRACE_MS 2000
/* how long zygote_stop waits for the sandbox to empty */
#define STOP_WAIT_MS 2000

static const char zygote_py[] =
	"# tokenbench zygote: a warm interpreter in a sandbox slot (score/zygote.c).\n"
	"# It never runs an answer itself: each test is a child forked from it that\n"
	"# takes its own fds, limits and session before the answer's code runs, and\n"
	"# is killed with everything it started when the test ends.\n"
	"import os, sys, signal, select, socket, resource, time, stat, gc, ctypes\n"
	"_libc = ctypes.CDLL(None, use_errno=True)\n"
	"# non-dumpable: its /proc files (mem, fd, environ) are closed to the tests,\n"
	"# which run as the same uid; PR_SET_DUMPABLE 4, PR_SET_CHILD_SUBREAPER 36\n"
	"if _libc.prctl(4, 0, 0, 0, 0) != 0 or _libc.prctl(36, 1, 0, 0, 0) != 0:\n"
	"    os._exit(70)\n"
	"# the modules tests usually import, imported once here\n"
	"import math, re, string, collections, itertools, functools, heapq, bisect, typing, hashlib\n"
	"import fractions, decimal, copy, json, operator, datetime, array, struct, io, traceback\n"
	"import atexit\n"
	"_CTL = os.dup(3)\n"
	"os.close(3)\n"
	"_ctl = socket.socket(fileno=_CTL)\n"
	"_WRITABLE = ('/work', '/tmp', '/dev/shm')\n"
	"_MODES = {d: stat.S_IMODE(os.stat(d).st_mode) for d in _WRITABLE}\n"
	"\n"
	"\n"
	"def _say(text):\n"
	"    _ctl.sendall(text.encode())\n"
	"\n"
	"\n"
	"def _exit_code(e):\n"
	"    c = e.code\n"
	"    if c is None:\n"
	"        return 0\n"
	"    if isinstance(c, int):\n"
	"        return c & 0xff\n"
	"    try:\n"
	"        print(c, file=sys.stderr)\n"
	"    except BaseException:\n"
	"        pass\n"
	"    return 1\n"
	"\n"
	"\n"
	"def _read(path):\n"
	"    fd = os.open(path, os.O_RDONLY)\n"
	"    parts = []\n"
	"    while True:\n"
	"        part = os.read(fd, 1 << 20)\n"
	"        if not part:\n"
	"            break\n"
	"        parts.append(part)\n"
	"    os.close(fd)\n"
	"    return b''.join(parts).decode('utf-8', 'replace')\n"
	"\n"
	"\n"
	"def _child(fds, cpu, path):\n"
	"    \"\"\"the test: never returns\"\"\"\n"
	"    code = 1\n"
	"    try:\n"
	"        os.setsid()\n"
	"        os.dup2(fds[0], 1)\n"
	"        os.dup2(fds[0], 2)\n"
	"        os.dup2(fds[1], 3)\n"
	"        os.closerange(4, 1 << 16)\n"
	"        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))\n"
	"        _libc.prctl(4, 1, 0, 0, 0)\n"
	"        os.chdir('/work')\n"
	"        # what /tbh/driver.py does in a fresh interpreter\n"
	"        token = os.read(3, 80)\n"
	"        globals()['_tb_token'] = token  # where /tbh/driver.py keeps it\n"
	"        src = _read(path)\n"
	"        sys.argv = [path]\n"
	"        try:\n"
	"            exec(compile(src, path, 'exec'), {'__name__': '__main__', '__file__': path,\n"
	"                                              '__builtins__': __builtins__})\n"
	"            sys.stdout.flush()\n"
	"            sys.stderr.flush()\n"
	"            os.write(3, token)\n"
	"            code = 0\n"
	"        except SystemExit as e:\n"
	"            code = _exit_code(e)\n"
	"        except KeyboardInterrupt:\n"
	"            sys.excepthook(*sys.exc_info())\n"
	"            code = 130\n"
	"        except BaseException:\n"
	"            sys.excepthook(*sys.exc_info())\n"
	"            code = 1\n"
	"        # the interpreter's end: threads, atexit, standard streams\n"
	"        try:\n"
	"            if 'threading' in sys.modules:\n"
	"                sys.modules['threading']._shutdown()\n"
	"        except BaseException:\n"
	"            pass\n"
	"        atexit._run_exitfuncs()\n"
	"        for s in (sys.stdout, sys.stderr):\n"
	"            try:\n"
	"                s.flush()\n"
	"            except BaseException:\n"
	"                code = code or 120\n"
	"    finally:\n"
	"        os._exit(code)\n"
	"\n"
	"\n"
	"def _kill_all():\n"
	"    try:\n"
	"        os.kill(-1, signal.SIGKILL)\n"
	"    except ProcessLookupError:\n"
	"        pass\n"
	"\n"
	"\n"
	"def _reap_all(pid):\n"
	"    \"\"\"kills every process but init and this one (the pid namespace is the\n"
	"    slot's), reaps them; the child's wait status and the CPU they used\"\"\"\n"
	"    status, cpu, end = None, 0.0, time.monotonic() + 2\n"
	"    while True:\n"
	"        _kill_all()\n"
	"        try:\n"
	"            w, st, ru = os.wait4(-1, os.WNOHANG)\n"
	"        except ChildProcessError:\n"
	"            break\n"
	"        if w == 0:\n"
	"            if time.monotonic() > end:\n"
	"                os._exit(73)\n"
	"            time.sleep(0.0005)\n"
	"            continue\n"
	"        cpu += ru.ru_utime + ru.ru_stime\n"
	"        if w == pid:\n"
	"            status = st\n"
	"    try:\n"
	"        os.kill(-1, 0)\n"
	"        os._exit(74)  # a process no wait could reap\n"
	"    except ProcessLookupError:\n"
	"        pass\n"
	"    return status, cpu\n"
	"\n"
	"\n"
	"def _remove(path):\n"
	"    st = os.lstat(path)\n"
	"    if stat.S_ISDIR(st.st_mode):\n"
	"        os.chmod(path, 0o700)\n"
	"        for n in os.listdir(path):\n"
	"            _remove(os.path.join(path, n))\n"
	"        os.rmdir(path)\n"
	"    else:\n"
	"        os.unlink(path)\n"
	"\n"
	"\n"
	"def _clean():\n"
	"    \"\"\"the writable places as they were; anything left makes this zygote\n"
	"    exit, and the harness starts another\"\"\"\n"
	"    for d in _WRITABLE:\n"
	"        os.chmod(d, _MODES[d])\n"
	"        for n in os.listdir(d):\n"
	"            _remove(os.path.join(d, n))\n"
	"        if os.listdir(d):\n"
	"            os._exit(75)\n"
	"    for k in _IPC:\n"
	"        fd = os.open(k, os.O_RDONLY)\n"
	"        text = os.read(fd, 4096)\n"
	"        os.close(fd)\n"
	"        if text.count(b'\\n') > 1:\n"
	"            os._exit(76)\n"
	"\n"
	"\n"
	"# a test's usual shapes, compiled and run once here, so that what the\n"
	"# compiler and the interpreter set up on first use (the AST types among\n"
	"# them) is set up before the fork rather than in every child\n"
	"_WARM = '''\n"
	"from typing import List, Optional, Tuple\n"
	"import math\n"
	"def _f(numbers: List[float], threshold: float) -> bool:\n"
	"    \"\"\"a docstring\"\"\"\n"
	"    for i, a in enumerate(numbers):\n"
	"        for j, b in enumerate(numbers):\n"
	"            if i != j and abs(a - b) < threshold:\n"
	"                return True\n"
	"    return False\n"
	"class _C:\n"
	"    def __init__(self, n):\n"
	"        self.v = [k * 2 for k in range(n) if k % 2] + list({1: 2}.items())\n"
	"def check(candidate):\n"
	"    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True, f\"{candidate!r} {1:.2f}\"\n"
	"    assert candidate([1.0, 2.0], 0.05) == False\n"
	"    words = sorted(set(\"a b\".upper().lower().split()), key=lambda w: (len(w), w))\n"
	"    try:\n"
	"        raise ValueError(words)\n"
	"    except ValueError:\n"
	"        pass\n"
	"    return _C(3).v, math.sqrt(4)\n"
	"check(_f)\n"
	"'''\n"
	"\n"
	"\n"
	"_IPC = ('/proc/sysvipc/shm', '/proc/sysvipc/sem', '/proc/sysvipc/msg')\n"
	"_fds = []\n"
	"\n"
	"\n"
	"def _lines(buf):\n"
	"    \"\"\"reads until a whole line; returns (line, rest); the fds that came\n"
	"    with it go to _fds\"\"\"\n"
	"    while b'\\n' not in buf:\n"
	"        msg, got, _, _ = socket.recv_fds(_ctl, 512, 4)\n"
	"        _fds.extend(got)\n"
	"        if not msg:\n"
	"            _kill_all()\n"
	"            os._exit(0)\n"
	"        buf += msg\n"
	"    line, _, rest = buf.partition(b'\\n')\n"
	"    return line.decode(), rest\n"
	"\n"
	"\n"
	"def main():\n"
	"    exec(compile(_WARM, '<warm-up>', 'exec'), {'__name__': '__warm__'})\n"
	"    gc.collect()\n"
	"    gc.freeze()\n"
	"    buf = b''\n"
	"    p = select.poll()\n"
	"    p.register(_CTL, select.POLLIN)\n"
	"    while True:\n"
	"        _say('Z\\n')\n"
	"        line, buf = _lines(buf)\n"
	"        while line == 'K':\n"
	"            line, buf = _lines(buf)\n"
	"        fds = _fds[:]\n"
	"        del _fds[:]\n"
	"        word = line.split(' ')\n"
	"        if word[0] != 'T' or len(word) != 3 or len(fds) != 2:\n"
	"            os._exit(77)\n"
	"        cpu, path = int(word[1]), word[2]\n"
	"        sys.stdout.flush()\n"
	"        sys.stderr.flush()\n"
	"        pid = os.fork()\n"
	"        if pid == 0:\n"
	"            _child(fds, cpu, path)\n"
	"        for f in fds:\n"
	"            os.close(f)\n"
	"        pidfd = os.pidfd_open(pid)\n"
	"        p.register(pidfd, select.POLLIN)\n"
	"        done = False\n"
	"        while not done:\n"
	"            for fd, _ in p.poll():\n"
	"                if fd == pidfd:\n"
	"                    done = True\n"
	"                elif fd == _CTL:\n"
	"                    msg = _ctl.recv(512)\n"
	"                    if not msg:\n"
	"                        _kill_all()\n"
	"                        os._exit(0)\n"
	"                    buf += msg\n"
	"                    if b'K\\n' in buf:\n"
	"                        buf = buf.replace(b'K\\n', b'')\n"
	"                        done = True\n"
	"        p.unregister(pidfd)\n"
	"        os.close(pidfd)\n"
	"        status, cpu_s = _reap_all(pid)\n"
	"        _say('E %d %d\\n' % (status, int(cpu_s * 1e6)))\n"
	"        _clean()\n"
	"\n"
	"\n"
	"main()\n";

int zygote_write_harness(const char *dir)
{
	char *path = xasprintf("%s/zygote.py", dir);
	int rc = file_write(path, zygote_py, sizeof(zygote_py) - 1, 0644);
	free(path);
	return rc;
}

void zygote_init(struct zygote *z)
{
	memset(z, 0, sizeof(*z));
	z->ctl = -1;
	z->pending[0] = z->pending[1] = -1;
	z->run.out_fd = z->run.res_fd = z->run.st_fd = -1;
}

int zygote_start(struct zygote *z, const struct sandbox_spec *spec)
{
	static const char *const argv[] = { "/usr/bin/python3", "-I", "-B", "/tbh/zygote.py", NULL };
	struct sandbox_spec zs = *spec;
	zs.argv = argv;
	zs.token = NULL;
	zs.lim.wall_s = 1e9;
	zs.lim.cpu_s = 1e9;
	zs.lim.nproc = spec->lim.nproc + 1; /* itself: the tests keep their own allowance */
	zygote_stop(z);
	if (sandbox_start(&z->run, &zs) < 0)
		return -1;
	z->ctl = z->run.res_fd;
	z->run.res_fd = -1;
	z->on = 1;
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* sends the waiting test: its line and its two fds */
static int send_test(struct zygote *z)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "T %ld %s\n", z->pending_cpu, z->path);
	struct iovec iov = { line, (size_t)n };
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), z->pending, 2 * sizeof(int));
	ssize_t w = sendmsg(z->ctl, &mh, MSG_NOSIGNAL);
	z->ready = 0; /* until it says so again, after this test and its cleanup */
	close_fd(&z->pending[0]);
	close_fd(&z->pending[1]);
	return w == n ? 0 : -1;
}

int zygote_test(struct zygote *z, struct sandbox_run *r, const struct sandbox_limits *lim, const char *path,
		const char *token)
{
	int out[2] = { -1, -1 }, res[2] = { -1, -1 };
	sandbox_run_init(r, lim, token);
	if (!z->on || z->busy)
		return error("the slot's zygote is not ready for a test");
	if (pipe2(out, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, res) < 0) {
		error("cannot create a test's pipes: %s", strerror(errno));
		goto fail;
	}
	r->st_fd = fcntl(z->ctl, F_DUPFD_CLOEXEC, 0); /* wakes the caller's poll when the zygote speaks */
	if (r->st_fd < 0) {
		error("cannot duplicate the zygote's control socket: %s", strerror(errno));
		goto fail;
	}
	r->out_fd = out[0];
	r->res_fd = res[0];
	fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(r->res_fd, F_SETFL, O_NONBLOCK);
	z->pending[0] = out[1];
	z->pending[1] = res[1];
	z->pending_cpu = (long)(lim->cpu_s + 0.999);
	snprintf(z->path, sizeof(z->path), "%s", path);
	z->busy = 1;
	z->kill_sent = 0;
	z->run.peak_kb = 0; /* the watchdog's peak, for this test */
	r->oom_start = sandbox_oom_kills();
	r->start_ms = clock_ms();
	r->deadline_ms = r->start_ms + lim->wall_s * 1e3;
	r->next_check_ms = r->deadline_ms;
	if (r->token[0])
		send(r->res_fd, r->token, strlen(r->token), MSG_NOSIGNAL | MSG_DONTWAIT);
	if (z->ready && send_test(z) < 0) {
		error("cannot hand a test to the slot's zygote: %s", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&res[0]);
	close_fd(&res[1]);
	z->pending[0] = z->pending[1] = -1;
	close_fd(&r->st_fd);
	r->out_fd = r->res_fd = -1;
	z->busy = 0;
	return -1;
}

/* one line the zygote said: "Z" ready (at its start and after each test's
 * cleanup: a test's clock starts when it is handed over), "E status
 * cpu_us" a test ended.
 * 1 when a test ended (r filled), 0 otherwise, -1 for garbage */
static int take_line(struct zygote *z, const char *line, struct sandbox_run *r, double now)
{
	int status;
	long long cpu_us;
	if (strcmp(line, "Z") == 0 && !z->ready) {
		z->ready = z->was_ready = 1;
		if (z->busy && z->pending[0] >= 0) {
			if (send_test(z) < 0)
				return -1;
			if (r) {
				/* the test's clock starts when the zygote can take it */
				double wall_ms = r->deadline_ms - r->start_ms;
				r->oom_start = sandbox_oom_kills();
				r->start_ms = now;
				r->deadline_ms = now + wall_ms;
				r->next_check_ms = r->deadline_ms;
			}
		}
		return 0;
	}
	if (r && z->busy && z->pending[0] < 0 && sscanf(line, "E %d %lld", &status, &cpu_us) == 2) {
		r->started = 1;
		r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
		r->cpu_ms = (double)cpu_us / 1e3;
		z->busy = 0;
		z->tests++;
		return 1;
	}
	return -1;
}

/* reads what the zygote said; 1 when the test ended, 0, -1 on garbage or
 * when the socket closed */
static int read_ctl(struct zygote *z, struct sandbox_run *r, double now)
{
	char chunk[256];
	int ended = 0;
	for (;;) {
		ssize_t n = recv(z->ctl, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0 || z->in.len + (size_t)n > 4096)
			return -1;
		buf_append(&z->in, chunk, (size_t)n);
	}
	char *nl;
	while ((nl = memchr(z->in.data, '\n', z->in.len))) {
		*nl = '\0';
		int rc = take_line(z, z->in.data, r, now);
		size_t used = (size_t)(nl - z->in.data) + 1;
		memmove(z->in.data, nl + 1, z->in.len - used);
		z->in.len -= used;
		if (rc < 0)
			return -1;
		ended |= rc;
	}
	return ended;
}

int zygote_poll(struct zygote *z, struct sandbox_run *r, double now)
{
	if (!z->on)
		return r ? -1 : 0;
	sandbox_poll(&z->run, now);
	int ended = z->run.finished ? -1 : read_ctl(z, r, now);
	if (!r) {
		if (ended != 0)
			zygote_stop(z);
		return 0;
	}
	if (r->finished)
		return 1;
	if (sandbox_read(r) && !r->output_killed)
		r->output_killed = 1;
	if (ended == 0 && now >= r->deadline_ms && !r->timed_out && !r->output_killed)
		r->timed_out = 1;
	if (ended == 0 && z->pending[0] >= 0 && now >= r->deadline_ms)
		ended = -1; /* never ready for the test */
	if (ended == 0 && (r->timed_out || r->output_killed) && !z->kill_sent && z->pending[0] < 0) {
		z->kill_sent = 1;
		r->harness_killed = 1; /* the zygote kills the test for the harness */
		if (send(z->ctl, "K\n", 2, MSG_NOSIGNAL | MSG_DONTWAIT) != 2)
			ended = -1;
	}
	if (ended == 0 && now >= r->deadline_ms + HANG_GRACE_MS)
		ended = -1; /* asked to kill, or stopped by the test: no answer */
	if (ended == 1) {
		sandbox_end(r, now);
		return 1;
	}
	if (ended < 0) {
		int mem = z->run.mem_killed, never = !z->was_ready;
		r->mem_killed = mem;
		r->harness_killed = mem;
		r->peak_kb = z->run.peak_kb;
		r->started = mem;
		r->exit_code = mem ? 128 + SIGKILL : -1;
		zygote_stop(z);
		sandbox_end(r, now);
		return mem ? 1 : never ? -2 : -1;
	}
	return 1;
}

int zygote_fds(const struct zygote *z, int *fds)
{
	if (!z->on)
		return 0;
	int n = sandbox_fds(&z->run, fds);
	fds[n++] = z->ctl;
	return n;
}

int zygote_pids(const struct zygote *z, pid_t pids[2])
{
	int n = 0;
	if (z->run.pid > 0)
		pids[n++] = z->run.pid;
	if (z->run.init_pid > 0 && !z->run.finished)
		pids[n++] = z->run.init_pid;
	return n;
}

void zygote_stop(struct zygote *z)
{
	if (z->run.pid > 0 && !z->run.finished) {
		sandbox_kill(&z->run);
		/* bwrap's init dies a moment after it: wait, so that the slot's
		 * next sandbox starts with its uid's process count at zero */
		double end = clock_ms() + STOP_WAIT_MS;
		while (!z->run.finished && clock_ms() < end) {
			sandbox_poll(&z->run, clock_ms());
			struct timespec ts = { 0, 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	sandbox_release(&z->run);
	close_fd(&z->ctl);
	close_fd(&z->pending[0]);
	close_fd(&z->pending[1]);
	buf_release(&z->in);
	unsigned tests = z->tests;
	zygote_init(z);
	z->tests = tests;
}
