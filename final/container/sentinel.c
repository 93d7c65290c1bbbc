//> final
#include "container/sentinel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

/* How long a sentinel may take to go once told to. */
#define SENTINEL_WAIT_MS 2000

/* Close every descriptor but a and b (-1: none). */
static void keep_only(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo < 0)
		lo = hi;
	if (lo > 0)
		close_range(0, lo - 1, 0);
	if (hi > lo + 1)
		close_range(lo + 1, hi - 1, 0);
	close_range(hi + 1, ~0U, 0);
}

static void watch(int pipe_fd, int keep, void (*act)(void *), void *arg)
{
	sigset_t all;
	char byte;
	ssize_t n;

	/* Only the pipe ends it: not ^C at the terminal, not a hangup, not a
	 * kill of the caller's process group (SIGKILL still does). */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* Nothing of ours stays open here: a caller reading our output must
	 * see EOF when we end. */
	keep_only(pipe_fd, keep);
	do
		n = read(pipe_fd, &byte, 1);
	while (n < 0 && errno == EINTR);
	/* A byte: we are done. EOF: we died. */
	if (n == 0)
		act(arg);
	_exit(0);
}

int sentinel_start(struct sentinel *s, void (*act)(void *arg), void *arg, int keep)
{
	int p[2], report[2];
	pid_t middle, pid = 0;

	s->pidfd = s->fd = -1;
	/* A socket pair, not a pipe: "done" sent to a sentinel someone killed
	 * fails with EPIPE (MSG_NOSIGNAL) instead of killing us with SIGPIPE. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) < 0)
		return err_sys("socketpair");
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return err_sys("pipe");
	}
	/* Forked twice: the sentinel is no child of ours, so that a runtime's
	 * only child stays the container's init (what ps --ppid, and the
	 * tests, expect). The middle process says the PID and goes. */
	if ((middle = fork()) == 0) {
		close(report[0]);
		close(p[1]);
		if ((pid = fork()) == 0)
			watch(p[0], keep, act, arg);
		_exit(write(report[1], &pid, sizeof pid) == sizeof pid ? 0 : 1);
	}
	close(p[0]);
	close(report[1]);
	if (middle < 0 || read(report[0], &pid, sizeof pid) != sizeof pid || pid <= 0) {
		err_sys("fork a sentinel");
		close(p[1]);
		close(report[0]);
		if (middle > 0)
			waitpid(middle, NULL, 0);
		return -1;
	}
	close(report[0]);
	waitpid(middle, NULL, 0);
	s->fd = p[1];
	/* To wait for it in sentinel_stop, though it is not our child. */
	s->pidfd = syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

void sentinel_stop(struct sentinel *s)
{
	struct pollfd gone = { .fd = s->pidfd, .events = POLLIN };

	if (s->fd >= 0) {
		if (send(s->fd, "", 1, MSG_NOSIGNAL) != 1)
			warn("a sentinel of ours is gone");
		close(s->fd);
	}
	/* Gone before we are: nothing of ours outlives what it watched. */
	if (s->pidfd >= 0) {
		while (poll(&gone, 1, SENTINEL_WAIT_MS) < 0 && errno == EINTR)
			;
		close(s->pidfd);
	}
	s->fd = s->pidfd = -1;
}

static void kill_init(void *pidfd)
{
	syscall(SYS_pidfd_send_signal, *(int *)pidfd, SIGKILL, NULL, 0);
}

int sentinel_watch_init(struct sentinel *s, pid_t init)
{
	int pidfd = syscall(SYS_pidfd_open, init, 0), rc;

	if (pidfd < 0)
		return err_sys("pidfd_open the container's init");
	rc = sentinel_start(s, kill_init, &pidfd, pidfd);
	close(pidfd);
	return rc;
}
