//> ch06
#include "container/detach.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

//> ch06
pid_t detach_fork(int *fd)
{
	int report[2];
	pid_t pid;

	if (pipe2(report, O_CLOEXEC) < 0)
		return err_sys("pipe");
	if ((pid = fork()) < 0) {
		close(report[0]);
		close(report[1]);
		return err_sys("fork the monitor");
	}
	if (pid > 0) {
		close(report[1]);
		*fd = report[0];
		return pid;
	}
	close(report[0]);
	*fd = report[1];
	/* A session of its own: no terminal, so no SIGHUP or ^C when the
	 * caller's shell goes away. */
	setsid();
	/* Nothing of the caller's stays open in the monitor: a kept pipe would
	 * make `id=$(mydocker run -d ...)` wait for the container to exit, and
	 * a kept directory would pin a mount. */
	if (chdir("/") < 0 || open_onto(STDIN_FILENO, "/dev/null", O_RDONLY) < 0 ||
	    open_onto(STDOUT_FILENO, "/dev/null", O_WRONLY) < 0 || open_onto(STDERR_FILENO, "/dev/null", O_WRONLY) < 0) {
		detach_report(*fd, EXIT_RUNTIME, "", err_msg());
		_exit(EXIT_RUNTIME);
	}
	if (*fd > 3)
		close_range(3, *fd - 1, 0);
	close_range(*fd + 1, ~0U, 0);
	return 0;
}

int detach_log(const char *log)
{
	/* O_APPEND: stdout and stderr write through one file position, so the
	 * log keeps their lines in the order they were written. */
	if (open_onto(STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_APPEND) < 0 ||
	    dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
		return err_sys("log to %s", log);
	return 0;
}

void detach_report(int fd, int code, const char *id, const char *message)
{
	/* The caller may be gone (killed, ^C, a timeout): writing to its pipe
	 * then raises SIGPIPE, which would end this monitor and with it the
	 * container. Ignored, the write fails with EPIPE and we go on. The
	 * container has exec'd, or never will: it keeps its own dispositions. */
	signal(SIGPIPE, SIG_IGN);
	dprintf(fd, "%d %s\n%s", code, id, code ? message : "");
	close(fd);
	signal(SIGPIPE, SIG_DFL);
}

int detach_wait(int fd)
{
	char buf[2048], id[80] = "";
	int code = -1;

	if (read_fd(fd, buf, sizeof buf) < 0)
		buf[0] = '\0';
	close(fd);
	if (sscanf(buf, "%d %79s", &code, id) < 1) {
		say("the container's monitor died before it could start the container");
		return EXIT_RUNTIME;
	}
	if (code == 0) {
		printf("%s\n", id);
		return 0;
	}
	say("%s", strchr(buf, '\n') ? strchr(buf, '\n') + 1 : "the container did not start");
	return code;
}
//| /* TODO(ch06) step 2: fork a monitor that runs the container in its own session
//|  * with stdin on /dev/null and stdout+stderr appended to the log, and
//|  * reports "started" (or why not) over a pipe; the runtime prints the ID
//|  * (man 2 fork, man 2 setsid, man 2 dup2, man 2 pipe). Until then -d
//|  * runs the container in the foreground. */
//| pid_t detach_fork(int *fd) { *fd = -1; return 0; }
//| int detach_wait(int fd) { (void)fd; return 0; }
//| int detach_log(const char *log) { (void)log; return 0; }
//| void detach_report(int fd, int code, const char *id, const char *message)
//| { (void)fd; (void)code; (void)id; (void)message; }
//<
