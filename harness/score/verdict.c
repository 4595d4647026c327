/* verdict.c - verdicts: what a finished sandbox run says about an answer
 * (passed, a wrong answer, or which limit stopped it), exact-answer
 * scoring, and the text a verdict quotes from a run's output. */
#define _GNU_SOURCE
#include "score/verdict.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/xalloc.h"

void verdict_release(struct verdict *v)
{
	if (!v)
		return;
	free(v->detail);
	free(v->report);
	free(v->log);
	v->detail = v->report = v->log = NULL;
}

int verdict_reason_is_limit(const char *reason)
{
	static const char *const limits[] = { "timeout", "memory", "cpu_limit", "file_size_limit", "disk_limit",
					      "output_limit", "forbidden_syscall", NULL };
	for (const char *const *l = limits; *l; l++)
		if (reason && strcmp(reason, *l) == 0)
			return 1;
	return 0;
}

/* s[0..n) without surrounding white space */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' || (*s)[*n - 1] == '\n'))
		(*n)--;
}

void score_exact(const struct task *t, const char *answer, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->well_formed = -1;
	const char *want = t->reference;
	size_t wn = strlen(want);
	trim(&want, &wn);
	for (const char *line = answer; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *l = line;
		trim(&l, &n);
		if (n == wn && memcmp(l, want, n) == 0) {
			v->passed = 1;
			return;
		}
		line = nl ? nl + 1 : NULL;
	}
	v->reason = "wrong_answer";
	v->detail = xasprintf("no line equals the expected answer (%zu chars)", wn);
}

char *verdict_last_line(const char *text)
{
	const char *end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > text && start[-1] != '\n')
		start--;
	size_t n = (size_t)(end - start);
	if (n > 200)
		n = 200;
	return xstrndup(start, n);
}

/* the first line mentioning "error", for compiler output; malloced */
static char *first_error(const char *text)
{
	const char *e = strstr(text, "error");
	if (!e)
		return verdict_last_line(text);
	const char *start = e;
	while (start > text && start[-1] != '\n')
		start--;
	const char *end = strchr(e, '\n');
	size_t n = end ? (size_t)(end - start) : strlen(start);
	if (n > 200)
		n = 200;
	return xstrndup(start, n);
}

static int mentions(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (strstr(text, *words))
			return 1;
	return 0;
}

static const char *signal_name(int sig)
{
	const char *n = sigabbrev_np(sig);
	return n ? n : "?";
}

/* the signal that ended e's command or the bwrap around it; 0 when it exited */
static int end_signal(const struct step_end *e)
{
	if (e->outside_signal)
		return e->outside_signal;
	return WIFSIGNALED(e->wstatus) ? WTERMSIG(e->wstatus) : 0;
}

enum end_cause verdict_end_cause(const struct step_end *e, int answer_runs)
{
	int sig = end_signal(e);
	if (e->harness_killed || e->rlimit_hit)
		return END_LIMIT;
	if (sig == SIGKILL && e->oom_kills > 0)
		return END_OOM;
	if (e->outside_signal || (sig && !answer_runs))
		return END_KILLED;
	return END_EXIT;
}

char *verdict_end_text(const struct step_end *e, const char *step)
{
	struct buf b = BUF_INIT;
	int sig = end_signal(e);
	if (e->outside_signal)
		buf_printf(&b, "%s step: bubblewrap died of SIG%s", step, signal_name(sig));
	else if (sig)
		buf_printf(&b, "%s step: SIG%s", step, signal_name(sig));
	else
		buf_printf(&b, "%s step: exit %d", step, WIFEXITED(e->wstatus) ? WEXITSTATUS(e->wstatus) : -1);
	/* the time only where a kill came at it: otherwise it is in the record's
	 * test_ms and step_ms, and a detail stays the same from run to run */
	if (e->harness_killed || e->outside_signal || end_signal(e) == SIGKILL)
		buf_printf(&b, " after %.1f s", e->wall_ms / 1e3);
	if (e->harness_killed)
		buf_printf(&b, ", killed by the harness %s%s", e->limit ? "at its " : "as it stopped",
			   e->limit ? e->limit : "");
	if (e->harness_killed && e->limit)
		buf_puts(&b, " limit");
	if (e->rlimit_hit)
		buf_puts(&b, ", at an rlimit the harness set");
	if (e->oom_kills > 0)
		buf_printf(&b, ", %ld OOM kill%s while it ran", e->oom_kills, e->oom_kills == 1 ? "" : "s");
	return buf_detach(&b);
}

