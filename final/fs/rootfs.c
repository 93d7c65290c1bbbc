//> ch03
#include "fs/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"

//> ch03
/* The lab of chapter 3 (ch03-rootfs-pivot/README.md, "Lab"): rootfs_pivot,
 * then mount_dev and rootfs_mount_sys_dev; the device tables are given. */
int rootfs_pivot(const char *root)
{
//> ch03
	/* pivot_root needs the new root to be a mount point: bind it onto itself. */
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_sys("bind %s", root);
	if (chdir(root) < 0)
		return err_sys("chdir %s", root);
	/* pivot_root(".", "."): the new root goes to "/" and the old one is
	 * stacked on top of it at the same place (pivot_root(2) NOTES), so no
	 * directory is needed for it. Unlike chroot, which only changes how
	 * paths are looked up, the old root is then unmounted: nothing of the
	 * host's tree stays reachable, not even through /proc/PID/root. glibc
	 * has no wrapper: call it directly. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return err_sys("pivot_root into %s", root);
	/* MNT_DETACH: the old root is busy (our own cwd was in it a moment ago). */
	if (umount2(".", MNT_DETACH) < 0)
		return err_sys("detach the old root");
	if (chdir("/") < 0)
		return err_sys("chdir /");
	return 0;
	//| /* TODO(ch03) step 1: make root a mount point (bind it onto itself),
	//|  * pivot_root into it (glibc has no wrapper: syscall(SYS_pivot_root);
	//|  * see NOTES in man 2 pivot_root for pivot_root(".", ".")), then detach
	//|  * the old root (umount2, MNT_DETACH), so nothing of the host's tree
	//|  * stays mounted. Until then the container keeps the host's root. */
	//| (void)root;
	//| return 0;
//<
}

static const struct device {
	const char *name;
	unsigned major, minor;
} devices[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const struct link {
	const char *target, *name;
} links[] = {
	{ "pts/ptmx", "/dev/ptmx" }, { "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
	{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
};

/* The host's /dev would hand the container its disks and terminals: give
 * it a tmpfs with the few character devices programs use, and
 * pseudo-terminals of its own. (This keeps out mistakes, not a root that
 * means harm: with CAP_MKNOD it can make any device node again. final's
 * defences take that capability away.) */
static int mount_dev(void)
{
//> ch03
	char path[64];

	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") < 0)
		return err_sys("mount /dev");
	for (size_t i = 0; i < sizeof devices / sizeof *devices; i++) {
		snprintf(path, sizeof path, "/dev/%s", devices[i].name);
		if (mknod(path, S_IFCHR | 0666, makedev(devices[i].major, devices[i].minor)) < 0)
			return err_sys("mknod %s", path);
		/* mknod's mode is filtered by our umask; the devices are for everyone. */
		if (chmod(path, 0666) < 0)
			return err_sys("chmod %s", path);
	}
	if (mkdir("/dev/pts", 0755) < 0 || mkdir("/dev/shm", 01777) < 0)
		return err_sys("mkdir in /dev");
	/* newinstance: a devpts of our own, not the host's terminals. */
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		return err_sys("mount /dev/pts");
	if (mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
		return err_sys("mount /dev/shm");
	for (size_t i = 0; i < sizeof links / sizeof *links; i++)
		if (symlink(links[i].target, links[i].name) < 0)
			return err_sys("symlink %s", links[i].name);
	return 0;
	//| /* TODO(ch03) step 2: a tmpfs on /dev; in it each of devices[] (mknod
	//|  * S_IFCHR, then chmod 0666: mknod's mode goes through the umask),
	//|  * /dev/pts with a devpts of its own (newinstance,ptmxmode=0666),
	//|  * /dev/shm (a tmpfs), and the symlinks of links[]. man 2 mknod,
	//|  * man 4 pts, the kernel's Documentation/filesystems/devpts.rst */
	//| (void)devices; (void)links;
	//| return 0;
//<
}

//> final
int rootfs_mount_points(void)
{
	/* An image need not have them (a distribution's rootfs tarball may
	 * not): made in the container's own layer, as docker's runtime does.
	 * An image that has them pays three EEXISTs. */
	static const char *const points[] = { "/proc", "/sys", "/dev" };

	for (size_t i = 0; i < sizeof points / sizeof *points; i++)
		if (mkdir(points[i], 0755) < 0 && errno != EEXIST)
			return err_sys("make the mount point %s", points[i]);
	return 0;
}

//<
int rootfs_mount_sys_dev(void)
{
//> ch03
	/* Read-only: through sysfs root can reconfigure the whole machine's
	 * devices. (Against mistakes again: with CAP_SYS_ADMIN a container's
	 * root can mount sysfs read-write; final's defences take it away.) */
	if (mount("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return err_sys("mount /sys");
	//| /* TODO(ch03) step 2: mount sysfs on /sys, read-only (man 2 mount). */
//<
	return mount_dev();
}
//<
