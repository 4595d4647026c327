/* catalog.h - the public suites tokenbench can fetch by name: each one's
 * canonical address, pinned SHA-256 and file name, and where fetched
 * copies live. */
#ifndef TB_CATALOG_H
#define TB_CATALOG_H

struct catalog_entry {
	const char *name;   /* "humaneval" */
	const char *url;    /* the canonical public address (https://HOST/PATH) */
	const char *sha256; /* of the file as served there (hex) */
	const char *file;   /* the name it is kept under */
	const char *what;   /* one line: what it is */
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
 * $TOKENBENCH_FETCH_MIRROR set, MIRROR/HOST/PATH (a mirror laid out by
 * host); malloced */
char *catalog_url(const struct catalog_entry *e);
/* --suite NAME: the fetched copy of a catalogued suite when arg names one
 * and is not a path that exists; malloced path, or NULL when arg is not a
 * catalogue name (a path, to be read as one); -1 in *missing (reported,
 * with the fetch command to run) when it names one not fetched yet */
char *catalog_suite_path(const char *arg, int *missing);

#endif
