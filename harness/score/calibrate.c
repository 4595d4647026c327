/* calibrate.c - time limits that fit this machine.
 *
 * A fixed limit is unfair twice over: too short on a slow machine (a correct
 * answer times out) and too long for a task whose reference takes 20 ms (a
 * quadratic answer passes). So each task's limit is a multiple of its
 * reference solution's time in the same sandbox on this machine, with a
 * floor that absorbs start-up noise. References are measured once per
 * machine and task content, and the times kept in a cache file named by
 * the machine's fingerprint (util/machine.c), so a new run directory costs no
 * new measurement. The run's manifest records each limit and where it came
 * from; score_func.c flags samples that finish close to theirs. */
#define _GNU_SOURCE
#include "score/calibrate.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/machine.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/signals.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* one task's measurement, from the cache or from a run */
struct measure {
	struct task *task;   /* borrowed from the suite */
	char hash[65];       /* of the task's content */
	int have;            /* known (cached or measured) */
	int measured;        /* measured in this run */
	int passed;          /* the reference passed */
	double run_ms, compile_ms;
	char *reason;        /* why it did not pass; malloced */
	int fd;              /* the cache, appended to; -1 when none */
	int *write_failed;
};

/* whether a task's time limit comes from its reference: exact answers run
 * nothing, and a repository task's test suite has its own timeout */
static int calibrated(const struct task *t)
{
	return strcmp(t->kind, "exact") != 0 && !t->repo;
}

double calibrate_limit_s(double reference_ms, double floor_s)
{
	double s = CALIBRATE_MULTIPLE * reference_ms / 1e3;
	if (s < floor_s)
		s = floor_s;
	return s > CALIBRATE_MAX_S ? CALIBRATE_MAX_S : ceil(s * 10) / 10;
}

char *calibrate_cache_path(const char *fingerprint)
{
	char *name = xasprintf("calibration-%s.jsonl", fingerprint);
	char *path = cache_path(name);
	free(name);
	return path;
}

/* what the reference's time depends on, besides the machine */
static void task_hash(const struct task *t, char out[65])
{
	const char *parts[] = { t->language, t->kind, t->prompt, t->tests, t->reference,
				t->entry_point ? t->entry_point : "" };
	struct sha256 s;
	char fmt[16];
	snprintf(fmt, sizeof(fmt), "%d", (int)t->format);
	sha256_init(&s);
	sha256_update(&s, fmt, strlen(fmt) + 1);
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		sha256_update(&s, parts[i], strlen(parts[i]) + 1);
	sha256_hex(&s, out);
}

/* reads the cache into hash -> line index of lines (a later line wins) */
static void cache_load(const char *path, struct strmap *index, cJSON ***lines, size_t *n)
{
	struct buf data = BUF_INIT;
	size_t cap = 0;
	if (!path || !path_exists(path) || file_read(path, &data) < 0) {
		buf_release(&data);
		return;
	}
	for (const char *p = buf_str(&data); *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		cJSON *o = json_parse(p, len);
		const char *h = json_str(o, "hash", NULL);
		if (h) {
			XGROW(*lines, cap, *n + 1);
			(*lines)[*n] = o;
			strmap_put(index, h, (long)*n);
			(*n)++;
		} else {
			cJSON_Delete(o); /* a torn line from a killed run: measured again */
		}
		p = nl ? nl + 1 : p + len;
	}
	buf_release(&data);
}

static void measure_from_json(struct measure *m, const cJSON *o)
{
	m->have = 1;
	m->passed = strcmp(json_str(o, "status", ""), "passed") == 0;
	m->run_ms = json_num(o, "run_ms", 0);
	m->compile_ms = json_num(o, "compile_ms", 0);
	const char *why = json_str(o, "reason", NULL);
	m->reason = why ? xstrdup(why) : NULL;
}

/* appends one line with a single write, so that runs sharing the cache
 * cannot interleave inside a line */
static int cache_append(int fd, const struct measure *m)
{
	cJSON *o = cJSON_CreateObject();
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cJSON_AddStringToObject(o, "hash", m->hash);
	cJSON_AddStringToObject(o, "task", m->task->id);
	cJSON_AddStringToObject(o, "status", m->passed ? "passed" : "failed");
	json_add_num(o, "run_ms", round(m->run_ms * 10) / 10);
	json_add_num(o, "compile_ms", round(m->compile_ms * 10) / 10);
	if (m->reason)
		cJSON_AddStringToObject(o, "reason", m->reason);
	cJSON_AddStringToObject(o, "measured", when);
	struct buf line = BUF_INIT;
	json_print(&line, o);
	buf_putc(&line, '\n');
	ssize_t w = write(fd, line.data, line.len);
	int rc = w == (ssize_t)line.len ? 0 : -1;
	buf_release(&line);
	cJSON_Delete(o);
	return rc;
}

static void on_measured(void *arg, struct verdict *v)
{
	struct measure *m = arg;
	if (v->error) {
		/* the sandbox failed, not the reference: nothing worth keeping */
		m->reason = xasprintf("%s: %s", v->reason, v->detail ? v->detail : "");
		return;
	}
	m->have = 1;
	m->measured = 1;
	m->passed = v->passed;
	m->run_ms = v->run_ms;
	m->compile_ms = v->compile_ms;
	if (!v->passed)
		m->reason = xasprintf("%s%s%s", v->reason, v->detail ? ": " : "", v->detail ? v->detail : "");
	if (m->fd >= 0 && cache_append(m->fd, m) < 0)
		*m->write_failed = 1;
}

