//> ch06
/* `logs [-f]`: a detached container's stdout and stderr, as written. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <sys/inotify.h>
//> final
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
//<
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "container/process.h"
#include "container/record.h"
//> final
#include "container/logger.h"
#include "parse.h"
//<

//> ch06
static const char usage[] =
	"Usage: mydocker logs [OPTIONS] CONTAINER\n"
	"\n"
	"Print what a detached container wrote to stdout and stderr, in order.\n"
	"(A container run in the foreground wrote to its terminal instead.)\n"
	"\n"
	"Options:\n"
	"  -f, --follow   go on printing until the container exits\n"
//> final
	"  -n, --tail N       only the last N lines (then -f goes on from there); 'all': every one\n"
	"  -t, --timestamps   each line with the time it was written (RFC 3339, UTC)\n"
	"      --since TIME   only lines written at or after TIME: 10m, 1h30m (ago), Unix seconds,\n"
	"                     or RFC 3339 (2006-01-02T15:04:05Z; without a zone, local time)\n"
	"      --until TIME   only lines written at or before TIME (and -f ends there)\n"
//<
	"  -h, --help     print this help\n";

/* Write n bytes to stdout; -1 when it is gone. */
static int put(const char *p, size_t n)
{
	return write_all(STDOUT_FILENO, p, n) < 0 ? err_sys("write") : 0;
}

//> final
/* Reading the log back (logger.h): the time in front of each line taken
 * off, or printed with -t; the lines outside --since and --until left
 * out. A line that does not begin with a time (from chapter 6's runtime,
 * which wrote the container's bytes as they came) is printed as it is.
 * One reader reads every file, in order: a line cut by a rotation goes
 * on in the next file, after that file's time. */
static struct reader {
	int stamps;             /* -t */
	int64_t since, until;   /* nanoseconds since the epoch */
	int line_start;         /* the next byte begins a line */
	int file_start;         /* ... or a file: a time, even in the middle of a line */
	int shown;              /* the line being read is printed */
	size_t have;            /* bytes of its time read so far */
	char stamp[LOG_STAMP_LEN];
	size_t len;             /* bytes in out */
	char out[65536];
} reader = { .until = INT64_MAX, .line_start = 1, .shown = 1 };

static int flush_out(void)
{
	size_t n = reader.len;

	reader.len = 0;
	return put(reader.out, n);
}

static int print(const char *p, size_t n)
{
	if (reader.len + n > sizeof reader.out && flush_out() < 0)
		return -1;
	if (n > sizeof reader.out)
		return put(p, n);
	memcpy(reader.out + reader.len, p, n);
	reader.len += n;
	return 0;
}

static int filtering(void)
{
	return reader.since > 0 || reader.until < INT64_MAX;
}

static int feed(const char *p, size_t n);

/* The time at the top of a line is whole (or is none): the line is shown
 * or not, the time printed or not; what was no time is the line's text. */
static int take_stamp(void)
{
	int64_t t = 0;
	/* The time is read only where a filter needs it; otherwise its shape will do. */
	int ours = reader.have == LOG_STAMP_LEN &&
		   (filtering() ? log_stamp_read(reader.stamp, &t) == 0 : log_stamp_shaped(reader.stamp, LOG_STAMP_LEN));
	int top = reader.line_start;   /* not the rest of a cut line, at the top of a file */
	size_t have = reader.have;
	char text[LOG_STAMP_LEN];

	memcpy(text, reader.stamp, have);
	reader.have = 0;
	reader.line_start = reader.file_start = 0;
	if (!ours) {
		if (top)
			reader.shown = !filtering();   /* a line with no time is in no range */
		return feed(text, have);
	}
	if (!top)
		return 0;   /* a cut line keeps its first time */
	reader.shown = !filtering() || (t >= reader.since && t <= reader.until);
	return reader.shown && reader.stamps ? print(text, have) : 0;
}

