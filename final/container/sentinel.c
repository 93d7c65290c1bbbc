//> final
#include "container/sentinel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

/* How long a sentinel may take to go once told to. */
#define SENTINEL_WAIT_MS 2000

/* Close every descriptor but a and b. */
static void keep_only(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo > 0)
		close_range(0, lo - 1, 0);
	if (hi > lo + 1)
		close_range(lo + 1, hi - 1, 0);
	close_range(hi + 1, ~0U, 0);
}

static void watch(int pipe_fd, int init_fd)
{
	sigset_t all;
	char byte;
	ssize_t n;

	/* Only the pipe ends it: not ^C at the terminal, not a hangup, not a
	 * kill of the caller's process group (SIGKILL still does). */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* Nothing of the runtime's stays open here: a caller reading the
	 * runtime's output must see EOF when the runtime ends. */
	keep_only(pipe_fd, init_fd);
	do
		n = read(pipe_fd, &byte, 1);
	while (n > 0 || (n < 0 && errno == EINTR));
	/* EOF: the runtime is gone, or done. When done, the init has ended
	 * and been reaped: a pidfd never names another process, so this
	 * SIGKILL goes nowhere. */
	syscall(SYS_pidfd_send_signal, init_fd, SIGKILL, NULL, 0);
	_exit(0);
}

int sentinel_start(struct sentinel *s, pid_t init)
{
	int p[2], report[2], init_fd = syscall(SYS_pidfd_open, init, 0);
	pid_t middle, pid = 0;

	s->pidfd = s->fd = -1;
	if (init_fd < 0)
		return err_sys("pidfd_open the container's init");
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
		close(init_fd);
		return err_sys("pipe");
	}
	/* Forked twice: the sentinel is no child of ours, so that the
	 * container's init stays the only one (what ps --ppid, and the
	 * tests, expect of a runtime). The middle process says its PID and goes. */
	if ((middle = fork()) == 0) {
		close(report[0]);
		close(p[1]);
		if ((pid = fork()) == 0)
			watch(p[0], init_fd);
		_exit(write(report[1], &pid, sizeof pid) == sizeof pid ? 0 : 1);
	}
	close(p[0]);
	close(report[1]);
	close(init_fd);
	if (middle < 0 || read(report[0], &pid, sizeof pid) != sizeof pid || pid <= 0) {
		err_sys("fork the container's sentinel");
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

	if (s->fd >= 0)
		close(s->fd);
	/* Gone before we are: nothing of ours outlives the container. */
	if (s->pidfd >= 0) {
		while (poll(&gone, 1, SENTINEL_WAIT_MS) < 0 && errno == EINTR)
			;
		close(s->pidfd);
	}
	s->fd = s->pidfd = -1;
}