int verdict_end_infra(const struct step_end *e, const char *step, int answer_runs, struct verdict *v)
{
	enum end_cause c = verdict_end_cause(e, answer_runs);
	if (c != END_KILLED && c != END_OOM)
		return 0;
	char *how = verdict_end_text(e, step);
	v->passed = 0;
	v->error = 1;
	if (c == END_OOM) {
		v->reason = "oom";
		v->detail = xasprintf("killed by the kernel's OOM killer (SIGKILL; the machine ran short of "
				      "memory, not the sandbox's limit) (%s)", how);
	} else {
		v->reason = "killed";
		v->detail = xasprintf("killed by SIG%s from outside the sandbox, not sent by the harness (%s)",
				      signal_name(end_signal(e)), how);
	}
	free(how);
	return 1;
}

void verdict_step_end(const struct sandbox_run *r, struct step_end *e)
{
	memset(e, 0, sizeof(*e));
	int code = r->exit_code < 0 ? 255 : r->exit_code;
	int sig = code > 128 && code <= 128 + 64 ? code - 128 : 0;
	e->wstatus = sig ? W_EXITCODE(0, sig) : W_EXITCODE(code & 0xff, 0);
	e->harness_killed = r->harness_killed;
	e->limit = r->timed_out ? "time" : r->mem_killed ? "memory" : r->output_killed ? "output" : NULL;
	e->rlimit_hit = !r->harness_killed && !r->outer_signal &&
			(sig == SIGXCPU || sig == SIGXFSZ ||
			 (sig == SIGKILL && r->cpu_limit_ms > 0 && r->cpu_ms >= r->cpu_limit_ms));
	e->outside_signal = r->harness_killed ? 0 : r->outer_signal;
	e->oom_kills = r->oom_kills;
	e->wall_ms = r->end_ms - r->start_ms;
}

void verdict_note_end(struct verdict *v, const struct step_end *e, const char *step)
{
	if (v->passed)
		return;
	char *how = verdict_end_text(e, step);
	char *d = v->detail && v->detail[0] ? xasprintf("%s (%s)", v->detail, how) : xstrdup(how);
	free(v->detail);
	free(how);
	v->detail = d;
}

int verdict_harness_limit(const struct sandbox_run *r, struct verdict *v)
{
	if (r->mem_killed) {
		v->reason = "memory";
		v->detail = xasprintf("its processes held %ld MB together (limit %ld MB)", r->peak_kb >> 10,
				      r->mem_kb >> 10);
	} else if (r->timed_out) {
		v->reason = "timeout";
		v->detail = xasprintf("killed after %.1f s", (r->end_ms - r->start_ms) / 1e3);
	} else if (r->output_killed) {
		v->reason = "output_limit";
		v->detail = xasprintf("more than %zu bytes of output", r->out_max);
	} else {
		return 0;
	}
	return 1;
}

