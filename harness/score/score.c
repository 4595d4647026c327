/* score.c - sandbox worker pool and verdicts.
 *
 * Each slot owns a scratch directory: tb/ (task files, read-only inside),
 * work/ (the compile step's writable /work, owned by the slot's uid) and
 * shares h/ (driver sources and objects) and o/ (the tests' objects). A
 * function task is up to three sandboxed steps: build the tests' object
 * (once per task: the tests are the same for every answer), compile the
 * answer and link, then run. The run gets a fresh size-capped tmpfs as
 * /work, with the compiled program bound read-only into it: what the answer
 * writes never reaches the disk, and it cannot touch its own binary. A
 * repository task's steps are repojob.c's, in a work copy that lives on.
 * An agent's command is an exec job: the steps that make its workspace
 * (the first time), then the command, in the workspace's own directory
 * and as its own uid, whichever slot it runs in.
 *
 * An answer identical to one already scored for the same task (samples at
 * temperature 0, several models writing the canonical solution) gets that
 * verdict again without a sandbox, marked as reused. */
#define _GNU_SOURCE
#include "score/score.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "score/repojob.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/signals.h"
#include "util/xalloc.h"

enum { STEP_OBJECT, STEP_COMPILE, STEP_RUN };
/* an exec job's steps */
enum { EXEC_CHECKOUT, EXEC_SETUP, EXEC_COMMAND };

struct workspace {
	const struct task *task; /* borrowed */
	struct repojob rj;       /* its repository's checkout, setup and environment */
	char *dir, *work, *tb, *cmd_dir; /* work: /work; tb: the test files' list; cmd_dir: the command */
	char *diff_cmd;          /* what prints its answer */
	uid_t uid;
	int ready;               /* checked out and set up */
};

struct job {
	const struct task *task; /* borrowed */
	char *code;
	char key[65];            /* of the task and the answer, for reuse */
	enum answer_mode mode;
	score_done_fn done;
	void *arg;
	struct program prog;     /* function tasks */
	struct repojob rj;       /* repository tasks */
	int repo;
	double step_ms[RSTEP_DONE]; /* time in each repository step */
	int step;                /* STEP_* for functions, enum repo_step for repositories */
	struct sandbox_run run;
	double sandbox_ms, compile_ms, run_ms;
	double limit_s;          /* the run step's wall clock */
	/* exec jobs (an agent's command) */
	struct workspace *ws;    /* borrowed; NULL for scoring jobs */
	exec_done_fn exec_done;
	double wall_s;
	int answer;              /* the command takes the workspace's answer */
	double queued_ms, wait_ms, setup_ms, harness_ms;
	struct job *next;
};

struct slot {
	struct job *job; /* running, or NULL */
	char *dir, *tb, *work;
	uid_t uid;
};

struct scorer {
	struct scorer_opts opts;
	char *root;          /* scratch root, removed at the end */
	char *harness;       /* root/h, mounted at /tbh */
	char *objects;       /* root/o, mounted at /obj: the tests' objects */
	int have_driver[2];  /* driver.o, driver_cpp.o built */
	struct slot *slots;
	struct job *head, *tail; /* queue */
	size_t queued;
	unsigned workspaces;     /* made so far: each gets the next spare uid */
	/* function tasks' verdicts by job key */
	struct strmap seen;
	struct verdict *verdicts;
	size_t nverdicts, verdicts_cap;
};

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

/* the compile step's limits: the compiler gets room of its own; the
 * answer's limits apply to its run */
static void compile_limits(struct sandbox_limits *lim, const struct task *t)
{
	lim->wall_s = t && t->compile_limit_s > 0 ? t->compile_limit_s : COMPILE_WALL_S;
	lim->cpu_s = lim->wall_s;
	lim->mem_mb = lim->mem_mb > COMPILE_MEM_MB ? lim->mem_mb : COMPILE_MEM_MB;
	lim->fsize_mb = COMPILE_FSIZE_MB;
}

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
	if (sandbox_check() < 0)
		return NULL;
	struct scorer *s = xcalloc(1, sizeof(*s));
	s->opts = *opts;
	strmap_init(&s->seen);
	if (s->opts.jobs < 1)
		s->opts.jobs = 1;
	if (s->opts.jobs > 256)
		s->opts.jobs = 256; /* the slots' uids are 256 apart per process */
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
	    repojob_write_harness(s->harness) < 0 || dir_make(s->objects, 0755) < 0)
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
		if (dir_make(sl->dir, 0711) < 0)
			goto fail;
	}
	return s;
