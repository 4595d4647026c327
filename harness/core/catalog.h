/* catalog.h - the public suites tokenbench can fetch by name: each one's
 * canonical address, how it is served, what pins it (a SHA-256, or a count
 * and a digest of ids), the file name it is kept under, and where fetched
 * copies live. */
#ifndef TB_CATALOG_H
#define TB_CATALOG_H

#include <stddef.h>

enum catalog_kind {
	CATALOG_FILE,    /* one file, pinned by the SHA-256 of its bytes */
	CATALOG_HF_ROWS, /* a Hugging Face dataset split read page by page through the
			  * dataset viewer's JSON rows interface, written as JSON Lines
			  * (one row per line), pinned by its row count and ids digest */
};

struct catalog_entry {
	const char *name; /* "humaneval" */
	enum catalog_kind kind;
	/* FILE: the canonical public address of the file (https://HOST/PATH);
	 * HF_ROWS: the rows address without offset and length
	 * (https://datasets-server.huggingface.co/rows?dataset=D&config=C&split=S) */
	const char *url;
	/* FILE: sha256 of the file as served; HF_ROWS: catalog_ids_digest of
	 * the split (hex) */
	const char *sha256;
	const char *file;   /* the name it is kept under */
	const char *what;   /* one line: what it is */
	int rows;           /* HF_ROWS: how many rows the split has */
	const char *id_key; /* HF_ROWS: the field that names a row ("instance_id") */
};

/* the entry called name, or NULL */
const struct catalog_entry *catalog_find(const char *name);
/* the entries, in order; *n gets how many */
const struct catalog_entry *catalog_all(int *n);
/* where fetched suites live: $TOKENBENCH_DATA, else
 * $XDG_CACHE_HOME/tokenbench/suites, else ~/.cache/tokenbench/suites;
 * malloced */
char *catalog_dir(void);
/* the address to download e from: its canonical URL, or with
 * $TOKENBENCH_FETCH_MIRROR set, MIRROR/HOST/PATH?QUERY (a mirror laid out
 * by host); malloced */
char *catalog_url(const struct catalog_entry *e);
/* the ids digest that pins a split served page by page: SHA-256 (hex) of
 * the ids sorted bytewise, each followed by a newline -- what
 * `jq -r .instance_id FILE | LC_ALL=C sort | sha256sum` prints. ids is
 * sorted in place */
void catalog_ids_digest(char **ids, size_t n, char out[65]);
/* the ids (field e->id_key) of the JSON records file at path and their
 * digest; *n gets how many records; 0, or -1 (reported, naming file and
 * line: a record that is not an object or has no such string field) */
int catalog_file_ids(const struct catalog_entry *e, const char *path, size_t *n, char out[65]);
/* --suite NAME: the fetched copy of a catalogued suite when arg names one
 * and is not a path that exists; malloced path, or NULL when arg is not a
 * catalogue name (a path, to be read as one); -1 in *missing (reported,
 * with the fetch command to run) when it names one not fetched yet */
char *catalog_suite_path(const char *arg, int *missing);

#endif
