/* score.c - the sandbox pool: its slots, its queue, the fds and deadlines
 * the caller's event loop waits on, and the dispatch of each job by kind.
 *
 * Each slot owns a scratch directory: tb/ (task files, read-only inside)
 * and work/ (the compile step's writable /work, owned by the slot's uid);
 * all share h/ (driver sources and objects, mounted at /tbh) and o/ (the
 * tests' objects). A job is a function task's answer (score_func.c), a
 * repository task's answer (score_repo.c) or a command in an agent's
 * workspace (workspace.c): its kind is set when it is queued, and the pool
 * switches on it once for each thing a job does (begin, a finished step,
 * release). */
#define _GNU_SOURCE
#include "score/score.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "score/score_job.h"
#include "util/clock.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/signals.h"
#include "util/xalloc.h"

long scorer_slot_mb(const struct sandbox_limits *lim)
{
	struct sandbox_limits c = *lim;
	compile_limits(&c, NULL);
	long run = sandbox_footprint_mb(lim), compile = sandbox_footprint_mb(&c);
	return run > compile ? run : compile;
}

int scorer_fit_jobs(int jobs, const struct sandbox_limits *lim, long mem_mb)
{
	long need = scorer_slot_mb(lim);
	long fit = need > 0 ? mem_mb / need : jobs;
	if (fit < 1)
		fit = 1;
	return jobs < fit ? jobs : (int)fit;
}

/* the machine's memory in MB */
static long machine_mb(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (long)((double)pages * (double)size / 1048576.0) : 0;
}

struct scorer *scorer_new(const struct scorer_opts *opts)
{
	struct token_key token;
	if (sandbox_check() < 0 || token_key_init(&token) < 0)
		return NULL;
	struct scorer *s = xcalloc(1, sizeof(*s));
	s->opts = *opts;
	s->token = token;
	explicit_bzero(&token, sizeof(token));
	strmap_init(&s->seen);
	if (s->opts.jobs < 1)
		s->opts.jobs = 1;
	if (s->opts.jobs > SCORER_MAX_JOBS)
		s->opts.jobs = SCORER_MAX_JOBS; /* the slots' uids are 256 apart per process */
	sandbox_adopt_orphans();
	long mem = machine_mb();
	int fit = mem > 0 ? scorer_fit_jobs(s->opts.jobs, &s->opts.lim, mem) : s->opts.jobs;
	if (fit < s->opts.jobs) {
		warning("%d sandbox jobs at up to %ld MB each would not fit in this machine's %ld MB: "
			"running %d at once", s->opts.jobs, scorer_slot_mb(&s->opts.lim), mem, fit);
		s->opts.jobs = fit;
	}
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/tokenbench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		error("cannot create a scratch directory in '%s': %s", tmp && *tmp ? tmp : "/tmp",
		      strerror(errno));
		free(tmpl);
		free(s);
		return NULL;
	}
	s->root = tmpl;
	chmod(s->root, 0711);
	s->harness = xasprintf("%s/h", s->root);
	s->objects = xasprintf("%s/o", s->root);
	if (dir_make(s->harness, 0755) < 0 || program_write_harness(s->harness) < 0 ||
	    repojob_write_harness(s->harness) < 0 || zygote_write_harness(s->harness) < 0 ||
	    dir_make(s->objects, 0755) < 0)
		goto fail;
	/* every slot's uid builds objects here; no answer ever sees it writable */
	chmod(s->objects, 01777);
	s->slots = xcalloc((size_t)s->opts.jobs, sizeof(*s->slots));
	int root = geteuid() == 0;
	for (int i = 0; i < s->opts.jobs; i++) {
		struct slot *sl = &s->slots[i];
		sl->dir = xasprintf("%s/s%d", s->root, i);
		sl->tb = xasprintf("%s/tb", sl->dir);
		sl->work = xasprintf("%s/work", sl->dir);
		sl->uid = root ? sandbox_uid(s->opts.uid_base, i) : 0;
		zygote_init(&sl->zy);
		if (dir_make(sl->dir, 0711) < 0)
			goto fail;
	}
	return s;
