//> ch06
/* The end of a container: its processes stopped, then what is left removed. */
#ifndef MYDOCKER_LIFECYCLE_H
#define MYDOCKER_LIFECYCLE_H

#include "container/record.h"

/* SIGTERM to the container's init, SIGKILL after timeout seconds (at once
 * when timeout is 0); then wait until its monitor has recorded the exit.
 * A container that is not running is ended already: 0. */
int container_end(const struct record *r, int timeout);

/* Its cgroups, its network, its directory (record, log, layers): for a
 * container whose processes have ended. */
int container_remove(const struct record *r);
//> final

/* rm -f of a container whose record cannot be read: what its ID alone
 * names goes (its processes, found by its cgroups; its cgroups; the
 * addresses it owns; its directory). */
int container_remove_unreadable(const char *id);
//<

#endif
