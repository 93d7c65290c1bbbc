/* What to run: everything a container is asked to be, before it exists.
 * The command line fills it (cli/run.c); nothing in it changes while the
 * container runs. What the running container has (its ID, PIDs, paths,
 * cgroups, network address) is in struct container (container.h). */
#ifndef MYDOCKER_SPEC_H
#define MYDOCKER_SPEC_H

#include "cgroup/cgroup.h"
#include "fs/volume.h"
#include "container/env.h"
#include "net/endpoint.h"

/* (The working directory, user, security and terminal join it with the
 * issues that bring them.) */
struct spec {
	char **argv;         /* the command, NULL-terminated */
	int argc;
	char hostname[65];   /* HOST_NAME_MAX + 1; "": the short ID */
	struct limits limits;
	const char *image;
	struct volume volumes[MAX_VOLUMES];
	int nvolumes;
	const char *name;    /* --name; default: the short ID */
	int detach;          /* -d: a monitor waits for it, the caller does not */
	int autoremove;      /* --rm: removed once it exits */
	struct env env;      /* -e; docker's defaults are added where it has none */
	struct endpoint net; /* --net and -p: which network, which ports */
};

#endif