/* the task's limits from its measurement, and their record in the manifest */
static void apply(struct measure *m, cJSON *tasks)
{
	struct task *t = m->task;
	cJSON *o = cJSON_CreateObject();
	t->compile_limit_s = 0;
	if (t->timeout_s > 0) {
		t->limit_s = t->timeout_s;
		json_add_num(o, "limit_s", t->limit_s);
		cJSON_AddStringToObject(o, "source", "task");
	} else if (m->have && m->passed) {
		t->limit_s = calibrate_limit_s(m->run_ms, CALIBRATE_FLOOR_S);
		json_add_num(o, "limit_s", t->limit_s);
		json_add_num(o, "reference_ms", round(m->run_ms * 10) / 10);
		if (m->compile_ms > 0) {
			t->compile_limit_s = calibrate_limit_s(m->compile_ms, CALIBRATE_COMPILE_FLOOR_S);
			json_add_num(o, "compile_limit_s", t->compile_limit_s);
			json_add_num(o, "reference_compile_ms", round(m->compile_ms * 10) / 10);
		}
		cJSON_AddStringToObject(o, "source", m->measured ? "measured" : "cached");
	} else {
		/* score_func.c falls back to the sandbox default */
		t->limit_s = 0;
		cJSON_AddStringToObject(o, "source", "default");
		cJSON_AddStringToObject(o, "note", m->reason ? m->reason : "reference not measured");
	}
	cJSON_AddItemToObject(tasks, t->id, o);
}

int calibrate_suite(struct suite *su, struct scorer *sc, cJSON *manifest, int quiet)
{
	cJSON *machine = machine_json();
	const char *fp = json_str(machine, "fingerprint", "unknown");
	char *path = calibrate_cache_path(fp);
	struct strmap index;
	cJSON **lines = NULL;
	size_t nlines = 0;
	struct measure *m = xcalloc(su->n + 1, sizeof(*m));
	int fd = -1, write_failed = 0, rc = -1;
	size_t todo = 0, cached = 0, fixed = 0;
	strmap_init(&index);
	cache_load(path, &index, &lines, &nlines);

	for (size_t i = 0; i < su->n; i++) {
		struct task *t = &su->tasks[i];
		m[i].task = t;
		m[i].fd = -1;
		m[i].write_failed = &write_failed;
		if (!calibrated(t))
			continue;
		if (t->timeout_s > 0) {
			fixed++;
			continue;
		}
		task_hash(t, m[i].hash);
		long at;
		if (strmap_get(&index, m[i].hash, &at)) {
			measure_from_json(&m[i], lines[at]);
			cached++;
		} else {
			todo++;
		}
	}
	if (todo && path) {
		char *dir = xstrdup(path);
		*strrchr(dir, '/') = '\0';
		if (dir_make(dir, 0755) == 0)
			fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			warning("cannot write the calibration cache '%s': %s; measuring anyway", path,
				strerror(errno));
		free(dir);
	}
	if (todo) {
		if (!quiet)
			note("time limits: measuring %zu reference solutions on this machine (once; %zu cached)",
			     todo, cached);
		for (size_t i = 0; i < su->n; i++) {
			struct task *t = &su->tasks[i];
			if (m[i].have || !m[i].hash[0])
				continue;
			m[i].fd = fd;
			t->limit_s = CALIBRATE_MEASURE_S;
			t->compile_limit_s = CALIBRATE_MEASURE_S;
			scorer_submit(sc, t, t->reference, program_reference_mode(t), on_measured, &m[i]);
		}
		scorer_drain(sc);
		if (signals_stop_requested()) {
			error("stopped while measuring reference solutions");
			goto out;
		}
	}
	if (write_failed)
		warning("could not append to the calibration cache '%s'", path);

	cJSON *tl = cJSON_AddObjectToObject(manifest, "time_limits");
	char rule[128];
	snprintf(rule, sizeof(rule), "max(%g s, %g x the reference's time in the sandbox), at most %g s",
		 CALIBRATE_FLOOR_S, CALIBRATE_MULTIPLE, CALIBRATE_MAX_S);
	cJSON_AddStringToObject(tl, "rule", rule);
	json_add_num(tl, "floor_s", CALIBRATE_FLOOR_S);
	json_add_num(tl, "compile_floor_s", CALIBRATE_COMPILE_FLOOR_S);
	json_add_num(tl, "multiple", CALIBRATE_MULTIPLE);
	json_add_num(tl, "near_limit_fraction", NEAR_LIMIT);
	cJSON_AddStringToObject(tl, "machine", fp);
	if (path)
		cJSON_AddStringToObject(tl, "cache", path);
	cJSON *tasks = cJSON_AddObjectToObject(tl, "tasks");
	size_t failed = 0;
	for (size_t i = 0; i < su->n; i++) {
		if (!calibrated(&su->tasks[i]))
			continue;
		apply(&m[i], tasks);
		failed += m[i].hash[0] && !(m[i].have && m[i].passed);
	}
	if (failed)
		warning("%zu reference solutions did not pass in the sandbox: their tasks keep the default "
			"limit (run.json says why)", failed);
	if (!quiet && (todo || cached))
		note("time limits: %s; %zu measured, %zu cached for machine %s, %zu set by the suite", rule, todo,
		     cached, fp, fixed);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < su->n; i++)
		free(m[i].reason);
	free(m);
	for (size_t i = 0; i < nlines; i++)
		cJSON_Delete(lines[i]);
	free(lines);
	strmap_release(&index);
	free(path);
	cJSON_Delete(machine);
	return rc;
}
