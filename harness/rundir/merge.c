/* merge.c - shard run directories back into one: the checks that they
 * belong together, the records as the shards wrote them, and the merged
 * run.json. */
#define _GNU_SOURCE
#include "rundir/merge.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "rundir/manifest.h"
#include "rundir/plan.h"
#include "rundir/shard.h"
#include "rundir/store.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/machine.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

void merge_init(struct merge *m)
{
	memset(m, 0, sizeof(*m));
	strmap_init(&m->index);
	strmap_init(&m->seen);
	m->out_lock = -1;
}

void merge_release(struct merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nparts; i++) {
		free(m->parts[i].dir);
		cJSON_Delete(m->parts[i].manifest);
		if (m->parts[i].lock_fd >= 0)
			close(m->parts[i].lock_fd);
	}
	free(m->parts);
	for (size_t i = 0; i < m->nlines; i++)
		free(m->lines[i].text);
	free(m->lines);
	strmap_release(&m->index);
	strmap_release(&m->seen);
	free(m->missing_by_shard);
	if (m->out_lock >= 0)
		close(m->out_lock);
	merge_init(m);
}

/* dir/run.json, parsed; NULL after reporting */
static cJSON *read_manifest(const char *dir)
{
	char *path = xasprintf("%s/run.json", dir);
	struct buf text = BUF_INIT;
	cJSON *m = NULL;
	if (!path_is_dir(dir))
		error("'%s' is not a directory", dir);
	else if (!path_exists(path))
		error("'%s' has no run.json: not a run directory", dir);
	else if (file_read(path, &text) == 0) {
		m = cJSON_Parse(buf_str(&text));
		if (!cJSON_IsObject(m))
			error("'%s' is not a JSON object", path);
	}
	if (m && !cJSON_IsObject(m)) {
		cJSON_Delete(m);
		m = NULL;
	}
	buf_release(&text);
	free(path);
	return m;
}

/* a run still writing to a directory holds its lock (store_open): merging
 * it now would miss what it has not written yet */
static int lock_shared(const char *dir, int *fd_out)
{
	char *path = xasprintf("%s/.lock", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	*fd_out = fd;
	if (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) < 0)
		return error("'%s' is in use by a running tokenbench (is its shard still running?)", dir);
	return 0;
}

/* reads one shard's run.json and checks that it describes a shard whose
 * plan hash matches its fields */
static int load_part(struct merge_part *p, const char *dir)
{
	p->dir = xstrdup(dir);
	p->lock_fd = -1;
	p->manifest = read_manifest(dir);
	if (!p->manifest || lock_shared(dir, &p->lock_fd) < 0)
		return -1;
	const cJSON *sh = cJSON_GetObjectItemCaseSensitive(p->manifest, "shard");
	const cJSON *plan = cJSON_GetObjectItemCaseSensitive(p->manifest, "plan");
	if (!cJSON_IsObject(sh))
		return error("'%s' is not a shard: its run.json has no \"shard\" (it was not run with --shard I/N)",
			     dir);
	p->index = (int)json_num(sh, "index", -1);
	int count = (int)json_num(sh, "count", 0);
	if (count < 1 || count > SHARD_MAX || p->index < 0 || p->index >= count)
		return error("'%s/run.json': \"shard\" has no valid index and count", dir);
	const char *stored = json_str(plan, "sha256", NULL);
	char hash[65];
	if (!stored || plan_hash(p->manifest, hash) < 0)
		return error("'%s/run.json' does not describe its plan (written by an older tokenbench?)", dir);
	if (strcmp(stored, hash) != 0)
		return error("'%s/run.json': its plan hash does not match the plan it describes (was it edited?)",
			     dir);
	return 0;
}

/* shards must agree on the plan and the number of shards; what may
 * differ without changing a record is only warned about */
