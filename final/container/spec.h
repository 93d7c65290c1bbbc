/* What to run: everything a container is asked to be, before it exists.
 * The command line fills it (cli/run.c); nothing in it changes while the
 * container runs. What the running container has (its ID, PIDs, paths,
 * cgroups, network address) is in struct container (container.h). */
#ifndef MYDOCKER_SPEC_H
#define MYDOCKER_SPEC_H

//> ch02
#include "cgroup/cgroup.h"
//<
//> ch05
#include "fs/volume.h"
//<
//> ch07
#include "container/env.h"
//<
//> ch08
#include "net/endpoint.h"
//<
//> final
#include "container/logger.h"
#include "container/restart.h"
#include "container/ulimit.h"
#include "fs/tmpfs.h"
#include "security/security.h"
//<

/* (The working directory, user, security and terminal join it with the
 * issues that bring them.) */
struct spec {
	char **argv;         /* the command, NULL-terminated */
	int argc;
	char hostname[65];   /* HOST_NAME_MAX + 1; "": the short ID */
//> ch02
	struct limits limits;
//<
//> ch03
	const char *image;
//<
//> ch05
	struct volume volumes[MAX_VOLUMES];
	int nvolumes;
//<
//> ch06
	const char *name;    /* --name; default: the short ID */
	int detach;          /* -d: a monitor waits for it, the caller does not */
	int autoremove;      /* --rm: removed once it exits */
//<
//> ch07
	struct env env;      /* -e; docker's defaults are added where it has none */
//<
//> ch08
	struct endpoint net; /* --net and -p: which network, which ports */
//<
//> final
	struct security sec; /* capabilities, no_new_privs, seccomp */
	struct log_opts log; /* --log-opt: -d's log rotated at max-size */
	int init;            /* --init: our init is PID 1, the command its child (init.h) */
	int tty;             /* -t: a pty of its own is its terminal (streams.h) */
	const char *workdir; /* -w: where the command starts, made if missing (default /) */
	const char *user;    /* -u USER[:GROUP] (user.h); NULL: root */
	struct tmpfs tmpfs[MAX_TMPFS];   /* --tmpfs */
	int ntmpfs;
	int read_only;       /* --read-only: "/" read-only, /tmp and /run a tmpfs */
	struct ulimit ulimits[MAX_ULIMITS];   /* --ulimit */
	int nulimits;
	int stop_signal;     /* --stop-signal: what stop sends first; 0: SIGTERM */
	int stop_timeout;    /* --stop-timeout: stop's default grace in seconds; -1: 10 */
	const char *cidfile; /* --cidfile: the ID is written there, a file that must not exist */
	char labels[2048];   /* --label K=V, one a line: for ps --filter and --format */
	int pid_host;        /* --pid host: no PID namespace of its own */
	struct restart_policy restart;   /* --restart: what -d's monitor does once it exits */
	char **words;        /* run's own words (options, image, command): start reads them again */
	int nwords;
	const char *id;      /* start: the exited container to run again, with its layer and name */
	const char *ref;     /* start: the reference it was given, printed once it runs */
//<
};

#endif
