/* workspace.c - the bash agent's work copies in the pool. A workspace is a
 * checkout of a repository task at its base commit that lives across one
 * agent sample's commands, made and set up (the environment's setup
 * commands) in the sandbox before its first command, in a directory and as
 * a uid of its own, whichever slot a command runs in. Each command is an
 * exec job: the steps that make the workspace (the first time), then the
 * command, or the diff that takes the agent's answer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "score/score_job.h"
#include "util/clock.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/xalloc.h"

struct workspace {
	const struct task *task; /* borrowed */
	struct repojob rj;       /* its repository's checkout, setup and environment */
	char *dir, *work, *tb, *cmd_dir; /* work: /work; tb: the test files' list; cmd_dir: the command */
	char *diff_cmd;          /* what prints its answer */
	uid_t uid;
	int ready;               /* checked out and set up */
};

/* an exec job's step, in its workspace: the checkout and setup as in
 * scoring, then the command (bash, from a file: a command may be longer
 * than an argument can be) or the diff that takes the answer, which alone
 * sees the list of test files */
static int step_start(struct scorer *s, struct job *j)
{
	struct exec_job *x = &j->u.exec;
	struct workspace *w = x->ws;
	struct sandbox_bind binds[7] = {
		{ s->harness, "/tbh", 0 },
		{ w->work, "/work", 1 },
		{ w->rj.pristine, "/src", 0 },
		{ w->cmd_dir, "/tbc", 0 },
		{ w->tb, "/tb", 0 },
		{ w->rj.shims, "/shims", 0 },
	};
	static const char *const run_cmd[] = { "/bin/bash", "/tbc/command", NULL };
	const char *argv[4] = { "/bin/sh", "-c", NULL, NULL };
	struct sandbox_spec spec = {
		.argv = argv,
		.binds = binds,
		.nbinds = 4,
		.chdir = "/work",
		.env = w->rj.envv,
		.uid = w->uid,
	};
	double wall = 600;
	if (j->step == EXEC_CHECKOUT || j->step == EXEC_SETUP) {
		argv[2] = w->rj.cmd[j->step == EXEC_CHECKOUT ? RSTEP_CHECKOUT : RSTEP_SETUP];
	} else if (x->answer) {
		argv[2] = w->diff_cmd;
		spec.nbinds = 5;
	} else {
		char *path = xasprintf("%s/command", w->cmd_dir);
		int rc = file_write(path, j->code, strlen(j->code), 0644);
		free(path);
		if (rc < 0)
			return -1;
		spec.argv = run_cmd;
		wall = x->wall_s;
	}
	if (w->rj.shims)
		binds[spec.nbinds++] = binds[5];
	if (j->step == EXEC_CHECKOUT || j->step == EXEC_SETUP) {
		enum repo_step rs = j->step == EXEC_CHECKOUT ? RSTEP_CHECKOUT : RSTEP_SETUP;
		int cache = repojob_cache_bind(&w->rj, rs, w->uid, &binds[spec.nbinds]);
		if (cache < 0)
			return -1;
		spec.nbinds += (size_t)cache;
		wall = repojob_step_timeout(&w->rj, rs);
	}
	repo_limits(s, wall, &spec.lim);
	sandbox_release(&j->run);
	return sandbox_start(&j->run, &spec);
}

void exec_result_release(struct exec_result *r)
{
	if (!r)
		return;
	free(r->detail);
	buf_release(&r->head);
	free(r->tail);
	memset(r, 0, sizeof(*r));
}

static void finish(struct slot *sl, struct exec_result *res, double since_ms)
{
	struct job *j = sl->job;
	const struct exec_job *x = &j->u.exec;
	sl->job = NULL;
	res->setup_ms = x->setup_ms;
	res->wait_ms = x->wait_ms;
	res->harness_ms = x->harness_ms + (clock_ms() - since_ms);
	x->done(j->arg, res);
	exec_result_release(res);
	score_job_free(j);
}

