//> final
/* `pause` and `unpause`: every process of a container frozen, or thawed,
 * through its freezer cgroup (v1's freezer.state, v2's cgroup.freeze). */
#include <limits.h>
#include <stdio.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "lock.h"
#include "container/record.h"

static const char pause_usage[] =
	"Usage: mydocker pause CONTAINER...\n"
	"\n"
	"Freeze every process of running containers: they take no CPU and no\n"
	"signal until 'mydocker unpause'.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

static const char unpause_usage[] =
	"Usage: mydocker unpause CONTAINER...\n"
	"\n"
	"Thaw containers that 'mydocker pause' froze.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

static int set_paused(const char *ref, int paused)
{
	char path[PATH_MAX];
	struct record r;
	int lock, rc = -1, now;

	if (record_find(ref, &r) < 0)
		return -1;
	if (!record_running(&r))
		return err_set("container %s is not running", ref);
	/* commit's lock: a commit freezes and thaws too, and must not thaw
	 * a container paused meanwhile (nor we one it froze). */
	if (record_path(path, sizeof path, r.id, "commit.lock") < 0 || (lock = lock_take(path)) < 0)
		return -1;
	if ((now = cgroup_frozen(&r.cgroup)) < 0)
		err_set("container %s is not running", ref);
	else if (now == paused)
		err_set("container %s is %s", ref, paused ? "already paused" : "not paused");
	else
		rc = cgroup_freeze(&r.cgroup, paused);
	lock_release(lock);
	return rc;
}

static int set_all(int argc, char **argv, const char *usage, int paused)
{
	int rc = cli_no_options(argc, argv, usage);

	if (rc != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind == argc)
		return report_error((err_set("%s: give at least one container (see 'mydocker %s --help')", argv[0],
					     argv[0]), 1));
	for (int i = optind; i < argc; i++) {
		if (set_paused(argv[i], paused) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}

int cmd_pause(int argc, char **argv)
{
	return set_all(argc, argv, pause_usage, 1);
}

int cmd_unpause(int argc, char **argv)
{
	return set_all(argc, argv, unpause_usage, 0);
}
