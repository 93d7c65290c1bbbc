#include "container/process.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

/* The lab of chapter 6, step 1 (ch06-detach-logs/README.md, "Lab"): a PID
 * named safely. process_start_time and process_open are yours; the thin
 * calls below them are given. */
unsigned long long process_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof buf) < 0)
		return 0;
	/* "PID (comm) state ppid ...": comm may hold spaces and ')', so count the
	 * fields from the last ')'. starttime is field 22, the 20th after it. */
	if (!(p = strrchr(buf, ')')))
		return 0;
	if (sscanf(p + 1, " %*c" " %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
		   &start) != 1)
		return 0;
	return start;
}

int process_open(pid_t pid, unsigned long long start)
{
	if (pid <= 0 || start == 0)
		return -1;
	/* Open first, check second: once the pidfd exists it names the process
	 * that had the PID at that moment, so a matching start time read after
	 * it proves the pidfd is the right one. (glibc < 2.36 has no wrapper.) */
	int fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -1;
	if (process_start_time(pid) != start) {
		close(fd);
		return -1;
	}
	return fd;
}

int process_alive(pid_t pid, unsigned long long start)
{
	int fd = process_open(pid, start);

	if (fd < 0)
		return 0;
	int ended = process_wait(fd, 0);
	close(fd);
	return !ended;
}

int process_signal(int pidfd, int sig)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 && errno != ESRCH)
		return err_sys("send signal %d", sig);
	return 0;
}

int process_wait(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	/* A pidfd turns readable when its process ends (zombie or reaped). */
	while ((n = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return n > 0;
}
