//> final
#include "fs/tmpfs.h"

#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "error.h"
#include "file.h"

static const struct { const char *name; unsigned long set, clear; } flag_opts[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
	{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
};
static const char *const data_opts[] = { "size", "mode", "uid", "gid", "nr_inodes" };

/* Absolute, no "." or ".." in it, not "/" and not where the kernel's own
 * filesystems are (a tmpfs over /proc would hide what is masked there). */
static int valid_path(const char *p)
{
	static const char *const kernel[] = { "/proc", "/sys" };

	if (p[0] != '/' || !p[1] || strstr(p, "/./") || strstr(p, "/../") || strstr(p, "//"))
		return 0;
	size_t n = strlen(p);
	if (p[n - 1] == '/' || (n >= 2 && !strcmp(p + n - 2, "/.")) || (n >= 3 && !strcmp(p + n - 3, "/..")))
		return 0;
	for (size_t i = 0; i < sizeof kernel / sizeof *kernel; i++) {
		size_t k = strlen(kernel[i]);
		if (!strncmp(p, kernel[i], k) && (p[k] == '\0' || p[k] == '/'))
			return 0;
	}
	return 1;
}

static int add_option(struct tmpfs *t, const char *opt, const char *arg)
{
	size_t key = strcspn(opt, "=");

	for (size_t i = 0; i < sizeof flag_opts / sizeof *flag_opts; i++)
		if (!strcmp(opt, flag_opts[i].name)) {
			t->flags = (t->flags | flag_opts[i].set) & ~flag_opts[i].clear;
			return 0;
		}
	for (size_t i = 0; i < sizeof data_opts / sizeof *data_opts; i++) {
		if (strlen(data_opts[i]) != key || strncmp(opt, data_opts[i], key) || !opt[key] || !opt[key + 1])
			continue;
		/* Numbers and a unit (size=64m, size=50%, mode=1777): nothing
		 * that could smuggle another option into the mount's data. */
		if (strspn(opt + key + 1, "0123456789kmgKMG%") != strlen(opt + key + 1))
			break;
		size_t len = strlen(t->data);
		if (snprintf(t->data + len, sizeof t->data - len, "%s%s", len ? "," : "", opt) >= (int)(sizeof t->data - len))
			return err_set("--tmpfs '%s': too many options", arg);
		return 0;
	}
	return err_set("--tmpfs '%s': unknown option '%s' (ro, rw, exec, noexec, suid, nosuid, dev, nodev, "
		       "size=, mode=, uid=, gid=, nr_inodes=)", arg, opt);
}

int tmpfs_parse(const char *arg, struct tmpfs *t, int *n)
{
	const char *colon = strchr(arg, ':');
	struct tmpfs new = { .flags = MS_NOEXEC | MS_NOSUID | MS_NODEV };
	char opts[256], *save;

	if (*n == MAX_TMPFS)
		return err_set("--tmpfs: at most %d", MAX_TMPFS);
	if (snprintf(new.path, sizeof new.path, "%.*s", colon ? (int)(colon - arg) : (int)strlen(arg), arg) >=
	    (int)sizeof new.path || !valid_path(new.path))
		return err_set("--tmpfs '%s': the path must be absolute, without . or .., and not /, /proc or /sys", arg);
	for (int i = 0; i < *n; i++)
		if (!strcmp(t[i].path, new.path))
			return err_set("--tmpfs '%s': %s is given twice", arg, new.path);
	if (colon && snprintf(opts, sizeof opts, "%s", colon + 1) >= (int)sizeof opts)
		return err_set("--tmpfs '%s': too many options", arg);
	for (char *o = colon ? strtok_r(opts, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save))
		if (add_option(&new, o, arg) < 0)
			return -1;
	t[(*n)++] = new;
	return 0;
}

static int mount_one(const struct tmpfs *t)
{
	/* After pivot_root: the path is looked up in the container's root,
	 * its symlinks too, and cannot lead out of it. */
	if (mkdir_p(t->path, 0755) < 0)
		return err_wrap("--tmpfs %s", t->path);
	if (mount("tmpfs", t->path, "tmpfs", t->flags, t->data) < 0)
		return err_sys("--tmpfs %s", t->path);
	return 0;
}

static int given(const struct tmpfs *t, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].path, path))
			return 1;
	return 0;
}

int tmpfs_mount_all(const struct tmpfs *t, int n, int read_only)
{
	static const struct tmpfs writable[] = {
		{ "/tmp", MS_NOSUID | MS_NODEV, "mode=1777" },
		{ "/run", MS_NOSUID | MS_NODEV, "mode=755" },
	};

	for (int i = 0; i < n; i++)
		if (mount_one(&t[i]) < 0)
			return -1;
	if (!read_only)
		return 0;
	for (size_t i = 0; i < sizeof writable / sizeof *writable; i++)
		if (!given(t, n, writable[i].path) && mount_one(&writable[i]) < 0)
			return -1;
	/* A bind remount changes this mount's flags only: the mounts on it
	 * (volumes, /proc, /dev, the tmpfs above) keep theirs. */
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return err_sys("--read-only: make / read-only");
	return 0;
}
