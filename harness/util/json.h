/* json.h - small typed getters and writers on top of cJSON. */
#ifndef TB_JSON_H
#define TB_JSON_H

#include <cjson/cJSON.h>

#include "util/buf.h"

/* the string member, or def when missing or not a string; borrowed */
const char *json_str(const cJSON *o, const char *key, const char *def);
/* the number member, or def when missing or not a number */
double json_num(const cJSON *o, const char *key, double def);
/* the number member key of o into *out, def when it is missing or null:
 * one validator for every number a file gives. 0, or -1 after reporting
 * "<where>: '<key>' must be ..." when it is not a finite number in
 * [lo, hi] (a whole number when integer) */
int json_num_checked(const cJSON *o, const char *key, double def, double lo, double hi, int integer,
		     const char *where, double *out);
/* parses data[0..n) as one JSON value; NULL when malformed or when more
 * than white space follows it (two objects on a line); caller deletes */
cJSON *json_parse(const char *data, size_t n);
/* appends s as a JSON string literal, quotes included */
void json_quote(struct buf *b, const char *s);
/* appends the compact form of item */
void json_print(struct buf *b, const cJSON *item);
/* appends item indented by two spaces, "key": value, and a newline */
void json_pretty(struct buf *b, const cJSON *item);
/* the compact form of item as a string; malloced, caller frees; NULL when
 * item is NULL */
char *json_text(const cJSON *item);
/* adds a number that is an integer when it is one, and null when not finite */
void json_add_num(cJSON *o, const char *key, double v);

/* called for each record of a file of JSON records with the record (any
 * JSON value: the callback checks it is an object; borrowed) and where it
 * is ("FILE:LINE", or "FILE: item N" in an array, from 1); 0 goes on, -1
 * stops */
typedef int (*json_record_fn)(void *arg, const cJSON *o, const char *where);
/* the one reader of "a file of JSON records" as they are distributed: JSON
 * Lines (blank lines skipped) or one JSON array of records (MBPP sanitized,
 * EvalPlus exports), either of them gzipped (by content, file_read); a line
 * that does not parse, an array that does not, or data after the array is
 * reported with its file and line; 0, or -1 (reported, or fn's) */
int json_records_each(const char *path, json_record_fn fn, void *arg);
/* the same over path's contents already read into data (path names it in
 * messages) */
int json_records_in(const char *path, const struct buf *data, json_record_fn fn, void *arg);

#endif
