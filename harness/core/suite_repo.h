/* suite_repo.h - loading repository tasks (native and SWE-bench). */
#ifndef TB_SUITE_REPO_H
#define TB_SUITE_REPO_H

#include <cjson/cJSON.h>

#include "core/suite.h"

/* fills t from a native `kind: "repo"` line; dir resolves a relative repo path */
int load_repo_native(struct task *t, const cJSON *o, const char *where, const char *dir);
/* fills t from a SWE-bench instance */
int load_swebench(struct task *t, const cJSON *o, const char *where);
void repo_task_free(struct repo_task *r);
/* the paths a unified diff touches (a/ and b/ sides), each once; malloced */
void patch_files(const char *diff, char ***out, size_t *n);
/* the test files SWE-bench runs for a test patch: the b/ path of each
 * "diff --git a/A b/B" header, each once (a renamed file by its new name, a
 * deleted one by its name); patch_files for a diff without such headers */
void patch_test_paths(const char *diff, char ***out, size_t *n);

#endif
