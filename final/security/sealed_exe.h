//> final
/* CVE-2019-5736: `exec` forks into a running container's PID namespace,
 * and until its child's execve that child is the runtime's own binary,
 * which the container's processes can reach as /proc/PID/exe and, once
 * nobody runs it, write. So exec runs from a sealed copy of itself in
 * memory: /proc/PID/exe is then a file nothing can change. */
#ifndef MYDOCKER_SEALED_EXE_H
#define MYDOCKER_SEALED_EXE_H

/* Re-exec argv from a sealed memfd copy of /proc/self/exe, unless this
 * process already runs from one; returns only when it does (0) or on
 * failure (-1). */
int sealed_exe_reexec(char **argv);

#endif
