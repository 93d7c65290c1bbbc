//> final
/* The container dies with the process that waits for it (the runtime, or
 * its -d monitor), whatever the container does.
 *
 * The child asks for that with PR_SET_PDEATHSIG, but the kernel clears
 * the request the moment the container's init changes its credentials (a
 * setuid binary, su, setuid() in a server dropping root): killed then, the
 * runtime would leave the container running with nobody to wait for it,
 * clean up after it or record its end. A sentinel, a small process of the
 * runtime's outside the container, holds the read end of a pipe only the
 * runtime writes to: when the runtime dies the kernel closes its end, the
 * sentinel reads EOF and kills the init through a pidfd. Killing the init
 * of a PID namespace kills everything in it. */
#ifndef MYDOCKER_SENTINEL_H
#define MYDOCKER_SENTINEL_H

#include <sys/types.h>

struct sentinel {
	int pidfd;   /* the sentinel (not our child); -1 when there is none */
	int fd;      /* our end of its pipe; -1 when there is none */
};

/* Start a sentinel over init. */
int sentinel_start(struct sentinel *s, pid_t init);
/* The container has ended: let the sentinel go, and wait until it has. */
void sentinel_stop(struct sentinel *s);

#endif
