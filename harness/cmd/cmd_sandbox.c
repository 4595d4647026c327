/* cmd_sandbox.c - `tokenbench sandbox`: runs one command in the same sandbox
 * that scores answers, to see what test code sees, or measures what the
 * sandbox costs against a bare fork and exec (--bench N), or what a Python
 * test costs on either scoring path (--bench N --python FILE). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "score/program.h"
#include "score/sandbox.h"
#include "score/score.h"
#include "score/zygote.h"
#include "util/fileio.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

const struct cmd_doc doc_sandbox = {
	"sandbox", "[--bench N] [--wall S] [--mem-mb MB] -- COMMAND [ARG...]\n--bench N --python FILE\n--limits",
	"run a command in the scoring sandbox, or time the sandbox",
	"Runs COMMAND in the scoring sandbox: its output on standard output, what happened on standard error.",
	(const struct opt_doc[]){
		{ "bench", "N", 'b', NULL, "run it N times bare and N times sandboxed and print the medians" },
		{ "python", "FILE", 'p', NULL, "with --bench: FILE as a scored Python test N times on each path (a fresh sandbox, a zygote's child), against a bare python3 -c pass, interleaved; prints the medians" },
		{ "wall", "S", 'w', "a scoring job's", "the wall-clock and CPU limit in seconds" },
		{ "mem-mb", "MB", 'm', "a scoring job's", "the memory limit" },
		{ "limits", NULL, 'l', NULL, "print the limits of one scoring job as JSON (slot_mb: what a batch scheduler should reserve per --jobs)" },
		{ NULL, NULL, 0, NULL, NULL },
	},
};

/* when root, the sandbox runs as a uid of this process (sandbox_uid) */
#define SANDBOX_CMD_UID_BASE 0x7f000000u

/* runs spec to the end; 0, or -1 when it could not start (reported) */
static int run_once(const struct sandbox_spec *spec, struct sandbox_run *r)
{
	sandbox_reap_orphans(NULL, 0); /* what earlier runs left */
	if (sandbox_start(r, spec) < 0)
		return -1;
	while (!r->finished) {
		int fds[3];
		struct pollfd pfd[3];
		int n = sandbox_fds(r, fds);
		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		double wait = sandbox_next_ms(r) - clock_ms();
		poll(pfd, (nfds_t)n, wait < 0 ? 0 : wait > 1000 ? 1000 : (int)wait + 1);
		sandbox_poll(r, clock_ms());
	}
	return 0;
}

/* fork and exec argv with stdio on /dev/null, and wait; its wall time in ms,
 * or -1 */
