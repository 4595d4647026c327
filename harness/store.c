/* store.c - the append-only sample store: the only file a report needs. */
#define _GNU_SOURCE
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "msg.h"
#include "xalloc.h"

static const char *const status_names[] = { "passed", "failed", "error", "not_attempted" };

const char *status_name(enum status st)
{
	return status_names[st];
}

int status_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->cost_usd = NAN;
	r->latency_ms = NAN;
	r->ttft_ms = NAN;
	r->output_tps = NAN;
	r->test_ms = NAN;
	r->repriced_from_usd = NAN;
	r->cache_saving_usd = NAN;
	r->agent_ms = NAN;
	r->well_formed = -1;
}

void record_release(struct record *r)
{
	if (!r)
		return;
	free(r->task);
	free(r->provider);
	free(r->model);
	free(r->fail_reason);
	free(r->error_kind);
	free(r->detail);
	free(r->cluster);
	free(r->cost_source);
	free(r->response_key);
	free(r->raw_usage);
	free(r->time);
	free(r->edit_format);
	free(r->report);
	free(r->tries);
	free(r->agent);
	free(r->end_reason);
	free(r->per_turn);
	record_init(r);
}

char *record_key(const char *task, const char *provider, int sample)
{
	return xasprintf("%s\t%s\t%d", task, provider, sample);
}

/* drops a last line that has no newline: a record torn by a kill */
static int drop_torn_tail(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : error("cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		off_t end = st.st_size, pos = end;
		char c = 0;
		while (pos > 0 && pread(fd, &c, 1, pos - 1) == 1 && c != '\n')
			pos--;
		if (pos < end) {
			warning("'%s': dropping an incomplete last record (%lld bytes)", path,
				(long long)(end - pos));
			if (ftruncate(fd, pos) < 0)
				rc = error("cannot truncate '%s': %s", path, strerror(errno));
		}
	}
	close(fd);
	return rc;
}

