/* edit.c - parsing answers into repository edits.
 *
 *   diff            a unified diff (```diff block or bare), applied later by
 *                   git apply, falling back to patch with fuzz, in the sandbox
 *   whole           "path" on a line, then a fenced block with the whole file
 *   search/replace  "path", then <<<<<<< SEARCH / ======= / >>>>>>> REPLACE
 *
 * Whole files and search/replace blocks become full file contents here,
 * from the base tree; every path is checked before anything is written. */
#include "score/edit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

static const char *const format_names[] = { "diff", "whole", "search_replace" };

const char *edit_format_name(enum edit_format f)
{
	return format_names[f];
}

int edit_format_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

void edit_release(struct edit *e)
{
	if (!e)
		return;
	free(e->diff);
	for (size_t i = 0; i < e->nfiles; i++) {
		free(e->files[i].path);
		free(e->files[i].content);
	}
	free(e->files);
	memset(e, 0, sizeof(*e));
}

int edit_path_ok(const char *path)
{
	if (!*path || path[0] == '/' || strchr(path, '\\') || strlen(path) > 1024)
		return 0;
	/* no component may be "..", "." or ".git" */
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && strncmp(p, "..", 2) == 0) ||
		    (n == 4 && strncmp(p, ".git", 4) == 0))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* ---- unified diffs ---- */

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? nl + 1 : p + strlen(p);
}

static char *header_path(const char *p)
{
	size_t n = strcspn(p, "\t\n");
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	return xstrndup(p, n);
}

/* the b/ path of "diff --git a/X b/X": the only name a file has when its
 * diff holds no ---/+++ lines (an empty file created, a mode change);
 * NULL when the header does not read that way */
static char *git_header_path(const char *p)
{
	size_t n = strcspn(p, "\n");
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (strncmp(p, "a/", 2) != 0)
		return NULL;
	/* "a/X b/X": with the same X on both sides, " b/" sits in the middle */
	size_t half = (n - 1) / 2;
	if (n > 4 && (n - 1) % 2 == 0 && strncmp(p + half, " b/", 3) == 0 &&
	    strncmp(p + 2, p + half + 3, half - 2) == 0)
		return xstrndup(p + half + 3, n - half - 3);
	const char *b = NULL;
	for (const char *q = p; q + 3 <= p + n; q++)
		if (strncmp(q, " b/", 3) == 0)
			b = q;
	return b ? xstrndup(b + 3, n - (size_t)(b + 3 - p)) : NULL;
}

static void push_file(struct udiff_file **files, size_t *n, size_t *cap, struct udiff_file *cur, const char *end)
{
	if (cur->hunks)
		cur->len = (size_t)(end - cur->hunks);
	XGROW(*files, *cap, *n + 1);
	(*files)[(*n)++] = *cur;
	memset(cur, 0, sizeof(*cur));
}

int udiff_files(const char *diff, struct udiff_file **files, size_t *n)
{
	*files = NULL;
	*n = 0;
	size_t cap = 0;
	struct udiff_file cur = { 0 };
	int in_file = 0;
	for (const char *p = diff; *p; p = next_line(p)) {
		/* a file starts at "diff --git", or at "---" when no header began it */
		int git_header = strncmp(p, "diff --git ", 11) == 0;
		if (git_header || (strncmp(p, "--- ", 4) == 0 && (!in_file || cur.hunks))) {
			if (in_file)
				push_file(files, n, &cap, &cur, p);
			in_file = 1;
		}
		if (!in_file)
			continue;
		if (git_header && !cur.path)
			cur.path = git_header_path(p + 11);
		if (strncmp(p, "--- a/", 6) == 0 && !cur.path) {
			cur.path = header_path(p + 6);
		} else if (strncmp(p, "+++ b/", 6) == 0) {
			free(cur.path);
			cur.path = header_path(p + 6);
		} else if (strncmp(p, "+++ /dev/null", 13) == 0) {
			cur.deleted = 1;
		} else if (strncmp(p, "--- /dev/null", 13) == 0) {
			cur.new_file = 1;
		} else if (strncmp(p, "new file mode 120000", 20) == 0 || strncmp(p, "new mode 120000", 15) == 0) {
			cur.symlink = 1;
		} else if (strncmp(p, "rename to ", 10) == 0 || strncmp(p, "copy to ", 8) == 0) {
			free(cur.path);
			cur.path = header_path(p + (p[0] == 'r' ? 10 : 8));
		} else if (strncmp(p, "@@", 2) == 0 && !cur.hunks) {
			cur.hunks = p;
		}
	}
	if (in_file)
		push_file(files, n, &cap, &cur, diff + strlen(diff));
	return *n ? 0 : -1;
}

/* the lines of orig, as pointers into it */
struct lines {
	const char **v;
	size_t *len;
	size_t n, v_cap, len_cap;
};

static void split_lines(const char *s, struct lines *l)
{
	memset(l, 0, sizeof(*l));
	for (const char *p = s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		XGROW(l->v, l->v_cap, l->n + 1);
		XGROW(l->len, l->len_cap, l->n + 1);
		l->v[l->n] = p;
		l->len[l->n++] = n;
		p += n;
	}
}

