/* One container, run in the foreground: from clone() to its exit status. */
#ifndef MYDOCKER_CONTAINER_H
#define MYDOCKER_CONTAINER_H

#include <sys/types.h>

#include "container/spec.h"
//> final
#include "container/sentinel.h"
#include "container/streams.h"
#include "security/seccomp.h"
//<

//> ch06
struct record;

//<
#define ID_LEN 64        /* hex digits of a container ID */
#define SHORT_ID_LEN 12  /* the part that ps and the default hostname show */

/* A container as it runs: what the runtime made of its spec. */
struct container {
	const struct spec *spec;
	char id[ID_LEN + 1];
	char hostname[65];   /* the spec's, or the short ID */
//> ch02
	struct cgroup cgroup;
//<
//> ch03
	char rootfs[4096];   /* the directory that becomes its "/" */
//<
//> ch04
	char dir[4096];      /* $MYDOCKER_ROOT/containers/ID: upper, work, merged */
	char overlay[8192];  /* the overlay mount's options */
//<
//> ch06
	struct record *rec;  /* what ps, logs, stop and rm know of it */
//<
//> ch07
	struct env env;      /* its command's environment: the spec's and docker's defaults */
//<
//> ch08
	struct endpoint ep;  /* the spec's network, and what it was given there */
//<
//> final
	struct filter filter;   /* its seccomp filter, compiled */
	struct sentinel sentinel;   /* kills it should we die (sentinel.h) */
	pid_t logger;        /* -d with max-size: writes and rotates its log (logger.h) */
	struct streams streams;   /* its stdin, stdout, stderr: a pty, pipes or ours */
	int cidfile_made;         /* --cidfile: ours to remove should it never run */
	const char *again;        /* start, or its monitor by --restart: the exited container's ID */
	int by_policy;            /* again, because of --restart (restart.h) */
	int reopened;             /* again: its record is ours now (record_reopen) */
//<
	pid_t pid;           /* the container's init, as the host sees it */
};

/* Start a container as spec says and wait for it; returns the exit code
 * the runtime should exit with (ARCHITECTURE.md, "Exit codes"), having
 * printed any error. */
//> ch06
/* With -d: returns 0 once a monitor runs the container, having printed its ID. */
//<
int container_run(const struct spec *spec);

#endif
