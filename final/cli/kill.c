//> final
/* `kill`: a signal to running containers' init (default SIGKILL). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "container/process.h"
#include "container/record.h"
#include "container/signals.h"

static const char usage[] =
	"Usage: mydocker kill [OPTIONS] CONTAINER...\n"
	"\n"
	"Send a signal to the init of running containers (default SIGKILL).\n"
	"\n"
	"Options:\n"
	"  -s, --signal SIG   the signal: a number or a name (TERM, SIGUSR1, RTMIN+1)\n"
	"  -h, --help         print this help\n";

static int kill_one(const char *ref, int sig)
{
	struct record r;
	int init, rc;

	if (record_find(ref, &r) < 0)
		return -1;
	if (!record_running(&r) || (init = process_open(r.pid, r.pid_start)) < 0)
		return err_set("cannot kill container %s: it is not running", ref);
	/* What stop would send, or SIGKILL: it is to stay down (--restart). */
	struct record now;
	if ((sig == SIGKILL || sig == (r.stop_signal ? r.stop_signal : SIGTERM)) && record_mark_stopped(r.id, &now) < 0)
		report_error(0);
	/* Through a pidfd: never a process that took over the PID. */
	rc = process_signal(init, sig);
	close(init);
	/* A paused container takes its SIGKILL only once thawed (v1). */
	if (rc == 0 && sig == SIGKILL && cgroup_frozen(&r.cgroup) == 1)
		cgroup_freeze(&r.cgroup, 0);
	return rc < 0 ? err_wrap("kill %s", ref) : 0;
}

int cmd_kill(int argc, char **argv)
{
	static const struct option options[] = {
		{ "signal", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int opt, sig = SIGKILL, rc = 0;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:s:h", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (signal_parse(optarg, &sig) < 0)
				return report_error((err_wrap("kill: --signal"), 1));
			break;
		case 'h': fputs(usage, stdout); return 0;
		case ':':
			return report_error((err_set("kill: option '%s' needs a value", argv[optind - 1]), 1));
		default:
			return report_error((err_set("kill: unknown option '%s' (see 'mydocker kill --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("kill: give at least one container (see 'mydocker kill --help')"), 1));
	for (int i = optind; i < argc; i++) {
		if (kill_one(argv[i], sig) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}
