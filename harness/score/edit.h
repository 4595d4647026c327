/* edit.h - the edits a model makes to a repository, in the three formats
 * it may answer in: a unified diff, whole files, or search/replace blocks;
 * and the unified-diff reading they share. */
#ifndef TB_EDIT_H
#define TB_EDIT_H

#include <stddef.h>

#include "util/buf.h"

enum edit_format { EDIT_DIFF, EDIT_WHOLE, EDIT_SEARCH_REPLACE };

struct edit_file {
	char *path;    /* relative to the repository; owned */
	char *content; /* the whole new file; owned */
};

struct edit {
	enum edit_format format; /* what the answer turned out to hold */
	char *diff;              /* EDIT_DIFF: the diff to apply; owned */
	struct edit_file *files; /* the others: files to write; owned */
	size_t nfiles, files_cap;
};

/* reads the base content of a file (0) or says it is not there (-1) */
typedef int (*edit_base_fn)(void *arg, const char *path, struct buf *out);

/* the edit in an answer, in whichever format it came. A path that is
 * absolute, climbs out with "..", touches .git, runs through a symlink of
 * the base tree (is_symlink, may be NULL) or makes a new symlink is
 * refused. 0, or -1 with *why (malloced) for a malformed or refused edit,
 * e->format then saying what was tried (-1: nothing recognisable) */
int edit_parse(const char *answer, edit_base_fn base, void *arg, int (*is_symlink)(void *arg, const char *path),
	       struct edit *e, char **why);
void edit_release(struct edit *e);
/* whether a repository path may be written */
int edit_path_ok(const char *path);
/* the name of a format, and back (-1 when unknown) */
const char *edit_format_name(enum edit_format f);
int edit_format_parse(const char *name);

/* one file of a unified diff: its path and its hunks' text */
struct udiff_file {
	char *path;      /* new path (b/...), or old when deleted; owned; NULL when
			  * the diff names none (callers refuse it) */
	const char *hunks; /* from the first "@@" up to the next file; borrowed */
	size_t len;
	int new_file, deleted, symlink;
};

/* the files of a diff; *files malloced (release each path), -1 when none */
int udiff_files(const char *diff, struct udiff_file **files, size_t *n);
/* applies one file's hunks to orig exactly (no fuzz); 0 or -1 */
int udiff_apply(const char *orig, const char *hunks, size_t len, struct buf *out);

#endif
