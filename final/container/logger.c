//> final
#include "container/logger.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "parse.h"
#include "container/detach.h"

int log_opt(struct log_opts *o, const char *kv)
{
	const char *value = strchr(kv, '=');

	if (!value || value == kv || !value[1])
		return err_set("--log-opt '%s': expected KEY=VALUE (max-size=10m, max-file=3)", kv);
	value++;
	if (!strncmp(kv, "max-size=", 9)) {
		if (parse_size(value, &o->max_size) < 0)
			return err_wrap("--log-opt max-size");
		if (o->max_size == 0)
			return err_set("--log-opt max-size=%s: must be more than 0", value);
		return 0;
	}
	if (!strncmp(kv, "max-file=", 9)) {
		if (parse_int(value, 1, MAX_LOG_FILES, &o->max_files) < 0)
			return err_wrap("--log-opt max-file");
		return 0;
	}
	return err_set("--log-opt '%.*s': unknown log opt (max-size and max-file are known)", (int)(value - kv - 1), kv);
}

int log_check(const struct log_opts *o)
{
	if (o->max_files > 1 && o->max_size == 0)
		return err_set("--log-opt max-file needs max-size: without it the log is never rotated");
	return 0;
}

int log_rotated(const char *path)
{
	char copy[4200];
	int n = 0;

	while (n < MAX_LOG_FILES && snprintf(copy, sizeof copy, "%s.%d", path, n + 1) > 0 && file_exists(copy))
		n++;
	return n;
}

/* path -> path.1 -> ... -> path.(files-1), the oldest dropped, and a new
 * empty path to write to. Renamed, not copied: a `logs -f` reading the old
 * file keeps reading it to its end, then finds the new one. */
static int rotate(const char *path, int64_t files, int fd)
{
	char from[4200], to[4200];

	close(fd);
	if (files == 1)
		unlink(path);
	for (int64_t k = files - 1; k >= 1; k--) {
		snprintf(to, sizeof to, "%s.%lld", path, (long long)k);
		if (k == 1)
			snprintf(from, sizeof from, "%s", path);
		else
			snprintf(from, sizeof from, "%s.%lld", path, (long long)k - 1);
		rename(from, to);
	}
	return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
}

/* How much of data (n bytes) goes into a file with room bytes left: whole
 * lines where they fit; a line longer than a whole file is cut. */
static size_t fitting(const char *data, size_t n, size_t room, int empty)
{
	if (n <= room)
		return n;
	for (size_t i = room; i > 0; i--)
		if (data[i - 1] == '\n')
			return i;
	return empty ? room : 0;
}

static void write_all(int fd, const char *data, size_t n, int64_t *size)
{
	while (n > 0) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;   /* a full disk: this is lost, the next may fit */
		data += w;
		n -= w;
		*size += w;
	}
}

static void logger(int in, const char *path, const struct log_opts *o)
{
	static char buf[65536];
	int64_t size = 0;
	sigset_t all;
	struct stat st;
	ssize_t n;

	/* Nothing but the end of its input ends it (SIGKILL still does): what
	 * the container wrote is not lost to a stray signal. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	/* Only the pipe: the caller's report pipe held open here would keep
	 * `run -d` waiting for EOF as long as the container runs. */
	dup2(in, STDIN_FILENO);
	close_range(STDERR_FILENO + 1, ~0U, 0);
	int out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (out >= 0 && fstat(out, &st) == 0 && (size = st.st_size) >= o->max_size) {
		out = rotate(path, o->max_files, out);
		size = 0;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (char *p = buf; n > 0; ) {
			size_t take = fitting(p, n, o->max_size - size, size == 0);
			write_all(out, p, take, &size);
			p += take;
			n -= take;
			if (n > 0 || size >= o->max_size) {
				out = rotate(path, o->max_files, out);
				size = 0;
			}
		}
	}
	_exit(0);
}

pid_t log_open(const char *path, const struct log_opts *o)
{
	int p[2];
	pid_t pid;

	struct log_opts rotating = { o->max_size, o->max_files ? o->max_files : 1 };

	if (o->max_size == 0)
		return detach_log(path);
	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys("pipe");
	if ((pid = fork()) == 0) {
		close(p[1]);
		logger(p[0], path, &rotating);
	}
	close(p[0]);
	if (pid < 0 || dup2(p[1], STDOUT_FILENO) < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		err_sys(pid < 0 ? "fork the logger" : "log to the logger");
		close(p[1]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return -1;
	}
	close(p[1]);
	return pid;
}

void log_close(pid_t logger)
{
	if (logger <= 0)
		return;
	/* Ours were the last write ends (the container's are closed: it has
	 * ended): the logger reads EOF once it has written the rest. */
	open_onto(STDOUT_FILENO, "/dev/null", O_WRONLY);
	open_onto(STDERR_FILENO, "/dev/null", O_WRONLY);
	while (waitpid(logger, NULL, 0) < 0 && errno == EINTR)
		;
}
