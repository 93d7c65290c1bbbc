/* Running external programs (ip, iptables, tar) from argv arrays: never
 * through a shell, so no argument is ever split or interpreted. */
#ifndef MYDOCKER_EXEC_H
#define MYDOCKER_EXEC_H

#include <stddef.h>

/* fork, execvp argv, wait; returns the docker-style exit code (exit_code()),
 * 127 when the program is not found, -1 when it could not be started. */
int run_argv(char *const argv[]);
/* run_argv, with the program's stdout captured into out (NUL-terminated,
 * cut at size - 1); its stderr stays ours. */
int run_argv_output(char *const argv[], char *out, size_t size);
/* run_argv, with the program's stderr captured into out: its complaint
 * becomes part of ours. Its stdout stays ours. */
int run_argv_errors(char *const argv[], char *out, size_t size);
/* run_argv with the program's stdout and stderr discarded: for a probe
 * whose failure is an answer ("is that rule there?"), not an error. */
int run_argv_quiet(char *const argv[]);
/* A waitpid() status as docker reports it: the exit status, or 128+N for signal N. */
int exit_code(int wstatus);

#endif
