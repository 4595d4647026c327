/* simrepo.h - the simulator's answers to repository tasks: the reference
 * patch, or a broken one, in the edit format the prompt asked for. */
#ifndef TB_SIMREPO_H
#define TB_SIMREPO_H

#include "buf.h"
#include "edit.h"
#include "repo.h"
#include "rng.h"
#include "suite.h"

enum sim_patch { PATCH_GOOD, PATCH_WRONG, PATCH_NOT_APPLYING };

/* the task's reference patch as it is (PATCH_GOOD), with one added line
 * plausibly broken (PATCH_WRONG), or with a removed line that is not in
 * the file (PATCH_NOT_APPLYING); malloced */
char *simrepo_patch(const struct task *t, enum sim_patch kind, struct rng *r);
/* the whole content of one file of a patch once it is applied (empty
 * before for a new file); 0, or -1 when its hunks do not apply */
int simrepo_after(struct repo_store *rs, const struct task *t, const struct udiff_file *f, struct buf *out);
/* appends the answer: the task's reference patch as it is (PATCH_GOOD),
 * with one added line plausibly broken (PATCH_WRONG), or with a removed
 * line that is not in the file (PATCH_NOT_APPLYING), in format f */
void simrepo_answer(struct repo_store *rs, const struct task *t, enum edit_format f, enum sim_patch kind,
		    struct rng *r, struct buf *out);

#endif
