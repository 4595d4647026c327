/* fetch.h - what `tokenbench fetch` (cmd_fetch.c) shares with its reader
 * of the Hugging Face rows interface (fetch_rows.c): one HTTP GET with
 * retries, and the rows reader itself. */
#ifndef TB_FETCH_H
#define TB_FETCH_H

#include "core/catalog.h"
#include "util/buf.h"

/* GETs url into body (emptied first) over libcurl, whose environment
 * variables give the proxy (http_proxy, https_proxy, no_proxy); a
 * connection that fails or times out, HTTP 408, 429 and 5xx are tried
 * again, up to 4 tries, waiting Retry-After (up to 60 s) or 1, 2, 4 s;
 * timeout_s bounds each try. 0 on HTTP 200, else -1 (reported, naming url,
 * the status or libcurl's error, and the tries) */
int fetch_get(const char *url, long timeout_s, struct buf *body);

/* reads the split e (CATALOG_HF_ROWS) from url (the rows address without
 * offset and length) page by page, each row's "row" object one JSON line,
 * and writes them to path only when the row count and ids digest are the
 * pinned ones (via a temporary name: nothing half-written is left under
 * path). A truncated cell, a partial split, a total, count or digest other
 * than the pinned one are errors naming the address and both values;
 * 0, or -1 (reported) */
int fetch_rows(const struct catalog_entry *e, const char *url, const char *path);

#endif
