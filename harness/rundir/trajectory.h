/* trajectory.h - an agent sample's trajectory (logs/PROVIDER/TASK/SAMPLE/
 * trajectory.jsonl) as readable text: each turn's number, tokens, cost and
 * times, its command and output, then how the sample ended. `tokenbench
 * show` prints it and report.html shows it: one rendering for both. */
#ifndef TB_TRAJECTORY_H
#define TB_TRAJECTORY_H

#include "core/record.h"
#include "util/buf.h"

/* appends the readable form of record r's trajectory in run directory dir:
 * a header (task, provider, verdict, totals), each turn, the end. Unless
 * full, a long output or command shows its first and last lines. 0; 1
 * when the sample has no trajectory file (nothing appended, nothing
 * reported); -1 when it cannot be read (reported) */
int trajectory_render(const char *dir, const struct record *r, int full, struct buf *out);

#endif
