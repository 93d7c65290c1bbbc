//> ch03
/* Images: named, ordered stacks of layers under $MYDOCKER_ROOT.
 *
//> ch03 ch09
 //- *   images/NAME/layers   one layer ID a line, top layer first
//<
//> ch09
 *   images/REPO/TAG/layers   one layer ID a line, top layer first
//<
 *   layers/ID/           a layer: a directory tree
 *
 * busybox, the default image, is one layer made from the host's static busybox.
//> ch09
 * A layer is written once and never changed; images share their lower
 * layers. An image's ID is its top layer's: that one layer fixes the stack.
//<
 */
#ifndef MYDOCKER_IMAGE_H
#define MYDOCKER_IMAGE_H

#include <stddef.h>
//> ch09
#include <time.h>

#include "parse.h"
//<

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
//> ch09

#define DEFAULT_TAG "latest"

struct image {
	char repo[NAME_LEN + 1];
	char tag[NAME_LEN + 1];
	char layers[MAX_LAYERS][LAYER_ID_LEN + 1];   /* IDs, top first */
	int nlayers;
	time_t created;
};

/* REPO[:TAG] (the tag defaults to latest) into its parts, each a valid name. */
int image_ref(const char *ref, char repo[NAME_LEN + 1], char tag[NAME_LEN + 1]);
/* Whether image ref exists (0 also for a ref that is not valid). */
int image_exists(const char *ref);
/* Every image, newest first; *out is malloc'd. Returns how many. */
int image_list(struct image **out);
/* Make image ref from the finished layer tmp/id (layer_start) on top of the
 * layers of image base (NULL: none). Refuses a ref that exists; on failure
 * tmp is removed. */
int image_publish(const char *ref, const char *tmp, const char *id, const char *base);
/* Remove image ref and every layer of it that no other image has; refuses
 * while another image is built on it. Fills freed with the layers removed
 * and returns how many. */
int image_remove(const char *ref, char freed[][LAYER_ID_LEN + 1]);
//<
//> final
/* Image target as another name of image source: the same layers. A
 * target that names other layers already is refused (rmi it first); one
 * that names these is left as it is. */
int image_tag(const char *source, const char *target);
//<

#endif
