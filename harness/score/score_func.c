/* score_func.c - a function task's answer in the pool: up to three
 * sandboxed steps. Build the tests' object (once per task: the tests are the
 * same for every answer), compile the answer and link, then run. The run
 * gets a fresh size-capped tmpfs as /work, with the compiled program bound
 * read-only into it: what the answer writes never reaches the disk, and it
 * cannot touch its own binary.
 *
 * A pass is decided by the harness's driver, which reads a token from a
 * private channel before any answer code runs and hands it back only after
 * the tests returned. Each run's token is fresh and unpredictable: the first
 * 128 bits of SHA-256 over a 256-bit secret the pool draws from the kernel
 * (getrandom) and the run's number. The secret never enters a sandbox; when
 * the kernel gives no random bytes the pool does not start (there is no
 * weaker fallback).
 *
 * An answer identical to one already scored for the same task (samples at
 * temperature 0, several models writing the canonical solution) gets that
 * verdict again without a sandbox, marked as reused. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "score/score_job.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

int token_key_init(struct token_key *k)
{
	size_t got = 0;
	while (got < sizeof(k->key)) {
		ssize_t n = getrandom(k->key + got, sizeof(k->key) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return error("cannot draw the secret of the anti-cheat tokens from the kernel (getrandom: "
				     "%s): no answer is scored without one",
				     n < 0 ? strerror(errno) : "no bytes");
		got += (size_t)n;
	}
	k->n = 0;
	return 0;
}

/* the next run's token: 32 hex digits */
static void token_make(struct token_key *k, char out[33])
{
	struct sha256 h;
	char hex[65];
	uint64_t n = k->n++;
	sha256_init(&h);
	sha256_update(&h, k->key, sizeof(k->key));
	sha256_update(&h, &n, sizeof(n));
	sha256_hex(&h, hex);
	memcpy(out, hex, 32);
	out[32] = '\0';
	explicit_bzero(&h, sizeof(h));
}

void compile_limits(struct sandbox_limits *lim, const struct task *t)
{
	lim->wall_s = t && t->compile_limit_s > 0 ? t->compile_limit_s : COMPILE_WALL_S;
	lim->cpu_s = lim->wall_s;
	lim->mem_mb = lim->mem_mb > COMPILE_MEM_MB ? lim->mem_mb : COMPILE_MEM_MB;
	lim->fsize_mb = COMPILE_FSIZE_MB;
}

void func_job_key(struct job *j)
{
	const struct task *t = j->task;
	struct sha256 h;
	char m = (char)j->mode;
	sha256_init(&h);
	sha256_update(&h, t->id, strlen(t->id) + 1);
	sha256_update(&h, &m, 1);
	sha256_update(&h, &t->limit_s, sizeof(t->limit_s));
	sha256_update(&h, &t->compile_limit_s, sizeof(t->compile_limit_s));
	sha256_update(&h, j->code, strlen(j->code));
	sha256_hex(&h, j->u.fn.key);
}

/* dir with nothing in it, made if need be; the directory itself stays (a
 * zygote's sandbox has it bound); what is in it is the harness's own files */
static int dir_clear(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return dir_make(dir, 0755);
	struct dirent *de;
	int rc = 0;
	while (rc == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		rc = dir_remove(path);
		free(path);
	}
	closedir(d);
	return rc;
}

