//> final
#include "container/sentinel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

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
	int p[2], init_fd = syscall(SYS_pidfd_open, init, 0);

	s->pid = 0;
	s->fd = -1;
	if (init_fd < 0)
		return err_sys("pidfd_open the container's init");
	if (pipe2(p, O_CLOEXEC) < 0) {
		close(init_fd);
		return err_sys("pipe");
	}
	if ((s->pid = fork()) < 0) {
		err_sys("fork the container's sentinel");
		s->pid = 0;
		close(p[0]);
		close(p[1]);
		close(init_fd);
		return -1;
	}
	if (s->pid == 0) {
		close(p[1]);
		watch(p[0], init_fd);
	}
	close(p[0]);
	close(init_fd);
	s->fd = p[1];
	return 0;
}

void sentinel_stop(struct sentinel *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->pid > 0)
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	s->fd = -1;
	s->pid = 0;
}
