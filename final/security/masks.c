//> final
#include "security/masks.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"

/* Docker's lists: what reads empty, and what can be read but not written. */
static const char *const masked[] = {
	"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
	"/proc/timer_stats", "/sys/firmware", "/sys/devices/virtual/powercap",
};
static const char *const read_only[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

#define NMASKED (sizeof masked / sizeof *masked)

/* The container's /dev/null: mount_dev made it on the runtime's own tmpfs
 * a moment ago, and no process of the container has run yet. */
static int dev_null = -1;

static int open_null(void)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	struct stat st;

	if ((dev_null = syscall(SYS_openat2, AT_FDCWD, "/dev/null", &how, sizeof how)) < 0)
		return err_sys("open /dev/null");
	/* CVE-2025-31133: a /dev/null that is not the null device (a symlink
	 * to /proc/sys/kernel/core_pattern, say) would turn every mask into a
	 * bind of something writable. */
	if (fstat(dev_null, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return err_set("/dev/null is not the null device (1:3): refusing to mask with it");
	return 0;
}

/* path, with no symlink on the way (CVE-2019-19921: an image's /proc that
 * is a symlink would have sent the masks into a directory of its own), and
 * unless own_mount, on the procfs or sysfs mount itself; 0 when the kernel
 * does not have it. */
static int open_target(const char *path, int own_mount, int *fd)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | (own_mount ? 0 : RESOLVE_NO_XDEV),
	};
	struct statfs fs;
	int dir;

	/* RESOLVE_NO_XDEV from /proc or /sys: the target is on that mount. */
	dir = open(path[1] == 'p' ? "/proc" : "/sys", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return err_sys("open %.5s", path);
	if (fstatfs(dir, &fs) < 0 || (fs.f_type != PROC_SUPER_MAGIC && fs.f_type != SYSFS_MAGIC)) {
		close(dir);
		return err_set("%.5s is not procfs or sysfs: refusing to mask in it", path);
	}
	*fd = syscall(SYS_openat2, dir, path + 1 + (path[1] == 'p' ? 5 : 4), &how, sizeof how);
	close(dir);
	if (*fd < 0)
		return errno == ENOENT ? 0 : err_sys("open %s", path);
	return 1;
}

static int mask(size_t i)
{
	char target[64];
	struct stat st;
	int fd = -1, found = open_target(masked[i], 0, &fd), rc;

	if (found <= 0)
		return found;
	/* A directory gets an empty read-only tmpfs; a file, the null device.
	 * Without CAP_SYS_ADMIN the container cannot unmount either. */
	if ((rc = fstat(fd, &st)) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
		rc = mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
	} else if (rc == 0) {
		char null[64];
		snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
		snprintf(null, sizeof null, "/proc/self/fd/%d", dev_null);
		rc = mount(null, target, NULL, MS_BIND, NULL);
	}
	close(fd);
	return rc < 0 ? err_sys("mask %s", masked[i]) : 0;
}

static int make_read_only(const char *path)
{
	char target[64];
	int fd = -1, found = open_target(path, 0, &fd);

	if (found <= 0)
		return found;
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	int rc = mount(target, target, NULL, MS_BIND | MS_REC, NULL);
	close(fd);
	if (rc < 0)
		return err_sys("bind %s", path);
	/* The bind is a mount of its own now: open it again to remount it. */
	if ((found = open_target(path, 1, &fd)) <= 0)
		return found < 0 ? -1 : err_set("%s went away", path);
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	rc = mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	close(fd);
	return rc < 0 ? err_sys("make %s read-only", path) : 0;
}

int masks_apply(void)
{
	if (open_null() < 0)
		return -1;
	for (size_t i = 0; i < NMASKED; i++)
		if (mask(i) < 0)
			return -1;
	close(dev_null);
	for (size_t i = 0; i < sizeof read_only / sizeof *read_only; i++)
		if (make_read_only(read_only[i]) < 0)
			return -1;
	return 0;
}