/* compares a hunk line's text (after its marker) with a file line, ignoring
 * a missing final newline on either side */
static int same_line(const char *a, size_t an, const char *b, size_t bn)
{
	if (an && a[an - 1] == '\n')
		an--;
	if (bn && b[bn - 1] == '\n')
		bn--;
	return an == bn && memcmp(a, b, an) == 0;
}

int udiff_apply(const char *orig, const char *hunks, size_t len, struct buf *out)
{
	struct lines src;
	split_lines(orig ? orig : "", &src);
	size_t at = 0; /* next line of src to copy */
	int rc = 0;
	/* a file without hunks (NULL) leaves orig as it is; NULL + 0 is undefined */
	const char *end = hunks ? hunks + len : NULL;
	for (const char *p = hunks; p < end && rc == 0;) {
		long old_start;
		if (strncmp(p, "@@ -", 4) != 0 || sscanf(p + 4, "%ld", &old_start) != 1) {
			p = next_line(p);
			continue;
		}
		p = next_line(p);
		/* the hunk's old side must match at old_start */
		size_t pos = old_start > 0 ? (size_t)old_start - 1 : 0;
		if (pos < at) {
			rc = -1;
			break;
		}
		while (at < pos && at < src.n)
			buf_append(out, src.v[at], src.len[at]), at++;
		while (p < end && (*p == ' ' || *p == '-' || *p == '+' || *p == '\\')) {
			const char *nl = next_line(p);
			size_t n = (size_t)(nl - p);
			if (*p == '\\') {
				/* "\ No newline at end of file": drop the newline just written */
				if (out->len && out->data[out->len - 1] == '\n')
					out->data[--out->len] = '\0';
			} else if (*p == '+') {
				buf_append(out, p + 1, n - 1);
			} else {
				if (at >= src.n || !same_line(p + 1, n - 1, src.v[at], src.len[at])) {
					rc = -1;
					break;
				}
				if (*p == ' ')
					buf_append(out, src.v[at], src.len[at]);
				at++;
			}
			p = nl;
		}
	}
	while (rc == 0 && at < src.n)
		buf_append(out, src.v[at], src.len[at]), at++;
	free(src.v);
	free(src.len);
	return rc;
}

/* ---- finding the edit in an answer ---- */

/* the body of the first fenced block tagged diff or patch, else NULL */
static char *fenced_diff(const char *answer)
{
	for (const char *p = answer; *p; p = next_line(p)) {
		if (strncmp(p, "```diff", 7) != 0 && strncmp(p, "```patch", 8) != 0)
			continue;
		const char *body = next_line(p);
		const char *q = body;
		while (*q && strncmp(q, "```", 3) != 0)
			q = next_line(q);
		return xstrndup(body, (size_t)(q - body));
	}
	return NULL;
}

/* a bare diff: from the first header line on */
static char *bare_diff(const char *answer)
{
	for (const char *p = answer; *p; p = next_line(p)) {
		const char *after = strchr(p, '\n');
		int old_new = strncmp(p, "--- ", 4) == 0 && after && strncmp(after + 1, "+++ ", 4) == 0;
		if (strncmp(p, "diff --git ", 11) == 0 || old_new) {
			const char *q = p;
			/* stop at a closing fence, if the diff sat in an untagged block */
			while (*q && strncmp(q, "```", 3) != 0)
				q = next_line(q);
			return xstrndup(p, (size_t)(q - p));
		}
	}
	return NULL;
}

/* a line that names a file: "path/to/x.py", possibly dressed in `, *, #, or "File:" */
static char *path_line(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '#' || *p == '*' || *p == '`')) {
		p++;
		n--;
	}
	if (n >= 5 && strncasecmp(p, "file:", 5) == 0) {
		p += 5;
		n -= 5;
		while (n && *p == ' ')
			p++, n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '*' || p[n - 1] == '`' || p[n - 1] == ':' || p[n - 1] == '\r'))
		n--;
	if (!n || n > 200 || memchr(p, ' ', n) || !memchr(p, '.', n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr("._-/+@", p[i]))
			return NULL;
	return xstrndup(p, n);
}

/* the nearest path line at or before `before` (which starts a line), skipping blanks */
static char *path_before(const char *answer, const char *before, int lines)
{
	const char *p = before;
	for (int k = 0; k < lines && p > answer; k++) {
		const char *e = p - 1; /* the newline ending the previous line */
		const char *s = e;
		while (s > answer && s[-1] != '\n')
			s--;
		char *path = path_line(s, (size_t)(e - s));
		if (path)
			return path;
		p = s;
	}
	return NULL;
}

static void add_file(struct edit *e, const char *path, char *content)
{
	for (size_t i = 0; i < e->nfiles; i++)
		if (strcmp(e->files[i].path, path) == 0) {
			free(e->files[i].content);
			e->files[i].content = content;
			return;
		}
	XGROW(e->files, e->files_cap, e->nfiles + 1);
	e->files[e->nfiles].path = xstrdup(path);
	e->files[e->nfiles].content = content;
	e->nfiles++;
}

