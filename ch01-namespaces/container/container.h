/* One container, run in the foreground: from clone() to its exit status. */
#ifndef MYDOCKER_CONTAINER_H
#define MYDOCKER_CONTAINER_H

#include <sys/types.h>

#include "container/spec.h"

#define ID_LEN 64        /* hex digits of a container ID */
#define SHORT_ID_LEN 12  /* the part that ps and the default hostname show */

/* A container as it runs: what the runtime made of its spec. */
struct container {
	const struct spec *spec;
	char id[ID_LEN + 1];
	char hostname[65];   /* the spec's, or the short ID */
	pid_t pid;           /* the container's init, as the host sees it */
};

/* Start a container as spec says and wait for it; returns the exit code
 * the runtime should exit with (ARCHITECTURE.md, "Exit codes"), having
 * printed any error. */
int container_run(const struct spec *spec);

#endif