fail:
	scorer_free(s);
	return NULL;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	sandbox_release(&j->run);
	program_release(&j->prog);
	repojob_release(&j->rj);
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
		job_free(s->slots[i].job);
		free(s->slots[i].dir);
		free(s->slots[i].tb);
		free(s->slots[i].work);
	}
	while (s->head) {
		struct job *n = s->head->next;
		job_free(s->head);
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
	free(s);
}

static void enqueue(struct scorer *s, struct job *j)
{
	j->run.out_fd = j->run.res_fd = j->run.st_fd = -1;
	j->queued_ms = now_ms();
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	s->queued++;
}

void scorer_submit(struct scorer *s, const struct task *t, const char *code, enum answer_mode mode,
		   score_done_fn done, void *arg)
{
	struct job *j = xcalloc(1, sizeof(*j));
	j->task = t;
	j->code = xstrdup(code);
	j->mode = mode;
	j->done = done;
	j->arg = arg;
	struct sha256 h;
	char m = (char)mode;
	sha256_init(&h);
	sha256_update(&h, t->id, strlen(t->id) + 1);
	sha256_update(&h, &m, 1);
	sha256_update(&h, &t->limit_s, sizeof(t->limit_s));
	sha256_update(&h, &t->compile_limit_s, sizeof(t->compile_limit_s));
	sha256_update(&h, code, strlen(code));
	sha256_hex(&h, j->key);
	enqueue(s, j);
}

static void make_token(char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16];
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(rand() ^ (int)(now_ms() * 1000));
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[32] = '\0';
}

