/* Signals sent to the runtime go on to the process it waits for (the
 * container's init; from chapter 7 also an exec'd command), so that
 * `kill RUNTIME` and ^C act on what runs inside. */
#ifndef MYDOCKER_SIGNALS_H
#define MYDOCKER_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

/* Block the forwarded signals and SIGCHLD (call before the child exists, so
 * none is lost in between); *set is what to wait for, *old the mask to
 * restore in the child before it execs. */
void signals_block(sigset_t *set, sigset_t *old);
/* Wait for pid, passing on the signals we are sent; returns its exit code. */
int signals_forward_until_exit(pid_t pid, const sigset_t *set);
//> final
/* A signal as docker takes it: a number, or a name with or without "SIG"
 * (TERM, SIGUSR1, RTMIN+3), in any case. SIGKILL and SIGSTOP too. */
int signal_parse(const char *s, int *sig);
//<

#endif
