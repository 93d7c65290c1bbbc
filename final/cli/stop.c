//> ch06
/* `stop`: end containers' processes, with a grace period. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/lifecycle.h"
#include "container/record.h"

static const char stop_usage[] =
	"Usage: mydocker stop [OPTIONS] CONTAINER...\n"
	"\n"
//> ch06 final
	//- "Stop running containers: SIGTERM, then SIGKILL after a grace period.\n"
	//- "\n"
	//- "Options:\n"
	//- "  -t, --time SECS   seconds to wait before SIGKILL (default 10)\n"
//<
//> final
	"Stop running containers: SIGTERM (or run's --stop-signal), then SIGKILL after a\n"
	"grace period.\n"
	"\n"
	"Options:\n"
	"  -t, --time SECS   seconds to wait before SIGKILL (default: run's --stop-timeout, or 10)\n"
//<
	"  -h, --help        print this help\n";

int cmd_stop(int argc, char **argv)
{
	static const struct option options[] = {
		{ "time", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
//> ch06 final
	//- int64_t timeout = 10;
//<
//> final
	int64_t timeout = -1;   /* -t, else the container's --stop-timeout, else 10 */
//<
	int opt, rc = 0;
	struct record r;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:t:h", options, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (parse_int(optarg, 0, 3600, &timeout) < 0)
				return report_error((err_wrap("stop: --time"), 1));
			break;
		case 'h': fputs(stop_usage, stdout); return 0;
		case ':':
			return report_error((err_set("stop: option '%s' needs a value", argv[optind - 1]), 1));
		default:
			return report_error((err_set("stop: unknown option '%s' (see 'mydocker stop --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("stop: give at least one container (see 'mydocker stop --help')"), 1));
	for (int i = optind; i < argc; i++) {
		/* Stopping a stopped container is not an error: it is stopped. */
//> ch06 final
		//- if (record_find(argv[i], &r) < 0 || container_end(&r, timeout) < 0) {
//<
//> final
		if (record_find(argv[i], &r) < 0 ||
		    container_end(&r, timeout >= 0 ? timeout : r.stop_timeout >= 0 ? r.stop_timeout : 10) < 0) {
//<
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}