/* fresh tb/ and work/ for a job; 0 or -1 (reported) */
static int slot_prepare(struct slot *sl, const struct program *p)
{
	if (dir_remove(sl->tb) < 0 || dir_remove(sl->work) < 0)
		return -1;
	if (dir_make(sl->tb, 0755) < 0 || dir_make(sl->work, 0700) < 0)
		return -1;
	if (sl->uid && chown(sl->work, sl->uid, sl->uid) < 0)
		return error("cannot hand '%s' to uid %u: %s", sl->work, (unsigned)sl->uid, strerror(errno));
	for (int i = 0; i < p->nfiles; i++) {
		char *path = xasprintf("%s/%s", sl->tb, p->files[i].name);
		int rc = file_write(path, p->files[i].text, strlen(p->files[i].text), 0644);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* a repository step's limits: real test suites need more room than a
 * function's tests */
static void repo_limits(const struct scorer *s, double wall_s, struct sandbox_limits *lim)
{
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
static int repo_step_start(struct scorer *s, struct slot *sl, struct job *j)
{
	struct sandbox_bind binds[6] = {
		{ sl->tb, "/tb", 0 },
		{ s->harness, "/tbh", 0 },
		{ sl->work, "/work", 1 },
		{ j->rj.pristine, "/src", 0 },
		{ j->rj.shims, "/shims", 0 },
	};
	struct sandbox_spec spec = {
		.argv = repojob_argv(&j->rj, (enum repo_step)j->step),
		.binds = binds,
		.nbinds = j->rj.shims ? 5 : 4,
		.chdir = "/work",
		.env = j->rj.envv,
		.uid = sl->uid,
	};
	int cache = repojob_cache_bind(&j->rj, (enum repo_step)j->step, sl->uid, &binds[spec.nbinds]);
	if (cache < 0)
		return -1;
	spec.nbinds += (size_t)cache;
	repo_limits(s, repojob_step_timeout(&j->rj, (enum repo_step)j->step), &spec.lim);
	sandbox_release(&j->run);
	return sandbox_start(&j->run, &spec);
}

/* an exec job's step, in its workspace: the checkout and setup as in
 * scoring, then the command (bash, from a file: a command may be longer
 * than an argument can be) or the diff that takes the answer, which alone
 * sees the list of test files */
static int exec_step_start(struct scorer *s, struct job *j)
{
	struct workspace *w = j->ws;
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
	} else if (j->answer) {
		argv[2] = w->diff_cmd;
		spec.nbinds = 5;
	} else {
		char *path = xasprintf("%s/command", w->cmd_dir);
		int rc = file_write(path, j->code, strlen(j->code), 0644);
		free(path);
		if (rc < 0)
			return -1;
		spec.argv = run_cmd;
		wall = j->wall_s;
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

static int step_start(struct scorer *s, struct slot *sl, struct job *j)
{
	if (j->ws)
		return exec_step_start(s, j);
	if (j->repo)
		return repo_step_start(s, sl, j);
	const struct task *t = j->task;
	char *output = NULL, *inside = NULL;
	struct sandbox_bind binds[5] = {
		{ sl->tb, "/tb", 0 },
		{ s->harness, "/tbh", 0 },
		{ sl->work, "/work", 1 },
		{ s->objects, "/obj", j->step == STEP_OBJECT },
	};
	struct sandbox_spec spec = {
		.binds = binds,
		.nbinds = 4,
		.chdir = "/work",
		.lim = s->opts.lim,
		.uid = sl->uid,
	};
	char token[33];
	if (j->step != STEP_RUN) {
		spec.argv = j->step == STEP_OBJECT ? j->prog.object_compile : j->prog.compile;
		compile_limits(&spec.lim, t);
	} else {
		spec.argv = j->prog.run;
		binds[2].host = NULL; /* a fresh tmpfs */
		if (j->prog.output) {
			output = xasprintf("%s/%s", sl->work, j->prog.output);
			inside = xasprintf("/work/%s", j->prog.output);
			binds[spec.nbinds++] = (struct sandbox_bind){ output, inside, 0 };
		}
		spec.lim.wall_s = t->limit_s > 0 ? t->limit_s : t->timeout_s > 0 ? t->timeout_s : spec.lim.wall_s;
		spec.lim.cpu_s = spec.lim.wall_s;
		j->limit_s = spec.lim.wall_s;
		make_token(token);
		spec.token = token;
	}
	sandbox_release(&j->run);
	int rc = sandbox_start(&j->run, &spec);
	free(output);
	free(inside);
	return rc;
}

/* the last non-empty line of text, trimmed to fit; malloced */
static char *last_line(const char *text)
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
		return last_line(text);
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

/* what a finished run says about the answer. The limits are told apart
 * from a wrong answer by what the harness saw (its clock, the output it
 * read, the watchdog, the exit signal, the tree's CPU time) and, where the
 * answer only got an error back from the kernel, by the message a runtime
 * prints for it */
static void classify(const struct sandbox_run *r, int compile, struct verdict *v)
{
	static const char *const memory_words[] = { "MemoryError", "Cannot allocate memory", "std::bad_alloc",
						    "out of memory", "virtual memory exhausted", NULL };
	static const char *const fsize_words[] = { "File too large", NULL };
	static const char *const disk_words[] = { "No space left on device", "Disk quota exceeded", NULL };
	char *tail = sandbox_tail(r);
	const char *all = tail;
	v->truncated = r->truncated;
	if (!r->started) {
		v->error = 1;
		v->reason = "sandbox";
		v->detail = last_line(buf_str(&r->head));
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
	} else if (r->mem_killed) {
		v->reason = "memory";
		v->detail = xasprintf("its processes held %ld MB together (limit %ld MB)", r->peak_kb >> 10,
				      r->mem_kb >> 10);
	} else if (r->timed_out) {
		v->reason = "timeout";
		v->detail = xasprintf("killed after %.1f s", (r->end_ms - r->start_ms) / 1e3);
	} else if (r->output_killed) {
		v->reason = "output_limit";
		v->detail = xasprintf("more than %zu bytes of output", r->out_max);
	} else if (r->exit_code == 128 + SIGXCPU || (r->exit_code == 128 + SIGKILL && r->cpu_ms >= r->cpu_limit_ms)) {
		v->reason = "cpu_limit";
		v->detail = xasprintf("%.1f s of CPU", r->cpu_ms / 1e3);
	} else if (r->exit_code == 128 + SIGXFSZ || (r->exit_code != 0 && mentions(all, fsize_words))) {
		v->reason = "file_size_limit";
		v->detail = last_line(all);
	} else if (r->exit_code != 0 && mentions(all, disk_words)) {
		v->reason = "disk_limit";
		v->detail = last_line(all);
	} else if (r->exit_code == 128 + SIGSYS) {
		v->reason = "forbidden_syscall";
		v->detail = xstrdup("killed by the seccomp filter (a system call of another ABI)");
	} else if (mentions(all, memory_words)) {
		v->reason = "memory";
		v->detail = last_line(all);
	} else if (r->exit_code > 128) {
		v->reason = "killed";
		v->detail = xasprintf("SIG%s", signal_name(r->exit_code - 128));
	} else {
		v->reason = "wrong_answer";
		v->detail = r->exit_code == 0 ? xstrdup("exited before the tests finished")
					      : last_line(all);
	}
	free(tail);
}

/* a copy of v, whose strings it owns */
static void verdict_copy(struct verdict *dst, const struct verdict *v)
{
	*dst = *v;
	dst->detail = v->detail ? xstrdup(v->detail) : NULL;
	dst->report = v->report ? xstrdup(v->report) : NULL;
	dst->log = v->log ? xstrdup(v->log) : NULL;
}

static void job_finish(struct scorer *s, struct slot *sl, struct verdict *v)
{
	struct job *j = sl->job;
	sl->job = NULL;
	if (!v->reused) {
		v->test_ms = j->sandbox_ms;
		v->compile_ms = j->compile_ms;
		v->run_ms = j->run_ms;
		v->limit_s = j->limit_s;
		v->near_limit = !j->repo && j->step == STEP_RUN && !j->run.timed_out && j->limit_s > 0 &&
				j->run_ms > NEAR_LIMIT * j->limit_s * 1e3;
	}
	if (!v->reused && !v->error && !j->task->repo && !strmap_get(&s->seen, j->key, NULL)) {
		XGROW(s->verdicts, s->verdicts_cap, s->nverdicts + 1);
		verdict_copy(&s->verdicts[s->nverdicts], v);
		strmap_put(&s->seen, j->key, (long)s->nverdicts++);
	}
	j->done(j->arg, v);
	verdict_release(v);
	job_free(j);
}

/* the memory an executable's loadable segments take once mapped (code,
 * data, bss), in MB; 0 when it is not a 64-bit ELF we can read. A static
 * array larger than the address-space limit makes exec fail inside the
 * kernel, which can only answer with SIGSEGV: this tells it apart. */
static long elf_load_mb(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	double total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(ph) || eh.e_phnum > 256) {
		close(fd);
		return 0;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof(ph))) != (ssize_t)sizeof(ph))
			break;
		if (ph.p_type == PT_LOAD)
			total += (double)ph.p_memsz;
	}
	close(fd);
	return (long)(total / 1048576.0);
}

