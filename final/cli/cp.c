//> final
/* `cp`: files between the host and a container, either way. A container's
 * paths are resolved inside its root (openat2 RESOLVE_IN_ROOT): its
 * symlinks and ".." lead nowhere outside it, whatever they say. A running
 * container's root is its init's (/proc/PID/root: its volumes and tmpfs
 * in it); a stopped one's layer is mounted for the copy, in a mount
 * namespace of cp's own. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "fs/copy.h"
#include "fs/overlay.h"
#include "image/image.h"
#include "container/process.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker cp [OPTIONS] CONTAINER:SRC DEST\n"
	"       mydocker cp [OPTIONS] SRC CONTAINER:DEST\n"
	"\n"
	"Copy a file or a directory tree between a container (running or not) and the host.\n"
	"The container's paths are resolved inside its root. A directory DEST that exists\n"
	"gets SRC in it; SRC ending in /. copies what the directory holds.\n"
	"\n"
	"Options:\n"
	"  -a, --archive       keep owners (default: the copies are root's)\n"
	"  -L, --follow-link   SRC, if a symlink, is what it points to\n"
	"  -h, --help          print this help\n";

/* One side of the copy: the host (root AT_FDCWD) or a container's root. */
struct side {
	int root;       /* an O_PATH descriptor of the container's "/", or AT_FDCWD */
	const char *path;
};

static int open_at(const struct side *s, const char *path, int flags)
{
	struct open_how how = { .flags = flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

	if (s->root == AT_FDCWD)
		return open(path, flags | O_CLOEXEC);
	return syscall(SYS_openat2, s->root, path, &how, sizeof how);
}

/* The directory that holds path's last name, and that name ("." for "/"
 * and for a path that ends in "/."). */
static int open_parent(const struct side *s, const char *path, char *name, size_t size)
{
	char dir[4096];
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *slash = memrchr(path, '/', len);
	size_t start = slash ? (size_t)(slash - path) + 1 : 0;
	if (len >= sizeof dir || len - start >= size)
		return err_set("%s: the path is too long", path);
	snprintf(name, size, "%.*s", (int)(len - start), path + start);
	if (!strcmp(name, "/") || !*name)
		snprintf(name, size, ".");
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash == path ? 1 : slash - path) : 1, slash ? path : ".");
	int fd = open_at(s, dir, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return err_sys("%s", dir);
	return fd;
}

