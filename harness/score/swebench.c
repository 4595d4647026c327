/* swebench.c - SWE-bench's report files. */
#include "score/swebench.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/xalloc.h"

char *swebench_instance_report(const char *instance_id, const char *report)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *rep = cJSON_Parse(report);
	cJSON_AddItemToObject(o, instance_id, rep ? rep : cJSON_CreateNull());
	struct buf b = BUF_INIT;
	json_pretty(&b, o);
	cJSON_Delete(o);
	return buf_detach(&b);
}

int swebench_report_adjusted(const char *report, int resolved)
{
	if (!report)
		return resolved;
	cJSON *o = cJSON_Parse(report);
	const cJSON *adj = cJSON_GetObjectItemCaseSensitive(o, "resolved_adjusted");
	int v = cJSON_IsBool(adj) ? cJSON_IsTrue(adj) : resolved;
	cJSON_Delete(o);
	return v;
}

int swebench_report_count(const char *report, const char *list, const char *outcome)
{
	cJSON *o = report ? cJSON_Parse(report) : NULL;
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(o, "tests_status");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ts, list), outcome);
	int n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : -1;
	cJSON_Delete(o);
	return n;
}

cJSON *swebench_report_harness_edits(const char *report)
{
	cJSON *o = report ? cJSON_Parse(report) : NULL;
	cJSON *a = cJSON_DetachItemFromObjectCaseSensitive(o, "edits_harness_edited_files");
	cJSON_Delete(o);
	if (a && (!cJSON_IsArray(a) || !cJSON_GetArraySize(a))) {
		cJSON_Delete(a);
		a = NULL;
	}
	return a;
}