/* the whole output of a run: the kept head, and the tail when cut; malloced */
static char *full_output(const struct sandbox_run *r)
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

/* a finished repository step */
static void repo_step_done(struct scorer *s, struct slot *sl)
{
	struct job *j = sl->job;
	struct verdict v = { .well_formed = -1 };
	const struct sandbox_run *r = &j->run;
	j->step_ms[j->step] = r->end_ms - r->start_ms;
	memcpy(v.step_ms, j->step_ms, sizeof(v.step_ms));
	v.edit_format = j->rj.edit_format;
	char *out = full_output(r);
	int ends = 1;
	if (!r->started) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = last_line(out);
	} else if (r->timed_out && j->step == RSTEP_TEST) {
		v.reason = "timeout";
		v.detail = xasprintf("the tests were killed after %.1f s", (r->end_ms - r->start_ms) / 1e3);
		v.log = xstrdup(out);
		v.well_formed = 1;
	} else if (j->step == RSTEP_TEST) {
		repojob_grade(&j->rj, out, r->truncated, &v);
		v.well_formed = 1;
	} else if (r->timed_out || r->exit_code != 0) {
		v.well_formed = j->step > RSTEP_APPLY ? 1 : -1;
		if (!repojob_step_failed(&j->rj, (enum repo_step)j->step, r->timed_out ? 124 : r->exit_code, out, &v))
			ends = 0;
	} else {
		ends = 0;
	}
	free(out);
	if (!ends) {
		j->step = repojob_next(&j->rj, (enum repo_step)(j->step + 1));
		if (step_start(s, sl, j) == 0)
			return;
		v.error = 1;
		v.reason = "sandbox";
	}
	job_finish(s, sl, &v);
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

static void exec_finish(struct slot *sl, struct exec_result *res, double since_ms)
{
	struct job *j = sl->job;
	sl->job = NULL;
	res->setup_ms = j->setup_ms;
	res->wait_ms = j->wait_ms;
	res->harness_ms = j->harness_ms + (now_ms() - since_ms);
	j->exec_done(j->arg, res);
	exec_result_release(res);
	job_free(j);
}

