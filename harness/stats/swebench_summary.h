/* swebench_summary.h - SWE-bench's summary per model, from the records. */
#ifndef TB_SWEBENCH_SUMMARY_H
#define TB_SWEBENCH_SUMMARY_H

#include "rundir/store.h"

/* DIR/<provider>.swebench.json for every provider with repository tasks;
 * 0 or -1 (reported) */
int swebench_write_summaries(const char *dir, const struct recset *rs);

#endif
