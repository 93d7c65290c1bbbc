//> final
/* `start` and `restart`: an exited container runs again, with its layer,
 * its name and the options it was run with (its record keeps run's words). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/lifecycle.h"
#include "container/record.h"

static const char start_usage[] =
	"Usage: mydocker start [OPTIONS] CONTAINER...\n"
	"\n"
	"Run exited containers again: their filesystem, name and run options are kept.\n"
	"A detached start prints each CONTAINER once it runs; one that runs is left as it is.\n"
	"\n"
	"Options:\n"
	"  -a, --attach        in the foreground: its output here, its exit code ours (one container)\n"
	"  -i, --interactive   with -a: our stdin is its stdin (it always is in the foreground)\n"
	"  -h, --help          print this help\n";

static const char restart_usage[] =
	"Usage: mydocker restart [OPTIONS] CONTAINER...\n"
	"\n"
	"Stop containers (as stop does) and start them again, detached.\n"
	"\n"
	"Options:\n"
	"  -t, --time SECS   seconds to wait before SIGKILL (default: run's --stop-timeout, or 10)\n"
	"  -h, --help        print this help\n";

/* Already up: start has nothing to do (docker's answer too). */
static int up(const struct record *r)
{
	const char *state = record_state(r);

	return !strcmp(state, "running") || !strcmp(state, "paused");
}

static int start_one(const char *ref, int attach)
{
	struct record r;
	int code;

	if (record_find(ref, &r) < 0)
		return report_error(1);
	if (up(&r)) {
		if (!attach)
			printf("%s\n", ref);
		return 0;
	}
	fflush(stdout);   /* the monitor is forked: nothing printed twice */
	code = run_again(&r, ref, attach);
	/* Detached, a start that failed is start's error (1); attached, the
	 * container's code is ours, as run's. */
	return attach || code == 0 ? code : 1;
}

int cmd_start(int argc, char **argv)
{
	static const struct option options[] = {
		{ "attach", no_argument, NULL, 'a' }, { "interactive", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	int opt, attach = 0, rc = 0;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+aih", options, NULL)) != -1) {
		switch (opt) {
		case 'a': attach = 1; break;
		case 'i': break;
		case 'h': fputs(start_usage, stdout); return 0;
		default:
			return report_error((err_set("start: unknown option '%s' (see 'mydocker start --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("start: give at least one container (see 'mydocker start --help')"), 1));
	if (attach && argc - optind > 1)
		return report_error((err_set("start -a: one container at a time (its output and code are ours)"), 1));
	for (int i = optind; i < argc; i++) {
		int code = start_one(argv[i], attach);
		if (code != 0)
			rc = code;
	}
	return rc;
}

int cmd_restart(int argc, char **argv)
{
	static const struct option options[] = {
		{ "time", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int64_t timeout = -1;
	int opt, rc = 0;
	struct record r;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:t:h", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (parse_int(optarg, 0, 3600, &timeout) < 0)
				return report_error((err_wrap("restart: --time"), 1));
			break;
		case 'h': fputs(restart_usage, stdout); return 0;
		case ':':
			return report_error((err_set("restart: option '%s' needs a value", argv[optind - 1]), 1));
		default:
			return report_error((err_set("restart: unknown option '%s' (see 'mydocker restart --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("restart: give at least one container (see 'mydocker restart --help')"), 1));
	for (int i = optind; i < argc; i++) {
		if (record_find(argv[i], &r) < 0 ||
		    container_end(&r, timeout >= 0 ? timeout : r.stop_timeout >= 0 ? r.stop_timeout : 10) < 0) {
			rc = report_error(1);
			continue;
		}
		if (start_one(argv[i], 0) != 0)
			rc = 1;
	}
	return rc;
}
