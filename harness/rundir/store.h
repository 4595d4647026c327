/* store.h - samples.jsonl: sample records appended one per line and flushed,
 * and read back (last record per task/provider/sample wins). The record
 * itself is core/record.h. */
#ifndef TB_STORE_H
#define TB_STORE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "core/record.h"
#include "util/strmap.h"


struct store {
	FILE *f;
	char *path;
	char *dir;
	int lock_fd;
};

/* creates dir if needed, takes its lock and opens samples.jsonl for
 * appending (dropping a torn last line left by a killed run); 0 or -1 */
int store_open(struct store *s, const char *dir);
/* appends one record as a JSON line and flushes it; 0 or -1 (reported) */
int store_append(struct store *s, const struct record *r);
/* the path of a file beside the samples of run directory dir:
 * DIR/logs/PROVIDER/TASK/SAMPLE/NAME (names made safe for a path); malloced */
char *store_log_path(const char *dir, const char *provider, const char *task, int sample, const char *name);
/* saves such a file, replacing it; 0 or -1 (reported) */
int store_write_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		    const char *text);
/* appends text to such a file in one write (a killed run leaves at most a
 * torn last line); 0 or -1 (reported) */
int store_append_log(struct store *s, const char *provider, const char *task, int sample, const char *name,
		     const char *text);
void store_close(struct store *s);

struct recset {
	struct record *v; /* owned */
	size_t n, cap;
	struct strmap index; /* record_key -> position in v */
};

void recset_init(struct recset *rs);
void recset_release(struct recset *rs);
/* reads DIR/samples.jsonl (or a file); malformed lines are reported with
 * file:line and skipped; a missing file gives an empty set when
 * missing_ok. The records come out sorted by task, provider and sample
 * (recset_sort), so whatever is computed from them does not depend on the
 * order in which samples finished; 0 or -1 */
int recset_load(struct recset *rs, const char *dir_or_file, int missing_ok);
/* sorts the records by task, provider, sample and rebuilds the index */
void recset_sort(struct recset *rs);

/* called by store_each for each record, in file order, with the line it
 * came from (line[0..len), no newline); it may take the record's contents,
 * leaving it as record_init does; what it leaves is released. 0 goes on,
 * -1 stops */
typedef int (*store_each_fn)(void *arg, struct record *r, const char *line, size_t len, size_t lineno);
/* reads a samples.jsonl file record by record; malformed lines are reported
 * with file:line and skipped; 0, or -1 when the file cannot be read or fn
 * stopped */
int store_each(const char *path, store_each_fn fn, void *arg);
/* the record for this sample, or NULL; borrowed */
const struct record *recset_find(const struct recset *rs, const char *task, const char *provider,
				 int sample);

#endif