static int check_same_plan(const struct merge *m)
{
	const struct merge_part *a = &m->parts[0];
	const cJSON *sa = cJSON_GetObjectItemCaseSensitive(a->manifest, "shard");
	for (size_t i = 1; i < m->nparts; i++) {
		const struct merge_part *b = &m->parts[i];
		const cJSON *sb = cJSON_GetObjectItemCaseSensitive(b->manifest, "shard");
		int na = (int)json_num(sa, "count", 0), nb = (int)json_num(sb, "count", 0);
		if (na != nb)
			return error("'%s' is one of %d shards and '%s' one of %d: they split the plan differently",
				     a->dir, na, b->dir, nb);
		char *va, *vb;
		const char *what = plan_diff(a->manifest, b->manifest, &va, &vb);
		if (what) {
			/* task lists and price tables are too long to print */
			int show = va && vb && strlen(va) + strlen(vb) < 120;
			error("'%s' is not from the same plan as '%s': their %s differ%s%s%s%s%s", b->dir, a->dir, what,
			      show ? " (" : "", show ? vb : "", show ? " and " : "", show ? va : "", show ? ")" : "");
			free(va);
			free(vb);
			return -1;
		}
		const char *xa = json_str(a->manifest, "tokenbench_version", "?");
		const char *xb = json_str(b->manifest, "tokenbench_version", "?");
		if (strcmp(xa, xb) != 0)
			warning("'%s' was run by tokenbench %s and '%s' by %s", a->dir, xa, b->dir, xb);
		double ca = json_num(a->manifest, "max_cost_usd", 0), cb = json_num(b->manifest, "max_cost_usd", 0);
		if (ca != cb)
			warning("'%s' had --max-cost %g and '%s' %g: the shards' budgets do not add up to one cap",
				a->dir, ca, b->dir, cb);
	}
	return 0;
}

struct load_ctx {
	struct merge *m;
	int part;
	const char *path;
	struct strmap tasks, provs; /* the plan's ids */
};

static int take_record(void *arg, struct record *r, const char *line, size_t len, size_t lineno)
{
	struct load_ctx *c = arg;
	struct merge *m = c->m;
	struct merge_part *p = &m->parts[c->part];
	if (!strmap_get(&c->tasks, r->task, NULL) || !strmap_get(&c->provs, r->provider, NULL) || r->sample < 0 ||
	    r->sample >= m->samples)
		return error("%s:%zu: task '%s', provider '%s', sample %d is not a sample of the plan", c->path,
			     lineno, r->task, r->provider, r->sample);
	int home = shard_of(r->task, m->count);
	if (home != p->index)
		return error("%s:%zu: task '%s' belongs to shard %d/%d, not to this directory's shard %d/%d", c->path,
			     lineno, r->task, home, m->count, p->index, m->count);
	char hash[65];
	sha256_buf_hex(line, len, hash);
	strmap_put(&m->seen, hash, 1);
	char *key = record_key(r->task, r->provider, r->sample);
	long at;
	int rc = 0;
	if (!strmap_get(&m->index, key, &at)) {
		XGROW(m->lines, m->cap, m->nlines + 1);
		m->lines[m->nlines] = (struct merge_line){ xstrndup(line, len), c->part, lineno, (int)r->status };
		strmap_put(&m->index, key, (long)m->nlines++);
		p->records++;
	} else if (m->lines[at].part == c->part && m->lines[at].status != ST_PASSED &&
		   m->lines[at].status != ST_FAILED) {
		/* a later record of a sample wins, as everywhere (a resumed
		 * shard's not_attempted, a retried error) */
		free(m->lines[at].text);
		m->lines[at] = (struct merge_line){ xstrndup(line, len), c->part, lineno, (int)r->status };
	} else if (m->lines[at].part == c->part) {
		/* run never writes a sample again once it passed or failed */
		const char *was = m->lines[at].text;
		int same = strlen(was) == len && memcmp(was, line, len) == 0;
		rc = error("%s:%zu: task '%s', provider '%s', sample %d %s the %s record of line %zu (a "
			   "shard's run never writes a sample again once it passed or failed: was the file "
			   "appended to or edited?)",
			   c->path, lineno, r->task, r->provider, r->sample, same ? "duplicates" : "conflicts with",
			   status_name((enum status)m->lines[at].status), m->lines[at].lineno);
	} else {
		const char *was = m->lines[at].text;
		int same = strlen(was) == len && memcmp(was, line, len) == 0;
		rc = error("task '%s', provider '%s', sample %d is in both '%s' and '%s' (%s)", r->task, r->provider,
			   r->sample, m->parts[m->lines[at].part].dir, p->dir,
			   same ? "duplicate records" : "conflicting records");
	}
	free(key);
	return rc;
}

