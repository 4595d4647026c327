/* swebench.h - SWE-bench's own report files, so that tools made for its
 * harness read tokenbench's results: a report.json per instance and a
 * summary per model with its field names. */
#ifndef TB_SWEBENCH_H
#define TB_SWEBENCH_H

#include "store.h"

/* {"<instance_id>": <report>} as SWE-bench writes report.json; malloced */
char *swebench_instance_report(const char *instance_id, const char *report);
/* DIR/<provider>.swebench.json for every provider with repository tasks;
 * 0 or -1 (reported) */
int swebench_write_summaries(const char *dir, const struct recset *rs);

#endif
