/* swebench.h - SWE-bench's own report of an instance, so that tools made
 * for its harness read tokenbench's results: report.json and what a
 * record's report says (the summary per model is stats/swebench_summary.c). */
#ifndef TB_SWEBENCH_H
#define TB_SWEBENCH_H

#include <cjson/cJSON.h>

#include "core/record.h"

/* {"<instance_id>": <report>} as SWE-bench writes report.json; malloced */
char *swebench_instance_report(const char *instance_id, const char *report);
/* whether a record's report (SWE-bench's, as repojob_grade writes it) says
 * resolved once the known environment failures are excluded; without a
 * report or the field, what the strict verdict says (resolved) */
int swebench_report_adjusted(const char *report, int resolved);
/* how many tests a report lists under tests_status[list][outcome], e.g.
 * ("FAIL_TO_PASS", "success"); -1 without a report or that list */
int swebench_report_count(const char *report, const char *list, const char *outcome);
/* the files a report says the patch edits that SWE-bench's harness edits
 * before applying a patch (a JSON array, malloced), or NULL for none */
cJSON *swebench_report_harness_edits(const char *report);
#endif