/* every record of every shard, checked against the plan */
static int load_records(struct merge *m)
{
	struct load_ctx c = { .m = m };
	strmap_init(&c.tasks);
	strmap_init(&c.provs);
	const cJSON *v;
	long i = 0;
	cJSON_ArrayForEach(v, m->tasks) {
		strmap_put(&c.tasks, v->valuestring, i++);
	}
	i = 0;
	cJSON_ArrayForEach(v, m->providers) {
		strmap_put(&c.provs, v->valuestring, i++);
	}
	int rc = 0;
	for (size_t k = 0; k < m->nparts && rc == 0; k++) {
		char *path = xasprintf("%s/samples.jsonl", m->parts[k].dir);
		c.part = (int)k;
		c.path = path;
		/* a shard that never started has no samples: they count as missing */
		if (path_exists(path))
			rc = store_each(path, take_record, &c);
		free(path);
	}
	strmap_release(&c.tasks);
	strmap_release(&c.provs);
	return rc;
}

static int string_list(const cJSON *a)
{
	if (!cJSON_IsArray(a))
		return 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsString(v))
			return 0;
	}
	return 1;
}

static struct merge_part *part_of_shard(const struct merge *m, int index)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].index == index)
			return &m->parts[i];
	return NULL;
}

/* the samples of the plan that no shard holds */
static void count_missing(struct merge *m)
{
	m->missing_by_shard = xcalloc((size_t)m->count, sizeof(*m->missing_by_shard));
	const cJSON *t, *p;
	cJSON_ArrayForEach(t, m->tasks) {
		int home = shard_of(t->valuestring, m->count);
		struct merge_part *part = part_of_shard(m, home);
		cJSON_ArrayForEach(p, m->providers) {
			for (int k = 0; k < m->samples; k++) {
				m->planned++;
				char *key = record_key(t->valuestring, p->valuestring, k);
				if (!strmap_get(&m->index, key, NULL)) {
					m->missing++;
					m->missing_by_shard[home]++;
					if (part)
						part->missing++;
				}
				free(key);
			}
		}
	}
}

int merge_load(struct merge *m, char *const *dirs, size_t ndirs)
{
	if (ndirs == 0)
		return error("no shard directories to merge");
	m->parts = xcalloc(ndirs, sizeof(*m->parts));
	for (size_t i = 0; i < ndirs; i++) {
		m->parts[i].lock_fd = -1;
		m->nparts++;
		if (load_part(&m->parts[i], dirs[i]) < 0)
			return -1;
	}
	if (check_same_plan(m) < 0)
		return -1;
	const cJSON *first = m->parts[0].manifest;
	m->count = (int)json_num(cJSON_GetObjectItemCaseSensitive(first, "shard"), "count", 0);
	for (size_t i = 0; i < m->nparts; i++)
		for (size_t j = 0; j < i; j++)
			if (m->parts[i].index == m->parts[j].index)
				return error("shard %d/%d is given twice, as '%s' and as '%s': its records would be "
					     "duplicates; merge one of them",
					     m->parts[i].index, m->count, m->parts[j].dir, m->parts[i].dir);
	const cJSON *plan = cJSON_GetObjectItemCaseSensitive(first, "plan");
	m->tasks = cJSON_GetObjectItemCaseSensitive(plan, "tasks");
	m->providers = cJSON_GetObjectItemCaseSensitive(plan, "providers");
	m->samples = (int)json_num(first, "samples", 0);
	if (!string_list(m->tasks) || !string_list(m->providers) || m->samples < 1)
		return error("'%s/run.json': its plan has no tasks, providers or samples", m->parts[0].dir);
	if (load_records(m) < 0)
		return -1;
	count_missing(m);
	return 0;
}

void merge_print_missing(const struct merge *m)
{
	if (!m->missing)
		return;
	fprintf(stderr, "%zu of the plan's %zu samples are missing:\n", m->missing, m->planned);
	for (int s = 0; s < m->count; s++) {
		if (!m->missing_by_shard[s])
			continue;
		const struct merge_part *part = part_of_shard(m, s);
		if (!part) {
			fprintf(stderr, "  shard %d/%d: no directory given (%zu samples)\n", s, m->count,
				m->missing_by_shard[s]);
			continue;
		}
		/* the first missing sample in plan order, as an example */
		const char *ex_task = NULL, *ex_prov = NULL;
		int ex_k = 0;
		const cJSON *t, *p;
		for (int k = 0; k < m->samples && !ex_task; k++) {
			cJSON_ArrayForEach(t, m->tasks) {
				if (ex_task || shard_of(t->valuestring, m->count) != s)
					continue;
				cJSON_ArrayForEach(p, m->providers) {
					char *key = record_key(t->valuestring, p->valuestring, k);
					if (!ex_task && !strmap_get(&m->index, key, NULL)) {
						ex_task = t->valuestring;
						ex_prov = p->valuestring;
						ex_k = k;
					}
					free(key);
				}
			}
		}
		fprintf(stderr, "  shard %d/%d ('%s'): %zu samples missing, e.g. task '%s', provider '%s', sample %d\n",
			s, m->count, part->dir, part->missing, ex_task ? ex_task : "?", ex_prov ? ex_prov : "?", ex_k);
	}
}

