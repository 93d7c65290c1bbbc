//> final
/* The parts of /proc and /sys that tell a container about the host, or let
 * it change the host: masked (they read empty) or read-only, as docker does. */
#ifndef MYDOCKER_MASKS_H
#define MYDOCKER_MASKS_H

/* After /proc, /sys and /dev are mounted: mask (with the container's
 * /dev/null, checked to be the null device) and make read-only, each path
 * looked up without following a symlink and checked to be on procfs or
 * sysfs, so that an image cannot send a mask elsewhere. */
int masks_apply(void);

#endif