/* fresh tb/ and work/ for a job; 0 or -1 (reported) */
static int slot_prepare(struct slot *sl, const struct program *p)
{
	if (dir_clear(sl->tb) < 0 || dir_remove(sl->work) < 0)
		return -1;
	if (dir_make(sl->work, 0700) < 0)
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

/* the run step as a child of the slot's zygote, started first if need be;
 * 0, or -1 when the zygote cannot take it (the ordinary path then does) */
static int zygote_step_start(struct scorer *s, struct slot *sl, struct job *j, const struct sandbox_limits *lim,
			     const char *token)
{
	if (!sl->zy.on) {
		/* the sandbox every run step gets, with the zygote in it */
		struct sandbox_bind binds[3] = {
			{ sl->tb, "/tb", 0 },
			{ s->harness, "/tbh", 0 },
			{ NULL, "/work", 1 },
		};
		struct sandbox_spec spec = {
			.binds = binds, .nbinds = 3, .chdir = "/work", .lim = s->opts.lim, .uid = sl->uid,
		};
		if (zygote_start(&sl->zy, &spec) < 0)
			return -1;
	}
	if (zygote_test(&sl->zy, &j->run, lim, j->u.fn.prog.zygote_script, token) < 0)
		return -1;
	j->u.fn.in_zygote = 1;
	return 0;
}

static int step_start(struct scorer *s, struct slot *sl, struct job *j)
{
	const struct task *t = j->task;
	struct func_job *f = &j->u.fn;
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
		spec.argv = j->step == STEP_OBJECT ? f->prog.object_compile : f->prog.compile;
		compile_limits(&spec.lim, t);
	} else {
		spec.argv = f->prog.run;
		binds[2].host = NULL; /* a fresh tmpfs */
		if (f->prog.output) {
			output = xasprintf("%s/%s", sl->work, f->prog.output);
			inside = xasprintf("/work/%s", f->prog.output);
			binds[spec.nbinds++] = (struct sandbox_bind){ output, inside, 0 };
		}
		spec.lim.wall_s = t->limit_s > 0 ? t->limit_s : t->timeout_s > 0 ? t->timeout_s : spec.lim.wall_s;
		spec.lim.cpu_s = spec.lim.wall_s;
		f->limit_s = spec.lim.wall_s;
		token_make(&s->token, token);
		spec.token = token;
	}
	sandbox_release(&j->run);
	f->in_zygote = 0;
	if (j->step == STEP_RUN && s->opts.zygote && f->prog.zygote_script && !f->no_zygote &&
	    sl->zy_fails < ZYGOTE_MAX_FAILS && zygote_step_start(s, sl, j, &spec.lim, token) == 0) {
		explicit_bzero(token, sizeof(token));
		free(output);
		free(inside);
		return 0;
	}
	zygote_stop(&sl->zy); /* its processes would count against the slot uid's limit */
	int rc = sandbox_start(&j->run, &spec);
	explicit_bzero(token, sizeof(token));
	free(output);
	free(inside);
	return rc;
}

/* the verdict goes out with the job's timings, and is kept for an
 * identical answer to come */