static int same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

struct old_ctx {
	const struct merge *m;
	const char *path;
};

static int check_old(void *arg, struct record *r, const char *line, size_t len, size_t lineno)
{
	struct old_ctx *c = arg;
	char hash[65];
	sha256_buf_hex(line, len, hash);
	if (strmap_get(&c->m->seen, hash, NULL))
		return 0;
	return error("%s:%zu: task '%s', provider '%s', sample %d is in no shard (added after the merge?); "
		     "merge into a new directory",
		     c->path, lineno, r->task, r->provider, r->sample);
}

int merge_prepare_out(struct merge *m, const char *out)
{
	if (dir_make(out, 0755) < 0)
		return -1;
	for (size_t i = 0; i < m->nparts; i++)
		if (same_dir(out, m->parts[i].dir))
			return error("'%s' is one of the shards: merge into another directory", out);
	char *lock = xasprintf("%s/.lock", out);
	m->out_lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (m->out_lock < 0)
		return error("cannot create a lock in '%s': %s", out, strerror(errno));
	if (flock(m->out_lock, LOCK_EX | LOCK_NB) < 0)
		return error("'%s' is in use by another tokenbench process", out);
	char *path = xasprintf("%s/samples.jsonl", out);
	int rc = 0;
	if (path_exists(path)) {
		cJSON *man = read_manifest(out);
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(man, "merge")))
			rc = error("'%s' holds a run that merge did not write: merge into a new directory", out);
		else
			rc = store_each(path, check_old, &(struct old_ctx){ m, path });
		cJSON_Delete(man);
	}
	free(path);
	return rc;
}

/* the plan's run command as one machine would run it: without --shard,
 * into out */
static cJSON *plan_command(const cJSON *cmd, const char *out)
{
	cJSON *a = cJSON_CreateArray();
	int n = cJSON_GetArraySize(cmd), has_out = 0;
	for (int i = 0; i < n; i++) {
		const char *s = cJSON_GetArrayItem(cmd, i)->valuestring;
		if (!s)
			continue;
		if (strcmp(s, "--shard") == 0) {
			i++;
			continue;
		}
		if (strncmp(s, "--shard=", 8) == 0)
			continue;
		if (strcmp(s, "--out") == 0 || strncmp(s, "--out=", 6) == 0) {
			cJSON_AddItemToArray(a, cJSON_CreateString("--out"));
			cJSON_AddItemToArray(a, cJSON_CreateString(out));
			if (strcmp(s, "--out") == 0)
				i++; /* its value follows */
			has_out = 1;
			continue;
		}
		cJSON_AddItemToArray(a, cJSON_CreateString(s));
	}
	if (!has_out) {
		cJSON_AddItemToArray(a, cJSON_CreateString("--out"));
		cJSON_AddItemToArray(a, cJSON_CreateString(out));
	}
	return a;
}

/* the directory that holds a shard's raw responses: DIR/cache (where run
 * puts them unless --cache), else the --cache it was given; NULL when
 * neither is there. Malloced, caller frees */
static char *part_cache(const struct merge_part *p)
{
	char *own = xasprintf("%s/cache", p->dir);
	if (path_is_dir(own))
		return own;
	free(own);
	const char *given = json_str(p->manifest, "cache", NULL);
	return given && path_is_dir(given) ? xstrdup(given) : NULL;
}

/* the shards' raw responses, for the merged run: when every shard used
 * one directory (--cache on a shared filesystem), that directory;
 * otherwise out/cache, holding every shard's pack files. Each process
 * writes a pack of its own and never touches it again, so packs are
 * linked (or copied) as they are, never rewritten; a pack is named after
 * the first shard that used its directory, so names cannot collide.
 * *cache_out gets the merged run's cache (malloced, caller frees; NULL
 * when no shard's cache was found). 0 or -1 (reported) */
