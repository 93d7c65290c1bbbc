//> final
/* --init: a PID 1 of our own between the kernel and the command, as docker's
 * --init puts tini there. The kernel gives a PID namespace's init two jobs
 * no ordinary program does: it inherits every orphan, whose exit only its
 * wait() clears (a zombie until then), and it gets no signal it has no
 * handler for (a shell that never traps SIGTERM ignores `stop` and waits
 * for the SIGKILL). This init reaps whatever ends and passes each signal on
 * to the command, and exits as the command did.
 *
 * It runs as the container's command runs: the child execs a sealed copy
 * of the runtime (security/sealed_exe.h) as `mydocker-init init -- CMD...`,
 * after every setup step, so it has the container's capabilities, filter
 * and environment, and /proc/1/exe is a file nothing can write. */
#ifndef MYDOCKER_INIT_H
#define MYDOCKER_INIT_H

/* Whether --init can work: the init is a copy of this binary, exec'd in
 * the container's root, so it must be static (0), or -1 saying why not. */
int init_possible(void);
/* The child's last step with --init: exec the init for argv; returns only
 * on failure. */
int init_exec(char **argv);
/* `init -- CMD...` (argv[0] is "init"): the init itself; refuses to run
 * other than as a PID namespace's PID 1. */
int cmd_init(int argc, char **argv);

#endif
