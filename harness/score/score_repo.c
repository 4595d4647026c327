/* score_repo.c - a repository task's answer in the pool: repojob.c's steps
 * (checkout, apply, setup, test), each a sandbox with the limits of a real
 * test suite, in the slot's work copy, which the steps hand on; then
 * SWE-bench's grading of the test log. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "score/score_job.h"
#include "util/fileio.h"
#include "util/xalloc.h"

void repo_limits(const struct scorer *s, double wall_s, struct sandbox_limits *lim)
{
	/* real test suites need more room than a function's tests */
	*lim = s->opts.lim;
	lim->mem_mb = lim->mem_mb > REPO_MEM_MB ? lim->mem_mb : REPO_MEM_MB;
	lim->nproc = lim->nproc > 512 ? lim->nproc : 512;
	lim->fsize_mb = 1024;
	lim->nofile = 4096;
	lim->tmp_mb = 512;
	lim->out_keep = 16 << 20;
	lim->out_max = 64 << 20;
	lim->wall_s = lim->cpu_s = wall_s;
}

/* a repository step: the pristine repository at /src, the spec's shims at
 * /shims, and the work copy, which the steps hand on, at /work */
static int step_start(struct scorer *s, struct slot *sl, struct job *j)
{
	struct repojob *rj = &j->u.repo.rj;
	struct sandbox_bind binds[6] = {
		{ sl->tb, "/tb", 0 },
		{ s->harness, "/tbh", 0 },
		{ sl->work, "/work", 1 },
		{ rj->pristine, "/src", 0 },
		{ rj->shims, "/shims", 0 },
	};
	struct sandbox_spec spec = {
		.argv = repojob_argv(rj, (enum repo_step)j->step),
		.binds = binds,
		.nbinds = rj->shims ? 5 : 4,
		.chdir = "/work",
		.env = rj->envv,
		.uid = sl->uid,
	};
	int cache = repojob_cache_bind(rj, (enum repo_step)j->step, sl->uid, &binds[spec.nbinds]);
	if (cache < 0)
		return -1;
	spec.nbinds += (size_t)cache;
	repo_limits(s, repojob_step_timeout(rj, (enum repo_step)j->step), &spec.lim);
	sandbox_release(&j->run);
	return sandbox_start(&j->run, &spec);
}

static const char *const step_name[RSTEP_DONE] = { "checkout", "apply", "setup", "test" };

/* the test step stopped by a limit the harness enforces: the answer's
 * failure, like a function's; 0 when none stopped it */
static int test_limit(const struct sandbox_run *r, const char *out, struct verdict *v)
{
	if (!verdict_harness_limit(r, v))
		return 0;
	v->log = xstrdup(out);
	v->well_formed = 1;
	return 1;
}

/* A step's end decides first: killed from outside or by the kernel is an
 * infrastructure error whatever the step (only the test step runs the
 * answer's code, so only there may a signal be its own: verdict_end_cause);
 * then the test step's limits; then the step's own outcome. Whatever did not
 * pass says how its step ended in its detail. */
void repo_step_done(struct scorer *s, struct slot *sl)
{
	struct job *j = sl->job;
	struct repo_job *rp = &j->u.repo;
	struct verdict v = { .well_formed = -1 };
	const struct sandbox_run *r = &j->run;
	const char *name = step_name[j->step];
	struct step_end e;
	verdict_step_end(r, &e);
	rp->step_ms[j->step] = r->end_ms - r->start_ms;
	memcpy(v.step_ms, rp->step_ms, sizeof(v.step_ms));
	v.edit_format = rp->rj.edit_format;
	char *out = verdict_run_output(r);
	int ends = 1, infra = 0;
	if (verdict_end_infra(&e, name, j->step == RSTEP_TEST, &v)) {
		/* first: a bwrap killed from outside may not have started the step */
		infra = 1;
		v.log = xstrdup(out);
	} else if (!r->started) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = verdict_last_line(out);
	} else if (j->step == RSTEP_TEST && test_limit(r, out, &v)) {
		/* the answer's tests ran into a limit */
	} else if (j->step == RSTEP_TEST) {
		repojob_grade(&rp->rj, out, r->truncated, &v);
		v.well_formed = 1;
	} else if (r->timed_out || r->exit_code != 0) {
		v.well_formed = j->step > RSTEP_APPLY ? 1 : -1;
		if (!repojob_step_failed(&rp->rj, (enum repo_step)j->step, r->timed_out ? 124 : r->exit_code, out,
					 &v))
			ends = 0;
	} else {
		ends = 0;
	}
	free(out);
	if (!ends) {
		j->step = repojob_next(&rp->rj, (enum repo_step)(j->step + 1));
		if (step_start(s, sl, j) == 0)
			return;
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xasprintf("could not start bubblewrap for the %s step",
				     j->step < RSTEP_DONE ? step_name[j->step] : "next");
		infra = 1; /* the detail is about the next step */
	}
	if (!infra)
		verdict_note_end(&v, &e, name);
	score_job_finish(sl, &v);
}

void repo_job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	struct repojob *rj = &j->u.repo.rj;
	struct verdict v = { .well_formed = -1 };
	if (dir_remove(sl->tb) < 0 || dir_remove(sl->work) < 0 || dir_make(sl->tb, 0755) < 0 ||
	    dir_make(sl->work, 0700) < 0 || (sl->uid && chown(sl->work, sl->uid, sl->uid) < 0) ||
	    repojob_prepare(rj, j->task, j->code, j->mode, s->opts.repos, s->opts.env, sl->tb) < 0) {
		v.error = 1;
		v.reason = "checkout";
		v.detail = xstrdup("could not prepare the repository task (see the messages above)");
		score_job_finish(sl, &v);
		return;
	}
	if (rj->edit_error) {
		v.reason = "malformed_edit";
		v.well_formed = 0;
		v.edit_format = rj->edit_format;
		v.detail = xstrdup(rj->edit_error);
		score_job_finish(sl, &v);
		return;
	}
	j->step = repojob_next(rj, RSTEP_CHECKOUT);
	if (step_start(s, sl, j) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not start bubblewrap");
		score_job_finish(sl, &v);
	}
}