static int merge_caches(const struct merge *m, const char *out, char **cache_out)
{
	size_t n = m->nparts;
	char **dirs = xcalloc(n + 1, sizeof(*dirs)), **real = xcalloc(n + 1, sizeof(*real));
	size_t found = 0, distinct = 0;
	int rc = 0;
	*cache_out = NULL;
	for (size_t i = 0; i < n; i++) {
		dirs[i] = part_cache(&m->parts[i]);
		if (!dirs[i]) {
			warning("'%s': its cache (%s) is not there; the merged run has none of its raw responses",
				m->parts[i].dir, json_str(m->parts[i].manifest, "cache", "none"));
			continue;
		}
		found++;
		real[i] = realpath(dirs[i], NULL);
		if (!real[i])
			real[i] = xstrdup(dirs[i]);
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = real[j] && strcmp(real[i], real[j]) == 0;
		distinct += !seen;
	}
	if (found == 0)
		goto done;
	/* one directory for several shards: a shared --cache */
	if (found == n && distinct == 1 && n > 1) {
		*cache_out = xstrdup(real[0]);
		goto done;
	}
	char *dst_dir = xasprintf("%s/cache", out);
	rc = dir_make(dst_dir, 0755);
	static const char *const sfx[] = { ".jsonl", NULL };
	for (size_t i = 0; i < n && rc == 0; i++) {
		int first = dirs[i] != NULL;
		for (size_t j = 0; j < i && first; j++)
			first = !(real[j] && strcmp(real[i], real[j]) == 0);
		if (!first)
			continue;
		char **names;
		size_t nn;
		if (dir_list(dirs[i], sfx, &names, &nn) < 0) {
			rc = -1;
			break;
		}
		for (size_t k = 0; k < nn; k++) {
			if (rc == 0 && strncmp(names[k], "pack-", 5) == 0) {
				char *src = xasprintf("%s/%s", dirs[i], names[k]);
				char *dst = xasprintf("%s/pack-s%d-%s", dst_dir, m->parts[i].index, names[k] + 5);
				rc = file_copy(src, dst);
				free(src);
				free(dst);
			}
			free(names[k]);
		}
		free(names);
	}
	if (rc == 0)
		*cache_out = dst_dir;
	else
		free(dst_dir);
done:
	for (size_t i = 0; i < n; i++) {
		free(dirs[i]);
		free(real[i]);
	}
	free(dirs);
	free(real);
	return rc;
}

/* every shard's time limits in one object: the first shard's, with the
 * other shards' tasks added; "machine" names several when they differ */
static void merge_time_limits(cJSON *man, const struct merge *m)
{
	cJSON *tl = cJSON_GetObjectItemCaseSensitive(man, "time_limits");
	if (!cJSON_IsObject(tl))
		return;
	cJSON *tasks = cJSON_GetObjectItemCaseSensitive(tl, "tasks");
	cJSON *machines = cJSON_CreateArray();
	struct strmap have; /* the tasks already there: cJSON looks keys up one by one */
	strmap_init(&have);
	const cJSON *t;
	cJSON_ArrayForEach(t, tasks) {
		if (t->string)
			strmap_put(&have, t->string, 1);
	}
	for (size_t i = 0; i < m->nparts; i++) {
		const cJSON *ptl = cJSON_GetObjectItemCaseSensitive(m->parts[i].manifest, "time_limits");
		const char *mach = json_str(ptl, "machine", NULL);
		int seen = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, machines) {
			seen |= mach && strcmp(v->valuestring, mach) == 0;
		}
		if (mach && !seen)
			cJSON_AddItemToArray(machines, cJSON_CreateString(mach));
		if (i == 0 || !cJSON_IsObject(tasks))
			continue;
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(ptl, "tasks")) {
			if (!t->string || strmap_get(&have, t->string, NULL))
				continue;
			strmap_put(&have, t->string, 1);
			cJSON_AddItemToObject(tasks, t->string, cJSON_Duplicate(t, 1));
		}
	}
	strmap_release(&have);
	if (cJSON_GetArraySize(machines) > 1) {
		cJSON_DeleteItemFromObjectCaseSensitive(tl, "machine");
		cJSON_DeleteItemFromObjectCaseSensitive(tl, "cache");
		cJSON_AddItemToObject(tl, "machines", machines);
	} else {
		cJSON_Delete(machines);
	}
}