fail:
	scorer_free(s);
	return NULL;
}

void score_job_free(struct job *j)
{
	if (!j)
		return;
	sandbox_release(&j->run);
	switch (j->kind) {
	case JOB_FUNCTION: program_release(&j->u.fn.prog); break;
	case JOB_REPO: repojob_release(&j->u.repo.rj); break;
	case JOB_EXEC: break; /* its workspace is the caller's */
	}
	free(j->code);
	free(j);
}

int scorer_jobs(const struct scorer *s)
{
	return s->opts.jobs;
}

void scorer_free(struct scorer *s)
{
	if (!s)
		return;
	for (int i = 0; s->slots && i < s->opts.jobs; i++) {
		score_job_free(s->slots[i].job);
		zygote_stop(&s->slots[i].zy);
		free(s->slots[i].dir);
		free(s->slots[i].tb);
		free(s->slots[i].work);
	}
	while (s->head) {
		struct job *n = s->head->next;
		score_job_free(s->head);
		s->head = n;
	}
	sandbox_reap_all(1000);
	if (s->root)
		dir_remove(s->root);
	for (size_t i = 0; i < s->nverdicts; i++)
		verdict_release(&s->verdicts[i]);
	free(s->verdicts);
	strmap_release(&s->seen);
	free(s->slots);
	free(s->harness);
	free(s->objects);
	free(s->root);
	explicit_bzero(&s->token, sizeof(s->token));
	free(s);
}

void score_job_enqueue(struct scorer *s, struct job *j)
{
	j->run.out_fd = j->run.res_fd = j->run.st_fd = -1;
	j->queued_ms = clock_ms();
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	s->queued++;
}

void score_job_finish(struct slot *sl, struct verdict *v)
{
	struct job *j = sl->job;
	sl->job = NULL;
	if (!v->reused)
		v->test_ms = j->sandbox_ms;
	j->done(j->arg, v);
	verdict_release(v);
	score_job_free(j);
}

void scorer_submit(struct scorer *s, const struct task *t, const char *code, enum answer_mode mode,
		   score_done_fn done, void *arg)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->kind = t->repo ? JOB_REPO : JOB_FUNCTION;
	j->task = t;
	j->code = xstrdup(code);
	j->mode = mode;
	j->done = done;
	j->arg = arg;
	if (j->kind == JOB_FUNCTION)
		func_job_key(j);
	score_job_enqueue(s, j);
}

/* a job takes a free slot */
static void job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	sl->job = j;
	if (j->kind != JOB_FUNCTION)
		zygote_stop(&sl->zy); /* its processes would count against the slot uid's limit */
	switch (j->kind) {
	case JOB_FUNCTION: func_job_begin(s, sl, j); break;
	case JOB_REPO: repo_job_begin(s, sl, j); break;
	case JOB_EXEC: exec_job_begin(s, sl, j); break;
	}
}

/* a job's step finished: start the next one or deliver what it concluded */
static void step_done(struct scorer *s, struct slot *sl)
{
	struct job *j = sl->job;
	j->sandbox_ms += j->run.end_ms - j->run.start_ms;
	switch (j->kind) {
	case JOB_FUNCTION: func_step_done(s, sl); break;
	case JOB_REPO: repo_step_done(s, sl); break;
	case JOB_EXEC: exec_step_done(s, sl); break;
	}
}

/* the orphans of finished sandboxes; a running one's outer bwrap and init
 * are reaped by sandbox_poll */