void verdict_classify(const struct sandbox_run *r, int compile, struct verdict *v)
{
	static const char *const memory_words[] = { "MemoryError", "Cannot allocate memory", "std::bad_alloc",
						    "out of memory", "virtual memory exhausted", NULL };
	static const char *const fsize_words[] = { "File too large", NULL };
	static const char *const disk_words[] = { "No space left on device", "Disk quota exceeded", NULL };
	char *tail = sandbox_tail(r);
	const char *all = tail;
	const char *step = compile ? "compile" : "test";
	struct step_end e;
	verdict_step_end(r, &e);
	v->truncated = r->truncated;
	/* before anything else: a bwrap killed from outside may not have
	 * started the command yet */
	int infra = verdict_end_infra(&e, step, !compile, v);
	if (infra) {
		/* killed from outside, or by the kernel: not the answer's doing */
	} else if (!r->started) {
		v->error = 1;
		v->reason = "sandbox";
		v->detail = verdict_last_line(buf_str(&r->head));
	} else if (compile && !r->timed_out && r->exit_code == 0) {
		v->passed = 1; /* compiled; the run decides */
	} else if (compile) {
		v->reason = "compile_error";
		if (r->timed_out)
			v->detail = xasprintf("the compiler ran out of time (%.0f s)", (r->end_ms - r->start_ms) / 1e3);
		else if (r->mem_killed)
			v->detail = xasprintf("the compiler held more than %ld MB", r->mem_kb >> 10);
		else if (r->output_killed)
			v->detail = xasprintf("the compiler wrote more than %zu bytes", r->out_max);
		else
			v->detail = first_error(buf_str(&r->head));
	} else if (r->token_ok && r->exit_code == 0 && !r->timed_out && !r->output_killed && !r->mem_killed) {
		v->passed = 1;
	} else if (verdict_harness_limit(r, v)) {
		/* the watchdog, the clock or the output cap stopped it */
	} else if (r->exit_code == 128 + SIGXCPU || (r->exit_code == 128 + SIGKILL && r->cpu_ms >= r->cpu_limit_ms)) {
		v->reason = "cpu_limit";
		v->detail = xasprintf("%.1f s of CPU", r->cpu_ms / 1e3);
	} else if (r->exit_code == 128 + SIGXFSZ || (r->exit_code != 0 && mentions(all, fsize_words))) {
		v->reason = "file_size_limit";
		v->detail = verdict_last_line(all);
	} else if (r->exit_code != 0 && mentions(all, disk_words)) {
		v->reason = "disk_limit";
		v->detail = verdict_last_line(all);
	} else if (r->exit_code == 128 + SIGSYS) {
		v->reason = "forbidden_syscall";
		v->detail = xstrdup("killed by the seccomp filter (a system call of another ABI)");
	} else if (mentions(all, memory_words)) {
		v->reason = "memory";
		v->detail = verdict_last_line(all);
	} else if (r->exit_code > 128) {
		v->reason = "killed";
		v->detail = xasprintf("SIG%s", signal_name(r->exit_code - 128));
	} else {
		v->reason = "wrong_answer";
		v->detail = r->exit_code == 0 ? xstrdup("exited before the tests finished")
					      : verdict_last_line(all);
	}
	if (!infra && !(compile && v->passed))
		verdict_note_end(v, &e, step);
	free(tail);
}

void verdict_copy(struct verdict *dst, const struct verdict *v)
{
	*dst = *v;
	dst->detail = v->detail ? xstrdup(v->detail) : NULL;
	dst->report = v->report ? xstrdup(v->report) : NULL;
	dst->log = v->log ? xstrdup(v->log) : NULL;
}

char *verdict_run_output(const struct sandbox_run *r)
{
	if (!r->truncated) {
		/* tests may print NUL bytes (pytest's own do): kept as text, the
		 * rest of the log is not cut there */
		char *all = xmalloc(r->head.len + 1);
		for (size_t i = 0; i < r->head.len; i++)
			all[i] = r->head.data[i] ? r->head.data[i] : ' ';
		all[r->head.len] = '\0';
		return all;
	}
	char *t = sandbox_tail(r);
	char *all = xasprintf("%s\n[... %zu bytes of output not kept ...]\n%s", buf_str(&r->head),
			      r->out_total - r->head.len - strlen(t), t);
	free(t);
	return all;
}
