/* fileio.c - file and directory helpers used by every subcommand. */
#define _GNU_SOURCE
#include "util/fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/msg.h"
#include "util/sha256.h"
#include "util/xalloc.h"

int file_read(const char *path, struct buf *out)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return error("cannot open '%s': %s", path, strerror(errno ? errno : ENOENT));
	char chunk[65536];
	int n;
	while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
		buf_append(out, chunk, (size_t)n);
	int errnum = 0;
	const char *msg = n < 0 ? gzerror(gz, &errnum) : NULL;
	if (n < 0) {
		int rc = error("cannot read '%s': %s", path, msg);
		gzclose(gz);
		return rc;
	}
	gzclose(gz);
	return 0;
}

int fd_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fd_read_all(int fd, struct buf *out)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf_append(out, chunk, (size_t)n);
	}
}

int file_write(const char *path, const void *data, size_t n, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return error("cannot create '%s': %s", path, strerror(errno));
	if (fd_write_all(fd, data, n) < 0) {
		int e = errno;
		close(fd);
		return error("cannot write '%s': %s", path, strerror(e));
	}
	if (close(fd) < 0)
		return error("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t n)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int rc = file_write(tmp, data, n, 0644);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = error("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

char *dir_make_temp(void)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char *path = xasprintf("%s/tokenbench.XXXXXX", tmp);
	if (!mkdtemp(path)) {
		error("cannot create a scratch directory in '%s': %s", tmp, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

int dir_make(const char *path, int mode)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			rc = error("cannot create directory '%s': %s", p, strerror(errno));
			goto out;
		}
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		rc = error("cannot create directory '%s': %s", p, strerror(errno));
out:
	free(p);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) < 0 && errno != ENOENT) {
		/* a sandboxed answer may leave a directory without write permission */
		chmod(path, 0700);
		return remove(path) < 0 && errno != ENOENT ? -1 : 0;
	}
	return 0;
}

static int unlock_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

int dir_remove(const char *path)
{
	if (!path_exists(path))
		return 0;
	nftw(path, unlock_one, 32, FTW_PHYS);
	if (nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS) < 0)
		return error("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

int path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

char *cache_path(const char *name)
{
	const char *dir = getenv("TOKENBENCH_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	if (dir && *dir)
		return xasprintf("%s/%s", dir, name);
	if (xdg && *xdg)
		return xasprintf("%s/tokenbench/%s", xdg, name);
	if (home && *home)
		return xasprintf("%s/.cache/tokenbench/%s", home, name);
	return NULL;
}

int path_others_can_read(const char *path)
{
	char *p = xstrdup(path);
	int ok = 1;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		struct stat st;
		ok = stat(p, &st) == 0 && (st.st_mode & S_IXOTH) && (st.st_mode & S_IROTH);
		*s = c;
		if (!ok || !c)
			break;
	}
	free(p);
	return ok;
}

int file_sha256(const char *path, char out[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	struct sha256 s;
	sha256_init(&s);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		sha256_update(&s, chunk, (size_t)n);
	int e = errno;
	close(fd);
	if (n < 0)
		return error("cannot read '%s': %s", path, strerror(e));
	sha256_hex(&s, out);
	return 0;
}

static int has_suffix(const char *name, const char *const *suffixes)
{
	size_t n = strlen(name);
	for (; *suffixes; suffixes++) {
		size_t k = strlen(*suffixes);
		if (n > k && strcmp(name + n - k, *suffixes) == 0)
			return 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_list(const char *dir, const char *const *suffixes, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return error("cannot open directory '%s': %s", dir, strerror(errno));
	char **v = NULL;
	size_t len = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, suffixes))
			continue;
		XGROW(v, cap, len + 1);
		v[len++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (len)
		qsort(v, len, sizeof(*v), cmp_str);
	*names = v;
	*n = len;
	return 0;
}

int file_copy(const char *src, const char *dst)
{
	if (unlink(dst) < 0 && errno != ENOENT)
		return error("cannot replace '%s': %s", dst, strerror(errno));
	if (link(src, dst) == 0)
		return 0;
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return error("cannot open '%s': %s", src, strerror(errno));
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		close(in);
		return error("cannot create '%s': %s", dst, strerror(errno));
	}
	char chunk[65536];
	int rc = 0;
	for (;;) {
		ssize_t n = read(in, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || fd_write_all(out, chunk, (size_t)n) < 0) {
			rc = error("cannot copy '%s' to '%s': %s", src, dst, strerror(errno));
			break;
		}
	}
	close(in);
	if (close(out) < 0 && rc == 0)
		rc = error("cannot write '%s': %s", dst, strerror(errno));
	return rc;
}

int dir_copy(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	if (!d)
		return error("cannot open directory '%s': %s", src, strerror(errno));
	int rc = dir_make(dst, 0755);
	while (rc == 0) {
		const struct dirent *e = readdir(d);
		if (!e)
			break;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *s = xasprintf("%s/%s", src, e->d_name), *t = xasprintf("%s/%s", dst, e->d_name);
		struct stat st;
		if (lstat(s, &st) < 0)
			rc = error("cannot stat '%s': %s", s, strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = dir_copy(s, t);
		else if (S_ISREG(st.st_mode))
			rc = file_copy(s, t);
		free(s);
		free(t);
	}
	closedir(d);
	return rc;
}
