/* fileio.h - whole-file reads (plain or gzip), atomic writes, directories. */
#ifndef TB_FILEIO_H
#define TB_FILEIO_H

#include <stddef.h>

#include "util/buf.h"

/* appends the file's contents to out, gunzipping transparently; 0 or -1 (reported) */
int file_read(const char *path, struct buf *out);
/* writes all of data[0..n), retrying short writes; 0 or -1 (errno set) */
int fd_write_all(int fd, const void *data, size_t n);
/* appends what fd gives to out until end of file (a pipe: until every
 * writer closed it); 0 or -1 (errno set; what was read is kept) */
int fd_read_all(int fd, struct buf *out);
/* writes data to path via a temporary file and rename; 0 or -1 (reported) */
int file_write_atomic(const char *path, const void *data, size_t n);
/* writes data to path, replacing it, with the given mode; 0 or -1 (reported) */
int file_write(const char *path, const void *data, size_t n, int mode);
/* mkdir -p; 0 or -1 (reported) */
int dir_make(const char *path, int mode);
/* a new private directory under $TMPDIR (else /tmp); its path (malloced),
 * or NULL after reporting */
char *dir_make_temp(void);
/* rm -rf; 0 or -1 (reported) */
int dir_remove(const char *path);
int path_is_dir(const char *path);
int path_exists(const char *path);
/* tokenbench's cache file or directory called name on this machine:
 * $TOKENBENCH_CACHE_DIR/name, else $XDG_CACHE_HOME/tokenbench/name, else
 * ~/.cache/tokenbench/name; malloced, NULL when none can be named */
char *cache_path(const char *name);
/* whether any user can read path and search every directory on the way
 * to it (what a sandbox running as another uid needs of a bind's source) */
int path_others_can_read(const char *path);
/* puts a file that is never rewritten (a log, a cache pack) at dst,
 * replacing what is there: a hard link when src and dst share a
 * filesystem, else a copy; 0 or -1 (reported) */
int file_copy(const char *src, const char *dst);
/* file_copy for a tree of directories and regular files (dst is created);
 * 0 or -1 (reported) */
int dir_copy(const char *src, const char *dst);
/* sha256 of a file's raw bytes as hex; 0 or -1 (reported) */
int file_sha256(const char *path, char out[65]);
/* the sorted list of regular files in dir whose names end in one of the
 * suffixes (NULL-terminated); *names malloced (each and the array), caller frees */
int dir_list(const char *dir, const char *const *suffixes, char ***names, size_t *n);

#endif
