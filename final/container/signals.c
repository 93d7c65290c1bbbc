#include "container/signals.h"

#include <stddef.h>
#include <sys/wait.h>
//> final
#include <string.h>
#include <strings.h>

#include "error.h"
#include "parse.h"
//<

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
//> ch01
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
//> ch01 final
		//- /* Keys typed at the terminal (^C) already reach the child: it is in
		//-  * our foreground process group. Forward what was sent with kill(). */
		//- if (si.si_code == SI_USER || si.si_code == SI_QUEUE)
		//- 	kill(pid, sig);
//<
//> final
		/* The container has a session of its own (child.c): what the
		 * terminal sends (^C, a hangup) reaches only us. Forward it all. */
		(void)si;
		kill(pid, sig);
//<
	}
	//| /* TODO(ch01) step 4: until pid exits, take each signal of set as it
	//|  * comes (sigwaitinfo(2): they are blocked, so none is lost and no
	//|  * handler races us) and send it on to pid with kill(2), only those
	//|  * someone sent us (si_code SI_USER, SI_QUEUE); on SIGCHLD reap pid
	//|  * (waitpid, WNOHANG) and return exit_code(status). Until then: wait. */
	//| (void)set;
	//| waitpid(pid, &status, 0);
	//| return exit_code(status);
//<
}
//> final

int signal_parse(const char *s, int *sig)
{
	const char *name = strncasecmp(s, "SIG", 3) ? s : s + 3;
	int64_t n;

	if (parse_int(s, 1, SIGRTMAX, &n) == 0) {
		*sig = n;
		return 0;
	}
	for (int i = 1; i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);
		if (abbrev && !strcasecmp(name, abbrev)) {
			*sig = i;
			return 0;
		}
	}
	if (!strncasecmp(name, "RTMIN+", 6) && parse_int(name + 6, 0, SIGRTMAX - SIGRTMIN, &n) == 0) {
		*sig = SIGRTMIN + n;
		return 0;
	}
	return err_set("invalid signal '%s' (a number, or a name: TERM, SIGUSR1, RTMIN+1)", s);
}
//<
