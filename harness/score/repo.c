/* repo.c - the repository store: pristine repositories and the files a
 * model is shown. All of it is trusted input (the user's suite or
 * mirrors), read with the system's git and tar; answers never touch it. */
#include "score/repo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/msg.h"
#include "util/proc.h"
#include "util/sha256.h"
#include "util/xalloc.h"

int repo_store_init(struct repo_store *rs, const char *cache_dir, const char *mirrors)
{
	memset(rs, 0, sizeof(*rs));
	strmap_init(&rs->index);
	strmap_init(&rs->texts);
	buildcache_init(&rs->builds);
	strmap_init(&rs->noted);
	if (cache_dir) {
		rs->cache = xstrdup(cache_dir);
	} else {
		const char *tmp = getenv("TMPDIR");
		char *tmpl = xasprintf("%s/tokenbench-repos.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(tmpl)) {
			int rc = error("cannot create a repository cache: %s", strerror(errno));
			free(tmpl);
			return rc;
		}
		rs->cache = tmpl;
		rs->own_cache = 1;
		/* the sandboxes' uids read the repositories from here */
		chmod(rs->cache, 0755);
	}
	rs->mirrors = mirrors ? xstrdup(mirrors) : NULL;
	return dir_make(rs->cache, 0755);
}

void repo_store_release(struct repo_store *rs)
{
	if (!rs)
		return;
	if (rs->own_cache && rs->cache)
		dir_remove(rs->cache);
	free(rs->cache);
	free(rs->mirrors);
	for (size_t i = 0; i < rs->n; i++)
		free(rs->paths[i]);
	free(rs->paths);
	for (size_t i = 0; i < rs->nprompts; i++)
		free(rs->prompts[i]);
	free(rs->prompts);
	strmap_release(&rs->index);
	strmap_release(&rs->texts);
	buildcache_release(&rs->builds);
	strmap_release(&rs->noted);
	memset(rs, 0, sizeof(*rs));
}

/* a tarball's single top-level directory, extracted under the cache */
static char *extract(struct repo_store *rs, const char *tarball)
{
	char hex[65];
	sha256_buf_hex(tarball, strlen(tarball), hex);
	char *dir = xasprintf("%s/%.16s", rs->cache, hex);
	char **names = NULL;
	size_t n = 0;
	static const char *const any[] = { "", NULL };
	if (!path_is_dir(dir)) {
		char *tmp = xasprintf("%s.tmp.%ld", dir, (long)getpid());
		const char *argv[] = { "tar", "-xzf", tarball, "-C", tmp, NULL };
		struct buf out = BUF_INIT;
		int rc = dir_make(tmp, 0755) == 0 ? proc_run(argv, NULL, &out) : -1;
		if (rc != 0 || rename(tmp, dir) < 0) {
			error("cannot extract '%s': %s", tarball, buf_str(&out));
			dir_remove(tmp);
			buf_release(&out);
			free(tmp);
			free(dir);
			return NULL;
		}
		buf_release(&out);
		free(tmp);
	}
	char *top = NULL;
	if (dir_list(dir, any, &names, &n) == 0 && n == 1)
		top = xasprintf("%s/%s", dir, names[0]);
	else
		error("'%s' does not hold exactly one directory", tarball);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return top;
}

/* the mirror of "owner/name": DIR/owner/name, DIR/owner__name or DIR/name */
static char *mirror(const struct repo_store *rs, const char *name)
{
	if (!rs->mirrors) {
		error("repository '%s': no mirrors given (--repos DIR)", name);
		return NULL;
	}
	const char *slash = strchr(name, '/');
	char *cands[3] = {
		xasprintf("%s/%s", rs->mirrors, name),
		slash ? xasprintf("%s/%.*s__%s", rs->mirrors, (int)(slash - name), name, slash + 1) : NULL,
		xasprintf("%s/%s", rs->mirrors, slash ? slash + 1 : name),
	};
	char *found = NULL;
	for (size_t i = 0; i < 3; i++) {
		if (!found && cands[i] && path_is_dir(cands[i]))
			found = cands[i];
		else
			free(cands[i]);
	}
	if (!found)
		error("repository '%s' is not in '%s' (looked for owner/name, owner__name and name)", name,
		      rs->mirrors);
	return found;
}