/* The container's root, mounted when it does not run. */
static int container_root(const struct record *r)
{
	static char layers[MAX_LAYERS][4096];
	char dir[4096], merged[4200], opts[8192], proc[64];
	int fd, n;

	if (record_running(r)) {
		snprintf(proc, sizeof proc, "/proc/%d/root", (int)r->pid);
		fd = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
		/* Still its init once opened: not a process that took the PID over. */
		if (fd >= 0 && process_alive(r->pid, r->pid_start))
			return fd;
		if (fd >= 0)
			close(fd);
		return err_set("container %s ended while cp started", r->name);
	}
	if ((n = image_layers(r->image, layers, MAX_LAYERS)) < 0 || record_path(dir, sizeof dir, r->id, NULL) < 0 ||
	    path_fmt(merged, sizeof merged, "%s/merged", dir) < 0)
		return -1;
	/* Its layer as it would run, in a mount namespace of ours alone: the
	 * mount goes with cp, whatever happens to it. */
	if (unshare(CLONE_NEWNS) < 0)
		return err_sys("unshare the mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys("make / private");
	if (overlay_prepare(dir, layers, n, opts, sizeof opts) < 0 || overlay_mount(opts, merged) < 0)
		return -1;
	if ((fd = open(merged, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys("%s", merged);
	return fd;
}

static int is_dir(const struct side *s, const char *path, int *exists)
{
	struct stat st;
	int fd = open_at(s, path, O_PATH);

	*exists = fd >= 0;
	if (fd < 0)
		return 0;
	int dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	close(fd);
	return dir;
}

static int ends_with(const char *path, const char *tail)
{
	size_t n = strlen(path), t = strlen(tail);

	return n >= t && !strcmp(path + n - t, tail);
}

/* docker's rules: into a directory that is there, SRC under its own name
 * (what it holds, for SRC/.); else DEST is SRC's new name. */
static int copy(const struct side *from, const struct side *to, int flags)
{
	char sname[NAME_MAX + 1], dname[NAME_MAX + 1];
	int sdir = -1, ddir = -1, rc = -1, exists, src_dir, dest_dir;
	int contents = ends_with(from->path, "/.") || !strcmp(from->path, ".");

	if ((sdir = open_parent(from, from->path, sname, sizeof sname)) < 0)
		return -1;
	struct stat st;
	if (fstatat(sdir, sname, &st, (flags & COPY_FOLLOW_TOP) ? 0 : AT_SYMLINK_NOFOLLOW) < 0) {
		err_code(errno, "no such file or directory: %s", from->path);
		goto done;
	}
	src_dir = S_ISDIR(st.st_mode);
	dest_dir = is_dir(to, to->path, &exists);
	if (exists && !dest_dir && src_dir) {
		err_set("cannot copy a directory (%s) onto a file (%s)", from->path, to->path);
		goto done;
	}
	if (!exists && !src_dir && ends_with(to->path, "/")) {
		err_set("%s: no such directory", to->path);
		goto done;
	}
	if (dest_dir && (contents || !strcmp(sname, "."))) {
		/* SRC/. into DEST: what it holds, merged in. */
		int s = openat(sdir, sname, O_RDONLY | O_DIRECTORY | O_CLOEXEC), d = open_at(to, to->path, O_RDONLY | O_DIRECTORY);
		rc = s >= 0 && d >= 0 ? copy_contents(s, d, flags) : err_sys("open %s", s < 0 ? from->path : to->path);
		if (s >= 0)
			close(s);
		if (d >= 0)
			close(d);
		goto done;
	}
	if (dest_dir) {
		if ((ddir = open_at(to, to->path, O_RDONLY | O_DIRECTORY)) < 0) {
			err_sys("%s", to->path);
			goto done;
		}
		snprintf(dname, sizeof dname, "%s", sname);
	} else if ((ddir = open_parent(to, to->path, dname, sizeof dname)) < 0) {
		err_wrap("no such directory");
		goto done;
	} else {
		/* An O_PATH parent cannot have names made in it: reopened. */
		int d = openat(ddir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(ddir);
		if ((ddir = d) < 0) {
			err_sys("%s", to->path);
			goto done;
		}
	}
	rc = copy_entry(sdir, sname, ddir, dname, flags);
done:
	close(sdir);
	if (ddir >= 0)
		close(ddir);
	return rc;
}

/* "CONTAINER:PATH": the container's part; NULL for a host path (one that
 * has a '/' before any ':', as ./a:b). */
static const char *container_of(char *arg, const char **path)
{
	char *colon = strchr(arg, ':');

	if (!colon || (strchr(arg, '/') && strchr(arg, '/') < colon))
		return NULL;
	*colon = '\0';
	*path = colon + 1;
	return arg;
}

int cmd_cp(int argc, char **argv)
{
	static const struct option options[] = {
		{ "archive", no_argument, NULL, 'a' }, { "follow-link", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	int opt, flags = 0, rc;
	struct record r;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+aLh", options, NULL)) != -1) {
		switch (opt) {
		case 'a': flags |= COPY_OWNERS; break;
		case 'L': flags |= COPY_FOLLOW_TOP; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			return report_error((err_set("cp: unknown option '%s' (see 'mydocker cp --help')", argv[optind - 1]), 1));
		}
	}
	if (argc - optind != 2)
		return report_error((err_set("cp: give a source and a destination (see 'mydocker cp --help')"), 1));
	struct side from = { AT_FDCWD, argv[optind] }, to = { AT_FDCWD, argv[optind + 1] };
	const char *src_ctr = container_of(argv[optind], &from.path), *dst_ctr = container_of(argv[optind + 1], &to.path);
	if (!src_ctr == !dst_ctr)
		return report_error((err_set(src_ctr ? "cp: copying between containers is not supported" :
							"cp: one side must be CONTAINER:PATH"), 1));
	struct side *inside = src_ctr ? &from : &to;
	if (!*inside->path)
		return report_error((err_set("cp: give a path in the container after its name and ':'"), 1));
	if (record_find(src_ctr ? src_ctr : dst_ctr, &r) < 0 || (inside->root = container_root(&r)) < 0)
		return report_error(1);
	rc = copy(&from, &to, flags);
	close(inside->root);
	return rc < 0 ? report_error((err_wrap("cp"), 1)) : 0;
}
