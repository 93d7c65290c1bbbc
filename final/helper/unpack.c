//> final
#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "error.h"

#define WHITEOUT ".wh."
#define OPAQUE ".wh..wh..opq"

/* A name inside the layer: relative, with no ".." among its parts. */
static int inside(const char *name)
{
	if (name[0] == '/')
		return 0;
	for (const char *p = name; *p; p += strcspn(p, "/"), p += *p == '/') {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 0;
	}
	return 1;
}

/* The directory a whiteout is in, made where the archive did not make it
 * first, one part at a time from the layer's root, never through a
 * symbolic link (openat2 RESOLVE_NO_SYMLINKS; mkdirat alone would follow
 * one in a parent). */
static int whiteout_dir(int root, const char *dir)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	char part[256];
	int fd = fcntl(root, F_DUPFD_CLOEXEC, 0), next;

	for (const char *p = dir; fd >= 0 && *p; p += strspn(p, "/")) {
		size_t len = strcspn(p, "/");
		if (len >= sizeof part) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(part, p, len);
		part[len] = '\0';
		p += len;
		if (mkdirat(fd, part, 0755) < 0 && errno != EEXIST)
			next = -1;
		else
			next = syscall(SYS_openat2, fd, part, &how, sizeof how);
		close(fd);
		fd = next;
	}
	return fd;
}

/* One whiteout member: its last part ".wh.NAME" or ".wh..wh..opq". */
static int whiteout(int root, const char *member)
{
	char dir[4096];
	const char *base = strrchr(member, '/');
	size_t dirlen = base ? (size_t)(base - member) : 0;
	int fd, rc;

	base = base ? base + 1 : member;
	if (dirlen >= sizeof dir)
		return err_set("%s: name too long", member);
	memcpy(dir, member, dirlen);
	dir[dirlen] = '\0';
	if ((fd = whiteout_dir(root, dir)) < 0)
		return err_sys("%s: its directory", member);
	if (!strcmp(base, OPAQUE)) {
		/* overlayfs: nothing of the layers below shows through this
		 * directory. Through /proc/self/fd: an O_PATH fd takes no
		 * fsetxattr, and its magic link names the directory we hold. */
		char self[64];
		snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
		rc = setxattr(self, "trusted.overlay.opaque", "y", 1, 0);
	} else
		/* overlayfs: NAME of the layers below is deleted here. */
		rc = mknodat(fd, base + strlen(WHITEOUT), S_IFCHR | 0, makedev(0, 0));
	if (rc < 0)
		err_sys("%s", member);
	close(fd);
	return rc;
}

/* libarchive's complaint, as ours. */
static int archive_failed(struct archive *a, const char *name)
{
	const char *why = archive_error_string(a);

	return err_set("%s%s%s", name ? name : "", name ? ": " : "", why ? why : "unreadable archive");
}

static int not_tar(struct archive *a)
{
	const char *why = archive_error_string(a);

	return err_set("not a tar archive (%s)", why ? why : "no header");
}

int unpack_layer(int fd, const char *dir)
{
	/* Owners by number (no lookup of the host's user names). Names are
	 * inside() (whiteouts, which libarchive never sees, too); what only
	 * the disk can tell, a symbolic link on the way, libarchive checks. */
	const int flags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
			  ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	struct archive *in = archive_read_new(), *out = archive_write_disk_new();
	struct archive_entry *entry;
	int root = -1, rc = -1, r, cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (!in || !out) {
		err_set("out of memory");
		goto done;
	}
	archive_read_support_format_tar(in);
	archive_read_support_filter_all(in);
	archive_write_disk_set_options(out, flags);
	/* Its names are relative to the layer: it unpacks from inside it. */
	if ((root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0 || fchdir(root) < 0) {
		err_sys("%s", dir);
		goto done;
	}
	if (archive_read_open_fd(in, fd, 65536) != ARCHIVE_OK) {
		not_tar(in);
		goto done;
	}
	for (int first = 1; (r = archive_read_next_header(in, &entry)) != ARCHIVE_EOF; first = 0) {
		if (r < ARCHIVE_WARN && first) {
			not_tar(in);
			goto done;
		}
		if (r < ARCHIVE_WARN) {
			archive_failed(in, NULL);
			goto done;
		}
		const char *name = archive_entry_pathname(entry), *base;
		const char *link = archive_entry_hardlink(entry);
		if (!name || !inside(name) || (link && !inside(link))) {
			err_set("%s%s%s: outside the layer", name ? name : "(no name)", link ? " -> " : "", link ? link : "");
			goto done;
		}
		base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		if (!strncmp(base, WHITEOUT, strlen(WHITEOUT))) {
			if (whiteout(root, name) < 0)
				goto done;
			continue;
		}
		if (archive_write_header(out, entry) < ARCHIVE_WARN) {
			archive_failed(out, name);
			goto done;
		}
		for (;;) {
			const void *buf;
			size_t len;
			la_int64_t at;
			r = archive_read_data_block(in, &buf, &len, &at);
			if (r == ARCHIVE_EOF)
				break;
			if (r < ARCHIVE_WARN) {
				archive_failed(in, name);
				goto done;
			}
			if (archive_write_data_block(out, buf, len, at) < ARCHIVE_WARN) {
				archive_failed(out, name);
				goto done;
			}
		}
		if (archive_write_finish_entry(out) < ARCHIVE_WARN) {
			archive_failed(out, name);
			goto done;
		}
	}
	/* Directories' modes and times are set last, as libarchive defers them. */
	if (archive_write_close(out) != ARCHIVE_OK) {
		archive_failed(out, NULL);
		goto done;
	}
	rc = 0;
done:
	if (root >= 0)
		close(root);
	if (cwd >= 0) {   /* the caller's working directory back */
		if (fchdir(cwd) < 0 && rc == 0)
			rc = err_sys("back to the working directory");
		close(cwd);
	}
	archive_read_free(in);
	archive_write_free(out);
	return rc;
}