static void reap(struct scorer *s)
{
	pid_t live[4 * SCORER_MAX_JOBS];
	size_t n = 0;
	for (int i = 0; i < s->opts.jobs && n + 4 <= sizeof(live) / sizeof(*live); i++) {
		const struct job *j = s->slots[i].job;
		n += (size_t)zygote_pids(&s->slots[i].zy, live + n);
		if (j && j->run.pid > 0)
			live[n++] = j->run.pid;
		if (j && j->run.init_pid > 0 && !j->run.finished)
			live[n++] = j->run.init_pid;
	}
	sandbox_reap_orphans(live, n);
}

void scorer_step(struct scorer *s)
{
	double now = clock_ms();
	for (int i = 0; i < s->opts.jobs; i++) {
		struct slot *sl = &s->slots[i];
		if (!sl->job || (sl->job->kind == JOB_FUNCTION && !sl->job->u.fn.in_zygote))
			zygote_poll(&sl->zy, NULL, now); /* idle: it may have died */
		if (!sl->job)
			continue;
		if (sl->job->kind == JOB_FUNCTION)
			func_job_poll(s, sl, now);
		else
			sandbox_poll(&sl->job->run, now);
		if (sl->job->run.finished)
			step_done(s, sl);
	}
	reap(s);
	for (int i = 0; i < s->opts.jobs && s->head; i++) {
		struct slot *sl = &s->slots[i];
		if (sl->job)
			continue;
		struct job *j = s->head;
		s->head = j->next;
		if (!s->head)
			s->tail = NULL;
		s->queued--;
		j->next = NULL;
		job_begin(s, sl, j);
	}
}

int scorer_max_fds(const struct scorer *s)
{
	return SCORER_SLOT_FDS * s->opts.jobs;
}

int scorer_fds(const struct scorer *s, int *fds, int max)
{
	int n = 0;
	for (int i = 0; i < s->opts.jobs; i++) {
		const struct slot *sl = &s->slots[i];
		int f[SCORER_SLOT_FDS];
		int k = zygote_fds(&sl->zy, f);
		if (sl->job)
			k += sandbox_fds(&sl->job->run, f + k);
		for (int m = 0; m < k && n < max; m++)
			fds[n++] = f[m];
	}
	return n;
}

long scorer_timeout_ms(const struct scorer *s)
{
	double now = clock_ms(), best = -1;
	for (int i = 0; i < s->opts.jobs; i++) {
		const struct slot *sl = &s->slots[i];
		/* a zygote's watchdog looks at its tree while it runs a test */
		double zy = sl->zy.on && (sl->zy.busy || sl->zy.run.outer_done) ? sandbox_next_ms(&sl->zy.run) : 0;
		if (!sl->job && zy <= 0)
			continue;
		double next = sl->job ? sandbox_next_ms(&sl->job->run) : zy;
		if (zy > 0 && zy < next)
			next = zy;
		double left = next - now;
		if (left < 0)
			left = 0;
		if (best < 0 || left < best)
			best = left;
	}
	if (s->head && best < 0)
		best = 0;
	return best < 0 ? -1 : (long)best + 1;
}

size_t scorer_pending(const struct scorer *s)
{
	size_t n = s->queued;
	for (int i = 0; i < s->opts.jobs; i++)
		n += s->slots[i].job != NULL;
	return n;
}

void scorer_drain(struct scorer *s)
{
	int max = scorer_max_fds(s);
	int *fds = xmallocarray((size_t)max, sizeof(*fds));
	struct pollfd *pfd = xmallocarray((size_t)max, sizeof(*pfd));
	scorer_step(s);
	while (scorer_pending(s) && !signals_stop_requested()) {
		int n = scorer_fds(s, fds, max);
		for (int i = 0; i < n; i++) {
			pfd[i].fd = fds[i];
			pfd[i].events = POLLIN;
		}
		long t = scorer_timeout_ms(s);
		poll(pfd, (nfds_t)n, t < 0 || t > 1000 ? 1000 : (int)t);
		scorer_step(s);
	}
	free(fds);
	free(pfd);
}
