/* -d: the container's parent is a small monitor process, not the command
 * the user typed, which prints the ID and returns.
 *
 *   runtime                          monitor (forked; own session, cwd /)
 *   detach_fork()                    stdin, stdout, stderr on /dev/null
 *   waits on the report pipe         starts the container as run would,
 *                                    its stdout+stderr appended to its log
 *                               <-   detach_report(): started, or why not
 *   prints the ID or the error,      waits for the container, records its
 *   exits with the run's code        exit, releases its cgroup (--rm: all)
 */
#ifndef MYDOCKER_DETACH_H
#define MYDOCKER_DETACH_H

#include <sys/types.h>

/* Fork the monitor: >0 in the runtime, 0 in the monitor, -1 on failure.
 * *fd is the report pipe's end for the caller's side. */
pid_t detach_fork(int *fd);
/* In the runtime: wait for the report, print it, return the exit code. */
int detach_wait(int fd);
/* In the monitor: stdout and stderr from now on appended to log. */
int detach_log(const char *log);
/* In the monitor: tell the runtime; code 0 = running as id, else the
 * run's exit code and message. Closes fd. */
void detach_report(int fd, int code, const char *id, const char *message);

#endif
