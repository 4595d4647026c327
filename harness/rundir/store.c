/* store.c - the append-only sample store: the only file a report needs. */
#define _GNU_SOURCE
#include "rundir/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"


/* whether text[0..n) is a whole sample record, as store_each reads one */
static int whole_record(const char *text, size_t n)
{
	cJSON *o = json_parse(text, n);
	struct record r;
	int ok = o && record_from_json(&r, o) == 0;
	if (ok)
		record_release(&r);
	cJSON_Delete(o);
	return ok;
}

/* a last line that has no newline: a record torn by a kill or a full disk,
 * dropped; or a whole record that only lacks its newline (the disk filled
 * at that very byte), which store_each reads as a record and a resume
 * counts as done: it gets its newline, so that it is neither lost nor
 * asked again */
static int drop_torn_tail(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : error("cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	int rc = 0;
	char *tail = NULL;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		off_t end = st.st_size, pos = end;
		char c = 0;
		while (pos > 0 && pread(fd, &c, 1, pos - 1) == 1 && c != '\n')
			pos--;
		size_t n = (size_t)(end - pos);
		tail = pos < end ? xmalloc(n) : NULL;
		if (tail && pread(fd, tail, n, pos) == (ssize_t)n && whole_record(tail, n)) {
			if (pwrite(fd, "\n", 1, end) != 1)
				rc = error("cannot end the last record of '%s': %s", path, strerror(errno));
		} else if (tail) {
			warning("'%s': dropping an incomplete last record (%lld bytes)", path, (long long)n);
			if (ftruncate(fd, pos) < 0)
				rc = error("cannot truncate '%s': %s", path, strerror(errno));
		}
	}
	free(tail);
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


int store_append(struct store *s, const struct record *r)
{
	cJSON *o = record_to_json(r);
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


int store_each(const char *path, store_each_fn fn, void *arg)
{
	/* a line at a time: a run of a million samples is read in the memory
	 * of its longest record */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return error("'%s' is not a regular file: refused", path);
	FILE *f = fopen(path, "re");
	if (!f)
		return error("cannot open '%s': %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t got;
	int rc = 0;
	while (rc == 0 && (got = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)got;
		int complete = line[len - 1] == '\n';
		len -= (size_t)complete;
		lineno++;
		if (len == 0)
			continue;
		cJSON *o = json_parse(line, len);
		struct record r;
		if (!o || record_from_json(&r, o) < 0) {
			if (bad++ < 5)
				warning("%s:%zu: %s; line skipped", path, lineno,
					!complete ? "incomplete last record" : "not a sample record");
		} else {
			rc = fn(arg, &r, line, len, lineno);
			record_release(&r);
		}
		cJSON_Delete(o);
	}
	if (rc == 0 && ferror(f))
		rc = error("cannot read '%s': %s", path, strerror(errno));
	if (bad > 5)
		warning("%s: %zu lines skipped in all", path, bad);
	free(line);
	fclose(f);
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
