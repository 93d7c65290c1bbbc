//> final
#include "container/init.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "security/sealed_exe.h"

int init_possible(void)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), interp = 0;

	if (fd < 0)
		return err_sys("open /proc/self/exe");
	if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		close(fd);
		return err_set("--init: /proc/self/exe is no ELF file");
	}
	for (int i = 0; i < eh.e_phnum && !interp; i++)
		interp = pread(fd, &ph, sizeof ph, eh.e_phoff + (off_t)i * eh.e_phentsize) == sizeof ph &&
			 ph.p_type == PT_INTERP;
	close(fd);
	/* A dynamic program needs its loader and libraries, which an image
	 * (busybox's) does not have: the init would fail to start in it. */
	if (interp)
		return err_set("--init: this mydocker is linked dynamically (a sanitizer build?), and its init "
			       "would need the host's libraries inside the container; use a static build (make final)");
	return 0;
}

int init_exec(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	char **init_argv = calloc(n + 4, sizeof *init_argv);
	if (!init_argv)
		return err_sys("init's arguments");
	init_argv[0] = "mydocker-init";
	init_argv[1] = "init";
	init_argv[2] = "--";
	memcpy(init_argv + 3, argv, n * sizeof *argv);
	sealed_exe_reexec(init_argv);
	free(init_argv);
	return -1;
}

/* Wait for the next signal; SIGCHLD reaps every child that has ended.
 * Returns the command's exit code once it has ended, -1 until then. */
static int next_signal(const sigset_t *all, pid_t command)
{
	siginfo_t si;
	int status, code = -1;
	pid_t pid;

	if (sigwaitinfo(all, &si) < 0)
		return -1;   /* EINTR */
	if (si.si_signo != SIGCHLD) {
		/* Ours to pass on: stop's SIGTERM, a ^C forwarded by the runtime. */
		kill(command, si.si_signo);
		return -1;
	}
	/* One SIGCHLD may stand for many exits: reap until none is left. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == command)
			code = exit_code(status);
	return code;
}

int cmd_init(int argc, char **argv)
{
	sigset_t all, none;
	pid_t command;
	int code;

	if (argc < 3 || strcmp(argv[1], "--")) {
		err_set("init: usage: init -- COMMAND [ARG...] (what run --init runs as PID 1)");
		return report_error(EXIT_RUNTIME);
	}
	if (getpid() != 1) {
		err_set("init: runs only as a container's PID 1 (use run --init)");
		return report_error(EXIT_RUNTIME);
	}
	/* Blocked before the fork: a signal sent meanwhile waits for us. */
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if ((command = fork()) < 0) {
		err_sys("init: fork");
		return report_error(EXIT_RUNTIME);
	}
	if (command == 0) {
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[2], argv + 2);
		if (errno == ENOENT) {
			err_set("%s: executable file not found", argv[2]);
			_exit(report_error(EXIT_NOT_FOUND));
		}
		err_sys("cannot run %s", argv[2]);
		_exit(report_error(EXIT_CANNOT_INVOKE));
	}
	while ((code = next_signal(&all, command)) < 0)
		;
	return code;
}
