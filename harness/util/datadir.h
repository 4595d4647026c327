/* datadir.h - where tokenbench's own data is (demo providers, starter
 * suites, SWE-bench environment specs and shims): the source tree when run
 * from it, the installed share directory otherwise. */
#ifndef TB_DATADIR_H
#define TB_DATADIR_H

/* rel (a relative path such as "providers/demo.json") as it exists: in the
 * current directory; else under $TOKENBENCH_SHARE; else beside the running
 * program (/proc/self/exe: the source tree's ./tokenbench); else under
 * ../share/tokenbench from the program (an install under any PREFIX);
 * else under the data directory compiled in (TB_DATADIR, make's
 * $(PREFIX)/share/tokenbench). Malloced; rel itself (copied) when it is
 * absolute or found nowhere, so that the caller's error names it */
char *datadir_find(const char *rel);

#endif
