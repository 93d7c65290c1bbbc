//> ch06
#include "container/lifecycle.h"

#include <signal.h>
//> final
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
//<
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "container/process.h"
//> final
#include "container/claims.h"
#include "net/network.h"
#include "net/firewall.h"
//<

//> ch06
/* How long a monitor may take to record an exit once the container ended. */
#define MONITOR_WAIT_MS 10000

/* SIGTERM to the container's init, SIGKILL after timeout seconds (at once
 * when timeout is 0); then wait until its monitor has recorded the exit. */
int container_end(const struct record *r, int timeout)
{
	int init = r->status == STATUS_RUNNING ? process_open(r->pid, r->pid_start) : -1;
	int monitor = process_open(r->monitor, r->monitor_start), rc = 0;
//> final
	struct record now;

	/* From here its --restart policy lets it rest; a monitor that waits to
	 * run it again is woken, and gives up (restart.h). Marked under the
	 * records' lock, which its monitor takes to run it again: one of the
	 * two sees the other. */
	if (record_mark_stopped(r->id, &now) == 0 && !strcmp(record_state(&now), "restarting") && monitor >= 0)
		process_signal(monitor, SIGTERM);
//<

//> ch09
	/* A commit killed halfway leaves its container frozen, and a frozen
	 * process takes no signal, not even SIGKILL (v1): thaw it first. */
	if (init >= 0 && r->cgroup.dir[CTL_FREEZER][0])
		cgroup_freeze(&r->cgroup, 0);
//<
	if (init >= 0) {
		/* The init of a PID namespace gets only the signals it has a handler
		 * for (a shell has none for SIGTERM). SIGKILL from outside always
		 * works, and when the init dies the kernel kills every other
		 * process of its namespace: nothing the container started survives. */
//> ch06 final
		//- if (timeout > 0)
		//- 	rc = process_signal(init, SIGTERM);
//<
//> final
		/* --stop-signal: what the image's command takes for "stop" (nginx: SIGQUIT). */
		if (timeout > 0)
			rc = process_signal(init, r->stop_signal ? r->stop_signal : SIGTERM);
//<
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
int container_remove(const struct record *r)
{
	struct cgroup cg = r->cgroup;   /* cgroup_destroy clears what it is given */
	char dir[4096];

	cgroup_destroy(&cg);
	if (record_path(dir, sizeof dir, r->id, NULL) < 0)
		return -1;
//> ch08
	/* Read again: its monitor has released what it could since r was read,
	 * and an address released twice could be another container's by now. */
	struct record now;
	if (record_read(r->id, &now) == 0 && endpoint_release(&now.ep, dir, now.name) < 0) {
		record_write(&now);   /* what is left, for the next try */
		return err_wrap("container %s: its network", now.name);
	}
//<
//> ch06 final
	//- return remove_tree(dir);
//<
//> final
	if (remove_tree(dir) < 0)
		return -1;
	claims_drop(r);
	return 0;
//<
}
//> final
/* Whether pid runs this very program (a monitor does). */
static int runs_us(pid_t pid)
{
	char exe[64];
	struct stat theirs, ours;

	snprintf(exe, sizeof exe, "/proc/%d/exe", (int)pid);
	return stat(exe, &theirs) == 0 && stat("/proc/self/exe", &ours) == 0 && theirs.st_dev == ours.st_dev &&
	       theirs.st_ino == ours.st_ino;
}

/* Kill every process in dir's cgroup.procs; the parent of the one whose
 * parent runs this program (the init's: a live monitor, which then cleans
 * up after it) in *monitor. */
static void kill_cgroup(const char *dir, pid_t *monitor)
{
	char path[PATH_MAX], line[64];
	FILE *f;

	if (path_fmt(path, sizeof path, "%s/cgroup.procs", dir) < 0 || !(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof line, f)) {
		pid_t pid = atoi(line), parent;
		char status[64], text[4096], *ppid;
		if (pid <= 0)
			continue;
		snprintf(status, sizeof status, "/proc/%d/status", (int)pid);
		if (!*monitor && read_file(status, text, sizeof text) > 0 && (ppid = strstr(text, "\nPPid:")) &&
		    runs_us(parent = atoi(ppid + strlen("\nPPid:"))))
			*monitor = parent;
		kill(pid, SIGKILL);
	}
	fclose(f);
}

int container_remove_unreadable(const char *id)
{
	const char *root = getenv("MYDOCKER_CGROUP_ROOT"), *parent = getenv("MYDOCKER_CGROUP_PARENT");
	/* Every limit set: the directories of every controller it may have. */
	struct limits all = { .memory = 1, .millicpus = 1, .cpu_shares = 2, .cpuset = "0", .pids = 1 };
	struct cgroup cg;
	struct network *nets;
	pid_t monitor = 0;
	char dir[PATH_MAX], name[NAME_LEN + 1], comment[NAME_LEN + 32];
	int n;

	if (cgroup_plan(&cg, root ? root : CGROUP_ROOT, parent ? parent : CGROUP_PARENT, id, &all) < 0)
		return -1;
	for (int ctl = 0; ctl < CTL_COUNT; ctl++)
		if (cg.dir[ctl][0])
			kill_cgroup(cg.dir[ctl], &monitor);
	/* Its monitor, if alive, gives back its network as it always does. */
	int pidfd = monitor > 1 ? process_open(monitor, process_start_time(monitor)) : -1, released = 0;
	if (pidfd >= 0) {
		released = process_wait(pidfd, MONITOR_WAIT_MS);
		close(pidfd);
	}
	cgroup_destroy(&cg);
	/* Without one, what the record would have said: the index knows its
	 * name, and its port rules carry the name. (Its veth went with its
	 * network namespace; its address is reconciled below.) The claims go
	 * last: until then no other container can take that name. */
	claims_name_of(id, name);
	if (!released && name[0] && path_fmt(comment, sizeof comment, "mydocker container %s", name) == 0 &&
	    (rules_delete_commented("nat", comment) < 0 || rules_delete_commented("filter", comment) < 0))
		report_error(0);
	claims_drop_all(id);
	if (record_path(dir, sizeof dir, id, NULL) < 0 || remove_tree(dir) < 0)
		return -1;
	/* Whatever address it owned is no one's now that it is gone. */
	if ((n = network_list(&nets)) > 0) {
		for (int i = 0; i < n; i++)
			ipam_reconcile(&nets[i].subnet);
		free(nets);
	}
	return 0;
}

//<
//| /* TODO(ch06) step 3: container_end: SIGTERM to the container's init, SIGKILL after
//|  * timeout seconds (at once for 0), then wait for its monitor to record the
//|  * exit (container/process.h: pidfds; man 2 pidfd_open, pidfd_send_signal).
//|  * container_remove: its cgroups (cgroup_destroy), then its directory. */
//| int container_end(const struct record *r, int timeout) { (void)r; (void)timeout; return err_set("stop: TODO(ch06)"); }
//| int container_remove(const struct record *r) { (void)r; return err_set("rm: TODO(ch06)"); }
//<
