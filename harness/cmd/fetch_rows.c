/* fetch_rows.c - SWE-bench from Hugging Face through the dataset viewer's
 * JSON rows interface (fetch.h): GET URL&offset=O&length=L answers
 * {"features": [...], "rows": [{"row_idx", "row", "truncated_cells"}],
 * "num_rows_total", "num_rows_per_page", "partial"}, at most 100 rows a
 * page. Each row becomes one line of the JSON Lines suite tokenbench reads
 * (core/suite_repo.c); the split is kept only when its row count and ids
 * digest are the catalog's. The parquet files would need a parquet reader,
 * which Debian does not package for C. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/fetch.h"
#include "util/fileio.h"
#include "util/json.h"
#include "util/msg.h"
#include "util/xalloc.h"

#define PAGE_ROWS 100 /* the interface's most */

struct split {
	const struct catalog_entry *e;
	const char *url; /* the rows address, for messages */
	struct buf out;  /* the JSON lines so far */
	char **ids;      /* malloced, each and the array */
	size_t n, cap;
};

/* the cells the viewer cut in row r, comma-separated, or NULL when none; malloced */
static char *truncated_cells(const cJSON *r)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "truncated_cells"), *it;
	struct buf b = BUF_INIT;
	cJSON_ArrayForEach(it, t) {
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, cJSON_IsString(it) ? it->valuestring : "?");
	}
	return b.len ? buf_detach(&b) : NULL;
}

/* the page at off (length asked for len) in doc: its rows appended to s;
 * how many, or -1 (reported). A row with cells cut short ends the page
 * there, setting *shorter when len > 1 (ask again with fewer rows: the
 * viewer cuts cells to keep a page small); alone, it is an error */
static int page_take(struct split *s, const cJSON *doc, const char *page, long off, int len, int *shorter)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "rows"), *r;
	const cJSON *total = cJSON_GetObjectItemCaseSensitive(doc, "num_rows_total");
	if (!cJSON_IsArray(rows) || !cJSON_IsNumber(total)) {
		const char *why = json_str(doc, "error", NULL);
		return error("%s: not a rows page (no 'rows' or 'num_rows_total')%s%s", page, why ? ": " : "",
			     why ? why : "");
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partial")))
		return error("%s: the viewer serves only part of the split (\"partial\": true)", page);
	if (total->valuedouble != s->e->rows)
		return error("%s: the split has %.0f rows (num_rows_total), the catalog pins %d", page,
			     total->valuedouble, s->e->rows);
	int want = len < s->e->rows - off ? len : (int)(s->e->rows - off), got = 0;
	cJSON_ArrayForEach(r, rows) {
		long idx = off + got;
		const cJSON *row = cJSON_GetObjectItemCaseSensitive(r, "row");
		const char *id = json_str(row, s->e->id_key, NULL);
		if (json_num(r, "row_idx", -1) != idx || !cJSON_IsObject(row) || !id)
			return error("%s: item %d is not row %ld with a string '%s'", page, got + 1, idx, s->e->id_key);
		if (got == want)
			return error("%s: more than the %d rows asked for", page, want);
		char *cut = truncated_cells(r);
		if (cut && len > 1) {
			note("%s: row %ld (%s) has cells cut short (%s): asking for fewer rows a page", s->e->name,
			     idx, id, cut);
			free(cut);
			*shorter = 1;
			return got;
		}
		if (cut) {
			int rc = error("%s: row %ld (%s) has cells the viewer cut short even alone: %s", page, idx, id,
				       cut);
			free(cut);
			return rc;
		}
		json_print(&s->out, row);
		buf_putc(&s->out, '\n');
		XGROW(s->ids, s->cap, s->n + 1);
		s->ids[s->n++] = xstrdup(id);
		got++;
	}
	if (got != want)
		return error("%s: %d rows, not the %d of a split of %d", page, got, want, s->e->rows);
	return got;
}

/* the rows from off on, a page of at most *len; how many were taken, or -1 */
static int page_read(struct split *s, long off, int *len)
{
	char *page = xasprintf("%s&offset=%ld&length=%d", s->url, off, *len);
	struct buf body = BUF_INIT;
	cJSON *doc = NULL;
	int got = -1;
	if (fetch_get(page, 120, &body) < 0)
		goto out;
	doc = json_parse(body.data ? body.data : "", body.len);
	if (!cJSON_IsObject(doc)) {
		error("%s: the answer is not a JSON object (%zu bytes)", page, body.len);
		goto out;
	}
	int shorter = 0;
	got = page_take(s, doc, page, off, *len, &shorter);
	if (shorter)
		*len = *len / 2 > 0 ? *len / 2 : 1;
	else if (*len < PAGE_ROWS) /* past the long cells: back towards full pages */
		*len = *len * 2 < PAGE_ROWS ? *len * 2 : PAGE_ROWS;
out:
	cJSON_Delete(doc);
	buf_release(&body);
	free(page);
	return got;
}

int fetch_rows(const struct catalog_entry *e, const char *url, const char *path)
{
	struct split s = { .e = e, .url = url };
	int rc = -1, len = PAGE_ROWS;
	char digest[65];
	note("%s: reading %d rows from %s, %d a page", e->name, e->rows, url, PAGE_ROWS);
	for (long off = 0; off < e->rows;) {
		int got = page_read(&s, off, &len);
		if (got < 0)
			goto out;
		off += got;
	}
	catalog_ids_digest(s.ids, s.n, digest);
	if (strcmp(digest, e->sha256) != 0) {
		error("%s: %s gave rows whose ids digest is %s, not the pinned %s: not kept", e->name, url, digest,
		      e->sha256);
		goto out;
	}
	rc = file_write_atomic(path, s.out.data, s.out.len);
out:
	for (size_t i = 0; i < s.n; i++)
		free(s.ids[i]);
	free(s.ids);
	buf_release(&s.out);
	return rc;
}
