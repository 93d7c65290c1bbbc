//> final
/* `wait`: block until containers exit, then print their exit codes. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "container/process.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker wait CONTAINER...\n"
	"\n"
	"Block until each container has exited, then print its exit code, a line\n"
	"each, in the order given.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

static int wait_one(const char *ref)
{
	struct record r;
	char id[ID_LEN + 1];

	if (record_find(ref, &r) < 0)
		return -1;
	snprintf(id, sizeof id, "%s", r.id);
	if (r.status != STATUS_EXITED) {
		/* Its monitor (or foreground runtime) records the exit, then ends:
		 * once it has, the record says how it ended. (Not record_running:
		 * an init that has just exited leaves the record to its monitor.) */
		int monitor = process_open(r.monitor, r.monitor_start);
		if (monitor >= 0) {
			while (!process_wait(monitor, 60000))
				;
			close(monitor);
		}
		if (record_read(id, &r) < 0)
			return err_set("container %s was removed (--rm) as it exited: its exit code is gone", ref);
	}
	if (r.status != STATUS_EXITED)
		return err_set("container %s: %s", ref, r.status == STATUS_RUNNING ?
			       "its runtime was killed: its exit code is unknown" : "it never ran");
	printf("%d\n", r.exit_code);
	fflush(stdout);
	return 0;
}

int cmd_wait(int argc, char **argv)
{
	int rc = cli_no_options(argc, argv, usage);

	if (rc != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind == argc)
		return report_error((err_set("wait: give at least one container (see 'mydocker wait --help')"), 1));
	for (int i = optind; i < argc; i++)
		if (wait_one(argv[i]) < 0)
			rc = report_error(1);
	return rc;
}