void exec_step_done(struct scorer *s, struct slot *sl)
{
	double t0 = clock_ms();
	struct job *j = sl->job;
	struct exec_job *x = &j->u.exec;
	struct sandbox_run *r = &j->run;
	struct exec_result res = { .head = BUF_INIT };
	res.limit_s = x->wall_s;
	const char *step_name = j->step == EXEC_CHECKOUT ? "checkout" : j->step == EXEC_SETUP ? "setup" : "command";
	struct step_end e;
	struct verdict v = { .well_formed = -1 };
	verdict_step_end(r, &e);
	if (verdict_end_infra(&e, step_name, j->step == EXEC_COMMAND, &v)) {
		/* killed from outside or by the kernel (perhaps before bwrap started
		 * the command): the sample's error, not the agent's command failing */
		res.error = 1;
		res.reason = v.reason;
		res.detail = v.detail;
	} else if (!r->started) {
		res.error = 1;
		res.reason = "sandbox";
		res.detail = verdict_last_line(buf_str(&r->head));
		if (!res.detail[0]) {
			free(res.detail);
			res.detail = verdict_end_text(&e, "bubblewrap");
		}
	} else if (j->step != EXEC_COMMAND) {
		x->setup_ms += r->end_ms - r->start_ms;
		if (x->ws->rj.env_problem) {
			/* a task the environment spec cannot score (repojob_setup):
			 * an environment error with the spec's reason */
			res.error = 1;
			res.reason = "environment";
			res.detail = xstrdup(x->ws->rj.env_problem);
		} else if (r->timed_out || r->exit_code != 0) {
			char *out = verdict_run_output(r);
			res.error = 1;
			res.reason = j->step == EXEC_CHECKOUT ? "checkout" : "setup";
			v.detail = verdict_last_line(out);
			verdict_note_end(&v, &e, res.reason);
			res.detail = v.detail;
			free(out);
		} else {
			j->step = j->step == EXEC_CHECKOUT && x->ws->rj.cmd[RSTEP_SETUP] ? EXEC_SETUP : EXEC_COMMAND;
			x->ws->ready = j->step == EXEC_COMMAND;
			if (step_start(s, j) == 0) {
				x->harness_ms += clock_ms() - t0;
				return;
			}
			res.error = 1;
			res.reason = "sandbox";
			res.detail = xstrdup("could not start bubblewrap");
		}
	} else {
		res.exit_code = r->exit_code;
		res.timed_out = r->timed_out;
		res.output_killed = r->output_killed;
		res.mem_killed = r->mem_killed;
		res.head = r->head;
		buf_init(&r->head);
		res.total = r->out_total;
		if (r->truncated) {
			res.tail = sandbox_tail(r);
			res.tail_len = r->tail_pos < sizeof(r->tail) ? r->tail_pos : sizeof(r->tail);
		}
		res.run_ms = r->end_ms - r->start_ms;
	}
	finish(sl, &res, t0);
}

void exec_job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	struct exec_job *x = &j->u.exec;
	double t0 = clock_ms();
	x->wait_ms = t0 - j->queued_ms;
	j->step = x->ws->ready ? EXEC_COMMAND : EXEC_CHECKOUT;
	if (step_start(s, j) < 0) {
		struct exec_result res = { .head = BUF_INIT, .error = 1, .reason = "sandbox" };
		res.detail = xstrdup("could not start bubblewrap");
		finish(sl, &res, t0);
		return;
	}
	x->harness_ms += j->run.start_ms - t0;
}

struct workspace *scorer_workspace_new(struct scorer *s, const struct task *t)
{
	struct workspace *w = xcalloc(1, sizeof(*w));
	unsigned n = s->workspaces++;
	w->task = t;
	w->dir = xasprintf("%s/a%u", s->root, n);
	w->work = xasprintf("%s/work", w->dir);
	w->tb = xasprintf("%s/tb", w->dir);
	w->cmd_dir = xasprintf("%s/cmd", w->dir);
	if (geteuid() == 0) {
		/* a uid of its own, from the spare ones after the slots' (shared
		 * round-robin past 256 - jobs workspaces at once) */
		int spare = SCORER_MAX_JOBS - s->opts.jobs;
		int idx = spare > 0 ? s->opts.jobs + (int)(n % (unsigned)spare) : (int)(n % SCORER_MAX_JOBS);
		w->uid = sandbox_uid(s->opts.uid_base, idx);
	}
	if (dir_make(w->dir, 0711) < 0 || dir_make(w->work, 0700) < 0 || dir_make(w->tb, 0755) < 0 ||
	    dir_make(w->cmd_dir, 0755) < 0)
		goto fail;
	if (w->uid && chown(w->work, w->uid, w->uid) < 0) {
		error("cannot hand '%s' to uid %u: %s", w->work, (unsigned)w->uid, strerror(errno));
		goto fail;
	}
	if (repojob_setup(&w->rj, t, s->opts.repos, s->opts.env, w->tb) < 0)
		goto fail;
	w->diff_cmd = repojob_diff_cmd(&w->rj);
	return w;
fail:
	scorer_workspace_free(w);
	return NULL;
}

void scorer_workspace_free(struct workspace *w)
{
	if (!w)
		return;
	if (w->dir)
		dir_remove(w->dir);
	repojob_release(&w->rj);
	free(w->dir);
	free(w->work);
	free(w->tb);
	free(w->cmd_dir);
	free(w->diff_cmd);
	free(w);
}

void scorer_exec(struct scorer *s, struct workspace *w, const char *cmd, double wall_s, exec_done_fn done,
		 void *arg)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->kind = JOB_EXEC;
	j->task = w->task;
	j->code = cmd ? xstrdup(cmd) : NULL;
	j->arg = arg;
	j->u.exec.ws = w;
	j->u.exec.answer = cmd == NULL;
	j->u.exec.wall_s = wall_s;
	j->u.exec.done = done;
	score_job_enqueue(s, j);
}
