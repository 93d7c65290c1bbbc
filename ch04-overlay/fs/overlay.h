/* The container's root as an overlay: the image's layers read-only below,
 * a directory of the container's own on top that takes every change. */
#ifndef MYDOCKER_OVERLAY_H
#define MYDOCKER_OVERLAY_H

#include <stddef.h>

/* In the parent: make dir/upper, dir/work and dir/merged, and write the
 * mount options for layers (top first) into opts. */
int overlay_prepare(const char *dir, char layers[][4096], int n, char *opts, size_t size);
/* In the child, in its own mount namespace: mount the overlay on merged. */
int overlay_mount(const char *opts, const char *merged);

#endif
