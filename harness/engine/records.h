/* records.h - a verdict's part of a sample record: the request loop and
 * `eval-predictions` (answers made elsewhere) write it the same way. */
#ifndef TB_RECORDS_H
#define TB_RECORDS_H

#include "core/record.h"
#include "rundir/store.h"
#include "score/score.h"

/* copies v's test figures, edit format and SWE-bench report into r (which
 * owns them; its task, provider and sample must be set), and writes the
 * test output and the instance's report beside the record (test_output.txt,
 * report.json); 0, or -1 when one of those could not be written */
int records_take_verdict(struct record *r, const struct verdict *v, struct store *st);

#endif
