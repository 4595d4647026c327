/* datadir.c - finding tokenbench's data from any directory (datadir.h). */
#include "util/datadir.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/xalloc.h"

#ifndef TB_DATADIR
#define TB_DATADIR "/usr/local/share/tokenbench"
#endif

/* base/rel when it exists; malloced, or NULL */
static char *under(const char *base, const char *rel)
{
	if (!base || !*base)
		return NULL;
	char *p = xasprintf("%s/%s", base, rel);
	if (!path_exists(p)) {
		free(p);
		return NULL;
	}
	/* without "bin/.." in it: the path run.json records */
	char *real = realpath(p, NULL);
	if (!real)
		return p;
	free(p);
	return real;
}

char *datadir_find(const char *rel)
{
	if (rel[0] == '/' || path_exists(rel))
		return xstrdup(rel);
	char *p = under(getenv("TOKENBENCH_SHARE"), rel);
	if (p)
		return p;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char *share = xasprintf("%s/../share/tokenbench", exe);
			p = under(exe, rel);
			if (!p)
				p = under(share, rel);
			free(share);
			if (p)
				return p;
		}
	}
	p = under(TB_DATADIR, rel);
	return p ? p : xstrdup(rel);
}