int store_open(struct store *s, const char *dir)
{
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	if (dir_make(dir, 0755) < 0)
		return -1;
	char *lock = xasprintf("%s/.lock", dir);
	s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (s->lock_fd < 0)
		return error("cannot create a lock in '%s': %s", dir, strerror(errno));
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		close(s->lock_fd);
		s->lock_fd = -1;
		return error("'%s' is in use by another tokenbench process", dir);
	}
	s->path = xasprintf("%s/samples.jsonl", dir);
	s->dir = xstrdup(dir);
	if (drop_torn_tail(s->path) < 0)
		goto fail;
	s->f = fopen(s->path, "ae");
	if (!s->f) {
		error("cannot open '%s': %s", s->path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	store_close(s);
	return -1;
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
}

int store_append(struct store *s, const struct record *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "task", r->task);
	cJSON_AddStringToObject(o, "provider", r->provider);
	add_str(o, "model", r->model);
	cJSON_AddNumberToObject(o, "sample", r->sample);
	cJSON_AddStringToObject(o, "status", status_name(r->status));
	add_str(o, "fail_reason", r->fail_reason);
	add_str(o, "error_kind", r->error_kind);
	add_str(o, "detail", r->detail);
	if (r->cluster)
		cJSON_AddStringToObject(o, "cluster", r->cluster);
	else
		cJSON_AddNullToObject(o, "cluster");
	usage_add_json(o, &r->usage);
	if (r->raw_usage) {
		cJSON *raw = cJSON_Parse(r->raw_usage);
		if (raw)
			cJSON_AddItemToObject(o, "raw_usage", raw);
	}
	json_add_num(o, "cost_usd", r->cost_usd);
	if (r->cost_source)
		cJSON_AddStringToObject(o, "cost_source", r->cost_source);
	else
		cJSON_AddNullToObject(o, "cost_source");
	if (r->usage_estimated)
		cJSON_AddTrueToObject(o, "usage_estimated");
	json_add_num(o, "latency_ms", isnan(r->latency_ms) ? NAN : round(r->latency_ms * 10) / 10);
	if (!isnan(r->ttft_ms))
		json_add_num(o, "ttft_ms", round(r->ttft_ms * 10) / 10);
	if (!isnan(r->output_tps))
		json_add_num(o, "output_tps", round(r->output_tps * 10) / 10);
	cJSON_AddNumberToObject(o, "attempts", r->attempts);
	json_add_num(o, "test_ms", isnan(r->test_ms) ? NAN : round(r->test_ms * 10) / 10);
	if (r->truncated)
		cJSON_AddTrueToObject(o, "truncated");
	if (r->near_limit)
		cJSON_AddTrueToObject(o, "near_limit");
	if (r->test_reused)
		cJSON_AddTrueToObject(o, "test_reused");
	if (r->cached)
		cJSON_AddTrueToObject(o, "cached");
	add_str(o, "response_key", r->response_key);
	add_str(o, "edit_format", r->edit_format);
	if (r->step_ms[0] > 0) {
		static const char *const steps[] = { "checkout", "apply", "setup", "test" };
		cJSON *sm = cJSON_AddObjectToObject(o, "steps_ms");
		for (int i = 0; i < 4; i++)
			if (r->step_ms[i] > 0)
				cJSON_AddNumberToObject(sm, steps[i], round(r->step_ms[i] * 10) / 10);
	}
	if (r->well_formed >= 0)
		cJSON_AddBoolToObject(o, "well_formed", r->well_formed);
	if (r->report) {
		cJSON *rep = cJSON_Parse(r->report);
		if (rep)
			cJSON_AddItemToObject(o, "report", rep);
	}
	if (r->tries) {
		cJSON *tr = cJSON_Parse(r->tries);
		if (tr)
			cJSON_AddItemToObject(o, "tries", tr);
	}
	if (!isnan(r->repriced_from_usd))
		json_add_num(o, "repriced_from_usd", r->repriced_from_usd);
	if (!isnan(r->cache_saving_usd))
		json_add_num(o, "cache_saving_usd", r->cache_saving_usd);
	if (r->agent) {
		cJSON_AddStringToObject(o, "agent", r->agent);
		cJSON_AddNumberToObject(o, "turns", r->turns);
		add_str(o, "end_reason", r->end_reason);
		json_add_num(o, "agent_ms", isnan(r->agent_ms) ? NAN : round(r->agent_ms * 10) / 10);
		json_add_num(o, "workspace_ms", round(r->workspace_ms * 10) / 10);
		cJSON *pt = r->per_turn ? cJSON_Parse(r->per_turn) : NULL;
		if (pt)
			cJSON_AddItemToObject(o, "per_turn", pt);
	}
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON_AddStringToObject(o, "time", r->time ? r->time : when);

	struct buf line = BUF_INIT;
	json_print(&line, o);
	buf_putc(&line, '\n');
	cJSON_Delete(o);
	int rc = 0;
	if (fwrite(line.data, 1, line.len, s->f) != line.len || fflush(s->f) != 0)
		rc = error("cannot append to '%s': %s", s->path, strerror(errno));
	buf_release(&line);
	return rc;
}

/* a path component from a name: letters, digits and ._- kept, others _ */
static char *safe_name(const char *s)
{
	char *p = xstrdup(*s ? s : "_");
	for (char *q = p; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		      *q == '.' || *q == '-' || *q == '_'))
			*q = '_';
	if (p[0] == '.')
		p[0] = '_';
	return p;
}

char *store_log_path(const char *dir, const char *provider, const char *task, int sample, const char *name)
{
	char *sp = safe_name(provider), *st = safe_name(task);
	char *path = xasprintf("%s/logs/%s/%s/%d/%s", dir, sp, st, sample, name);
	free(sp);
	free(st);
	return path;
}

/* the log file's path, its directory made; NULL after reporting */
static char *log_path_made(struct store *s, const char *provider, const char *task, int sample, const char *name)
{
	char *path = store_log_path(s->dir, provider, task, sample, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	int rc = dir_make(path, 0755);
	*slash = '/';
	if (rc < 0) {
		free(path);
		return NULL;
	}
	return path;
}

int store_write_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		    const char *text)
{
	char *path = log_path_made(s, provider, task, sample, name);
	int rc = path ? file_write_atomic(path, text, strlen(text)) : -1;
	free(path);
	return rc;
}

