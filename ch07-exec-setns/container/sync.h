/* The runtime and its child talk over two close-on-exec pipes:
 *
 *   command pipe, runtime -> child: the argv, then EOF, which means "go"
 *   error pipe, child -> runtime:   why setup failed; EOF alone means the
 *                                   child's exec succeeded (the pipe closed)
 *
 * So the child waits, blocked, until the runtime has placed it (cgroups,
 * network), and the runtime learns of every setup failure in the child. */
#ifndef MYDOCKER_SYNC_H
#define MYDOCKER_SYNC_H

/* argv as "<argc>\0<arg>\0<arg>\0...". */
int sync_send_argv(int fd, int argc, char **argv);
/* Read to EOF; NULL when the message is short (the runtime died halfway). */
char **sync_receive_argv(int fd);
/* In the child: write the current error to fd and _exit(code). */
_Noreturn void sync_child_fail(int fd, int code);
/* In the runtime: 1 with the child's error set when it wrote one, 0 on
 * EOF (it exec'd). */
int sync_child_failed(int fd);

#endif
