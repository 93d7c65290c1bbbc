/* Images: named, ordered stacks of layers under $MYDOCKER_ROOT.
 *
 *   images/NAME/layers   one layer ID a line, top layer first
 *   layers/ID/           a layer: a directory tree
 *
 * busybox, the default image, is one layer made from the host's static busybox.
 */
#ifndef MYDOCKER_IMAGE_H
#define MYDOCKER_IMAGE_H

#include <stddef.h>

#define DEFAULT_IMAGE "busybox"
#define MAX_LAYERS 64
#define LAYER_ID_LEN 16   /* random hex digits */

/* $MYDOCKER_ROOT, or /var/lib/mydocker. */
const char *state_root(void);
/* The image's layer directories, top first; returns how many (at most max).
 * The busybox image is made on first use. */
int image_layers(const char *name, char layers[][4096], int max);
/* Make the busybox image from the host's statically linked busybox
 * ($MYDOCKER_BUSYBOX, else the first busybox in PATH). */
int image_make_busybox(void);
/* A new layer's ID, and the directory layers/.tmp-ID (made) to build it in:
 * it is renamed to layers/ID once complete, so a layer is whole or absent. */
int layer_start(char id[LAYER_ID_LEN + 1], char *tmp, size_t size);

#endif
