//> final
/* A sentinel: a small process of ours that does one thing should we die
 * before we say we are done. A socket whose other end only we hold ties
 * it to us: when we die the kernel closes our end, the sentinel reads EOF
 * and acts.
 *
 * The container's sentinel kills its init. The child asks for that with
 * PR_SET_PDEATHSIG, but the kernel clears the request the moment the
 * container's init changes its credentials (a setuid binary, su, setuid()
 * in a server dropping root): killed then, the runtime would leave the
 * container running with nobody to wait for it, clean up after it or record
 * its end. Killing the init of a PID namespace kills everything in it.
 *
 * commit's sentinel thaws the container it froze: a commit killed while
 * copying would leave it frozen, and a frozen process takes no signal. */
#ifndef MYDOCKER_SENTINEL_H
#define MYDOCKER_SENTINEL_H

#include <sys/types.h>

struct sentinel {
	int pidfd;   /* the sentinel (not our child); -1 when there is none */
	int fd;      /* our end of its socket; -1 when there is none */
};

/* Start a sentinel that, should we die, calls act(arg) (in its own copy of
 * our memory). keep: a descriptor act needs (or -1), held open by the
 * sentinel until it has acted (a lock, say, stays taken until then). */
int sentinel_start(struct sentinel *s, void (*act)(void *arg), void *arg, int keep);
/* We are done: the sentinel goes without acting; returns once it has. */
void sentinel_stop(struct sentinel *s);
/* The container's: kills init should we die. */
int sentinel_watch_init(struct sentinel *s, pid_t init);

#endif
