#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

int path_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return err_set("path too long: %.64s...", out);
	return 0;
}

ssize_t read_fd(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return err_sys("open %s", path);
	if ((len = read_fd(fd, buf, size)) < 0)
		err_sys("read %s", path);
	close(fd);
	return len;
}

int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= n;
	}
	return 0;
}

/* Write data to path, opened with these flags besides O_WRONLY | O_TRUNC. */
static int write_data(const char *path, const char *data, int flags)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | flags, 0644);

	if (fd < 0)
		return err_sys("open %s", path);
	/* Control files take one value per write(2); report the kernel's verdict on it. */
	if (write_all(fd, data, strlen(data)) < 0) {
		if (flags & O_CREAT)
			err_sys("write %s", path);
		else
			err_sys("write '%s' to %s", data, path);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return err_sys("close %s", path);
	return 0;
}

int write_file(const char *path, const char *data)
{
	return write_data(path, data, 0);
}

int create_file(const char *path, const char *data)
{
	return write_data(path, data, O_CREAT);
}

/* Write data to a temporary file beside path and rename it over path:
 * rename is atomic, so a reader opens the old file or the new one. */
static int replace_file(const char *path, const char *data, size_t len, int durable)
{
	char tmp[PATH_MAX];
	int fd;

	if (path_fmt(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_sys("create %s", tmp);
	/* durable: fsync before rename, so that after a crash the name points at
	 * the old or the new content, never at an empty file. */
	if (write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		err_sys("write %s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		err_sys("rename %s to %s", tmp, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
	return replace_file(path, data, len, 0);
}

int write_file_durable(const char *path, const char *data, size_t len)
{
	return replace_file(path, data, len, 1);
}

void remove_half_written(const char *pattern)
{
	char copies[PATH_MAX];
	glob_t found;

	/* replace_file's name for its copy: PATH.tmp.PID */
	if (path_fmt(copies, sizeof copies, "%s.tmp.*", pattern) < 0 || glob(copies, GLOB_NOSORT, NULL, &found) != 0)
		return;
	for (size_t i = 0; i < found.gl_pathc; i++)
		unlink(found.gl_pathv[i]);
	globfree(&found);
}

int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	if (path_fmt(buf, sizeof buf, "%s", path) < 0)
		return -1;
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return err_sys("mkdir %s", buf);
		if (c == '\0')
			break;
		*p = c;
	}
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set("mkdir %s: not a directory", path);
	return 0;
}

int file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

int open_onto(int fd, const char *path, int flags)
{
	int f = open(path, flags | O_CLOEXEC, 0640);

	if (f < 0)
		return err_sys("open %s", path);
	/* dup2 clears close-on-exec on the copy: fd stays open across exec. */
	if (f != fd && dup2(f, fd) < 0) {
		err_sys("dup2 %s", path);
		close(f);
		return -1;
	}
	if (f != fd)
		close(f);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		return err_sys("remove %s", path);
	return 0;
}

int remove_tree(const char *path)
{
	/* FTW_DEPTH: children before their directory; FTW_PHYS: never follow a
	 * symlink out of the tree; FTW_MOUNT: never descend into a mount. */
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return err_sys("remove %s", path);
	return 0;
}

int copy_file(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1, in_kernel = 1;
	ssize_t n;

	if (in < 0)
		return err_sys("open %s", from);
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)) < 0) {
		err_sys("create %s", to);
		goto done;
	}
	for (;;) {
		/* copy_file_range: the data never passes through our memory, and a
		 * filesystem that can (btrfs, xfs) shares the blocks instead. Where
		 * it cannot be used (across some filesystems), read and write. */
		if (in_kernel) {
			n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
			if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
				in_kernel = 0;
				continue;
			}
		} else if ((n = read(in, buf, sizeof buf)) > 0 && write(out, buf, n) != n) {
			n = -1;
		}
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR) {
			err_sys("copy %s to %s", from, to);
			goto done;
		}
	}
	rc = 0;
done:
	close(in);
	if (out >= 0)
		close(out);
	return rc;
}
