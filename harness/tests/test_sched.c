/* test_sched.c - the request loop's parts that stand alone: the poll set
 * and the record a verdict fills. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "check.h"
#include "engine/records.h"
#include "engine/sched_int.h"
#include "tests.h"
#include "util/fileio.h"
#include "util/xalloc.h"

struct fd_list {
	const int *fds;
	int n;
};

/* scorer_fds's contract over a list of fds */
static int list_source(const void *src, int *fds, int max)
{
	const struct fd_list *l = src;
	int n = l->n < max ? l->n : max;
	memcpy(fds, l->fds, (size_t)n * sizeof(*fds));
	return n;
}

/* more fds than the 256 a fixed array once held (a sandbox has 3, and the
 * pool runs up to 256 sandboxes): every one is polled, the last included */
void test_sched_pollset_many(void)
{
	enum { N = 300 };
	int fds[N];
	int made = 0;
	for (int i = 0; i < N; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		made += fds[i] >= 0;
	}
	CHECK(made == N);
	if (made != N)
		goto out;
	struct fd_list l = { fds, N };
	struct pollset ps = { 0 };
	CHECK(sched_pollset_fill(&ps, -1, list_source, &l) == N + 1);
	CHECK(ps.n == N + 1 && ps.pfd[0].fd == -1);
	int all = 1;
	for (int i = 0; i < N; i++)
		all &= ps.pfd[i + 1].fd == fds[i] && ps.pfd[i + 1].events == POLLIN;
	CHECK(all);
	/* the poll wakes for the last fd, and says which */
	uint64_t one = 1;
	CHECK(write(fds[N - 1], &one, sizeof(one)) == (ssize_t)sizeof(one));
	CHECK(poll(ps.pfd, (nfds_t)ps.n, 1000) == 1);
	CHECK(ps.pfd[N].revents & POLLIN);
	/* filled again with fewer, it holds only those */
	l.n = 3;
	CHECK(sched_pollset_fill(&ps, 7, list_source, &l) == 4);
	CHECK(ps.pfd[0].fd == 7 && ps.pfd[3].fd == fds[2]);
	/* and with none, only curl's */
	l.n = 0;
	CHECK(sched_pollset_fill(&ps, 7, list_source, &l) == 1);
	sched_pollset_release(&ps);
out:
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* the record takes copies of what the verdict holds: released after the
 * verdict is gone, it frees only its own (AddressSanitizer would see a
 * double free or a use after free); the logs go beside it */
void test_sched_verdict_record(void)
{
	const char *dir = test_tmpdir();
	struct store st;
	CHECK(store_open(&st, dir) == 0);
	struct verdict v = { .reason = "tests_failed", .edit_format = "diff", .well_formed = 1, .test_ms = 12.5 };
	v.detail = xstrdup("2 of 3 tests failed");
	v.report = xstrdup("{\"resolved\":false}");
	v.log = xstrdup("FAILED test_a\n");
	v.step_ms[3] = 9;
	struct record r;
	record_init(&r);
	record_set_str(&r.task, "repo/x-1");
	record_set_str(&r.provider, "p");
	record_set_str(&r.detail, v.detail);
	r.status = ST_FAILED;
	CHECK(records_take_verdict(&r, &v, &st) == 0);
	verdict_release(&v);
	CHECK_STR(r.edit_format, "diff");
	CHECK_STR(r.report, "{\"resolved\":false}");
	CHECK(r.well_formed == 1 && r.test_ms == 12.5 && r.step_ms[3] == 9);
	CHECK(store_append(&st, &r) == 0);
	char *log = store_log_path(dir, "p", "repo/x-1", 0, "test_output.txt");
	struct buf text = BUF_INIT;
	CHECK(file_read(log, &text) == 0 && strcmp(buf_str(&text), "FAILED test_a\n") == 0);
	char *rep = store_log_path(dir, "p", "repo/x-1", 0, "report.json");
	CHECK(path_exists(rep));
	buf_release(&text);
	free(log);
	free(rep);
	record_release(&r);
	CHECK(r.task == NULL && r.report == NULL);
	store_close(&st);
}
