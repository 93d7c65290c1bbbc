#include "fs/volume.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

/* Absolute, and no ".." component: a path that says what it means. */
static int plain_absolute(const char *p)
{
	if (p[0] != '/')
		return 0;
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0'))
			return 0;
	return 1;
}

/* spec, in copy (which v points into). */
static int parse_volume(const char *spec, char *copy, struct volume *v)
{
	char *parts[4] = { 0 };
	int n = 0;

	for (char *p = copy; n < 4; n++) {
		parts[n] = p;
		if (!(p = strchr(p, ':'))) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (n < 2 || n > 3 || parts[3])
		return err_set("-v %s: expected HOST:CONTAINER[:ro|:rw]", spec);
	if (!plain_absolute(parts[0]))
		return err_set("-v %s: the host path must be absolute (and without '..')", spec);
	if (!plain_absolute(parts[1]) || !strcmp(parts[1], "/"))
		return err_set("-v %s: the container path must be absolute, not '/' (and without '..')", spec);
	if (n == 3 && strcmp(parts[2], "ro") && strcmp(parts[2], "rw"))
		return err_set("-v %s: unknown mode '%s' (ro or rw)", spec, parts[2]);
	v->host = parts[0];
	v->ctr = parts[1];
	v->ro = n == 3 && !strcmp(parts[2], "ro");
	return 0;
}

int volume_parse(const char *spec, struct volume *v)
{
	char *copy = strdup(spec);

	if (!copy)
		return err_sys("-v %s", spec);
	if (parse_volume(spec, copy, v) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int volume_prepare(const struct volume *v)
{
	struct stat st;

	if (stat(v->host, &st) == 0 && !S_ISDIR(st.st_mode))
		return err_set("-v %s: not a directory", v->host);
	return mkdir_p(v->host, 0755) < 0 ? err_wrap("-v") : 0;
}

/* The lab of chapter 5 (ch05-volumes/README.md, "Lab"): make_in_root, then
 * volume_mount; the parser and the helpers around them are given. */

/* Open path inside the tree at rootfd as if rootfd were "/": symlinks and
 * ".." resolve inside it (RESOLVE_IN_ROOT), whatever they point at. */
static int open_in_root(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/* mkdir -p of path inside the root, one component at a time, each looked up
 * in the root; returns an O_PATH fd of the directory. */
static int make_in_root(int rootfd, const char *path)
{
	char prefix[PATH_MAX] = "";
	size_t len = 0;
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);

	for (const char *c = path; fd >= 0 && *(c += strspn(c, "/")); ) {
		size_t n = strcspn(c, "/");
		int parent = fd;

		if (len + n + 2 > sizeof prefix) {
			close(parent);
			return err_set("path too long: %s", path);
		}
		len += snprintf(prefix + len, sizeof prefix - len, "/%.*s", (int)n, c);
		fd = open_in_root(rootfd, prefix);
		/* Missing: make it in the directory its parent resolved to. */
		if (fd < 0 && errno == ENOENT && mkdirat(parent, prefix + len - n, 0755) == 0)
			fd = open_in_root(rootfd, prefix);
		if (fd < 0)
			err_sys("%s", prefix);
		close(parent);
		c += n;
	}
	return fd;
}

int dir_in_root(const char *rootfs, const char *path, char *out, size_t size)
{
	char link[64];
	int rootfd, fd;
	ssize_t n;

	if ((rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys("open %s", rootfs);
	fd = make_in_root(rootfd, path);
	close(rootfd);
	if (fd < 0)
		return -1;
	/* The directory's real path, every symlink resolved inside the root:
	 * nothing else runs in the container yet, so it cannot change under us. */
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, out, size - 1);
	close(fd);
	if (n < 0)
		return err_sys("readlink %s", link);
	out[n] = '\0';
	return 0;
}

/* mount_setattr(2)'s argument (Linux 5.12). glibc wraps the call only from
 * 2.36 on, so it is called through syscall() with a struct of our own name. */
struct mount_attributes {
	uint64_t set, clear, propagation, userns_fd;
};
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

int volume_mount(const struct volume *v, const char *rootfs)
{
	char target[PATH_MAX];
	struct mount_attributes ro = { .set = MOUNT_ATTR_RDONLY };

	if (dir_in_root(rootfs, v->ctr, target, sizeof target) < 0)
		return err_wrap("-v %s:%s", v->host, v->ctr);
	/* MS_REC: what is mounted below the host directory comes along, as
	 * docker's -v shows it. */
	if (mount(v->host, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys("bind %s on %s", v->host, v->ctr);
	/* A bind mount takes its source's flags: read-only must be set after,
	 * and on every mount of the tree. A remount with MS_RDONLY would change
	 * the top one alone and leave the ones below it writable. */
	if (v->ro && syscall(SYS_mount_setattr, AT_FDCWD, target, AT_RECURSIVE, &ro, sizeof ro) < 0)
		return err_sys("make %s read-only", v->ctr);
	return 0;
}
