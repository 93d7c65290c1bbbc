#include "exec.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

int exit_code(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

int run_argv(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return err_sys("fork for %s", argv[0]);
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_INVOKE);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys("wait for %s", argv[0]);
	return exit_code(status);
}
