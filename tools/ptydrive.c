/* ptydrive: run a command on a terminal of ours and act as its user
 * (final's terminal tests).
 *
 *   ptydrive [-s ROWSxCOLS] [-r BYTES] STEP... -- COMMAND [ARG...]
 *
 * The command runs in a session of its own on the slave of a new pty of
 * the host, as a shell at a console runs it. The steps, in order:
 *   expect=TEXT   wait (10 s at most) until its output, since the last
 *                 match, holds TEXT
 *   send=TEXT     type TEXT; \n \r \t \\ and \xHH (\x03 is ^C) as in C
 *   resize=RxC    give the terminal R rows and C columns (SIGWINCH)
 *   kill=SIG      send the command SIGNAL (TERM, INT, HUP, a number)
 *   sleep=MS      wait
 * Then it waits (10 s at most) for the command, prints all it wrote, and
 * exits with its exit code (128+N for signal N). With -r it reads at most
 * BYTES a millisecond: a terminal slower than the command writes, so that
 * the command's output is still on its way when it exits. 124: a step or the wait
 * timed out; 99: the command left the terminal's settings changed (raw
 * mode not undone); 2: bad usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000

static char out[1 << 20];
static size_t out_len, matched;   /* what expect has looked at */
static int master;
static size_t rate;               /* -r: bytes a millisecond; 0: as fast as it comes */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Take what the command wrote, for at most ms. Returns 0 at EOF. */
static int collect(int ms)
{
	struct pollfd p = { master, POLLIN, 0 };

	if (poll(&p, 1, ms) <= 0)
		return 1;
	size_t room = sizeof out - 1 - out_len;
	ssize_t n = read(master, out + out_len, rate && rate < room ? rate : room);
	if (n <= 0)
		return 0;
	if (rate)
		usleep(1000);
	out_len += n;
	out[out_len] = '\0';
	return 1;
}

static void fail(const char *why, const char *what)
{
	fwrite(out, 1, out_len, stdout);
	fprintf(stderr, "\nptydrive: %s '%s'\n", why, what);
	exit(124);
}

static void expect(const char *text)
{
	long long end = now_ms() + TIMEOUT_MS;

	for (;;) {
		char *at = memmem(out + matched, out_len - matched, text, strlen(text));
		if (at) {
			matched = at - out + strlen(text);
			return;
		}
		if (now_ms() > end || !collect(100))
			fail("timed out waiting for", text);
	}
}

static void send_text(const char *text)
{
	char buf[4096];
	size_t n = 0;

	for (const char *p = text; *p && n < sizeof buf; p++) {
		if (*p != '\\' || !p[1]) {
			buf[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case 'x': {
			char hex[3] = { p[1], p[1] ? p[2] : 0, 0 };
			buf[n++] = (char)strtol(hex, NULL, 16);
			p += 2;
			break;
		}
		default: buf[n++] = *p;
		}
	}
	if (write(master, buf, n) != (ssize_t)n)
		fail("could not type", text);
}

static void set_size(const char *spec)
{
	struct winsize ws = { 0 };

	if (sscanf(spec, "%hux%hu", &ws.ws_row, &ws.ws_col) != 2) {
		fprintf(stderr, "ptydrive: size '%s': ROWSxCOLS\n", spec);
		exit(2);
	}
	ioctl(master, TIOCSWINSZ, &ws);
}

static int signal_of(const char *name)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP }, { "KILL", SIGKILL },
		{ "QUIT", SIGQUIT }, { "USR1", SIGUSR1 },
	};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i].name))
			return names[i].sig;
	return atoi(name);
}

static int same_settings(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
	       a->c_lflag == b->c_lflag && !memcmp(a->c_cc, b->c_cc, sizeof a->c_cc);
}

int main(int argc, char **argv)
{
	int first = 1, cmd = 0, slave, status;
	const char *size = "24x80";
	struct termios before, after;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		size = argv[2];
		first = 3;
	}
	if (argc > first + 1 && !strcmp(argv[first], "-r")) {
		rate = strtoul(argv[first + 1], NULL, 10);
		first += 2;
	}
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			cmd = i + 1;
			break;
		}
	if (!cmd || cmd >= argc) {
		fprintf(stderr, "usage: ptydrive [-s ROWSxCOLS] [-r BYTES] STEP... -- COMMAND [ARG...]\n");
		return 2;
	}
	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
		perror("ptydrive: a pty");
		return 2;
	}
	set_size(size);
	/* Ours, to read its settings once the command is done. */
	if ((slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0 || tcgetattr(slave, &before) < 0) {
		perror("ptydrive: the pty's slave");
		return 2;
	}
	if ((pid = fork()) == 0) {
		/* A session whose controlling terminal is the pty, as a login's. */
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		for (int fd = 0; fd < 3; fd++)
			dup2(slave, fd);
		close(slave);
		close(master);
		execvp(argv[cmd], argv + cmd);
		perror(argv[cmd]);
		_exit(127);
	}
	for (int i = first; i < cmd - 1; i++) {
		char *step = argv[i], *value = strchr(step, '=');
		if (!value) {
			fprintf(stderr, "ptydrive: step '%s': expected NAME=VALUE\n", step);
			kill(pid, SIGKILL);
			return 2;
		}
		value++;
		if (!strncmp(step, "expect=", 7))
			expect(value);
		else if (!strncmp(step, "send=", 5))
			send_text(value);
		else if (!strncmp(step, "resize=", 7))
			set_size(value);
		else if (!strncmp(step, "kill=", 5))
			kill(pid, signal_of(value));
		else if (!strncmp(step, "sleep=", 6)) {
			long long end = now_ms() + atoi(value);
			while (now_ms() < end)
				collect((int)(end - now_ms()));
		} else {
			fprintf(stderr, "ptydrive: unknown step '%s'\n", step);
			kill(pid, SIGKILL);
			return 2;
		}
	}
	long long end = now_ms() + TIMEOUT_MS;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail("timed out waiting for the command to exit", argv[cmd]);
		}
		collect(50);
	}
	while (collect(100) && now_ms() < end + 1000)
		;
	fwrite(out, 1, out_len, stdout);
	if (tcgetattr(slave, &after) == 0 && !same_settings(&before, &after)) {
		fprintf(stderr, "ptydrive: the terminal's settings were left changed\n");
		return 99;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