int store_append_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		     const char *text)
{
	char *path = log_path_made(s, provider, task, sample, name);
	if (!path)
		return -1;
	int rc = 0, fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || fd_write_all(fd, text, strlen(text)) < 0)
		rc = error("cannot append to '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->f)
		fclose(s->f);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s->dir);
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}

void recset_init(struct recset *rs)
{
	memset(rs, 0, sizeof(*rs));
	strmap_init(&rs->index);
}

void recset_release(struct recset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		record_release(&rs->v[i]);
	free(rs->v);
	strmap_release(&rs->index);
	recset_init(rs);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void usage_add_json(cJSON *o, const struct usage *u)
{
	cJSON *j = cJSON_AddObjectToObject(o, "usage");
	cJSON_AddNumberToObject(j, "input", (double)u->input);
	cJSON_AddNumberToObject(j, "cached_input", (double)u->cached_input);
	cJSON_AddNumberToObject(j, "cache_write", (double)u->cache_write);
	cJSON_AddNumberToObject(j, "output", (double)u->output);
	cJSON_AddNumberToObject(j, "reasoning", (double)u->reasoning);
}

void usage_from_json(struct usage *u, const cJSON *o)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "usage");
	u->input = (long)json_num(j, "input", 0);
	u->cached_input = (long)json_num(j, "cached_input", 0);
	u->cache_write = (long)json_num(j, "cache_write", 0);
	u->output = (long)json_num(j, "output", 0);
	u->reasoning = (long)json_num(j, "reasoning", 0);
}

static int parse_record(struct record *r, const cJSON *o)
{
	const char *task = json_str(o, "task", NULL), *prov = json_str(o, "provider", NULL);
	int st = status_parse(json_str(o, "status", NULL));
	if (!task || !prov || st < 0)
		return -1;
	record_init(r);
	r->task = xstrdup(task);
	r->provider = xstrdup(prov);
	r->model = dup_or_null(json_str(o, "model", NULL));
	r->sample = (int)json_num(o, "sample", 0);
	r->status = (enum status)st;
	r->fail_reason = dup_or_null(json_str(o, "fail_reason", NULL));
	r->error_kind = dup_or_null(json_str(o, "error_kind", NULL));
	r->detail = dup_or_null(json_str(o, "detail", NULL));
	r->cluster = dup_or_null(json_str(o, "cluster", NULL));
	usage_from_json(&r->usage, o);
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(o, "raw_usage");
	if (cJSON_IsObject(raw)) {
		char *s = cJSON_PrintUnformatted(raw);
		r->raw_usage = xstrdup(s);
		cJSON_free(s);
	}
	r->cost_usd = json_num(o, "cost_usd", NAN);
	r->cost_source = dup_or_null(json_str(o, "cost_source", NULL));
	r->usage_estimated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "usage_estimated"));
	r->latency_ms = json_num(o, "latency_ms", NAN);
	r->ttft_ms = json_num(o, "ttft_ms", NAN);
	r->output_tps = json_num(o, "output_tps", NAN);
	r->attempts = (int)json_num(o, "attempts", 0);
	r->test_ms = json_num(o, "test_ms", NAN);
	r->truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "truncated"));
	r->near_limit = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "near_limit"));
	r->test_reused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "test_reused"));
	r->cached = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "cached"));
	r->response_key = dup_or_null(json_str(o, "response_key", NULL));
	r->time = dup_or_null(json_str(o, "time", NULL));
	r->edit_format = dup_or_null(json_str(o, "edit_format", NULL));
	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(o, "steps_ms");
	static const char *const steps[] = { "checkout", "apply", "setup", "test" };
	for (int i = 0; i < 4; i++)
		r->step_ms[i] = json_num(sm, steps[i], 0);
	const cJSON *wf = cJSON_GetObjectItemCaseSensitive(o, "well_formed");
	r->well_formed = cJSON_IsBool(wf) ? cJSON_IsTrue(wf) : -1;
	static const char *const objs[] = { "report", "tries" };
	char **dst[] = { &r->report, &r->tries };
	for (int i = 0; i < 2; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, objs[i]);
		if (!v)
			continue;
		char *txt = cJSON_PrintUnformatted(v);
		*dst[i] = xstrdup(txt);
		cJSON_free(txt);
	}
	r->repriced_from_usd = json_num(o, "repriced_from_usd", NAN);
	r->cache_saving_usd = json_num(o, "cache_saving_usd", NAN);
	r->agent = dup_or_null(json_str(o, "agent", NULL));
	if (r->agent) {
		r->turns = (int)json_num(o, "turns", 0);
		r->end_reason = dup_or_null(json_str(o, "end_reason", NULL));
		r->agent_ms = json_num(o, "agent_ms", NAN);
		r->workspace_ms = json_num(o, "workspace_ms", 0);
		const cJSON *pt = cJSON_GetObjectItemCaseSensitive(o, "per_turn");
		if (pt) {
			char *txt = cJSON_PrintUnformatted(pt);
			r->per_turn = xstrdup(txt);
			cJSON_free(txt);
		}
	}
	return 0;
}

