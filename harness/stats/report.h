/* report.h - the report in its three forms (markdown, CSV, JSON) and the
 * terminal table, all from a summary. */
#ifndef TB_REPORT_H
#define TB_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "stats/summary.h"
#include "util/buf.h"

enum report_format { REPORT_MD, REPORT_CSV, REPORT_JSON, REPORT_TABLE };

/* 0, or -1 when the name is none of md, csv, json, table */
int report_format_parse(const char *name, enum report_format *f);
/* appends the summary in the given form */
void report_render(const struct summary *s, enum report_format f, struct buf *out);
/* the CSV tables (report_csv.c), one table each with a header line:
 * appends table name (providers, pairs, pass_at_k, reasons); 0, or -1 when
 * there is no such table */
int report_csv_table(const struct summary *s, const char *name, struct buf *out);
/* appends the tables' names, comma separated */
void report_csv_names(struct buf *out);
/* writes every table into dir (made when missing) as NAME.csv, appending
 * each path and a newline to written; 0 or -1 (reported) */
int report_csv_write(const struct summary *s, const char *dir, struct buf *written);
/* one pair as in summary.json's "pairs"; caller deletes */
cJSON *report_pair_json(const struct pair_summary *q);
/* one pair in plain words: "B − A = +0.6 pp, 95% CI [...], p = 0.71: ..." */
void report_pair_words(const struct pair_summary *q, double level, struct buf *out);
/* writes summary.json and report.md into dir; 0 or -1 (reported) */
int report_write_files(const struct summary *s, const char *dir);

#endif
