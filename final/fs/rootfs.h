//> ch03
/* The container's root filesystem: pivot_root into it, then the kernel
 * filesystems a program expects to find there. Runs in the child, inside
 * its new mount namespace, after every mount has been made private. */
#ifndef MYDOCKER_ROOTFS_H
#define MYDOCKER_ROOTFS_H

/* Make root the new "/" and detach the old one entirely. */
int rootfs_pivot(const char *root);
/* /sys read-only, and a small /dev (after /proc is mounted). */
int rootfs_mount_sys_dev(void);
//> final
/* /proc, /sys and /dev made where the image has none. */
int rootfs_mount_points(void);
//<

#endif