static int feed(const char *p, size_t n)
{
	while (n > 0) {
		if (reader.line_start || reader.file_start) {
			size_t take = LOG_STAMP_LEN - reader.have < n ? LOG_STAMP_LEN - reader.have : n;
			memcpy(reader.stamp + reader.have, p, take);
			reader.have += take;
			p += take;
			n -= take;
			if (reader.have < LOG_STAMP_LEN && log_stamp_shaped(reader.stamp, reader.have))
				continue;   /* n is 0: the rest of the time comes with the next read */
			if (take_stamp() < 0)
				return -1;
			continue;
		}
		const char *nl = memchr(p, '\n', n);
		size_t piece = nl ? (size_t)(nl - p) + 1 : n;
		if (reader.shown && print(p, piece) < 0)
			return -1;
		reader.line_start = nl != NULL;
		p += piece;
		n -= piece;
	}
	return 0;
}

//<
/* Copy what fd has now to stdout; -1 when stdout is gone. */
static int copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_sys("read the log");
//> ch06 final
		//- if (put(buf, n) < 0)
		//- 	return -1;
//<
//> final
		if (feed(buf, n) < 0 || flush_out() < 0)
			return -1;
//<
	}
	return 0;
}

//> final
/* copy_out from the top of one of the log's files, which begins with a time. */
static int copy_log_file(int fd)
{
	reader.file_start = 1;
	return copy_out(fd);
}