static cJSON *merged_manifest(const struct merge *m, const char *out, const char *cache, int argc,
			      char **argv)
{
	cJSON *man = cJSON_Duplicate(m->parts[0].manifest, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(man, "shard");
	cJSON_DeleteItemFromObjectCaseSensitive(man, "retry_command");
	cJSON_ReplaceItemInObjectCaseSensitive(
		man, "command", plan_command(cJSON_GetObjectItemCaseSensitive(m->parts[0].manifest, "command"), out));
	char when[32];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	cJSON_ReplaceItemInObjectCaseSensitive(man, "created", cJSON_CreateString(when));
	cJSON_ReplaceItemInObjectCaseSensitive(man, "machine", machine_json());
	cJSON_DeleteItemFromObjectCaseSensitive(man, "cache");
	if (cache)
		cJSON_AddStringToObject(man, "cache", cache);
	merge_time_limits(man, m);
	cJSON *mg = cJSON_AddObjectToObject(man, "merge");
	cJSON *cmd = cJSON_AddArrayToObject(mg, "command");
	for (int i = 0; i < argc; i++)
		cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
	cJSON_AddNumberToObject(mg, "count", m->count);
	cJSON_AddNumberToObject(mg, "planned", (double)m->planned);
	cJSON_AddNumberToObject(mg, "records", (double)m->nlines);
	cJSON_AddNumberToObject(mg, "missing", (double)m->missing);
	cJSON *shards = cJSON_AddArrayToObject(mg, "shards");
	for (int s = 0; s < m->count; s++) {
		const struct merge_part *p = part_of_shard(m, s);
		if (!p)
			continue;
		cJSON *o = cJSON_CreateObject();
		const cJSON *sh = cJSON_GetObjectItemCaseSensitive(p->manifest, "shard");
		const cJSON *budget = cJSON_GetObjectItemCaseSensitive(sh, "budget");
		const cJSON *mach = cJSON_GetObjectItemCaseSensitive(p->manifest, "machine");
		cJSON_AddNumberToObject(o, "index", s);
		cJSON_AddStringToObject(o, "dir", p->dir);
		cJSON_AddStringToObject(o, "created", json_str(p->manifest, "created", ""));
		cJSON_AddStringToObject(o, "machine", json_str(mach, "fingerprint", ""));
		cJSON_AddStringToObject(o, "cache", json_str(p->manifest, "cache", ""));
		cJSON_AddNumberToObject(o, "records", (double)p->records);
		cJSON_AddNumberToObject(o, "missing", (double)p->missing);
		json_add_num(o, "max_cost_usd", json_num(budget, "max_cost_usd", NAN));
		cJSON_AddItemToArray(shards, o);
	}
	return man;
}

int merge_write(struct merge *m, const char *out, int argc, char **argv)
{
	struct buf b = BUF_INIT;
	const cJSON *t, *p;
	/* plan order (sample-major, tasks shuffled by the seed): whatever
	 * order the shards were given in, the file is the same */
	for (int k = 0; k < m->samples; k++) {
		cJSON_ArrayForEach(t, m->tasks) {
			cJSON_ArrayForEach(p, m->providers) {
				char *key = record_key(t->valuestring, p->valuestring, k);
				long at;
				if (strmap_get(&m->index, key, &at)) {
					buf_puts(&b, m->lines[at].text);
					buf_putc(&b, '\n');
				}
				free(key);
			}
		}
	}
	char *path = xasprintf("%s/samples.jsonl", out);
	int rc = file_write_atomic(path, b.data ? b.data : "", b.len);
	free(path);
	buf_release(&b);
	for (size_t i = 0; i < m->nparts && rc == 0; i++) {
		char *logs = xasprintf("%s/logs", m->parts[i].dir), *dst = xasprintf("%s/logs", out);
		if (path_is_dir(logs))
			rc = dir_copy(logs, dst);
		free(logs);
		free(dst);
	}
	char *cache = NULL;
	if (rc < 0 || merge_caches(m, out, &cache) < 0)
		return -1;
	cJSON *man = merged_manifest(m, out, cache, argc, argv);
	rc = manifest_write(man, out);
	cJSON_Delete(man);
	free(cache);
	return rc;
}
