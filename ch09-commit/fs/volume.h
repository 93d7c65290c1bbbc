/* Volumes: host directories bind-mounted into the container (-v). */
#ifndef MYDOCKER_VOLUME_H
#define MYDOCKER_VOLUME_H

#include <stddef.h>

#define MAX_VOLUMES 32

struct volume {
	const char *host;   /* absolute path on the host */
	const char *ctr;    /* absolute path inside the container */
	int ro;
};

/* Parse "HOST:CTR[:ro|:rw]"; v points into a copy of spec. */
int volume_parse(const char *spec, struct volume *v);
/* In the parent: make the host directory when it is missing. */
int volume_prepare(const struct volume *v);
/* In the child, before pivot_root: bind v->host onto v->ctr resolved inside
 * rootfs, so that no symlink in the image can point it outside. */
int volume_mount(const struct volume *v, const char *rootfs);
/* mkdir -p path inside rootfs, as if rootfs were "/" (no symlink leads
 * out of it), and give its real path. */
int dir_in_root(const char *rootfs, const char *path, char *out, size_t size);

#endif
