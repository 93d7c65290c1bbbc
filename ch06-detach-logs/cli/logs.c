/* `logs [-f]`: a detached container's stdout and stderr, as written. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "container/process.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker logs [OPTIONS] CONTAINER\n"
	"\n"
	"Print what a detached container wrote to stdout and stderr, in order.\n"
	"(A container run in the foreground wrote to its terminal instead.)\n"
	"\n"
	"Options:\n"
	"  -f, --follow   go on printing until the container exits\n"
	"  -h, --help     print this help\n";

/* Write n bytes to stdout; -1 when it is gone. */
static int put(const char *p, size_t n)
{
	return write_all(STDOUT_FILENO, p, n) < 0 ? err_sys("write") : 0;
}

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
		if (put(buf, n) < 0)
			return -1;
	}
	return 0;
}


/* Until the container's init ends: the log grows (inotify says when), or
 * the pidfd turns readable (it has ended: print what is left). */
static int follow(int log, int inotify, int pidfd)
{
	struct pollfd p[2] = { { .fd = inotify, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
	char events[4096];

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return err_sys("poll");
		if (p[0].revents && read(inotify, events, sizeof events) < 0 && errno != EINTR)
			return err_sys("read inotify events");
		if (copy_out(log) < 0)
			return -1;
		if (p[1].revents)
			return 0;
	}
}

int cmd_logs(int argc, char **argv)
{
	static const struct option options[] = {
		{ "follow", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int follow_it = 0, opt, log, inotify = -1, pidfd = -1, rc;
	char path[4096];
	struct record r;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+fh", options, NULL)) != -1) {
		switch (opt) {
		case 'f': follow_it = 1; break;
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
	if (follow_it && r.status == STATUS_RUNNING && (pidfd = process_open(r.pid, r.pid_start)) >= 0 &&
	    ((inotify = inotify_init1(IN_CLOEXEC)) < 0 || inotify_add_watch(inotify, path, IN_MODIFY) < 0))
		rc = err_sys("watch %s", path);
	else if ((rc = copy_out(log)) == 0 && pidfd >= 0)
		rc = follow(log, inotify, pidfd);
	close(log);
	if (pidfd >= 0)
		close(pidfd);
	if (inotify >= 0)
		close(inotify);
	return rc < 0 ? report_error(1) : 0;
}
