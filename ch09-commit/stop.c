/* `stop` and `rm`: ending a container's processes, and removing what is
 * left of it once they have ended. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "error.h"
#include "file.h"
#include "parse.h"
#include "process.h"
#include "record.h"

/* How long a monitor may take to record an exit once the container ended. */
#define MONITOR_WAIT_MS 10000

/* SIGTERM to the container's init, SIGKILL after timeout seconds (at once
 * when timeout is 0); then wait until its monitor has recorded the exit. */
static int end_container(const struct record *r, int timeout)
{
	int init = r->status == STATUS_RUNNING ? process_open(r->pid, r->pid_start) : -1;
	int monitor = process_open(r->monitor, r->monitor_start), rc = 0;

	/* A commit killed halfway leaves its container frozen, and a frozen
	 * process takes no signal, not even SIGKILL (v1): thaw it first. */
	if (init >= 0 && r->cgroup.dir[CTL_FREEZER][0])
		cgroup_freeze(&r->cgroup, 0);
	if (init >= 0) {
		/* The init of a PID namespace gets only the signals it has a handler
		 * for (a shell has none for SIGTERM). SIGKILL from outside always
		 * works, and when the init dies the kernel kills every other
		 * process of its namespace: nothing the container started survives. */
		if (timeout > 0)
			rc = process_signal(init, SIGTERM);
		if (rc == 0 && (timeout == 0 || !process_wait(init, timeout * 1000)))
			rc = process_signal(init, SIGKILL);
		if (rc == 0 && !process_wait(init, MONITOR_WAIT_MS))
			rc = err_set("container %.*s: its init did not end after SIGKILL", SHORT_ID_LEN, r->id);
		close(init);
	}
	if (monitor >= 0) {
		if (rc == 0 && !process_wait(monitor, MONITOR_WAIT_MS))
			rc = err_set("container %.*s: its monitor (PID %d) did not finish", SHORT_ID_LEN, r->id,
				     (int)r->monitor);
		close(monitor);
	}
	return rc;
}

/* Its cgroups (gone already, unless its runtime was killed) and its directory. */
static int remove_container(const struct record *r)
{
	struct cgroup cg = r->cgroup;   /* cgroup_destroy clears what it is given */
	char dir[4096];

	cgroup_destroy(&cg);
	if (record_path(dir, sizeof dir, r->id, NULL) < 0)
		return -1;
	/* Read again: its monitor has released what it could since r was read,
	 * and an address released twice could be another container's by now. */
	struct record now;
	if (record_read(r->id, &now) == 0 && endpoint_release(&now.ep, dir, now.name) < 0) {
		record_write(&now);   /* what is left, for the next try */
		return err_wrap("container %s: its network", now.name);
	}
	return remove_tree(dir);
}

static const char stop_usage[] =
	"Usage: mydocker stop [OPTIONS] CONTAINER...\n"
	"\n"
	"Stop running containers: SIGTERM, then SIGKILL after a grace period.\n"
	"\n"
	"Options:\n"
	"  -t, --time SECS   seconds to wait before SIGKILL (default 10)\n"
	"  -h, --help        print this help\n";

int cmd_stop(int argc, char **argv)
{
	static const struct option options[] = {
		{ "time", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int64_t timeout = 10;
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
		if (record_find(argv[i], &r) <= 0 || end_container(&r, timeout) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}

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
		int found = record_find(argv[i], &r);
		if (found == 0 && force)
			continue;
		if (found < 0 && r.id[0] && force) {
			/* An unreadable record never blocks rm -f: its directory goes,
			 * and the user hears what could not be checked. */
			say("%s; removing its directory anyway", err_msg());
			char id[ID_LEN + 1];
			snprintf(id, sizeof id, "%s", r.id);
			memset(&r, 0, sizeof r);
			snprintf(r.id, sizeof r.id, "%s", id);
		} else if (found <= 0) {
			rc = report_error(1);
			continue;
		} else if (record_running(&r) && !force) {
			err_set("cannot remove container %s: it is running (stop it first, or use rm -f)", argv[i]);
			rc = report_error(1);
			continue;
		}
		if (end_container(&r, 0) < 0 || remove_container(&r) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}
