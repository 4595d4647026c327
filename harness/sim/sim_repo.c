/* sim_repo.c - patches as a model would write them, for the simulator. */
#include "sim/sim_repo.h"

#include <stdlib.h>
#include <string.h>

#include "sim/sim_model.h"
#include "util/xalloc.h"

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? nl + 1 : p + strlen(p);
}

/* the patch with one line changed: an added line mutated (wrong) or a
 * removed line altered so the patch no longer applies */
static char *spoil(const char *patch, enum sim_patch kind, struct rng *r)
{
	char want = kind == PATCH_WRONG ? '+' : '-';
	size_t n = 0;
	for (const char *p = patch; *p; p = next_line(p))
		n += *p == want && strncmp(p, "+++", 3) != 0 && strncmp(p, "---", 3) != 0;
	if (n == 0)
		return xstrdup(patch);
	size_t pick = (size_t)rng_below(r, n), k = 0;
	struct buf b = BUF_INIT;
	for (const char *p = patch; *p;) {
		const char *nl = next_line(p);
		int hit = *p == want && strncmp(p, "+++", 3) != 0 && strncmp(p, "---", 3) != 0 && k++ == pick;
		if (!hit) {
			buf_append(&b, p, (size_t)(nl - p));
		} else if (kind == PATCH_WRONG) {
			char *line = xstrndup(p + 1, (size_t)(nl - p - 1));
			char *m = sim_mutate(line, rng_next(r));
			buf_putc(&b, '+');
			buf_puts(&b, m);
			if (!strchr(m, '\n'))
				buf_putc(&b, '\n');
			free(m);
			free(line);
		} else {
			buf_append(&b, p, (size_t)(nl - p) - (nl[-1] == '\n'));
			buf_puts(&b, "  # not in the file\n");
		}
		p = nl;
	}
	return buf_detach(&b);
}

char *sim_repo_patch(const struct task *t, enum sim_patch kind, struct rng *r)
{
	return kind == PATCH_GOOD ? xstrdup(t->reference) : spoil(t->reference, kind, r);
}

int sim_repo_after(struct repo_store *rs, const struct task *t, const struct udiff_file *f, struct buf *out)
{
	struct buf base = BUF_INIT;
	if (!f->new_file)
		repo_show(rs, t->repo, f->path, &base);
	int rc = udiff_apply(buf_str(&base), f->hunks, f->len, out);
	buf_release(&base);
	return rc;
}

static void as_search_replace(const struct udiff_file *f, struct buf *out)
{
	const char *end = f->hunks ? f->hunks + f->len : NULL;
	for (const char *p = f->hunks; p && p < end;) {
		if (strncmp(p, "@@", 2) != 0) {
			p = next_line(p);
			continue;
		}
		struct buf search = BUF_INIT, replace = BUF_INIT;
		for (p = next_line(p); p < end && (*p == ' ' || *p == '-' || *p == '+'); p = next_line(p)) {
			size_t n = (size_t)(next_line(p) - p) - 1;
			if (*p != '+')
				buf_append(&search, p + 1, n);
			if (*p != '-')
				buf_append(&replace, p + 1, n);
		}
		buf_printf(out, "%s\n```\n<<<<<<< SEARCH\n%s=======\n%s>>>>>>> REPLACE\n```\n\n", f->path,
			   buf_str(&search), buf_str(&replace));
		buf_release(&search);
		buf_release(&replace);
	}
}

void sim_repo_answer(struct repo_store *rs, const struct task *t, enum edit_format f, enum sim_patch kind,
		    struct rng *r, struct buf *out)
{
	char *patch = sim_repo_patch(t, kind, r);
	if (f == EDIT_DIFF) {
		buf_printf(out, "The problem is in the code below; this fixes it.\n\n```diff\n%s```\n", patch);
		free(patch);
		return;
	}
	struct udiff_file *files;
	size_t n;
	if (udiff_files(patch, &files, &n) < 0) {
		buf_puts(out, "I could not work out a fix.");
		free(patch);
		return;
	}
	buf_puts(out, "Here is the fix.\n\n");
	for (size_t i = 0; i < n; i++) {
		if (f == EDIT_SEARCH_REPLACE) {
			as_search_replace(&files[i], out);
		} else {
			struct buf after = BUF_INIT;
			if (sim_repo_after(rs, t, &files[i], &after) == 0)
				buf_printf(out, "%s\n```\n%s```\n\n", files[i].path, buf_str(&after));
			else /* a patch that does not apply gives a file that was never right */
				buf_printf(out, "%s\n```\n%s\n```\n\n", files[i].path, "# (the edit could not be made)");
			buf_release(&after);
		}
		free(files[i].path);
	}
	free(files);
	free(patch);
}
