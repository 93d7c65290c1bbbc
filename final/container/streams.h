//> final
/* A container's stdin, stdout and stderr, and the relay between them and
 * the caller's (run in the foreground, the -d monitor, exec).
 *
 * -t: a pty of the container's own devpts. Its slave is the command's
 * controlling terminal and its 0, 1 and 2; the master is ours (run's child
 * opens the pair and sends the master over a socket, SCM_RIGHTS: only the
 * child is in the mount namespace whose /dev/pts it was made in; exec is
 * in it already and opens the pair itself). The caller's terminal goes
 * raw while we relay, so that every key (^C, ^Z, arrows) reaches the
 * container's line discipline, and its window size follows the caller's.
 *
 * Without -t, each of the caller's 0, 1 and 2 that is a terminal is a pipe
 * in the container, relayed by us: the container never holds the caller's
 * terminal (`test -t 0` fails in it, as in docker), and stdout and stderr
 * stay apart. Files and pipes are passed on as they are, at no cost.
 *
 * -dt: the monitor holds the master, writes what it prints to the log,
 * and listens on ATTACH_SOCKET in the container's directory for one
 * `attach` at a time: a SOCK_SEQPACKET socket, each message a type byte
 * and its bytes. */
#ifndef MYDOCKER_STREAMS_H
#define MYDOCKER_STREAMS_H

#include <signal.h>
#include <sys/types.h>

#define ATTACH_SOCKET "attach.sock"
enum attach_message {
	ATTACH_DATA = 'd',     /* either way: bytes for the terminal or from it */
	ATTACH_WINSIZE = 'w',  /* to the monitor: a struct winsize */
	ATTACH_WELCOME = 'o',  /* to attach: connected */
	ATTACH_BUSY = 'b',     /* to attach: another one is attached */
	ATTACH_EXIT = 'x',     /* to attach: the container exited, with this code (text) */
};
#define ATTACH_MAX 8192    /* bytes of data in one message */

struct streams {
	int tty;           /* -t */
	int input;         /* relay our stdin (-d has none to relay) */
	int sock[2];       /* run -t: the child sends the master over sock[1] */
	int master, slave; /* -t: the pty (run's runtime holds only the master) */
	int pipes[3][2];   /* without -t: a pipe in place of our 0, 1, 2 where it is a terminal */
	int listener, client;   /* -dt: ATTACH_SOCKET, and the attach connected to it */
};

/* Nothing open yet: every fd -1. */
void streams_init(struct streams *s, int tty, int input);
/* Before the container's (or exec's) child exists: the socket or pipes. */
int streams_prepare(struct streams *s);
/* -dt, in the monitor: listen on dir's ATTACH_SOCKET. */
int streams_listen(struct streams *s, const char *dir);
/* attach: connected to the container's in dir; returns the socket. */
int streams_connect(const char *dir);
/* exec -t, in the container's mount namespace: its pty, master and slave. */
int streams_open_pty(struct streams *s);
/* In run's child, once /dev/pts is its own: the pty made and the master
 * sent (with -t), and 0, 1, 2 made the container's. */
int streams_child(const struct streams *s);
/* In exec's child: the same, with the pty streams_open_pty made. */
int streams_exec_child(const struct streams *s);
/* After the child exists: our copies of its ends closed. */
void streams_parent(struct streams *s);
/* Whether there is anything to relay (else signals_forward_until_exit). */
int streams_relayed(const struct streams *s);
/* Once the child has exec'd: run -t's master, from the socket. */
int streams_receive_master(struct streams *s);
/* Relay until pid has exited and its output is drained, passing on the
 * signals of set (blocked) as signals_forward_until_exit does, and window
 * size changes to the pty; the caller's terminal raw meanwhile, and as it
 * was on return. Returns pid's exit code. */
int streams_relay_until_exit(struct streams *s, pid_t pid, const sigset_t *set);
void streams_close(struct streams *s);

#endif
//<
