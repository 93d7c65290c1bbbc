//> final
#include "container/logger.h"

#include <ctype.h>
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
		if (o->max_size < LOG_MIN_SIZE)
			return err_set("--log-opt max-size=%s: must be at least %d bytes (each line's time takes %d)",
				       value, LOG_MIN_SIZE, LOG_STAMP_LEN);
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

/* The log as the logger writes it: its file (our stdout), the bytes it
 * holds, whether the next byte begins a line, and what is not yet written. */
struct log_file {
	const char *path;
	const struct log_opts *o;
	int64_t size;
	int line_start;
	size_t len;
	char out[2 * 65536];
};

static void flush(struct log_file *f)
{
	/* On a full disk this is lost; the next may fit. */
	write_all(STDOUT_FILENO, f->out, f->len);
	f->len = 0;
}

/* path -> path.1 -> ... -> path.(files-1), the oldest dropped, and a new
 * empty path to write to. Renamed, not copied: a `logs -f` reading the old
 * file keeps reading it to its end, then finds the new one. */
static void rotate(struct log_file *f)
{
	char from[4200], to[4200];

	flush(f);
	if (f->o->max_files == 1)
		unlink(f->path);
	for (int64_t k = f->o->max_files - 1; k >= 1; k--) {
		snprintf(to, sizeof to, "%s.%lld", f->path, (long long)k);
		if (k == 1)
			snprintf(from, sizeof from, "%s", f->path);
		else
			snprintf(from, sizeof from, "%s.%lld", f->path, (long long)k - 1);
		rename(from, to);
	}
	open_onto(STDOUT_FILENO, f->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND);
	f->size = 0;
}

/* What one read brought, into the log: the time (stamp) before each line
 * and at the top of each file; whole lines in a file where they fit. */
static void log_bytes(struct log_file *f, const char *data, size_t n, const char *stamp)
{
	while (n > 0) {
		size_t need = f->line_start || f->size == 0 ? LOG_STAMP_LEN : 0;
		const char *nl = memchr(data, '\n', n);
		size_t piece = nl ? (size_t)(nl - data) + 1 : n;

		if (f->size > 0 && f->size + (int64_t)(need + piece) > f->o->max_size) {
			rotate(f);
			continue;
		}
		if ((int64_t)(need + piece) > f->o->max_size)
			piece = f->o->max_size - need;   /* longer than a whole file: cut */
		if (f->len + need + piece > sizeof f->out)
			flush(f);
		memcpy(f->out + f->len, stamp, need);
		memcpy(f->out + f->len + need, data, piece);
		f->len += need + piece;
		f->size += need + piece;
		f->line_start = data[piece - 1] == '\n';
		data += piece;
		n -= piece;
	}
}

static void logger(int in, const char *path, const struct log_opts *o)
{
	static struct log_file f;
	static char buf[65536];
	char stamp[LOG_STAMP_LEN + 1], last = '\n';
	struct timespec now;
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
	f.path = path;
	f.o = o;
	if (detach_log(path) < 0)
		_exit(1);
	/* Run again, the container goes on where its last run stopped: in
	 * the middle of a line, perhaps. */
	int back = open(path, O_RDONLY | O_CLOEXEC);   /* ours is write-only */
	if (fstat(STDOUT_FILENO, &st) == 0 && (f.size = st.st_size) > 0 && back >= 0)
		pread(back, &last, 1, st.st_size - 1);
	if (back >= 0)
		close(back);
	f.line_start = last == '\n';
	if (f.size >= o->max_size)
		rotate(&f);
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		clock_gettime(CLOCK_REALTIME, &now);
		log_stamp(&now, stamp);
		log_bytes(&f, buf, n, stamp);
		flush(&f);
	}
	_exit(0);
}

pid_t log_open(const char *path, const struct log_opts *o)
{
	struct log_opts bounds = { o->max_size ? o->max_size : INT64_MAX, o->max_files ? o->max_files : 1 };
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys("pipe");
	if ((pid = fork()) == 0) {
		close(p[1]);
		logger(p[0], path, &bounds);
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

void log_stamp(const struct timespec *t, char out[LOG_STAMP_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t->tv_sec, &tm);
	strftime(out, LOG_STAMP_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, LOG_STAMP_LEN + 1 - 19, ".%09uZ ", (unsigned)t->tv_nsec % 1000000000u);
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

int log_stamp_shaped(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddddZ ";

	for (size_t i = 0; i < len && i < LOG_STAMP_LEN; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

int log_stamp_read(const char *s, int64_t *ns)
{
	char text[LOG_STAMP_LEN];

	if (!log_stamp_shaped(s, LOG_STAMP_LEN))
		return -1;
	memcpy(text, s, LOG_STAMP_LEN - 1);   /* without its space */
	text[LOG_STAMP_LEN - 1] = '\0';
	return parse_time(text, 0, ns);
}
