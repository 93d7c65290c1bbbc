#include "container/signals.h"

#include <stddef.h>
#include <sys/wait.h>

#include "exec.h"

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 };

void signals_block(sigset_t *set, sigset_t *old)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		sigaddset(set, forwarded[i]);
	sigprocmask(SIG_BLOCK, set, old);
	/* A shell starts background jobs with SIGINT and SIGQUIT ignored, and an
	 * ignored signal never becomes pending: sigwaitinfo() would not see it.
	 * Default dispositions (harmless while blocked) let us catch and forward
	 * them, and the child starts with default dispositions as in docker. */
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		signal(forwarded[i], SIG_DFL);
}

/* Signals are blocked and taken with sigwaitinfo(), so there is no handler
 * to race with. */
int signals_forward_until_exit(pid_t pid, const sigset_t *set)
{
	int status;
	siginfo_t si;

	for (;;) {
		int sig = sigwaitinfo(set, &si);
		if (sig < 0)
			continue;    /* EINTR */
		if (sig == SIGCHLD) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				return exit_code(status);
			continue;
		}
		/* Keys typed at the terminal (^C) already reach the child: it is in
		 * our foreground process group. Forward what was sent with kill(). */
		if (si.si_code == SI_USER || si.si_code == SI_QUEUE)
			kill(pid, sig);
	}
}
