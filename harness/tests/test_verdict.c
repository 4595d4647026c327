/* test_verdict.c - how a sandboxed step ended, classified (verdict_end_cause):
 * a table of wait statuses, harness kills, signals to bubblewrap and OOM
 * counts, each with the cause, the error it makes and the words of its
 * detail; and the end noted on a verdict that had no detail. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "check.h"
#include "score/verdict.h"
#include "tests.h"
#include "util/xalloc.h"

void test_verdict_step_end(void)
{
	static const struct {
		struct step_end e;
		int answer_runs;
		enum end_cause cause;
		const char *reason; /* of the infrastructure error, or NULL */
		const char *words;  /* in verdict_end_text's text */
	} cases[] = {
		{ { .wstatus = W_EXITCODE(1, 0) }, 1, END_EXIT, NULL, "test step: exit 1" },
		{ { .wstatus = W_EXITCODE(0, 0) }, 0, END_EXIT, NULL, "test step: exit 0" },
		/* the answer's own process: its failure, signal named */
		{ { .wstatus = SIGKILL, .wall_ms = 1500 }, 1, END_EXIT, NULL, "test step: SIGKILL after 1.5 s" },
		{ { .wstatus = SIGSEGV }, 1, END_EXIT, NULL, "test step: SIGSEGV" },
		/* a step where nothing of the answer runs: from outside */
		{ { .wstatus = SIGKILL }, 0, END_KILLED, "killed", "test step: SIGKILL" },
		{ { .wstatus = SIGTERM }, 0, END_KILLED, "killed", "test step: SIGTERM" },
		/* bubblewrap is out of the answer's reach */
		{ { .wstatus = W_EXITCODE(143, 0), .outside_signal = SIGTERM }, 1, END_KILLED, "killed",
		  "bubblewrap died of SIGTERM" },
		/* the kernel's OOM killer, in any step */
		{ { .wstatus = SIGKILL, .oom_kills = 1 }, 1, END_OOM, "oom", "1 OOM kill while it ran" },
		{ { .wstatus = SIGKILL, .oom_kills = 3 }, 0, END_OOM, "oom", "3 OOM kills" },
		/* an OOM count with another end is not an OOM kill */
		{ { .wstatus = SIGSEGV, .oom_kills = 2 }, 1, END_EXIT, NULL, "SIGSEGV" },
		/* the harness's own kills and rlimits are limits, never errors */
		{ { .wstatus = SIGKILL, .harness_killed = 1, .limit = "time", .wall_ms = 2000 }, 1, END_LIMIT, NULL,
		  "killed by the harness at its time limit" },
		{ { .wstatus = SIGKILL, .harness_killed = 1, .limit = "memory", .oom_kills = 1 }, 1, END_LIMIT, NULL,
		  "at its memory limit" },
		{ { .wstatus = SIGKILL, .harness_killed = 1 }, 0, END_LIMIT, NULL, "as it stopped" },
		{ { .wstatus = SIGXCPU, .rlimit_hit = 1 }, 0, END_LIMIT, NULL, "an rlimit the harness set" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		CHECK(verdict_end_cause(&cases[i].e, cases[i].answer_runs) == cases[i].cause);
		char *t = verdict_end_text(&cases[i].e, "test");
		CHECK(strstr(t, cases[i].words) != NULL);
		free(t);
		struct verdict v = { .well_formed = -1 };
		int infra = verdict_end_infra(&cases[i].e, "test", cases[i].answer_runs, &v);
		CHECK(infra == (cases[i].reason != NULL));
		if (infra) {
			CHECK(v.error && !v.passed);
			CHECK_STR(v.reason, cases[i].reason);
			CHECK(v.detail && strstr(v.detail, cases[i].words));
		} else {
			CHECK(!v.error && !v.reason && !v.detail);
		}
		verdict_release(&v);
	}
}

void test_verdict_run_end(void)
{
	/* bwrap reports a death by signal N as 128+N; its own death by a
	 * signal the harness did not send is outside_signal */
	struct sandbox_run r;
	memset(&r, 0, sizeof(r));
	r.exit_code = 137;
	r.end_ms = 2500;
	r.cpu_limit_ms = 10000;
	struct step_end e;
	verdict_step_end(&r, &e);
	CHECK(WIFSIGNALED(e.wstatus) && WTERMSIG(e.wstatus) == SIGKILL);
	CHECK(!e.harness_killed && !e.outside_signal && !e.rlimit_hit);
	r.exit_code = 143;
	r.outer_signal = SIGTERM;
	verdict_step_end(&r, &e);
	CHECK(e.outside_signal == SIGTERM);
	r.harness_killed = 1; /* its own kill is never from outside */
	r.timed_out = 1;
	verdict_step_end(&r, &e);
	CHECK(!e.outside_signal && e.harness_killed && strcmp(e.limit, "time") == 0);
	memset(&r, 0, sizeof(r));
	r.exit_code = 137;
	r.cpu_ms = 10000;
	r.cpu_limit_ms = 10000; /* RLIMIT_CPU's hard SIGKILL */
	verdict_step_end(&r, &e);
	CHECK(e.rlimit_hit && verdict_end_cause(&e, 0) == END_LIMIT);
	r.exit_code = 3;
	verdict_step_end(&r, &e);
	CHECK(WIFEXITED(e.wstatus) && WEXITSTATUS(e.wstatus) == 3);

	/* a failure with no detail gets the step's end as one; one with a
	 * detail keeps it, the end after it; a pass gets nothing */
	struct verdict v = { .reason = "tests_did_not_run", .detail = xstrdup("") };
	verdict_note_end(&v, &e, "test");
	CHECK_STR(v.detail, "test step: exit 3");
	verdict_note_end(&v, &e, "test");
	CHECK_STR(v.detail, "test step: exit 3 (test step: exit 3)");
	verdict_release(&v);
	struct verdict p = { .passed = 1 };
	verdict_note_end(&p, &e, "test");
	CHECK(p.detail == NULL);
}
