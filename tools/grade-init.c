/* grade-init COMMAND [ARG...]: PID 1 of a grading run's own PID namespace.
 *
 * tools/grade.sh runs bats as `unshare --pid --fork ... grade-init bats ...`,
 * so every process the tests start (containers, -d monitors, orphans) lives
 * in a namespace of its own, and the leak checks see this run's processes
 * and no one else's on a shared host. PID 1 of a namespace inherits every
 * orphan: it must reap them, or a dead monitor would stay a zombie that
 * kill(pid, 0) still finds. When COMMAND exits, so does grade-init, with
 * COMMAND's status; the kernel then kills whatever the run left behind.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t command;

/* PID 1 receives only the signals it handles: pass these on, so that
 * Ctrl-C or a timeout stops the run. */
static void forward(int sig)
{
	if (command > 0)
		kill(command, sig);
}

int main(int argc, char **argv)
{
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: grade-init COMMAND [ARG...]\n");
		return 2;
	}
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	command = fork();
	if (command < 0) {
		perror("grade-init: fork");
		return 125;
	}
	if (command == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "grade-init: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t pid = wait(&status);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return 125;
		if (pid == command)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}