/* search/replace blocks; 1 when some were found (and *why on failure) */
static int parse_search_replace(const char *answer, edit_base_fn base, void *arg, struct edit *e, char **why)
{
	int found = 0;
	for (const char *p = answer; *p && !*why; p = next_line(p)) {
		if (strncmp(p, "<<<<<<< SEARCH", 14) != 0)
			continue;
		found = 1;
		char *path = path_before(answer, p, 3);
		const char *s = next_line(p), *mid = s;
		while (*mid && strncmp(mid, "=======", 7) != 0)
			mid = next_line(mid);
		const char *r = next_line(mid), *stop = r;
		while (*stop && strncmp(stop, ">>>>>>> REPLACE", 15) != 0)
			stop = next_line(stop);
		if (!path || !*mid || !*stop) {
			*why = xstrdup(!path ? "a SEARCH block names no file" : "an unterminated SEARCH/REPLACE block");
			free(path);
			break;
		}
		char *search = xstrndup(s, (size_t)(mid - s)), *replace = xstrndup(r, (size_t)(stop - r));
		/* the current content: an earlier block's result, or the base file */
		struct buf cur = BUF_INIT;
		int have = 0;
		for (size_t i = 0; i < e->nfiles; i++)
			if (strcmp(e->files[i].path, path) == 0) {
				buf_puts(&cur, e->files[i].content);
				have = 1;
			}
		if (!have)
			have = base(arg, path, &cur) == 0;
		const char *hit = *search ? strstr(buf_str(&cur), search) : NULL;
		if (!*search && !have) {
			add_file(e, path, xstrdup(replace)); /* an empty SEARCH creates a file */
		} else if (!hit) {
			*why = xasprintf("the SEARCH text is not in %s%s", path, have ? "" : " (no such file)");
		} else {
			struct buf next = BUF_INIT;
			buf_append(&next, buf_str(&cur), (size_t)(hit - buf_str(&cur)));
			buf_puts(&next, replace);
			buf_puts(&next, hit + strlen(search));
			add_file(e, path, buf_detach(&next));
		}
		buf_release(&cur);
		free(search);
		free(replace);
		free(path);
		p = stop;
	}
	return found;
}

/* fenced blocks with a path line before them (or the path in the info string) */
static int parse_whole(const char *answer, struct edit *e)
{
	int found = 0;
	for (const char *p = answer; *p; p = next_line(p)) {
		if (strncmp(p, "```", 3) != 0)
			continue;
		const char *info = p + 3, *eol = strchr(info, '\n');
		size_t ilen = eol ? (size_t)(eol - info) : strlen(info);
		const char *sp = memchr(info, ' ', ilen);
		char *path = sp ? path_line(sp + 1, ilen - (size_t)(sp + 1 - info)) : NULL;
		if (!path)
			path = path_before(answer, p, 2);
		const char *body = next_line(p), *q = body;
		while (*q && strncmp(q, "```", 3) != 0)
			q = next_line(q);
		if (path) {
			add_file(e, path, xstrndup(body, (size_t)(q - body)));
			found = 1;
		}
		free(path);
		p = *q ? q : q - (q > answer); /* continue after the closing fence */
		if (!*q)
			break;
	}
	return found;
}

static int check_paths(struct edit *e, int (*is_symlink)(void *, const char *), void *arg, char **why)
{
	struct udiff_file *f = NULL;
	size_t n = 0;
	if (e->format == EDIT_DIFF && udiff_files(e->diff, &f, &n) < 0) {
		*why = xstrdup("the diff names no file");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < (e->format == EDIT_DIFF ? n : e->nfiles) && rc == 0; i++) {
		const char *path = e->format == EDIT_DIFF ? f[i].path : e->files[i].path;
		if (!path || !edit_path_ok(path))
			rc = -1, *why = xasprintf("refused: '%s' is outside the repository", path ? path : "?");
		else if (e->format == EDIT_DIFF && f[i].symlink)
			rc = -1, *why = xasprintf("refused: the diff makes '%s' a symbolic link", path);
		else if (is_symlink && is_symlink(arg, path))
			rc = -1, *why = xasprintf("refused: '%s' goes through a symbolic link", path);
	}
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
	return rc;
}

int edit_parse(const char *answer, edit_base_fn base, void *arg, int (*is_symlink)(void *arg, const char *path),
	       struct edit *e, char **why)
{
	memset(e, 0, sizeof(*e));
	*why = NULL;
	if (parse_search_replace(answer, base, arg, e, why)) {
		e->format = EDIT_SEARCH_REPLACE;
	} else if ((e->diff = fenced_diff(answer)) || (e->diff = bare_diff(answer))) {
		e->format = EDIT_DIFF;
	} else if (parse_whole(answer, e)) {
		e->format = EDIT_WHOLE;
	} else {
		*why = xstrdup("no diff, file or SEARCH/REPLACE block in the answer");
		e->format = (enum edit_format)-1;
	}
	if (!*why)
		check_paths(e, is_symlink, arg, why);
	if (*why) {
		enum edit_format f = e->format;
		edit_release(e);
		e->format = f; /* what was tried, for the record */
		return -1;
	}
	return 0;
}
