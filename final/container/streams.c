//> final
#include "container/streams.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"

/* After the container has exited, how long its output may stay silent
 * before we stop waiting for the rest: a process outside its PID
 * namespace (--pid host, a daemon of exec's) may hold the pipe forever. */
#define DRAIN_MS 250

void streams_init(struct streams *s, int tty, int input)
{
	*s = (struct streams){ .tty = tty, .input = input, .sock = { -1, -1 }, .master = -1, .slave = -1,
			       .listener = -1, .client = -1 };
	for (int i = 0; i < 3; i++)
		s->pipes[i][0] = s->pipes[i][1] = -1;
}

/* The first of our 0, 1, 2 that is a terminal: the one whose size is the
 * window's. */
static int caller_terminal(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

static void copy_window_size(int from, int to)
{
	struct winsize ws;

	if (from >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

int streams_prepare(struct streams *s)
{
	if (s->tty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->sock) < 0)
			return err_sys("socketpair");
		return 0;
	}
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd) && pipe2(s->pipes[fd], O_CLOEXEC) < 0)
			return err_sys("pipe");
	return 0;
}

/* The socket's path through a descriptor of its directory: a state root
 * deep enough makes the path itself too long for sun_path (108 bytes). */
static int attach_address(const char *dir, struct sockaddr_un *a, int *dirfd)
{
	*a = (struct sockaddr_un){ .sun_family = AF_UNIX };
	if ((*dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_sys("open %s", dir);
	snprintf(a->sun_path, sizeof a->sun_path, "/proc/self/fd/%d/%s", *dirfd, ATTACH_SOCKET);
	return 0;
}

int streams_listen(struct streams *s, const char *dir)
{
	struct sockaddr_un a;
	int dirfd, ok;

	if (attach_address(dir, &a, &dirfd) < 0)
		return -1;
	s->listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* Made 0755 (umask 022): only root may connect, as to the rest of it. */
	ok = s->listener >= 0 && bind(s->listener, (struct sockaddr *)&a, sizeof a) == 0 && listen(s->listener, 4) == 0;
	close(dirfd);
	return ok ? 0 : err_sys("listen on %s/%s", dir, ATTACH_SOCKET);
}

int streams_connect(const char *dir)
{
	struct sockaddr_un a;
	int dirfd, fd;

	if (attach_address(dir, &a, &dirfd) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		fd = -1;
	}
	close(dirfd);
	return fd;
}

/* The devpts mounted at /dev/pts (newinstance) is the container's: a pty
 * made through its ptmx is numbered there and seen nowhere else. */
static int open_pty(int *master, int *slave)
{
	struct stat st;
	int unlock = 0;
	int m = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

	if (m < 0)
		return err_sys("open /dev/pts/ptmx");
	/* exec opens it in a root the container controls: a FIFO or another
	 * device planted there is no terminal of ours. */
	if (fstat(m, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2) {
		close(m);
		return err_set("/dev/pts/ptmx in the container is not the pty multiplexer");
	}
	/* TIOCGPTPEER opens the slave from the master: no path to look up,
	 * so no race with whatever the container does to /dev/pts. */
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 ||
	    (*slave = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(m);
		return err_sys("open the pty's slave");
	}
	*master = m;
	return 0;
}

int streams_open_pty(struct streams *s)
{
	if (open_pty(&s->master, &s->slave) < 0)
		return -1;
	copy_window_size(caller_terminal(), s->master);
	return 0;
}

/* The slave as controlling terminal (we lead a session of our own, with
 * none yet), and as 0, 1 and 2. */
static int become_terminal(int slave)
{
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return err_sys("make the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return err_sys("dup2");
	if (slave > 2)
		close(slave);
	return 0;
}

static int use_pipes(const struct streams *s)
{
	for (int fd = 0; fd < 3; fd++)
		if (s->pipes[fd][0] >= 0 && dup2(s->pipes[fd][fd == 0 ? 0 : 1], fd) < 0)
			return err_sys("dup2");
	return 0;
}

static int send_fd(int sock, int fd)
{
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
		return err_sys("send the pty to the runtime");
	return 0;
}

int streams_child(const struct streams *s)
{
	int master, slave;

	if (!s->tty)
		return use_pipes(s);
	if (open_pty(&master, &slave) < 0)
		return -1;
	/* Our 0, 1, 2 are still the caller's: its window's size, from the start. */
	copy_window_size(caller_terminal(), slave);
	if (send_fd(s->sock[1], master) < 0) {
		close(master);
		close(slave);
		return -1;
	}
	close(master);
	return become_terminal(slave);
}

int streams_exec_child(const struct streams *s)
{
	return s->tty ? become_terminal(s->slave) : use_pipes(s);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void streams_parent(struct streams *s)
{
	close_fd(&s->sock[1]);
	close_fd(&s->slave);
	close_fd(&s->pipes[0][0]);
	close_fd(&s->pipes[1][1]);
	close_fd(&s->pipes[2][1]);
}

int streams_relayed(const struct streams *s)
{
	return s->tty || s->pipes[0][1] >= 0 || s->pipes[1][0] >= 0 || s->pipes[2][0] >= 0;
}

int streams_receive_master(struct streams *s)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	struct cmsghdr *c;
	ssize_t n = recvmsg(s->sock[0], &msg, MSG_CMSG_CLOEXEC);

	c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return err_set("the container sent no terminal");
	memcpy(&s->master, CMSG_DATA(c), sizeof s->master);
	close_fd(&s->sock[0]);
	return 0;
}

/* One direction: bytes read from `from` wait in buf until `to` takes them. */
struct flow {
	int from, to;
	bool output;     /* the container's: the relay ends when all of these have */
	bool done;       /* from is at its end */
	bool nonblocking_to;   /* to is ours (pty, pipe); the caller's are written blocking */
	char buf[8192];
	size_t off, len;
};

static void flow_write(struct flow *f)
{
	while (f->len) {
		ssize_t n = write(f->to, f->buf + f->off, f->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && f->nonblocking_to)
			return;   /* poll says when it takes more */
		if (n <= 0) {
			f->len = 0;   /* the reader is gone (a closed stdout, an exited container): dropped */
			return;
		}
		f->off += n;
		f->len -= n;
	}
	f->off = 0;
}

/* stdin is at its end: the container reads its end too. A pipe is closed;
 * a pty has no end but the EOF character (^D) at a line's start. */
static void input_ended(struct streams *s, struct flow *f)
{
	struct termios t;

	f->done = true;
	if (!s->tty) {
		close_fd(&s->pipes[0][1]);
		return;
	}
	if (tcgetattr(s->master, &t) == 0 && f->len == 0) {
		f->buf[0] = (char)t.c_cc[VEOF];
		f->len = 1;
		flow_write(f);
	}
}

static void close_client(struct streams *s)
{
	close_fd(&s->client);
}

/* One message to the attached client. A client that takes nothing for a
 * second (SO_SNDTIMEO) is dropped: the container does not wait for it, and
 * the log has all of it. */
static void to_client(struct streams *s, char type, const void *data, size_t len)
{
	struct iovec iov[2] = { { &type, 1 }, { (void *)data, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(s->client, &msg, MSG_NOSIGNAL) < 0)
		close_client(s);
}

/* A new attach: the one client, or told that another is it. */
static void accept_client(struct streams *s)
{
	struct timeval second = { 1, 0 };
	int fd = accept4(s->listener, NULL, NULL, SOCK_CLOEXEC);
	char busy = ATTACH_BUSY;

	if (fd < 0)
		return;
	if (s->client >= 0) {
		send(fd, &busy, 1, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	s->client = fd;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &second, sizeof second);
	to_client(s, ATTACH_WELCOME, NULL, 0);
}

/* What the client typed goes to the pty (in its flow's buffer, as stdin's
 * would), a new window size to the pty's; its end detaches it. */
static void from_client(struct streams *s, struct flow *f)
{
	char msg[1 + ATTACH_MAX];
	struct winsize ws;
	ssize_t n = recv(s->client, msg, sizeof msg, MSG_DONTWAIT);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close_client(s);
		return;
	}
	if (msg[0] == ATTACH_WINSIZE && n == 1 + (ssize_t)sizeof ws) {
		memcpy(&ws, msg + 1, sizeof ws);
		ioctl(s->master, TIOCSWINSZ, &ws);
	} else if (msg[0] == ATTACH_DATA && n > 1) {
		memcpy(f->buf, msg + 1, n - 1);
		f->off = 0;
		f->len = n - 1;
		flow_write(f);
	}
}

static void flow_read(struct streams *s, struct flow *f)
{
	ssize_t n = read(f->from, f->buf, sizeof f->buf);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {   /* EOF; EIO: the pty's last slave is closed */
		if (f->output)
			f->done = true;
		else
			input_ended(s, f);
		return;
	}
	f->off = 0;
	f->len = n;
	if (f->from == s->master && s->client >= 0)
		to_client(s, ATTACH_DATA, f->buf, n);
	flow_write(f);
}

static int make_flows(struct streams *s, struct flow *flows)
{
	int n = 0;

	if (s->tty) {
		if (s->input)
			flows[n++] = (struct flow){ .from = 0, .to = s->master, .nonblocking_to = true };
		flows[n++] = (struct flow){ .from = s->master, .to = 1, .output = true };
		return n;
	}
	if (s->pipes[0][1] >= 0) {
		fcntl(s->pipes[0][1], F_SETFL, O_NONBLOCK);
		flows[n++] = (struct flow){ .from = 0, .to = s->pipes[0][1], .nonblocking_to = true };
	}
	for (int fd = 1; fd < 3; fd++)
		if (s->pipes[fd][0] >= 0)
			flows[n++] = (struct flow){ .from = s->pipes[fd][0], .to = fd, .output = true };
	return n;
}

/* A signal for us: the container's exit, a window's new size, or one to
 * pass on. Returns whether pid has exited (*code its exit code). */
static bool take_signal(struct streams *s, int sigfd, pid_t pid, int *code)
{
	struct signalfd_siginfo si;
	int status;

	while (read(sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				*code = exit_code(status);
				return true;
			}
		} else if (si.ssi_signo == SIGWINCH) {
			if (s->tty)
				copy_window_size(caller_terminal(), s->master);
		} else {
			kill(pid, (int)si.ssi_signo);
		}
	}
	return false;
}

int streams_relay_until_exit(struct streams *s, pid_t pid, const sigset_t *set)
{
	static struct flow flows[3], typed;   /* static: 32 KiB of buffers; typed: the client's */
	struct pollfd p[3 + 3];
	struct flow *polled[3 + 3];
	struct termios saved, raw;
	bool exited = false, is_raw = false;
	sigset_t all = *set, old;
	void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);   /* a closed stdout is an error to drop, not our end */
	int nflows = make_flows(s, flows), code = EXIT_RUNTIME, status, sigfd;

	/* The window's size changes come as signals too, taken like the rest. */
	sigaddset(&all, SIGWINCH);
	sigprocmask(SIG_BLOCK, &all, &old);
	sigfd = signalfd(-1, &all, SFD_NONBLOCK | SFD_CLOEXEC);
	/* Raw: no echo or line editing of ours, and ^C, ^Z, ^\ are bytes for
	 * the container's terminal, whose line discipline makes the signals
	 * for its foreground job (job control, as at a real console). */
	if (s->tty && s->input && isatty(0) && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		is_raw = tcsetattr(0, TCSANOW, &raw) == 0;
	}
	if (s->tty)
		fcntl(s->master, F_SETFL, O_NONBLOCK);
	while (sigfd >= 0) {
		int n = 0, outputs = 0;

		p[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		/* -dt: a client to accept, or the one to hear from (or, while
		 * the pty has not taken what it typed, to write that first). */
		int listening = s->listener >= 0 && !exited, hearing = s->client >= 0;
		if (listening)
			p[n++] = (struct pollfd){ .fd = s->listener, .events = POLLIN };
		if (hearing) {
			typed.from = s->client, typed.to = s->master, typed.nonblocking_to = true;
			polled[n] = &typed;
			p[n++] = (struct pollfd){ .fd = typed.len ? s->master : s->client, .events = typed.len ? POLLOUT : POLLIN };
		}
		for (int i = 0; i < nflows; i++) {
			struct flow *f = &flows[i];
			outputs += f->output && !f->done;
			if (f->len) {
				polled[n] = f;
				p[n++] = (struct pollfd){ .fd = f->to, .events = POLLOUT };
			} else if (!f->done) {
				polled[n] = f;
				p[n++] = (struct pollfd){ .fd = f->from, .events = POLLIN };
			}
		}
		if (exited && outputs == 0)
			break;
		int ready = poll(p, n, exited ? DRAIN_MS : -1);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;   /* drained: nothing more came after the exit (or poll failed) */
		if (p[0].revents && take_signal(s, sigfd, pid, &code))
			exited = true;
		int first = 1;
		if (listening && p[first++].revents)
			accept_client(s);
		if (hearing) {
			if (p[first].revents && typed.len)
				flow_write(&typed);
			else if (p[first].revents && s->client >= 0)
				from_client(s, &typed);
			first++;
		}
		for (int i = first; i < n; i++) {
			struct flow *f = polled[i];
			if (!p[i].revents)
				continue;
			if (p[i].revents & POLLNVAL)
				f->done = true, f->len = 0;
			else if (f->len)
				flow_write(f);
			else
				flow_read(s, f);
		}
	}
	if (sigfd < 0) {   /* no signalfd: no relay, but the exit code all the same */
		waitpid(pid, &status, 0);
		code = exit_code(status);
	}
	if (s->client >= 0) {   /* what it exited with, for attach to exit with */
		char text[16];
		to_client(s, ATTACH_EXIT, text, snprintf(text, sizeof text, "%d", code));
	}
	if (is_raw)
		tcsetattr(0, TCSADRAIN, &saved);
	if (sigfd >= 0)
		close(sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGPIPE, old_pipe);
	return code;
}

void streams_close(struct streams *s)
{
	close_fd(&s->sock[0]);
	close_fd(&s->sock[1]);
	close_fd(&s->master);
	close_fd(&s->slave);
	close_fd(&s->listener);
	close_fd(&s->client);
	for (int i = 0; i < 3; i++) {
		close_fd(&s->pipes[i][0]);
		close_fd(&s->pipes[i][1]);
	}
}
//<
