#include "image/layer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

static long long size_total;

static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path, (void)type, (void)ftw;
	if (S_ISREG(st->st_mode) || S_ISLNK(st->st_mode))
		size_total += st->st_size;
	return 0;
}

long long layer_size(const char *dir)
{
	size_total = 0;
	nftw(dir, add_size, 32, FTW_PHYS);
	return size_total;
}

/* The lab of chapter 9, step 2 (ch09-commit/README.md, "Lab"): copy_node
 * and copy_xattrs are yours; the walk around them is given. */
#define OVERLAY_XATTRS "trusted.overlay."
#define OPAQUE_XATTR "trusted.overlay.opaque"

/* The walk: the paths of the node being copied, and the files seen with
 * more than one link, so that a second name becomes a link again. */
struct walk {
	char from[PATH_MAX], to[PATH_MAX];
	struct link {
		dev_t dev;
		ino_t ino;
		char *copy;
	} *links;
	size_t nlinks, cap;
};

/* The copy of the inode st that was made first, or NULL (then remembered). */
static const char *copied_before(struct walk *w, const struct stat *st)
{
	char *copy;

	for (size_t i = 0; i < w->nlinks; i++)
		if (w->links[i].dev == st->st_dev && w->links[i].ino == st->st_ino)
			return w->links[i].copy;
	if (w->nlinks == w->cap) {
		struct link *grown = realloc(w->links, (w->cap * 2 + 16) * sizeof *grown);
		if (!grown)
			return NULL;   /* out of memory: this name becomes a copy of its own */
		w->links = grown;
		w->cap = w->cap * 2 + 16;
	}
	if ((copy = strdup(w->to)))
		w->links[w->nlinks++] = (struct link){ st->st_dev, st->st_ino, copy };
	return NULL;
}

/* Every xattr but overlay's own, which describe the container's mount;
 * the opaque mark is about the files, and stays. */
static int copy_xattrs(const char *from, const char *to)
{
	static char names[1 << 16], value[1 << 16];
	ssize_t len = llistxattr(from, names, sizeof names), n;

	if (len < 0)
		return errno == ENOTSUP ? 0 : err_sys("list the xattrs of %s", from);
	for (char *name = names; name < names + len; name += strlen(name) + 1) {
		if (!strncmp(name, OVERLAY_XATTRS, strlen(OVERLAY_XATTRS)) && strcmp(name, OPAQUE_XATTR))
			continue;
		if ((n = lgetxattr(from, name, value, sizeof value)) < 0 || lsetxattr(to, name, value, n, 0) < 0)
			return err_sys("copy xattr %s of %s", name, from);
	}
	return 0;
}

/* Owner first (chown clears set-user-ID bits and file capabilities), then
 * mode, xattrs, and the times last: writing anything changes them. */
static int copy_attrs(const char *from, const char *to, const struct stat *st)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };

	if (lchown(to, st->st_uid, st->st_gid) < 0)
		return err_sys("chown %s", to);
	if (!S_ISLNK(st->st_mode) && chmod(to, st->st_mode & 07777) < 0)
		return err_sys("chmod %s", to);
	if (copy_xattrs(from, to) < 0)
		return -1;
	if (utimensat(AT_FDCWD, to, times, AT_SYMLINK_NOFOLLOW) < 0)
		return err_sys("set the times of %s", to);
	return 0;
}

static int copy_node(struct walk *w);

/* The entries of directory w->from into directory w->to. */
static int copy_entries(struct walk *w)
{
	size_t from_len = strlen(w->from), to_len = strlen(w->to);
	DIR *dir = opendir(w->from);
	struct dirent *e;
	int rc = 0;

	if (!dir)
		return err_sys("open %s", w->from);
	while (rc == 0 && (errno = 0, e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		rc = path_fmt(w->from + from_len, sizeof w->from - from_len, "/%s", e->d_name);
		if (rc == 0)
			rc = path_fmt(w->to + to_len, sizeof w->to - to_len, "/%s", e->d_name);
		if (rc == 0)
			rc = copy_node(w);
		w->from[from_len] = w->to[to_len] = '\0';
	}
	if (rc == 0 && errno)
		rc = err_sys("read %s", w->from);
	closedir(dir);
	return rc;
}

static int copy_node(struct walk *w)
{
	char target[PATH_MAX];
	const char *first;
	struct stat st;
	ssize_t len;

	if (lstat(w->from, &st) < 0)
		return err_sys("stat %s", w->from);
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		if (mkdir(w->to, 0700) < 0)
			return err_sys("mkdir %s", w->to);
		if (copy_entries(w) < 0)
			return -1;
		break;
	case S_IFREG:
		if (st.st_nlink > 1 && (first = copied_before(w, &st)))
			return link(first, w->to) < 0 ? err_sys("link %s", w->to) : 0;
		if (copy_file(w->from, w->to, 0600) < 0)
			return -1;
		break;
	case S_IFLNK:
		if ((len = readlink(w->from, target, sizeof target - 1)) < 0)
			return err_sys("readlink %s", w->from);
		target[len] = '\0';
		if (symlink(target, w->to) < 0)
			return err_sys("symlink %s", w->to);
		break;
	default:
		/* Devices, fifos, sockets; and whiteouts, which are character
		 * devices 0/0: mknod makes each again, as it was. */
		if (mknod(w->to, st.st_mode, st.st_rdev) < 0)
			return err_sys("mknod %s", w->to);
	}
	return copy_attrs(w->from, w->to, &st);
}

int layer_copy(const char *from, const char *to)
{
	struct walk *w = calloc(1, sizeof *w);
	struct stat st;
	int rc = -1;

	if (!w)
		return err_sys("copy %s", from);
	/* The root exists already: its entries, then its own attributes. */
	if (path_fmt(w->from, sizeof w->from, "%s", from) == 0 && path_fmt(w->to, sizeof w->to, "%s", to) == 0 &&
	    copy_entries(w) == 0) {
		rc = lstat(from, &st) < 0 ? err_sys("stat %s", from) : copy_attrs(from, to, &st);
	}
	for (size_t i = 0; i < w->nlinks; i++)
		free(w->links[i].copy);
	free(w->links);
	free(w);
	return rc;
}