static double run_bare(char *const *argv)
{
	double t0 = clock_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return clock_ms() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* the q-quantile of v[0..n) (sorts v) */
static double quantile(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	double pos = q * (n - 1);
	int i = (int)pos;
	return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

static int bench(const struct sandbox_spec *spec, char *const *argv, int n)
{
	double *bare = xcalloc((size_t)n, sizeof(*bare)), *boxed = xcalloc((size_t)n, sizeof(*boxed));
	int rc = EXIT_SYSTEM;
	/* interleaved, so that drift in the machine's load hits both alike */
	for (int i = 0; i < n; i++) {
		bare[i] = run_bare(argv);
		struct sandbox_run r;
		if (bare[i] < 0 || run_once(spec, &r) < 0) {
			error("run %d of '%s' failed", i + 1, argv[0]);
			goto out;
		}
		boxed[i] = r.end_ms - r.start_ms;
		int ok = r.started && r.exit_code == 0;
		sandbox_release(&r);
		if (!ok) {
			error("'%s' did not exit 0 in the sandbox", argv[0]);
			goto out;
		}
	}
	double b50 = quantile(bare, n, 0.5), s50 = quantile(boxed, n, 0.5);
	printf("%-10s %6s %10s %10s %10s\n", "", "runs", "p10 ms", "median ms", "p90 ms");
	printf("%-10s %6d %10.2f %10.2f %10.2f\n", "bare", n, quantile(bare, n, 0.1), b50, quantile(bare, n, 0.9));
	printf("%-10s %6d %10.2f %10.2f %10.2f\n", "sandboxed", n, quantile(boxed, n, 0.1), s50,
	       quantile(boxed, n, 0.9));
	printf("sandbox overhead: %.2f ms a run (median sandboxed - median bare)\n", s50 - b50);
	rc = EXIT_OK;
out:
	free(bare);
	free(boxed);
	return rc;
}

/* --bench N --python FILE: the scratch directory (driver and zygote in h/,
 * the program as tb/prog.py) */
struct pybench {
	char *root, *h, *tb;
	struct sandbox_bind binds[3];
	struct sandbox_spec spec;
	struct zygote zy;
};

static int pybench_init(struct pybench *b, const char *file)
{
	struct buf src = BUF_INIT;
	memset(b, 0, sizeof(*b));
	zygote_init(&b->zy);
	b->root = dir_make_temp();
	if (!b->root)
		return -1;
	b->h = xasprintf("%s/h", b->root);
	b->tb = xasprintf("%s/tb", b->root);
	char *prog = xasprintf("%s/prog.py", b->tb);
	int rc = file_read(file, &src) < 0 || dir_make(b->h, 0755) < 0 || dir_make(b->tb, 0755) < 0 ||
			 program_write_harness(b->h) < 0 || zygote_write_harness(b->h) < 0 ||
			 file_write(prog, buf_str(&src), src.len, 0644) < 0
		 ? -1
		 : 0;
	chmod(b->root, 0755);
	free(prog);
	buf_release(&src);
	b->binds[0] = (struct sandbox_bind){ b->tb, "/tb", 0 };
	b->binds[1] = (struct sandbox_bind){ b->h, "/tbh", 0 };
	b->binds[2] = (struct sandbox_bind){ NULL, "/work", 1 };
	static const char *const argv[] = { "/usr/bin/python3", "-I", "-B", "/tbh/driver.py", "/tb/prog.py", NULL };
	b->spec = (struct sandbox_spec){ .argv = argv, .binds = b->binds, .nbinds = 3, .chdir = "/work",
					 .uid = geteuid() == 0 ? sandbox_uid(SANDBOX_CMD_UID_BASE, 0) : 0,
					 .token = "0123456789abcdef0123456789abcdef" };
	sandbox_limits_default(&b->spec.lim);
	return rc;
}

static void pybench_release(struct pybench *b)
{
	zygote_stop(&b->zy);
	if (b->root)
		dir_remove(b->root);
	free(b->root);
	free(b->h);
	free(b->tb);
}

/* one test as a child of the zygote, from handing it over until the zygote
 * is ready for the next (its cleanup included); its wall ms, or -1 */
static double zygote_once(struct pybench *b)
{
	struct sandbox_run r;
	double t0 = clock_ms();
	if (!b->zy.on && zygote_start(&b->zy, &b->spec) < 0)
		return -1;
	if (zygote_test(&b->zy, &r, &b->spec.lim, "/tb/prog.py", b->spec.token) < 0)
		return -1;
	int rc = 1;
	while (rc > 0 && !(r.finished && b->zy.ready)) {
		int fds[2 * SANDBOX_MAX_FDS + 1];
		struct pollfd pfd[2 * SANDBOX_MAX_FDS + 1];
		int n = zygote_fds(&b->zy, fds);
		if (!r.finished)
			n += sandbox_fds(&r, fds + n);
		for (int i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		poll(pfd, (nfds_t)n, 100);
		if (!r.finished) {
			rc = zygote_poll(&b->zy, &r, clock_ms());
		} else {
			zygote_poll(&b->zy, NULL, clock_ms()); /* waits for its "ready" */
			rc = b->zy.on ? 1 : -1;
		}
	}
	int ok = rc > 0 && r.token_ok && r.exit_code == 0;
	double ms = clock_ms() - t0;
	sandbox_release(&r);
	return ok ? ms : -1;
}

static int bench_python(const char *file, int n)
{
	struct pybench b;
	double *v[3];
	for (int k = 0; k < 3; k++)
		v[k] = xcalloc((size_t)n, sizeof(*v[k]));
	char *const pass[] = { "/usr/bin/python3", "-c", "pass", NULL };
	int rc = EXIT_SYSTEM;
	if (pybench_init(&b, file) < 0)
		goto out;
	/* the zygote's start is not a test's cost: it happens once per slot */
	if (zygote_once(&b) < 0) {
		error("'%s' did not pass as a zygote's child", file);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		struct sandbox_run r;
		v[0][i] = run_bare(pass);
		if (v[0][i] < 0 || run_once(&b.spec, &r) < 0)
			goto out;
		v[1][i] = r.end_ms - r.start_ms;
		int ok = r.started && r.exit_code == 0 && r.token_ok;
		sandbox_release(&r);
		v[2][i] = zygote_once(&b);
		if (!ok || v[2][i] < 0) {
			error("'%s' did not pass on the %s path", file, ok ? "zygote" : "ordinary");
			goto out;
		}
	}
	static const char *const names[] = { "bare", "sandboxed", "zygote" };
	printf("%-10s %6s %10s %10s %10s\n", "", "runs", "p10 ms", "median ms", "p90 ms");
	for (int k = 0; k < 3; k++)
		printf("%-10s %6d %10.2f %10.2f %10.2f\n", names[k], n, quantile(v[k], n, 0.1), quantile(v[k], n, 0.5),
		       quantile(v[k], n, 0.9));
	printf("bare: python3 -c pass; sandboxed: the test in a fresh sandbox; zygote: a child of the slot's zygote\n");
	rc = EXIT_OK;
out:
	pybench_release(&b);
	for (int k = 0; k < 3; k++)
		free(v[k]);
	return rc;
}

/* --limits: one scoring job's limits, for sizing a batch job
 * (scripts/slurm/submit reads slot_mb) */
static int print_limits(void)
{
	struct sandbox_limits lim;
	sandbox_limits_default(&lim);
	cJSON *o = cJSON_CreateObject();
	json_add_num(o, "wall_s", lim.wall_s);
	json_add_num(o, "cpu_s", lim.cpu_s);
	cJSON_AddNumberToObject(o, "mem_mb", (double)lim.mem_mb);
	cJSON_AddNumberToObject(o, "compile_mem_mb", COMPILE_MEM_MB);
	cJSON_AddNumberToObject(o, "tmp_mb", (double)lim.tmp_mb);
	cJSON_AddNumberToObject(o, "shm_mb", (double)lim.shm_mb);
	cJSON_AddNumberToObject(o, "work_mb", (double)lim.work_mb);
	cJSON_AddNumberToObject(o, "nproc", (double)lim.nproc);
	cJSON_AddNumberToObject(o, "slot_mb", (double)scorer_slot_mb(&lim));
	char *text = cJSON_Print(o);
	puts(text);
	cJSON_free(text);
	cJSON_Delete(o);
	return EXIT_OK;
}

int cmd_sandbox(int argc, char **argv)
{
	struct option opts[HELP_MAX_OPTS + 2];
	help_getopt(&doc_sandbox, opts);
	int runs = 0, mem = 0, limits = 0, c;
	const char *python = NULL;
	double wall = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (opt_int("--bench", optarg, 1, 100000, &runs) < 0)
				return EXIT_USAGE;
			break;
		case 'w':
			if (opt_double("--wall", optarg, 0.1, &wall) < 0)
				return EXIT_USAGE;
			break;
		case 'm':
			if (opt_int("--mem-mb", optarg, 16, 1 << 20, &mem) < 0)
				return EXIT_USAGE;
			break;
		case 'l': limits = 1; break;
		case 'p': python = optarg; break;
		case 'h': help_print(&doc_sandbox, stdout); return EXIT_OK;
		default: help_usage(&doc_sandbox, stderr); return EXIT_USAGE;
		}
	}
	if (limits && optind == argc)
		return print_limits();
	if (python && runs > 0 && optind == argc) {
		if (sandbox_check() < 0)
			return EXIT_SYSTEM;
		sandbox_adopt_orphans();
		int brc = bench_python(python, runs);
		sandbox_reap_all(1000);
		return brc;
	}
	if (limits || python || optind >= argc) {
		help_usage(&doc_sandbox, stderr);
		return EXIT_USAGE;
	}
	if (sandbox_check() < 0)
		return EXIT_SYSTEM;
	sandbox_adopt_orphans();
	/* a private /work, as the run step of a test has */
	const struct sandbox_bind binds[] = { { NULL, "/work", 1 } };
	struct sandbox_spec spec = {
		.argv = (const char *const *)argv + optind,
		.binds = binds,
		.nbinds = 1,
		.chdir = "/work",
		.uid = geteuid() == 0 ? sandbox_uid(SANDBOX_CMD_UID_BASE, 0) : 0,
	};
	sandbox_limits_default(&spec.lim);
	if (wall > 0)
		spec.lim.wall_s = spec.lim.cpu_s = wall;
	if (mem > 0)
		spec.lim.mem_mb = mem;
	if (runs > 0) {
		int brc = bench(&spec, argv + optind, runs);
		sandbox_reap_all(1000);
		return brc;
	}

	struct sandbox_run r;
	if (run_once(&spec, &r) < 0)
		return EXIT_SYSTEM;
	fwrite(r.head.data ? r.head.data : "", 1, r.head.len, stdout);
	fflush(stdout);
	fprintf(stderr,
		"tokenbench: %s, exit %d, %.1f ms wall, %.1f ms cpu, %ld MB peak resident%s%s%s%s\n",
		r.started ? "started" : "did not start", r.exit_code, r.end_ms - r.start_ms, r.cpu_ms,
		r.peak_kb >> 10, r.timed_out ? ", timed out" : "", r.output_killed ? ", output limit" : "",
		r.mem_killed ? ", memory limit" : "", r.truncated ? ", output truncated" : "");
	int rc = r.started && r.exit_code == 0 && !r.timed_out ? EXIT_OK : EXIT_ATTENTION;
	sandbox_release(&r);
	sandbox_reap_all(1000);
	return rc;
}
