/* proc.h - running a trusted helper program (git, tar, gcc, gnuplot) and
 * waiting for it. Untrusted code never goes through here: see sandbox.h. */
#ifndef TB_PROC_H
#define TB_PROC_H

#include "util/buf.h"

/* runs argv (argv[0] a path or a name on PATH) in cwd (NULL: here) with
 * stdin from /dev/null; stdout and stderr go to out when it is not NULL,
 * else to /dev/null. Returns the exit status (0..255), or -1 when it could
 * not run or died of a signal (reported) */
int proc_run(const char *const *argv, const char *cwd, struct buf *out);

#endif
