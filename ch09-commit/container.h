/* One container, run in the foreground: from clone() to its exit status. */
#ifndef MYDOCKER_CONTAINER_H
#define MYDOCKER_CONTAINER_H

#include <sys/types.h>

#include "cgroup.h"
#include "volume.h"
#include "env.h"
#include "endpoint.h"

struct record;

#define ID_LEN 64        /* hex digits of a container ID */
#define SHORT_ID_LEN 12  /* the part that ps and the default hostname show */

struct container {
	char id[ID_LEN + 1];
	char hostname[65];   /* HOST_NAME_MAX + 1 */
	char **argv;         /* the command, NULL-terminated */
	int argc;
	struct limits limits;
	struct cgroup cgroup;
	const char *image;
	char rootfs[4096];   /* the directory that becomes its "/" */
	char dir[4096];      /* $MYDOCKER_ROOT/containers/ID: upper, work, merged */
	char overlay[8192];  /* the overlay mount's options */
	struct volume volumes[MAX_VOLUMES];
	int nvolumes;
	const char *name;    /* --name; default: the short ID */
	int detach;          /* -d: a monitor waits for it, the caller does not */
	int autoremove;      /* --rm: removed once it exits */
	struct record *rec;  /* what ps, logs, stop and rm know of it */
	struct env env;      /* its command's environment: defaults and -e */
	struct endpoint ep;  /* --net and -p, and what they gave it */
	pid_t pid;           /* the container's init, as the host sees it */
};

/* Start the container and wait for it; returns the exit code the runtime
 * should exit with (DESIGN §5), having printed any error. */
/* With -d: returns 0 once a monitor runs the container, having printed its ID. */
int container_run(struct container *c);

#endif