int store_each(const char *path, store_each_fn fn, void *arg)
{
	struct buf data = BUF_INIT;
	if (file_read(path, &data) < 0)
		return -1;
	size_t lineno = 0, bad = 0;
	int rc = 0;
	const char *p = buf_str(&data), *end = p + data.len;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		if (stop > p) {
			cJSON *o = json_parse(p, (size_t)(stop - p));
			struct record r;
			if (!o || parse_record(&r, o) < 0) {
				if (bad++ < 5)
					warning("%s:%zu: %s; line skipped", path, lineno,
						!nl ? "incomplete last record" : "not a sample record");
			} else {
				rc = fn(arg, &r, p, (size_t)(stop - p), lineno);
				record_release(&r);
			}
			cJSON_Delete(o);
		}
		p = stop + 1;
	}
	if (bad > 5)
		warning("%s: %zu lines skipped in all", path, bad);
	buf_release(&data);
	return rc;
}

/* a later record for the same sample replaces an earlier one (a resumed
 * run's not_attempted, a retried error) */
static int recset_take(void *arg, struct record *r, const char *line, size_t len, size_t lineno)
{
	struct recset *rs = arg;
	(void)line, (void)len, (void)lineno;
	char *key = record_key(r->task, r->provider, r->sample);
	long at;
	if (strmap_get(&rs->index, key, &at)) {
		record_release(&rs->v[at]);
		rs->v[at] = *r;
	} else {
		XGROW(rs->v, rs->cap, rs->n + 1);
		rs->v[rs->n] = *r;
		strmap_put(&rs->index, key, (long)rs->n);
		rs->n++;
	}
	record_init(r);
	free(key);
	return 0;
}

static int cmp_record(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	int c = strcmp(x->task, y->task);
	if (c == 0)
		c = strcmp(x->provider, y->provider);
	if (c == 0)
		c = (x->sample > y->sample) - (x->sample < y->sample);
	return c;
}

void recset_sort(struct recset *rs)
{
	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), cmp_record);
	strmap_release(&rs->index);
	for (size_t i = 0; i < rs->n; i++) {
		char *key = record_key(rs->v[i].task, rs->v[i].provider, rs->v[i].sample);
		strmap_put(&rs->index, key, (long)i);
		free(key);
	}
}

int recset_load(struct recset *rs, const char *dir_or_file, int missing_ok)
{
	char *path = path_is_dir(dir_or_file) ? xasprintf("%s/samples.jsonl", dir_or_file)
					      : xstrdup(dir_or_file);
	int rc = 0;
	if (!path_exists(path))
		rc = missing_ok ? 0 : error("no samples in '%s' (no %s)", dir_or_file, path);
	else
		rc = store_each(path, recset_take, rs);
	/* records finish in whatever order the network and the sandboxes
	 * allow; statistics (the bootstrap above all) must not depend on it */
	if (rc == 0)
		recset_sort(rs);
	free(path);
	return rc;
}

const struct record *recset_find(const struct recset *rs, const char *task, const char *provider,
				 int sample)
{
	char *key = record_key(task, provider, sample);
	long at;
	int found = strmap_get(&rs->index, key, &at);
	free(key);
	return found ? &rs->v[at] : NULL;
}