static void finish(struct scorer *s, struct slot *sl, struct verdict *v)
{
	const struct job *j = sl->job;
	const struct func_job *f = &j->u.fn;
	if (!v->reused) {
		v->test_ms = j->sandbox_ms;
		v->compile_ms = f->compile_ms;
		v->run_ms = f->run_ms;
		v->limit_s = f->limit_s;
		v->near_limit = j->step == STEP_RUN && !j->run.timed_out && f->limit_s > 0 &&
				f->run_ms > NEAR_LIMIT * f->limit_s * 1e3;
	}
	if (!v->reused && !v->error && !strmap_get(&s->seen, f->key, NULL)) {
		XGROW(s->verdicts, s->verdicts_cap, s->nverdicts + 1);
		verdict_copy(&s->verdicts[s->nverdicts], v);
		strmap_put(&s->seen, f->key, (long)s->nverdicts++);
	}
	score_job_finish(sl, v);
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

void func_step_done(struct scorer *s, struct slot *sl)
{
	struct job *j = sl->job;
	struct func_job *f = &j->u.fn;
	struct verdict v = { .well_formed = -1 };
	double ms = j->run.end_ms - j->run.start_ms;
	if (j->step == STEP_RUN)
		f->run_ms = ms;
	else
		f->compile_ms += ms;
	verdict_classify(&j->run, j->step != STEP_RUN, &v);
	if (j->step == STEP_OBJECT && !v.passed && !v.error && f->prog.header[0]) {
		/* the precompiled header did not build: the answer compiles without it */
		program_drop_header(&f->prog);
		v.passed = 1;
		v.reason = NULL;
		free(v.detail);
		v.detail = NULL;
	} else if (j->step == STEP_OBJECT && !v.passed && !v.error) {
		/* the suite's own tests do not build: not the answer's fault */
		v.error = 1;
		v.reason = "test_build";
	}
	if (!v.passed && !v.error)
		v.log = verdict_run_output(&j->run); /* kept as the sample's test_output.txt */
	long static_mb = 0;
	if (j->step == STEP_COMPILE && v.passed && f->prog.output) {
		char *path = xasprintf("%s/%s", sl->work, f->prog.output);
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
		v.detail = xstrdup("could not start bubblewrap for the next step");
	}
	finish(s, sl, &v);
}

void func_job_poll(struct scorer *s, struct slot *sl, double now)
{
	struct job *j = sl->job;
	struct func_job *f = &j->u.fn;
	if (!f->in_zygote) {
		sandbox_poll(&j->run, now);
		return;
	}
	int rc = zygote_poll(&sl->zy, &j->run, now);
	if (rc > 0) {
		if (j->run.finished)
			sl->zy_fails = 0;
		return;
	}
	/* the zygote failed: the test runs again in a sandbox of its own,
	 * whose verdict is the ordinary path's. One that died or hung while a
	 * test ran may have been the test's doing; one that never started is
	 * counted, and the slot gives up on them after a few */
	if (rc == -2 && ++sl->zy_fails == ZYGOTE_MAX_FAILS)
		warning("sandbox slot %d: %d zygotes failed in a row; its Python tests run without one from now on",
			(int)(sl - s->slots), ZYGOTE_MAX_FAILS);
	f->no_zygote = 1;
	if (step_start(s, sl, j) < 0) {
		sandbox_run_init(&j->run, &s->opts.lim, NULL);
		j->run.end_ms = j->run.start_ms = now;
		j->run.finished = 1; /* not started: the verdict is a sandbox error */
	}
}

void func_job_begin(struct scorer *s, struct slot *sl, struct job *j)
{
	struct func_job *f = &j->u.fn;
	struct verdict v = { .well_formed = -1 };
	long at;
	if (strmap_get(&s->seen, f->key, &at)) {
		verdict_copy(&v, &s->verdicts[at]);
		v.reused = 1;
		v.test_ms = v.compile_ms = v.run_ms = 0;
		finish(s, sl, &v);
		return;
	}
	if (program_build(&f->prog, j->task, j->code, j->mode) < 0 || slot_prepare(sl, &f->prog) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not prepare the sandbox files");
		finish(s, sl, &v);
		return;
	}
	int d = f->prog.driver && strcmp(f->prog.driver, "driver_cpp.o") == 0;
	if (f->prog.driver && !s->have_driver[d]) {
		if (program_build_driver(s->harness, f->prog.driver) < 0) {
			v.error = 1;
			v.reason = "sandbox";
			v.detail = xasprintf("could not build %s", f->prog.driver);
			finish(s, sl, &v);
			return;
		}
		s->have_driver[d] = 1;
	}
	if (f->prog.header[0]) {
		/* the precompiled header's source, the same for every answer: written
		 * once, whole (a sandbox may be compiling from it) */
		char *hdr = xasprintf("%s/%s", s->objects, f->prog.header);
		if (!path_exists(hdr) && file_write_atomic(hdr, f->prog.header_text, strlen(f->prog.header_text)) < 0)
			program_drop_header(&f->prog);
		else
			chmod(hdr, 0644);
		free(hdr);
	}
	char *obj = f->prog.object[0] ? xasprintf("%s/%s", s->objects, f->prog.object) : NULL;
	j->step = obj && !path_exists(obj) ? STEP_OBJECT : f->prog.compile[0] ? STEP_COMPILE : STEP_RUN;
	free(obj);
	if (step_start(s, sl, j) < 0) {
		v.error = 1;
		v.reason = "sandbox";
		v.detail = xstrdup("could not start bubblewrap");
		finish(s, sl, &v);
	}
}
