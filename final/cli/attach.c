//> final
/* `attach`: the terminal of a container run with -dit, from its monitor
 * (container/streams.h), until it exits or we detach (^P ^Q). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "container/record.h"
#include "container/streams.h"

static const char usage[] =
	"Usage: mydocker attach [OPTIONS] CONTAINER\n"
	"\n"
	"Connect this terminal to a container run with -dit: what it prints\n"
	"comes here, what is typed goes to it. Exits with its exit code, or 0\n"
	"on detaching (the container goes on).\n"
	"\n"
	"Options:\n"
	"      --detach-keys KEYS   the keys that detach (default ctrl-p,ctrl-q):\n"
	"                           a-z, ctrl-a to ctrl-z, ctrl-@, ctrl-[ ... ctrl-_\n"
	"  -h, --help               print this help\n";

#define MAX_KEYS 16

/* docker's format: "ctrl-p,ctrl-q", "a,ctrl-x". */
static int parse_keys(const char *spec, char *keys, int *n)
{
	char copy[256], *save, *key;

	*n = 0;
	snprintf(copy, sizeof copy, "%s", spec);
	for (key = strtok_r(copy, ",", &save); key; key = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_KEYS)
			return err_set("--detach-keys '%s': at most %d keys", spec, MAX_KEYS);
		if (strlen(key) == 1)
			keys[(*n)++] = key[0];
		else if (!strncmp(key, "ctrl-", 5) && strlen(key) == 6 &&
			 ((key[5] >= 'a' && key[5] <= 'z') || (key[5] >= '@' && key[5] <= '_')))
			keys[(*n)++] = (char)((key[5] & 0x1f));
		else
			return err_set("--detach-keys '%s': '%s' is not a key (a, ctrl-a ... ctrl-z, ctrl-@, ctrl-[ ... ctrl-_)", spec, key);
	}
	if (*n == 0)
		return err_set("--detach-keys '%s': no key", spec);
	return 0;
}

static int send_message(int sock, char type, const void *data, size_t len)
{
	struct iovec iov[2] = { { &type, 1 }, { (void *)data, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static void send_window_size(int sock)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		send_message(sock, ATTACH_WINSIZE, &ws, sizeof ws);
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* What was typed, to the container, but for the detach keys: held back
 * while they are being typed, sent should they turn out not to be them.
 * Returns 1 once all of them were typed. */
static int typed(int sock, const char *in, size_t len, const char *keys, int nkeys, int *matched)
{
	char out[2 * ATTACH_MAX];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == keys[*matched]) {
			if (++*matched == nkeys)
				return 1;
			continue;
		}
		memcpy(out + n, keys, *matched);   /* not the keys after all */
		n += *matched;
		*matched = in[i] == keys[0];
		if (!*matched)
			out[n++] = in[i];
	}
	if (n)
		send_message(sock, ATTACH_DATA, out, n);
	return 0;
}

/* Relay until the container exits (its code), we detach (0), or a signal
 * ends us (128 + it); -1 on an error. */
static int relay(int sock, int sigfd, const char *keys, int nkeys)
{
	char msg[1 + ATTACH_MAX], in[ATTACH_MAX];
	int matched = 0, stdin_open = 1;

	for (;;) {
		struct pollfd p[3] = { { sock, POLLIN, 0 }, { sigfd, POLLIN, 0 }, { stdin_open ? 0 : -1, POLLIN, 0 } };
		struct signalfd_siginfo si;
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return err_sys("poll");
		}
		if (p[1].revents && read(sigfd, &si, sizeof si) == sizeof si) {
			if (si.ssi_signo == SIGWINCH)
				send_window_size(sock);
			else
				return 128 + (int)si.ssi_signo;   /* we end; the container goes on */
		}
		if (p[2].revents) {
			n = read(STDIN_FILENO, in, sizeof in);
			if (n <= 0)
				stdin_open = 0;   /* nothing more to type; its output still comes */
			else if (typed(sock, in, n, keys, nkeys, &matched))
				return 0;
		}
		if (p[0].revents) {
			n = recv(sock, msg, sizeof msg, 0);
			if (n <= 0)
				return err_set("the container's monitor is gone");
			if (msg[0] == ATTACH_DATA)
				write_all(STDOUT_FILENO, msg + 1, n - 1);
			else if (msg[0] == ATTACH_EXIT) {
				msg[n] = '\0';
				return atoi(msg + 1);
			}
		}
	}
}

int cmd_attach(int argc, char **argv)
{
	static const struct option options[] = {
		{ "detach-keys", required_argument, NULL, 'k' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	char keys[MAX_KEYS], dir[4200];
	int nkeys = 2, opt, sock, sigfd, code, is_raw = 0;
	struct termios saved, raw;
	struct record r;
	sigset_t set, old;

	keys[0] = 'p' & 0x1f, keys[1] = 'q' & 0x1f;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (opt) {
		case 'k':
			if (parse_keys(optarg, keys, &nkeys) < 0)
				return report_error(EXIT_RUNTIME);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case ':':
			return report_error((err_set("attach: option '%s' needs a value", argv[optind - 1]), EXIT_RUNTIME));
		default:
			return report_error((err_set("attach: unknown option '%s' (see 'mydocker attach --help')",
						     argv[optind - 1]), EXIT_RUNTIME));
		}
	}
	if (argc - optind != 1)
		return report_error((err_set("attach: give one container (see 'mydocker attach --help')"), EXIT_RUNTIME));
	if (geteuid() != 0)
		return report_error((err_set("attach needs root: the container's socket is root's"), EXIT_RUNTIME));
	if (record_find(argv[optind], &r) < 0)
		return report_error(1);
	if (!record_running(&r))
		return report_error((err_set("container %s is not running", r.name), EXIT_RUNTIME));
	if (record_path(dir, sizeof dir, r.id, NULL) < 0)
		return report_error(EXIT_RUNTIME);
	if ((sock = streams_connect(dir)) < 0)
		return report_error((err_set("container %s has no terminal to attach to (run it with -dit)", r.name),
				     EXIT_RUNTIME));
	char hello = 0;
	if (recv(sock, &hello, 1, 0) != 1 || hello != ATTACH_WELCOME) {
		close(sock);
		return report_error((err_set(hello == ATTACH_BUSY ? "container %s is attached to already" :
					     "container %s is not running", r.name), EXIT_RUNTIME));
	}
	/* Signals as data: a window's new size, or the end of us (the
	 * terminal restored first). */
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		return report_error((err_sys("signalfd"), EXIT_RUNTIME));
	/* Raw, as run -it's: every key is the container's terminal's. */
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		is_raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	send_window_size(sock);
	code = relay(sock, sigfd, keys, nkeys);
	if (is_raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	close(sigfd);
	close(sock);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return code < 0 ? report_error(EXIT_RUNTIME) : code;
}
//<
