/* buildcache.c - ccache directories per environment commit (see
 * buildcache.h): where they live, their keys, their warm-up and the
 * commands that build with them. */
#include "score/buildcache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

/* where the cache goes when the usual place is out of the sandboxes' reach */
#define BUILDCACHE_FALLBACK "/var/tmp/tokenbench-builds"

void buildcache_init(struct buildcache *bc)
{
	memset(bc, 0, sizeof(*bc));
	strmap_init(&bc->state);
}

void buildcache_release(struct buildcache *bc)
{
	if (!bc)
		return;
	free(bc->root);
	strmap_release(&bc->state);
	memset(bc, 0, sizeof(*bc));
}

/* the root, made on first use; NULL after reporting why */
static const char *root(struct buildcache *bc)
{
	if (bc->root)
		return bc->root;
	const char *env = getenv("TOKENBENCH_BUILD_CACHE");
	char *dir = env && *env ? xstrdup(env) : cache_path("builds");
	if (!dir)
		dir = xstrdup(BUILDCACHE_FALLBACK);
	if (dir_make(dir, 0755) < 0) {
		free(dir);
		return NULL;
	}
	/* as root the sandboxes run as other uids, which must reach the cache
	 * (root's home is not theirs to enter) */
	if (geteuid() == 0 && !path_others_can_read(dir) && !(env && *env)) {
		note("build cache: %s is out of the sandboxes' reach; using %s", dir, BUILDCACHE_FALLBACK);
		free(dir);
		dir = xstrdup(BUILDCACHE_FALLBACK);
		if (dir_make(dir, 0755) < 0) {
			free(dir);
			return NULL;
		}
	}
	if (geteuid() == 0 && !path_others_can_read(dir)) {
		error("build cache '%s': the sandboxes' users cannot read it (every directory on the way "
		      "needs o+rx)", dir);
		free(dir);
		return NULL;
	}
	bc->root = dir;
	return dir;
}

char *buildcache_dir(struct buildcache *bc, const char *repo, const char *env_commit, const struct env_entry *x)
{
	const char *r = root(bc);
	if (!r)
		return NULL;
	/* the recipe: what decides the objects besides the sources, which
	 * ccache hashes itself */
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s\n%s\n", repo, env_commit);
	for (size_t i = 0; i < x->nbuild; i++)
		buf_printf(&key, "build %s\n", x->build[i]);
	for (size_t i = 0; i < x->nenv; i++)
		buf_printf(&key, "env %s\n", x->env[i]);
	char hex[65];
	sha256_buf_hex(buf_str(&key), key.len, hex);
	buf_release(&key);
	struct buf name = BUF_INIT;
	for (const char *p = repo; *p; p++) {
		if (*p == '/')
			buf_puts(&name, "__");
		else
			buf_putc(&name, *p == '.' || *p == '-' || *p == '_' || (*p >= '0' && *p <= '9') ||
						 (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
					     ? *p
					     : '_');
	}
	char *dir = xasprintf("%s/%s-%.12s-%.12s", r, buf_str(&name), env_commit, hex);
	buf_release(&name);
	return dir;
}

char *buildcache_claim(struct buildcache *bc, const char *dir)
{
	long st = 0;
	if (path_is_dir(dir) || (strmap_get(&bc->state, dir, &st) && st))
		return NULL;
	strmap_put(&bc->state, dir, BUILDCACHE_WARMING);
	return xasprintf("%s.tmp.%ld.%u", dir, (long)getpid(), ++bc->seq);
}

int buildcache_make_tmp(const char *tmp, uid_t uid)
{
	if (dir_remove(tmp) < 0 || dir_make(tmp, 0755) < 0)
		return -1;
	if (uid && chown(tmp, uid, uid) < 0)
		return error("cannot hand '%s' to uid %u: %s", tmp, (unsigned)uid, strerror(errno));
	return 0;
}

/* the last line of a warm-up's log, for the message; malloced */
static char *log_tail(const char *tmp)
{
	char *path = xasprintf("%s/warm.log", tmp);
	struct buf log = BUF_INIT;
	char *line = NULL;
	if (file_read(path, &log) == 0) {
		size_t n = log.len;
		while (n && (log.data[n - 1] == '\n' || log.data[n - 1] == ' '))
			n--;
		size_t start = n;
		while (start && log.data[start - 1] != '\n')
			start--;
		line = xstrndup(log.data + start, n - start);
	}
	buf_release(&log);
	free(path);
	return line ? line : xstrdup("no log");
}

void buildcache_finish(struct buildcache *bc, const char *dir, char *tmp, const char *what)
{
	if (!path_is_dir(tmp)) {
		/* its checkout never ran: another job may warm it up */
		strmap_put(&bc->state, dir, 0);
		free(tmp);
		return;
	}
	char *ready = xasprintf("%s/%s", tmp, BUILDCACHE_READY);
	int complete = path_exists(ready);
	free(ready);
	if (complete) {
		/* a rival process may have put its own in place meanwhile: keep that */
		if (rename(tmp, dir) < 0)
			dir_remove(tmp);
		else
			note("build cache: %s ready (%s)", dir, what);
		strmap_put(&bc->state, dir, 0);
	} else {
		char *why = log_tail(tmp);
		warning("build cache for %s could not be made, building without it: %s", what, why);
		free(why);
		strmap_put(&bc->state, dir, BUILDCACHE_FAILED);
		dir_remove(tmp);
	}
	free(tmp);
}

/* ccache as the compiler, with the same settings when the cache is filled
 * and when it is read: paths under /work hashed relative to it, the work
 * copy's fresh timestamps not held against it */
static const char ccache_env[] =
	"export CC=\"ccache ${CC:-gcc}\" CXX=\"ccache ${CXX:-g++}\" CCACHE_BASEDIR=/work CCACHE_NOHASHDIR=1 "
	"CCACHE_TEMPDIR=/tmp/ccache CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros";

static void commands(struct buf *b, const struct env_entry *x)
{
	for (size_t i = 0; i < x->nbuild; i++) {
		char *c = env_expand(x->build[i]);
		buf_printf(b, " && (%s)", c);
		free(c);
	}
}

char *buildcache_build_cmd(const struct env_entry *x, int warm)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, ccache_env);
	if (warm)
		buf_printf(&b, " CCACHE_DIR=%s CCACHE_UMASK=022 CCACHE_MAXSIZE=4G", BUILDCACHE_MOUNT);
	else
		buf_printf(&b, " && if [ -f %s/%s ]; then export CCACHE_DIR=%s CCACHE_READONLY=1; "
			       "else export CCACHE_DISABLE=1; fi",
			   BUILDCACHE_MOUNT, BUILDCACHE_READY, BUILDCACHE_MOUNT);
	commands(&b, x);
	return buf_detach(&b);
}

char *buildcache_warm_cmd(const struct env_entry *x, const char *env_commit)
{
	char *build = buildcache_build_cmd(x, 1);
	char *cmd = xasprintf("(echo \"tokenbench: warming the build cache at %s\" && "
			      "git clone -q --shared --no-checkout /src /work && git -C /work checkout -q %s && "
			      "cd /work && %s && touch %s/%s) >%s/warm.log 2>&1; "
			      "cd / && rm -rf /work/* /work/.[!.]* /work/..?*",
			      env_commit, env_commit, build, BUILDCACHE_MOUNT, BUILDCACHE_READY, BUILDCACHE_MOUNT);
	free(build);
	return cmd;
}
