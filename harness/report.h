/* report.h - the report in its three forms (markdown, CSV, JSON) and the
 * terminal table, all from a summary. */
#ifndef TB_REPORT_H
#define TB_REPORT_H

#include <stdio.h>

#include "buf.h"
#include "summary.h"

enum report_format { REPORT_MD, REPORT_CSV, REPORT_JSON, REPORT_TABLE };

/* 0, or -1 when the name is none of md, csv, json, table */
int report_format_parse(const char *name, enum report_format *f);
/* appends the summary in the given form */
void report_render(const struct summary *s, enum report_format f, struct buf *out);
/* writes summary.json and report.md into dir; 0 or -1 (reported) */
int report_write_files(const struct summary *s, const char *dir);

#endif
