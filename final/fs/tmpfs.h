//> final
/* --tmpfs PATH[:OPTS] and --read-only: what in the container's root is
 * writable. A tmpfs is memory of the container's own, gone with it. */
#ifndef MYDOCKER_TMPFS_H
#define MYDOCKER_TMPFS_H

#define MAX_TMPFS 8

struct tmpfs {
	char path[256];          /* inside the container, absolute */
	unsigned long flags;     /* MS_RDONLY, MS_NOEXEC, MS_NOSUID, MS_NODEV */
	char data[256];          /* size=, mode=, uid=, gid=, nr_inodes= */
};

/* One --tmpfs into t[*n]. OPTS as docker's: ro, rw, exec, noexec, suid,
 * nosuid, dev, nodev, and size, mode, uid, gid, nr_inodes; the default is
 * docker's, noexec,nosuid,nodev. */
int tmpfs_parse(const char *arg, struct tmpfs *t, int *n);
/* After pivot_root: each one mounted (its directory made when missing);
 * with read_only, /tmp and /run too where no --tmpfs is, then "/" is made
 * read-only. The other mounts (volumes, /proc, /dev) keep their own. */
int tmpfs_mount_all(const struct tmpfs *t, int n, int read_only);

#endif
