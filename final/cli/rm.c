//> ch06
/* `rm`: remove containers whose processes have ended (or, with -f, end them). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/lifecycle.h"
#include "container/record.h"

static const char rm_usage[] =
	"Usage: mydocker rm [OPTIONS] CONTAINER...\n"
	"\n"
	"Remove containers: their record, log, filesystem and cgroups.\n"
	"\n"
	"Options:\n"
	"  -f, --force   kill a running container first; no error for one that does not exist\n"
	"  -h, --help    print this help\n";

int cmd_rm(int argc, char **argv)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int force = 0, opt, rc = 0;
	struct record r;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+fh", options, NULL)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'h': fputs(rm_usage, stdout); return 0;
		default:
			return report_error((err_set("rm: unknown option '%s' (see 'mydocker rm --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("rm: give at least one container (see 'mydocker rm --help')"), 1));
	for (int i = optind; i < argc; i++) {
		int found = record_find(argv[i], &r) == 0;
		if (!found && err_cause() == ENOENT && force)
			continue;
		if (!found && r.id[0] && force) {
//> ch06 final
			//- /* An unreadable record never blocks rm -f: its directory goes,
			//-  * and the user hears what could not be checked. */
			//- say("%s; removing its directory anyway", err_msg());
//<
//> final
			/* An unreadable record never blocks rm -f: what its ID names
			 * goes, and the user hears what could not be checked. */
			say("%s; removing what its ID names", err_msg());
			if (container_remove_unreadable(r.id) < 0)
				rc = report_error(1);
			else
				printf("%s\n", argv[i]);
			continue;
//<
			char id[ID_LEN + 1];
			snprintf(id, sizeof id, "%s", r.id);
			memset(&r, 0, sizeof r);
			snprintf(r.id, sizeof r.id, "%s", id);
		} else if (!found) {
			rc = report_error(1);
			continue;
		} else if (record_running(&r) && !force) {
			err_set("cannot remove container %s: it is running (stop it first, or use rm -f)", argv[i]);
			rc = report_error(1);
			continue;
		}
//> final
		else if (!strcmp(record_state(&r), "restarting") && !force) {
			err_set("cannot remove container %s: it is restarting (stop it first, or use rm -f)", argv[i]);
			rc = report_error(1);
			continue;
		}
//<
		if (container_end(&r, 0) < 0 || container_remove(&r) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}
//<
