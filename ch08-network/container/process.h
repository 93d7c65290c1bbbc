/* Processes the runtime did not start itself (another runtime's container,
 * a monitor), named safely. A PID alone can be reused once its process is
 * gone; a PID plus its start time cannot, and a pidfd then keeps naming
 * that one process whatever happens to the number. */
#ifndef MYDOCKER_PROCESS_H
#define MYDOCKER_PROCESS_H

#include <sys/types.h>

/* When pid started, in clock ticks since boot (field 22 of /proc/PID/stat);
 * 0 when there is no such process. */
unsigned long long process_start_time(pid_t pid);
/* A pidfd for pid if it is still the process that started at start;
 * -1 when that process is gone (or never was). */
int process_open(pid_t pid, unsigned long long start);
/* Whether that process is still there. */
int process_alive(pid_t pid, unsigned long long start);
/* Send sig through a pidfd: never to a process that merely reuses the PID. */
int process_signal(int pidfd, int sig);
/* Wait up to ms milliseconds for the process behind pidfd to end: 1 when it
 * has, 0 when the time ran out. */
int process_wait(int pidfd, int ms);

#endif
