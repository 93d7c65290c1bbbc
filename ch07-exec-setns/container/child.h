/* The child: the process clone() starts in the new namespaces, which sets
 * itself up and becomes the container's command. */
#ifndef MYDOCKER_CHILD_H
#define MYDOCKER_CHILD_H

#include <signal.h>

#include "container/container.h"

struct child_args {
	const struct container *c;
	int cmd[2];        /* runtime -> child: argv, then EOF (sync.h) */
	int err[2];        /* child -> runtime: why setup failed; EOF on exec */
	sigset_t mask;     /* the caller's signal mask, restored before exec */
	char *stack;       /* the child runs on it until exec */
	int report;        /* -d monitor -> runtime: started, or why not */
};

/* clone()'s entry point: waits for "go", runs the setup steps, execs. */
int child_main(void *arg);

#endif