/* a mirror the sandboxes cannot read is cloned into the cache: objects
 * are hard-linked where the file system allows, so it is cheap */
static char *readable_copy(struct repo_store *rs, const char *src)
{
	char hex[65];
	sha256_buf_hex(src, strlen(src), hex);
	char *dst = xasprintf("%s/m%.16s", rs->cache, hex);
	if (!path_is_dir(dst)) {
		note("%s is not readable by the sandboxes' users: cloning it into %s", src, rs->cache);
		const char *argv[] = { "git", "-c", "safe.directory=*", "clone", "-q", "--local", "--bare", src, dst, NULL };
		struct buf out = BUF_INIT;
		if (proc_run(argv, NULL, &out) != 0) {
			error("cannot clone '%s': %s", src, buf_str(&out));
			dir_remove(dst);
			free(dst);
			dst = NULL;
		}
		buf_release(&out);
	}
	return dst;
}

const char *repo_pristine(struct repo_store *rs, const struct repo_task *r)
{
	const char *key = r->source ? r->source : r->name;
	long at;
	if (strmap_get(&rs->index, key, &at))
		return rs->paths[at];
	char *path = NULL;
	if (!r->source)
		path = mirror(rs, r->name);
	else if (path_is_dir(r->source))
		path = xstrdup(r->source);
	else
		path = extract(rs, r->source);
	if (path && !path_others_can_read(path)) {
		char *copy = readable_copy(rs, path);
		free(path);
		path = copy;
	}
	if (!path)
		return NULL;
	XGROW(rs->paths, rs->paths_cap, rs->n + 1);
	rs->paths[rs->n] = path;
	strmap_put(&rs->index, key, (long)rs->n);
	return rs->paths[rs->n++];
}

int repo_show(struct repo_store *rs, const struct repo_task *r, const char *path, struct buf *out)
{
	const char *dir = repo_pristine(rs, r);
	if (!dir)
		return -1;
	char *spec = xasprintf("%s:%s", r->base_commit, path);
	const char *argv[] = { "git", "-c", "safe.directory=*", "-C", dir, "show", spec, NULL };
	struct buf got = BUF_INIT;
	int rc = proc_run(argv, NULL, &got);
	if (rc == 0)
		buf_append(out, got.data ? got.data : "", got.len);
	buf_release(&got);
	free(spec);
	return rc == 0 ? 0 : -1;
}

const char *repo_files_text(struct repo_store *rs, const struct task *t)
{
	long at;
	if (strmap_get(&rs->texts, t->id, &at))
		return rs->prompts[at];
	struct buf text = BUF_INIT;
	const struct repo_task *r = t->repo;
	if (!repo_pristine(rs, r))
		return NULL;
	for (size_t i = 0; i < r->nfiles; i++) {
		struct buf content = BUF_INIT;
		/* a file the fix creates is not there yet: it is simply not shown */
		if (repo_show(rs, r, r->files[i], &content) == 0) {
			buf_printf(&text, "[start of %s]\n%s", r->files[i], buf_str(&content));
			if (content.len && content.data[content.len - 1] != '\n')
				buf_putc(&text, '\n');
			buf_printf(&text, "[end of %s]\n\n", r->files[i]);
		}
		buf_release(&content);
	}
	XGROW(rs->prompts, rs->prompts_cap, rs->nprompts + 1);
	rs->prompts[rs->nprompts] = buf_detach(&text);
	strmap_put(&rs->texts, t->id, (long)rs->nprompts);
	return rs->prompts[rs->nprompts++];
}
