//> final
#include "fs/copy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* Owner, mode and times of st on dname in ddir (fd: it opened, or -1). */
static int finish(int fd, int ddir, const char *dname, const struct stat *st, int flags)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };

	if (flags & COPY_OWNERS) {
		if ((fd >= 0 ? fchown(fd, st->st_uid, st->st_gid) :
			       fchownat(ddir, dname, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW)) < 0)
			return err_sys("chown %s", dname);
	}
	/* After chown, which clears set-user-ID bits. A link has no mode. */
	if (!S_ISLNK(st->st_mode) && fd >= 0 && fchmod(fd, st->st_mode & 07777) < 0)
		return err_sys("chmod %s", dname);
	if ((fd >= 0 ? futimens(fd, times) : utimensat(ddir, dname, times, AT_SYMLINK_NOFOLLOW)) < 0)
		return err_sys("set the times of %s", dname);
	return 0;
}

static int copy_bytes(int in, int out, const char *name)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys("read %s", name);
		for (char *p = buf; n > 0;) {
			ssize_t w = write(out, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return err_sys("write %s", name);
			p += w;
			n -= w;
		}
	}
	return 0;
}

/* Make room for a new dname: what is there goes, unless it is a directory
 * (which a directory merges into, and anything else fails on). */
static void clear(int ddir, const char *dname)
{
	struct stat st;

	if (fstatat(ddir, dname, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
		unlinkat(ddir, dname, 0);
}

static int copy_file(int sdir, const char *sname, int ddir, const char *dname, const struct stat *st, int flags)
{
	int in = openat(sdir, sname, O_RDONLY | O_CLOEXEC | ((flags & COPY_FOLLOW_TOP) ? 0 : O_NOFOLLOW)), out, rc;

	if (in < 0)
		return err_sys("open %s", sname);
	clear(ddir, dname);
	/* O_EXCL | O_NOFOLLOW: a new file of ours, never one a link leads to. */
	if ((out = openat(ddir, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		close(in);
		return err_sys("create %s", dname);
	}
	rc = copy_bytes(in, out, sname) < 0 || finish(out, ddir, dname, st, flags) < 0 ? -1 : 0;
	close(in);
	close(out);
	return rc;
}

static int copy_dir(int sdir, const char *sname, int ddir, const char *dname, const struct stat *st, int flags)
{
	int from, to, rc;
	struct stat there;

	clear(ddir, dname);
	if (mkdirat(ddir, dname, 0700) < 0 &&
	    (errno != EEXIST || fstatat(ddir, dname, &there, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(there.st_mode)))
		return err_sys("mkdir %s", dname);
	if ((from = openat(sdir, sname, O_RDONLY | O_DIRECTORY | O_CLOEXEC | ((flags & COPY_FOLLOW_TOP) ? 0 : O_NOFOLLOW))) < 0)
		return err_sys("open %s", sname);
	if ((to = openat(ddir, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		close(from);
		return err_sys("open %s", dname);
	}
	rc = copy_contents(from, to, flags & ~COPY_FOLLOW_TOP) < 0 || finish(to, ddir, dname, st, flags) < 0 ? -1 : 0;
	close(from);
	close(to);
	return rc;
}

int copy_entry(int sdir, const char *sname, int ddir, const char *dname, int flags)
{
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;

	if (fstatat(sdir, sname, &st, (flags & COPY_FOLLOW_TOP) ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
		return err_sys("%s", sname);
	if (S_ISDIR(st.st_mode))
		return copy_dir(sdir, sname, ddir, dname, &st, flags);
	if (S_ISREG(st.st_mode))
		return copy_file(sdir, sname, ddir, dname, &st, flags);
	clear(ddir, dname);
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(sdir, sname, target, sizeof target - 1)) < 0)
			return err_sys("readlink %s", sname);
		target[n] = '\0';
		if (symlinkat(target, ddir, dname) < 0)
			return err_sys("symlink %s", dname);
	} else if (S_ISSOCK(st.st_mode)) {
		return 0;   /* a socket is a live thing of a process: nothing to copy */
	} else if (mknodat(ddir, dname, st.st_mode & (S_IFMT | 0777), st.st_rdev) < 0) {
		return err_sys("mknod %s", dname);
	}
	return finish(-1, ddir, dname, &st, flags);
}

int copy_contents(int sdir, int ddir, int flags)
{
	int fd = dup(sdir), rc = 0;
	struct dirent *e;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return err_sys("read a directory");
	}
	while (rc == 0 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = copy_entry(sdir, e->d_name, ddir, e->d_name, flags);
	closedir(d);
	return rc;
}
