/* buildcache.h - the compiler cache of repositories whose tests need their
 * C and Cython extensions built (SWE-bench's astropy).
 *
 * An environment entry with "build" commands compiles each work copy at
 * its own base commit, in the sandbox, with ccache as the compiler. The
 * objects come from a cache directory per repository, environment commit
 * (SWE-bench's environment_setup_commit) and build recipe:
 *   ROOT/<owner>__<name>-<commit>-<recipe hash>/
 * filled once, by the first checkout that finds it missing: that step
 * first builds the environment commit itself (a trusted commit of the
 * mirror, never a patch) with the directory writable, then checks out the
 * instance. Every build of an instance sees the cache read-only (ccache's
 * read-only mode), so no answer can put an object into it. Lookups are by
 * content (sources, headers, compiler, flags), so an entry never serves a
 * stale object: a base commit that differs from the environment commit
 * only misses where it differs.
 *
 * ROOT is $TOKENBENCH_BUILD_CACHE, else cache_path("builds"); when run as
 * root and the sandboxes' uids cannot reach it, /var/tmp/tokenbench-builds.
 * A directory is complete once its warm-up wrote .tokenbench-ready; it is
 * renamed into place only then, and removing it is always safe. */
#ifndef TB_BUILDCACHE_H
#define TB_BUILDCACHE_H

#include <sys/types.h>

#include "core/env.h"
#include "util/strmap.h"

/* inside the sandbox */
#define BUILDCACHE_MOUNT "/cache"
#define BUILDCACHE_READY ".tokenbench-ready"

struct buildcache {
	char *root;          /* NULL until first used; owned */
	struct strmap state; /* cache directory -> BUILDCACHE_WARMING or _FAILED, this process */
	unsigned seq;        /* numbers the warm-up directories */
};

enum { BUILDCACHE_WARMING = 1, BUILDCACHE_FAILED = 2 };

void buildcache_init(struct buildcache *bc);
void buildcache_release(struct buildcache *bc);
/* the cache directory of a repository's environment commit and an entry's
 * build recipe (its build commands and environment); malloced, or NULL
 * after reporting why the root cannot be made */
char *buildcache_dir(struct buildcache *bc, const char *repo, const char *env_commit, const struct env_entry *x);
/* the directory a warm-up fills, when dir is missing and no warm-up of it
 * is under way or has failed in this process (the caller then warms it up
 * and calls buildcache_finish); malloced, or NULL */
char *buildcache_claim(struct buildcache *bc, const char *dir);
/* makes the warm-up directory, owned by uid when uid is not 0; 0 or -1 */
int buildcache_make_tmp(const char *tmp, uid_t uid);
/* after a warm-up: a complete one becomes dir (atomically; a rival's
 * complete one is kept instead), an incomplete one is removed and the
 * failure reported once, with the end of its log; takes tmp */
void buildcache_finish(struct buildcache *bc, const char *dir, char *tmp, const char *what);
/* the shell commands of a build: ccache as the compiler, reading the cache
 * at BUILDCACHE_MOUNT when it is complete (warm: writing it), then each
 * command in the work copy; malloced */
char *buildcache_build_cmd(const struct env_entry *x, int warm);
/* the warm-up that goes before a checkout: the environment commit
 * checked out into /work, built, the cache marked complete, /work emptied
 * again; whatever happens it ends in success (a failed warm-up only means
 * builds without the cache). Its log is BUILDCACHE_MOUNT/warm.log; malloced */
char *buildcache_warm_cmd(const struct env_entry *x, const char *env_commit);

#endif
