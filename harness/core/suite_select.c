/* suite_select.c - a subset of a loaded suite: the tasks named in a file
 * (--instances FILE) and/or those of some repositories (--repo NAME), so
 * that one slice of a large public suite can be run or re-scored. */
#include <stdlib.h>
#include <string.h>

#include "core/suite.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/msg.h"
#include "util/strmap.h"
#include "util/xalloc.h"

void suite_filter_init(struct suite_filter *f)
{
	memset(f, 0, sizeof(*f));
}

void suite_filter_release(struct suite_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nrepos; i++)
		free(f->repos[i]);
	free(f->repos);
	suite_filter_init(f);
}

void suite_filter_add_repo(struct suite_filter *f, const char *name)
{
	f->repos = xrealloc(f->repos, (f->nrepos + 1) * sizeof(*f->repos));
	f->repos[f->nrepos++] = xstrdup(name);
}

/* "owner/name" is named by itself, by "owner__name" and by "name" */
static int repo_named(const char *repo, const char *name)
{
	if (strcmp(repo, name) == 0)
		return 1;
	const char *slash = strchr(repo, '/');
	if (!slash)
		return 0;
	if (strcmp(slash + 1, name) == 0)
		return 1;
	size_t owner = (size_t)(slash - repo);
	return strncmp(name, repo, owner) == 0 && strncmp(name + owner, "__", 2) == 0 &&
	       strcmp(name + owner + 2, slash + 1) == 0;
}

/* the ids of the file, each checked against the suite; 0 or -1 naming the line */
static int read_ids(const char *path, const struct suite *s, struct strmap *ids)
{
	struct buf text = BUF_INIT;
	if (file_read(path, &text) < 0)
		return -1;
	int rc = 0, line = 0;
	char *save = NULL, none[] = "";
	for (char *l = strtok_r(text.data ? text.data : none, "\n", &save); l && rc == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		line++;
		while (*l == ' ' || *l == '\t')
			l++;
		size_t n = strcspn(l, " \t\r#");
		if (!n)
			continue;
		l[n] = '\0';
		if (!suite_find(s, l))
			rc = error("%s:%d: '%s' is not in the suite", path, line, l);
		else
			strmap_put(ids, l, 1);
	}
	buf_release(&text);
	return rc;
}

int suite_select(struct suite *s, const struct suite_filter *f)
{
	if (!f->instances && !f->nrepos)
		return 0;
	struct strmap ids;
	strmap_init(&ids);
	if (f->instances && read_ids(f->instances, s, &ids) < 0) {
		strmap_release(&ids);
		return -1;
	}
	size_t kept = 0;
	unsigned char *keep = xcalloc(s->n + 1, 1);
	for (size_t i = 0; i < s->n; i++) {
		const struct task *t = &s->tasks[i];
		int k = !f->instances || strmap_get(&ids, t->id, NULL);
		if (k && f->nrepos) {
			int named = 0;
			for (size_t r = 0; r < f->nrepos && !named; r++)
				named = t->repo && t->repo->name && repo_named(t->repo->name, f->repos[r]);
			k = named;
		}
		keep[i] = (unsigned char)k;
		kept += (size_t)k;
	}
	/* it reindexes: the id index points into tasks[], which moves */
	suite_keep(s, keep, NULL);
	free(keep);
	strmap_release(&ids);
	if (!kept)
		return error("no task of the suite is selected by %s%s%s", f->instances ? "--instances " : "",
			     f->instances ? f->instances : "", f->nrepos ? " --repo" : "");
	return 0;
}
