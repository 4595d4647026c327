/* swebench_summary.c - a run directory's SWE-bench summaries: one
 * <provider>.swebench.json per provider with SWE-bench's field names
 * (resolved_ids, empty_patch_instances, ...), read from the records. */
#include "stats/swebench_summary.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "score/swebench.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

/* a repository task's record: graded, or with an edit judged, or with a
 * checkout step (an environment error stops there) */
static int is_repo_record(const struct record *r)
{
	return r->report || r->well_formed >= 0 || r->edit_format || r->step_ms[0] > 0;
}

/* an id list, sorted */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static cJSON *id_list(const char **v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_str);
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

/* an object's members in key order, so that a summary reads the same
 * whatever order the instances were scored in */
static void sort_members(cJSON *o)
{
	int n = cJSON_GetArraySize(o);
	if (n < 2)
		return;
	cJSON **v = xcalloc((size_t)n, sizeof(*v));
	for (int i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(o, 0);
	qsort(v, (size_t)n, sizeof(*v), cmp_item);
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(o, v[i]);
	free(v);
}

static int write_summary(const char *dir, const char *provider, const struct recset *rs)
{
	/* SWE-bench's run report: every instance once (sample 0) */
	const char **all = xcalloc(rs->n + 1, sizeof(*all)), **done = xcalloc(rs->n + 1, sizeof(*done));
	const char **res = xcalloc(rs->n + 1, sizeof(*res)), **unres = xcalloc(rs->n + 1, sizeof(*unres));
	const char **empty = xcalloc(rs->n + 1, sizeof(*empty)), **err = xcalloc(rs->n + 1, sizeof(*err));
	const char **adj = xcalloc(rs->n + 1, sizeof(*adj));
	size_t na = 0, nd = 0, nr = 0, nu = 0, ne = 0, nerr = 0, nadj = 0;
	/* per instance: the tests left out of the adjusted verdict, and why errors happened */
	cJSON *excluded = cJSON_CreateObject(), *errors = cJSON_CreateObject();
	/* per instance: the files the patch edits that SWE-bench's harness edits first */
	cJSON *harness = cJSON_CreateObject();
	for (size_t i = 0; i < rs->n; i++) {
		const struct record *r = &rs->v[i];
		if (strcmp(r->provider, provider) != 0 || r->sample != 0 || !is_repo_record(r))
			continue;
		all[na++] = r->task;
		if (r->edit_format && strcmp(r->edit_format, "none") == 0)
			empty[ne++] = r->task;
		if (r->status == ST_ERROR) {
			err[nerr++] = r->task;
			char *why = xasprintf("%s%s%s", r->error_kind ? r->error_kind : "error", r->detail ? ": " : "",
					      r->detail ? r->detail : "");
			cJSON_AddItemToObject(errors, r->task, cJSON_CreateString(why));
			free(why);
		} else if (r->status == ST_PASSED || r->status == ST_FAILED) {
			done[nd++] = r->task;
			cJSON *files = swebench_report_harness_edits(r->report);
			if (files)
				cJSON_AddItemToObject(harness, r->task, files);
			if (r->status == ST_PASSED)
				res[nr++] = r->task;
			else
				unres[nu++] = r->task;
			if (swebench_report_adjusted(r->report, r->status == ST_PASSED)) {
				adj[nadj++] = r->task;
				cJSON *rep = r->report && r->status == ST_FAILED ? cJSON_Parse(r->report) : NULL;
				cJSON *k = cJSON_DetachItemFromObjectCaseSensitive(rep, "known_failures_excluded");
				if (k)
					cJSON_AddItemToObject(excluded, r->task, k);
				cJSON_Delete(rep);
			}
		}
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "total_instances", (double)na);
	cJSON_AddNumberToObject(o, "submitted_instances", (double)na);
	cJSON_AddNumberToObject(o, "completed_instances", (double)nd);
	cJSON_AddNumberToObject(o, "resolved_instances", (double)nr);
	cJSON_AddNumberToObject(o, "unresolved_instances", (double)nu);
	cJSON_AddNumberToObject(o, "empty_patch_instances", (double)ne);
	cJSON_AddNumberToObject(o, "error_instances", (double)nerr);
	cJSON_AddItemToObject(o, "completed_ids", id_list(done, nd));
	cJSON_AddItemToObject(o, "incomplete_ids", cJSON_CreateArray());
	cJSON_AddItemToObject(o, "empty_patch_ids", id_list(empty, ne));
	cJSON_AddItemToObject(o, "submitted_ids", id_list(all, na));
	cJSON_AddItemToObject(o, "resolved_ids", id_list(res, nr));
	cJSON_AddItemToObject(o, "unresolved_ids", id_list(unres, nu));
	cJSON_AddItemToObject(o, "error_ids", id_list(err, nerr));
	cJSON_AddNumberToObject(o, "schema_version", 2);
	/* tokenbench's additions: the verdict with known environment failures
	 * excluded (those resolved only so, with the tests left out), and why
	 * each error instance could not be scored (never a model failure) */
	cJSON_AddNumberToObject(o, "resolved_adjusted_instances", (double)nadj);
	cJSON_AddItemToObject(o, "resolved_adjusted_ids", id_list(adj, nadj));
	cJSON_AddItemToObject(o, "known_failures_excluded", excluded);
	cJSON_AddItemToObject(o, "error_reasons", errors);
	/* and the instances whose patch edits files that SWE-bench's harness
	 * edits before it applies a patch: there the patch may not apply, so
	 * SWE-bench's verdict may be "not resolved" whatever the tests say */
	sort_members(harness);
	cJSON_AddItemToObject(o, "edits_harness_edited_files", harness);
	struct buf b = BUF_INIT;
	json_pretty(&b, o);
	cJSON_Delete(o);
	char *safe = xstrdup(provider);
	for (char *p = safe; *p; p++)
		if (*p == '/')
			*p = '_';
	char *path = xasprintf("%s/%s.swebench.json", dir, safe);
	int rc = file_write_atomic(path, b.data, b.len);
	free(path);
	free(safe);
	buf_release(&b);
	free(all);
	free(done);
	free(res);
	free(unres);
	free(empty);
	free(err);
	free(adj);
	return rc;
}

int swebench_write_summaries(const char *dir, const struct recset *rs)
{
	const char **seen = xcalloc(rs->n + 1, sizeof(*seen));
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < rs->n && rc == 0; i++) {
		const struct record *r = &rs->v[i];
		if (!is_repo_record(r))
			continue;
		int dup = 0;
		for (size_t k = 0; k < n && !dup; k++)
			dup = strcmp(seen[k], r->provider) == 0;
		if (dup)
			continue;
		seen[n++] = r->provider;
		rc = write_summary(dir, r->provider, rs);
	}
	free(seen);
	return rc;
}
