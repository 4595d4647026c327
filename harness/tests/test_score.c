/* test_score.c - the sandbox pool: it refuses to start without a secret for
 * the anti-cheat tokens (getrandom made to fail by a seccomp filter in a
 * child, which then runs the real eval-predictions), and at full width it
 * hands out every running sandbox's fds within scorer_max_fds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "cmd/cmd.h"
#include "core/suite.h"
#include "score/score.h"
#include "tests.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* from here on, getrandom fails with ENOSYS (as on a kernel without it) */
static int deny_getrandom(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { .len = sizeof(f) / sizeof(*f), .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return -1;
	return 0;
}

/* tokenbench eval-predictions --gold, in this (child) process; _exit with
 * its exit code (no exit hooks: LeakSanitizer's would report the parent's
 * memory); 100 when the filter could not be installed */
static void eval_gold(void *arg)
{
	char *out = arg;
	if (arg && strstr(out, "/denied") && deny_getrandom() < 0)
		_exit(100);
	char *argv[] = { "eval-predictions", "--suite", "tasks/starter", "--gold", "--jobs", "1",
			 "--out", out, "--quiet", NULL };
	optind = 0;
	_exit(cmd_eval(9, argv));
}

/* scorer_new alone: 0 when it made a pool */
static void new_pool(void *arg)
{
	if (arg && deny_getrandom() < 0)
		_exit(100);
	struct scorer_opts so = { .jobs = 1 };
	sandbox_limits_default(&so.lim);
	struct scorer *s = scorer_new(&so);
	int ok = s != NULL;
	scorer_free(s);
	_exit(ok ? 0 : 9);
}

void test_scorer_token_fails_closed(void)
{
	struct buf err = BUF_INIT;
	/* with getrandom, a pool starts; without it, none does */
	CHECK(test_child(new_pool, NULL, &err) == 0);
	buf_reset(&err);
	CHECK(test_child(new_pool, "deny", &err) == 9);
	CHECK(strstr(buf_str(&err), "cannot draw the secret of the anti-cheat tokens") != NULL);
	CHECK(strstr(buf_str(&err), "getrandom: Function not implemented") != NULL);
	buf_reset(&err);
	/* the whole command stops with a system error (exit 3) before it scores anything */
	char *out = xasprintf("%s/denied", test_tmpdir());
	int rc = test_child(eval_gold, out, &err);
	if (rc != 3)
		fprintf(stderr, "  eval-predictions without getrandom: exit %d, stderr:\n%s\n", rc, buf_str(&err));
	CHECK(rc == 3);
	CHECK(strstr(buf_str(&err), "tokenbench: error: cannot draw the secret of the anti-cheat tokens") != NULL);
	char *samples = xasprintf("%s/samples.jsonl", out);
	struct buf text = BUF_INIT;
	CHECK(!path_exists(samples) || (file_read(samples, &text) == 0 && text.len == 0));
	buf_release(&text);
	free(samples);
	free(out);
	buf_release(&err);
}

/* an answer that is still running when the test looks */
static const char sleeper[] = "import time\ntime.sleep(5)\n";

static void count_done(void *arg, struct verdict *v)
{
	(void)v;
	(*(int *)arg)++;
}

/* with every slot busy and two jobs queued: all the fds the pool hands out
 * are open and distinct, and within scorer_max_fds; zygote: 0 or 1 */
static void fds_full_width(int zygote)
{
	struct suite su;
	suite_init(&su);
	CHECK(suite_load(&su, "tasks/starter") == 0);
	const struct task *t = suite_find(&su, "py/add_minutes");
	CHECK(t != NULL);
	struct scorer_opts so = { .jobs = 4, .zygote = zygote };
	sandbox_limits_default(&so.lim);
	struct scorer *s = t ? scorer_new(&so) : NULL;
	CHECK(s != NULL);
	if (!s) {
		suite_release(&su);
		return;
	}
	int jobs = scorer_jobs(s), max = scorer_max_fds(s), done = 0;
	CHECK(jobs >= 1 && jobs <= 4 && max == SCORER_SLOT_FDS * jobs);
	for (int i = 0; i < jobs + 2; i++) /* every slot busy, two queued */
		scorer_submit(s, t, sleeper, ANSWER_SOLUTION, count_done, &done);
	scorer_step(s);
	int *fds = xmallocarray((size_t)max, sizeof(*fds));
	int n = scorer_fds(s, fds, max);
	/* each running sandbox has its output, result channel and status open;
	 * with a zygote, the test's output, token channel and a copy of the
	 * control socket, and the zygote's output, status and control socket */
	CHECK(n == jobs * (zygote ? 6 : SANDBOX_MAX_FDS) && n <= max);
	CHECK(done == 0 && scorer_pending(s) == (size_t)jobs + 2);
	for (int i = 0; i < n; i++) {
		CHECK(fcntl(fds[i], F_GETFD) >= 0);
		for (int k = 0; k < i; k++)
			CHECK(fds[k] != fds[i]);
	}
	CHECK(scorer_fds(s, fds, 2) == 2); /* a smaller array is never overrun */
	free(fds);
	scorer_free(s); /* kills what runs */
	CHECK(done == 0);
	suite_release(&su);
}

void test_scorer_fds_full_width(void)
{
	fds_full_width(0);
	fds_full_width(1);
}
