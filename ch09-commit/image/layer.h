/* A container's changes as a layer: its overlay upper directory copied so
 * that, stacked on the image's layers, it shows exactly the container's root.
 *
 * Overlayfs marks in the upper directory what the container deleted, and the
 * copy keeps those marks, because a deletion is a change too:
 *   whiteout    a character device 0/0 where a lower file was removed
 *   opaque dir  xattr trusted.overlay.opaque=y on a directory that replaced
 *               a lower one (rm -rf d; mkdir d): nothing below shows through
 * Overlay's other trusted.overlay.* xattrs (origin, impure...) describe the
 * container's mount, not the files, and are dropped.
 */
#ifndef MYDOCKER_LAYER_H
#define MYDOCKER_LAYER_H

/* Copy the tree from (an upper directory) into the empty directory to:
 * contents, owners, modes, times, hard links and xattrs. */
int layer_copy(const char *from, const char *to);
/* The bytes of the files and symlinks under dir, as docker's SIZE counts them. */
long long layer_size(const char *dir);

#endif