/* a finished exec step: the next step, or the command's result */
static void exec_step_done(struct scorer *s, struct slot *sl)
{
	double t0 = now_ms();
	struct job *j = sl->job;
	struct sandbox_run *r = &j->run;
	struct exec_result res = { .head = BUF_INIT };
	res.limit_s = j->wall_s;
	if (!r->started) {
		res.error = 1;
		res.reason = "sandbox";
		res.detail = last_line(buf_str(&r->head));
	} else if (j->step != EXEC_COMMAND) {
		j->setup_ms += r->end_ms - r->start_ms;
		if (j->ws->rj.env_problem) {
			/* a task the environment spec cannot score (repojob_setup):
			 * an environment error with the spec's reason */
			res.error = 1;
			res.reason = "environment";
			res.detail = xstrdup(j->ws->rj.env_problem);
		} else if (r->timed_out || r->exit_code != 0) {
			char *out = full_output(r);
			res.error = 1;
			res.reason = j->step == EXEC_CHECKOUT ? "checkout" : "setup";
			res.detail = last_line(out);
			free(out);
		} else {
			j->step = j->step == EXEC_CHECKOUT && j->ws->rj.cmd[RSTEP_SETUP] ? EXEC_SETUP : EXEC_COMMAND;
			j->ws->ready = j->step == EXEC_COMMAND;
			if (step_start(s, sl, j) == 0) {
				j->harness_ms += now_ms() - t0;
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
	exec_finish(sl, &res, t0);
}

/* an exec job starts: with the steps that make its workspace, the first time */
static void exec_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	double t0 = now_ms();
	j->wait_ms = t0 - j->queued_ms;
	j->step = j->ws->ready ? EXEC_COMMAND : EXEC_CHECKOUT;
	if (step_start(s, sl, j) < 0) {
		struct exec_result res = { .head = BUF_INIT, .error = 1, .reason = "sandbox" };
		res.detail = xstrdup("could not start bubblewrap");
		exec_finish(sl, &res, t0);
		return;
	}
	j->harness_ms += j->run.start_ms - t0;
}

/* a finished step: start the next one or deliver the verdict */
static void step_done(struct scorer *s, struct slot *sl)
{
	struct job *j = sl->job;
	struct verdict v = { .well_formed = -1 };
	double ms = j->run.end_ms - j->run.start_ms;
	j->sandbox_ms += ms;
	if (j->ws) {
		exec_step_done(s, sl);
		return;
	}
	if (j->repo) {
		repo_step_done(s, sl);
		return;
	}
	if (j->step == STEP_RUN)
		j->run_ms = ms;
	else
		j->compile_ms += ms;
	classify(&j->run, j->step != STEP_RUN, &v);
	if (j->step == STEP_OBJECT && !v.passed && !v.error) {
		/* the suite's own tests do not build: not the answer's fault */
		v.error = 1;
		v.reason = "test_build";
	}
	long static_mb = 0;
	if (j->step == STEP_COMPILE && v.passed && j->prog.output) {
		char *path = xasprintf("%s/%s", sl->work, j->prog.output);
		static_mb = elf_load_mb(path);
		free(path);
	}
	if (static_mb > s->opts.lim.mem_mb) {
		v.passed = 0;
		v.reason = "memory";
		v.detail = xasprintf("its code and static data need %ld MB, more than the %ld MB limit", static_mb,
				     s->opts.lim.mem_mb);
	} else if (j->step != STEP_RUN && v.passed) {
		j->step++;
		verdict_release(&v);
		memset(&v, 0, sizeof(v));
		v.well_formed = -1;
		if (step_start(s, sl, j) == 0)
			return;
		v.error = 1;
		v.reason = "sandbox";
	}
	job_finish(s, sl, &v);
}

/* a repository task: its files are written, its steps start with the checkout */
static void repo_job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	struct verdict v = { .well_formed = -1 };
	j->repo = 1;
	if (dir_remove(sl->tb) < 0 || dir_remove(sl->work) < 0 || dir_make(sl->tb, 0755) < 0 ||
	    dir_make(sl->work, 0700) < 0 || (sl->uid && chown(sl->work, sl->uid, sl->uid) < 0) ||
	    repojob_prepare(&j->rj, j->task, j->code, j->mode, s->opts.repos, s->opts.env, sl->tb) < 0) {
		v.error = 1;
		v.reason = "checkout";
		v.detail = xstrdup("could not prepare the repository task (see the messages above)");
		job_finish(s, sl, &v);
		return;
	}
	if (j->rj.edit_error) {
		v.reason = "malformed_edit";
		v.well_formed = 0;
		v.edit_format = j->rj.edit_format;
		v.detail = xstrdup(j->rj.edit_error);
		job_finish(s, sl, &v);
		return;
	}
	j->step = repojob_next(&j->rj, RSTEP_CHECKOUT);
	if (step_start(s, sl, j) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not start bubblewrap");
		job_finish(s, sl, &v);
	}
}

static void job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	struct verdict v = { .well_formed = -1 };
	sl->job = j;
	if (j->ws) {
		exec_begin(s, sl, j);
		return;
	}
	if (j->task->repo) {
		repo_job_begin(s, sl, j);
		return;
	}
	long at;
	if (strmap_get(&s->seen, j->key, &at)) {
		verdict_copy(&v, &s->verdicts[at]);
		v.reused = 1;
		v.test_ms = v.compile_ms = v.run_ms = 0;
		job_finish(s, sl, &v);
		return;
	}
	if (program_build(&j->prog, j->task, j->code, j->mode) < 0 || slot_prepare(sl, &j->prog) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not prepare the sandbox files");
		job_finish(s, sl, &v);
		return;
	}
	int d = j->prog.driver && strcmp(j->prog.driver, "driver_cpp.o") == 0;
	if (j->prog.driver && !s->have_driver[d]) {
		if (program_build_driver(s->harness, j->prog.driver) < 0) {
			v.error = 1;
			v.reason = "sandbox";
			v.detail = xasprintf("could not build %s", j->prog.driver);
			job_finish(s, sl, &v);
			return;
		}
		s->have_driver[d] = 1;
	}
	char *obj = j->prog.object[0] ? xasprintf("%s/%s", s->objects, j->prog.object) : NULL;
	j->step = obj && !path_exists(obj) ? STEP_OBJECT : j->prog.compile[0] ? STEP_COMPILE : STEP_RUN;
	free(obj);
	if (step_start(s, sl, j) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not start bubblewrap");
		job_finish(s, sl, &v);
	}
}

