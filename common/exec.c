#include "exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

int exit_code(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* fork and exec argv with stdout on out and stderr on err (ours where < 0). */
static pid_t start(char *const argv[], int out, int err)
{
	pid_t pid = fork();

	if (pid < 0)
		return err_sys("fork for %s", argv[0]);
	if (pid == 0) {
		if ((out >= 0 && dup2(out, STDOUT_FILENO) < 0) || (err >= 0 && dup2(err, STDERR_FILENO) < 0))
			_exit(EXIT_CANNOT_INVOKE);
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_INVOKE);
	}
	return pid;
}

static int finish(char *const argv[], pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys("wait for %s", argv[0]);
	return exit_code(status);
}

int run_argv(char *const argv[])
{
	pid_t pid = start(argv, -1, -1);

	return pid < 0 ? -1 : finish(argv, pid);
}

int run_argv_quiet(char *const argv[])
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pid_t pid;

	if (null < 0)
		return err_sys("open /dev/null");
	pid = start(argv, null, null);
	close(null);
	return pid < 0 ? -1 : finish(argv, pid);
}

/* run argv with its stdout (fd 1) or stderr (fd 2) captured into out. */
static int run_capture(char *const argv[], int fd, char *out, size_t size)
{
	int fds[2];
	size_t len = 0;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_sys("pipe");
	pid_t pid = start(argv, fd == STDOUT_FILENO ? fds[1] : -1, fd == STDERR_FILENO ? fds[1] : -1);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	/* Read to EOF even past size, so the program never blocks on a full pipe. */
	char sink[4096];
	while ((n = read(fds[0], len + 1 < size ? out + len : sink,
			 len + 1 < size ? size - 1 - len : sizeof sink)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (len + 1 < size)
			len += n;
	}
	out[len] = '\0';
	close(fds[0]);
	return finish(argv, pid);
}

int run_argv_output(char *const argv[], char *out, size_t size)
{
	return run_capture(argv, STDOUT_FILENO, out, size);
}

int run_argv_errors(char *const argv[], char *out, size_t size)
{
	return run_capture(argv, STDERR_FILENO, out, size);
}
