/* sim_repo.h - the simulator's answers to repository tasks: the reference
 * patch, or a broken one, in the edit format the prompt asked for. */
#ifndef TB_SIM_REPO_H
#define TB_SIM_REPO_H

#include "core/suite.h"
#include "score/edit.h"
#include "score/repo.h"
#include "util/buf.h"
#include "util/rng.h"

enum sim_patch { PATCH_GOOD, PATCH_WRONG, PATCH_NOT_APPLYING };

/* the task's reference patch as it is (PATCH_GOOD), with one added line
 * plausibly broken (PATCH_WRONG), or with a removed line that is not in
 * the file (PATCH_NOT_APPLYING); malloced */
char *sim_repo_patch(const struct task *t, enum sim_patch kind, struct rng *r);
/* the whole content of one file of a patch once it is applied (empty
 * before for a new file); 0, or -1 when its hunks do not apply */
int sim_repo_after(struct repo_store *rs, const struct task *t, const struct udiff_file *f, struct buf *out);
/* appends the answer: the task's reference patch as it is (PATCH_GOOD),
 * with one added line plausibly broken (PATCH_WRONG), or with a removed
 * line that is not in the file (PATCH_NOT_APPLYING), in format f */
void sim_repo_answer(struct repo_store *rs, const struct task *t, enum edit_format f, enum sim_patch kind,
		    struct rng *r, struct buf *out);

#endif
