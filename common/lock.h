/* Whole-file locks (flock) that serialise writers of shared state such as
 * the IPAM bitmap. The lock lives as long as the returned descriptor. */
#ifndef MYDOCKER_LOCK_H
#define MYDOCKER_LOCK_H

/* Open (creating) path and take an exclusive lock, waiting for it; returns the fd. */
int lock_take(const char *path);
/* Same, but fail at once with EWOULDBLOCK when someone else holds it. */
int lock_try(const char *path);
void lock_release(int fd);

#endif