/* The rotated copies of the log at path, oldest first (logger.h). */
static int copy_rotated(const char *path)
{
	char copy[4200];
	int fd, rc;

	for (int k = log_rotated(path); k >= 1; k--) {
		snprintf(copy, sizeof copy, "%s.%d", path, k);
		if ((fd = open(copy, O_RDONLY | O_CLOEXEC)) < 0)
			continue;   /* rotated away meanwhile */
		rc = copy_log_file(fd);
		close(fd);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Where the file open as fd is among the rotated copies of the log at
 * path: k for path.k; 0 when it is gone (dropped, or rotated to nothing). */
static int rotated_to(int fd, const char *path)
{
	struct stat ours, st;
	char copy[4200];

	if (fstat(fd, &ours) < 0)
		return 0;
	for (int k = 1; k <= MAX_LOG_FILES; k++) {
		snprintf(copy, sizeof copy, "%s.%d", path, k);
		if (stat(copy, &st) < 0)
			return 0;
		if (st.st_ino == ours.st_ino && st.st_dev == ours.st_dev)
			return k;
	}
	return 0;
}

/* Whether fd is the file at name now. */
static int is_at(int fd, const char *name)
{
	struct stat ours, st;

	return fstat(fd, &ours) == 0 && stat(name, &st) == 0 && st.st_ino == ours.st_ino && st.st_dev == ours.st_dev;
}

/* Print what *log has and, where the logger has rotated it since (perhaps
 * more than once), each newer file in turn up to the live log. The next
 * file is the one a step newer than ours: opened while ours is still where
 * we found it, so that no rotation in between can make us skip one. */
static int catch_up(int *log, const char *path)
{
	char ours_at[4200], newer[4200];
	int k, next;

	for (;;) {
		if (copy_out(*log) < 0)
			return -1;
		if (is_at(*log, path) || !file_exists(path))
			return 0;   /* not rotated (or between rename and create: next time) */
		if ((k = rotated_to(*log, path)) == 0) {
			/* Dropped while we were behind: go on from the oldest copy left. */
			k = log_rotated(path) + 1;
			ours_at[0] = '\0';
		} else
			snprintf(ours_at, sizeof ours_at, "%s.%d", path, k);
		if (k > 1)
			snprintf(newer, sizeof newer, "%s.%d", path, k - 1);
		else
			snprintf(newer, sizeof newer, "%s", path);
		if ((next = open(newer, O_RDONLY | O_CLOEXEC)) < 0)
			continue;   /* rotated meanwhile: look again */
		if (ours_at[0] && !is_at(*log, ours_at)) {
			close(next);
			continue;
		}
		/* Renamed before its successor was made: nothing more comes to it. */
		if (copy_out(*log) < 0) {
			close(next);
			return -1;
		}
		close(*log);
		*log = next;
		reader.file_start = 1;
	}
}

/* --tail N: the files to print, oldest first (the rotated copies, then the
 * live log, fd log), and where the last n lines begin among them: in
 * file *first at offset *at. A newline is where a line ends, so the last
 * byte of the live log, when one, is not counted; the files together are
 * one text (a rotation may cut a line in two). */
static int tail_start(int *fds, int nfds, int64_t n, int *first, off_t *at)
{
	char buf[65536];

	*first = 0;
	*at = 0;
	for (int f = nfds - 1; f >= 0; f--) {
		off_t end = lseek(fds[f], 0, SEEK_END);
		if (end < 0)
			return err_sys("read the log");
		if (f == nfds - 1 && n == 0) {
			*first = f;
			*at = end;
			return 0;
		}
		for (off_t pos = end; pos > 0;) {
			size_t len = pos < (off_t)sizeof buf ? (size_t)pos : sizeof buf;
			if (pread(fds[f], buf, len, pos - len) != (ssize_t)len)
				return err_sys("read the log");
			for (size_t i = len; i-- > 0;) {
				off_t here = pos - len + i;
				if (buf[i] != '\n' || (f == nfds - 1 && here == end - 1))
					continue;
				if (--n == 0) {
					*first = f;
					*at = here + 1;
					return 0;
				}
			}
			pos -= len;
		}
	}
	return 0;   /* fewer lines than that: all of them */
}

/* What logs prints before it follows: the last n lines (n < 0: all) of
 * the rotated copies and the live log, which it leaves at its end. */
static int print_tail(const char *path, int log, int64_t n)
{
	int fds[MAX_LOG_FILES + 1], nfds = 0, first, rc = 0;
	char copy[4200];
	off_t at;

	if (n < 0)
		return copy_rotated(path) < 0 || copy_log_file(log) < 0 ? -1 : 0;
	for (int k = log_rotated(path); k >= 1 && nfds < MAX_LOG_FILES; k--) {
		snprintf(copy, sizeof copy, "%s.%d", path, k);
		if ((fds[nfds] = open(copy, O_RDONLY | O_CLOEXEC)) >= 0)
			nfds++;
	}
	fds[nfds++] = log;
	if (tail_start(fds, nfds, n, &first, &at) < 0)
		rc = -1;
	for (int f = first; rc == 0 && f < nfds; f++)
		if (lseek(fds[f], f == first ? at : 0, SEEK_SET) < 0 || (f == first ? copy_out(fds[f]) : copy_log_file(fds[f])) < 0)
			rc = -1;
	for (int f = 0; f < nfds - 1; f++)
		close(fds[f]);
	return rc;
}

//<

/* Until the container's init ends: the log grows (inotify says when), or
 * the pidfd turns readable (it has ended: print what is left). */
//> final
/* In final: until its monitor ends (its logger has written all by then);
 * the log's directory changes (a write, a rotation: catch_up()). */
static int follow(int *log, const char *path, int inotify, int pidfd)
//<
//> ch06 final
//- static int follow(int log, int inotify, int pidfd)
//<
{
	struct pollfd p[2] = { { .fd = inotify, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
	char events[4096];

	for (;;) {
//> ch06 final
		//- if (poll(p, 2, -1) < 0 && errno != EINTR)
//<
//> final
		/* --until: no further than then. */
		int wait = -1, got;
		if (reader.until < INT64_MAX) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			int64_t left = reader.until - ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec);
			if (left < 0)
				return 0;
			wait = left / 1000000 < INT32_MAX ? (int)(left / 1000000) + 1 : INT32_MAX;
		}
		if ((got = poll(p, 2, wait)) < 0 && errno != EINTR)
//<
			return err_sys("poll");
//> final
		if (got == 0)
			return catch_up(log, path);
//<
		if (p[0].revents && read(inotify, events, sizeof events) < 0 && errno != EINTR)
			return err_sys("read inotify events");
//> ch06 final
		//- if (copy_out(log) < 0)
//<
//> final
		if (catch_up(log, path) < 0)
//<
			return -1;
		if (p[1].revents)
			return 0;
	}
}

int cmd_logs(int argc, char **argv)
{
	static const struct option options[] = {
		{ "follow", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
//> final
		{ "tail", required_argument, NULL, 'n' }, { "timestamps", no_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'S' }, { "until", required_argument, NULL, 'U' },
//<
		{ 0 }
	};
	int follow_it = 0, opt, log, inotify = -1, pidfd = -1, rc;
//> final
	int64_t tail = -1;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
//<
	char path[4096];
	struct record r;

	opterr = 0;
	optind = 1;
//> ch06 final
	//- while ((opt = getopt_long(argc, argv, "+fh", options, NULL)) != -1) {
//<
//> final
	while ((opt = getopt_long(argc, argv, "+:fhn:t", options, NULL)) != -1) {
//<
		switch (opt) {
		case 'f': follow_it = 1; break;
//> final
		case 'n':
			if (strcmp(optarg, "all") && parse_int(optarg, 0, INT64_MAX, &tail) < 0)
				return report_error((err_wrap("logs: --tail (a number of lines, or all)"), 1));
			break;
		case 't': reader.stamps = 1; break;
		case 'S': case 'U':
			if (parse_time(optarg, now_ns, opt == 'S' ? &reader.since : &reader.until) < 0)
				return report_error((err_wrap("logs: %s", opt == 'S' ? "--since" : "--until"), 1));
			break;
		case ':':
			return report_error((err_set("logs: option '%s' needs a value", argv[optind - 1]), 1));
//<
		case 'h': fputs(usage, stdout); return 0;
		default:
			err_set("logs: unknown option '%s' (see 'mydocker logs --help')", argv[optind - 1]);
			return report_error(1);
		}
	}
	if (argc - optind != 1) {
		err_set("logs: give one container (see 'mydocker logs --help')");
		return report_error(1);
	}
	if (record_find(argv[optind], &r) < 0 || record_path(path, sizeof path, r.id, "log") < 0)
		return report_error(1);
	if ((log = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			return report_error((err_sys("open %s", path), 1));
		return 0;   /* it ran in the foreground: no log */
	}
	/* Watch before the first read, so that nothing written in between is missed. */
//> ch06 final
	//- if (follow_it && r.status == STATUS_RUNNING && (pidfd = process_open(r.pid, r.pid_start)) >= 0 &&
	//-     ((inotify = inotify_init1(IN_CLOEXEC)) < 0 || inotify_add_watch(inotify, path, IN_MODIFY) < 0))
	//- 	rc = err_sys("watch %s", path);
	//- else if ((rc = copy_out(log)) == 0 && pidfd >= 0)
	//- 	rc = follow(log, inotify, pidfd);
//<
//> final
	/* The directory, not the file: a rotation renames the file away. The
	 * monitor, not the init: the logger may still be writing after that. */
	char dir[4096];
	if (record_path(dir, sizeof dir, r.id, NULL) < 0)
		rc = -1;
	else if (follow_it && r.status == STATUS_RUNNING && (pidfd = process_open(r.monitor, r.monitor_start)) >= 0 &&
		 ((inotify = inotify_init1(IN_CLOEXEC)) < 0 ||
		  inotify_add_watch(inotify, dir, IN_MODIFY | IN_CREATE | IN_MOVED_FROM) < 0))
		rc = err_sys("watch %s", dir);
	else if ((rc = print_tail(path, log, tail)) == 0 && pidfd >= 0)
		rc = follow(&log, path, inotify, pidfd);
//<
	close(log);
	if (pidfd >= 0)
		close(pidfd);
	if (inotify >= 0)
		close(inotify);
	return rc < 0 ? report_error(1) : 0;
}
//<