/* the orphans of finished sandboxes; a running one's outer bwrap and init
 * are reaped by sandbox_poll */
static void reap(struct scorer *s)
{
	pid_t live[512];
	size_t n = 0;
	for (int i = 0; i < s->opts.jobs && n + 2 <= 512; i++) {
		const struct job *j = s->slots[i].job;
		if (j && j->run.pid > 0)
			live[n++] = j->run.pid;
		if (j && j->run.init_pid > 0 && !j->run.finished)
			live[n++] = j->run.init_pid;
	}
	sandbox_reap_orphans(live, n);
}

void scorer_step(struct scorer *s)
{
	double now = now_ms();
	for (int i = 0; i < s->opts.jobs; i++) {
		struct slot *sl = &s->slots[i];
		if (!sl->job)
			continue;
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

int scorer_fds(const struct scorer *s, int *fds, int max)
{
	int n = 0;
	for (int i = 0; i < s->opts.jobs; i++) {
		const struct slot *sl = &s->slots[i];
		int f[3];
		if (!sl->job)
			continue;
		int k = sandbox_fds(&sl->job->run, f);
		for (int m = 0; m < k && n < max; m++)
			fds[n++] = f[m];
	}
	return n;
}

long scorer_timeout_ms(const struct scorer *s)
{
	double now = now_ms(), best = -1;
	for (int i = 0; i < s->opts.jobs; i++) {
		const struct slot *sl = &s->slots[i];
		if (!sl->job)
			continue;
		double left = sandbox_next_ms(&sl->job->run) - now;
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
	int fds[192];
	struct pollfd pfd[192];
	scorer_step(s);
	while (scorer_pending(s) && !signals_stop_requested()) {
		int n = scorer_fds(s, fds, 192);
		for (int i = 0; i < n; i++) {
			pfd[i].fd = fds[i];
			pfd[i].events = POLLIN;
		}
		long t = scorer_timeout_ms(s);
		poll(pfd, (nfds_t)n, t < 0 || t > 1000 ? 1000 : (int)t);
		scorer_step(s);
	}
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
		int spare = 256 - s->opts.jobs;
		int idx = spare > 0 ? s->opts.jobs + (int)(n % (unsigned)spare) : (int)(n % 256);
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
	j->task = w->task;
	j->ws = w;
	j->code = cmd ? xstrdup(cmd) : NULL;
	j->answer = cmd == NULL;
	j->wall_s = wall_s;
	j->exec_done = done;
	j->arg = arg;
	enqueue(s, j);
}
