/* repo.h - where repository tasks' repositories come from: tarballs in a
 * suite (extracted once into a cache) or a directory of mirrors (--repos);
 * tokenbench never clones from the network. */
#ifndef TB_REPO_H
#define TB_REPO_H

#include "core/suite.h"
#include "score/buildcache.h"
#include "util/buf.h"
#include "util/strmap.h"

struct repo_store {
	char *cache;        /* extracted tarballs; owned */
	int own_cache;      /* a temporary cache, removed on release */
	char *mirrors;      /* --repos DIR, or NULL; owned */
	struct strmap index;/* source or name -> position in paths */
	char **paths;       /* pristine repositories; owned */
	size_t n, paths_cap;
	struct strmap texts;/* task id -> position in prompts: the files shown, rendered once */
	char **prompts;
	size_t nprompts, prompts_cap;
	struct buildcache builds; /* compiled repositories' build cache */
	struct strmap noted;      /* environments whose untested_here was said, by repository */
};

/* cache_dir NULL: a temporary one; mirrors may be NULL; 0 or -1 */
int repo_store_init(struct repo_store *rs, const char *cache_dir, const char *mirrors);
void repo_store_release(struct repo_store *rs);
/* the pristine repository of r (a git repository holding its base commit),
 * made on first use; borrowed; NULL after reporting why */
const char *repo_pristine(struct repo_store *rs, const struct repo_task *r);
/* the content of path at the base commit, appended to out; 0 or -1 (quiet:
 * a missing file is an ordinary answer) */
int repo_show(struct repo_store *rs, const struct repo_task *r, const char *path, struct buf *out);
/* the files shown to the model, as "[start of PATH]\n...\n[end of PATH]"
 * blocks, computed once per task; borrowed; NULL after reporting why */
const char *repo_files_text(struct repo_store *rs, const struct task *t);

#endif
