//> ch09
/* `commit`: a container's root as a new image.
 *
 * commit copies only what the container changed (its overlay upper
 * directory) into one new layer, and stacks it on its image's layers. A
 * running container is frozen meanwhile, so the copy is one moment of its
 * root, not a mix of before and after a write.
 */
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "image/image.h"
#include "image/layer.h"
#include "fs/overlay.h"
#include "container/record.h"
//> final
#include "container/sentinel.h"
#include "lock.h"
//<

//> ch09
static const char commit_usage[] =
	"Usage: mydocker commit CONTAINER IMAGE[:TAG]\n"
	"\n"
	"Make a new image of the container: its image's layers and, on top, one new\n"
	"layer with what the container changed. A running container is frozen while\n"
	"its changes are copied, then goes on.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

/* Copy the container's changes into the new layer tmp, frozen if it runs. */
static int copy_changes(const struct record *r, const char *tmp)
{
//> ch09
	char upper[4096];
	int running = record_running(r), rc;

	if (record_path(upper, sizeof upper, r->id, "upper") < 0)
		return -1;
//> final
	/* Paused: still as it is, and it stays paused (nothing to thaw). */
	running = running && cgroup_frozen(&r->cgroup) != 1;
//<
	if (running && !r->cgroup.dir[CTL_FREEZER][0])
		return err_set("container %s runs without a freezer cgroup (an older mydocker started it): "
			       "stop it, then commit", r->name);
	if (running && cgroup_freeze(&r->cgroup, 1) < 0) {
		cgroup_freeze(&r->cgroup, 0);
		return err_wrap("freeze container %s", r->name);
	}
	rc = layer_copy(upper, tmp);
	if (running && cgroup_freeze(&r->cgroup, 0) < 0) {
		report_error(0);
		say("container %s may still be frozen: 'mydocker stop' thaws and stops it", r->name);
	}
	return rc;
	//| /* TODO(ch09) step 3: the container's upper directory (record_path
	//|  * "upper") into the new layer tmp (layer_copy); a running one
	//|  * (record_running) frozen meanwhile (cgroup_freeze), and thawed after,
	//|  * also when the copy failed. */
	//| (void)r; (void)tmp;
	//| return err_set("commit: TODO(ch09)");
//<
}

//> final
static void thaw(void *cgroup)
{
	cgroup_freeze(cgroup, 0);
}

/* One commit of a container at a time (two would thaw each other's freeze
 * halfway), and a frozen container thawed even if we are killed: a frozen
 * process takes no signal, and an exec into it would hang. The sentinel
 * holds the lock until it has thawed it. */
static int copy_guarded(struct record *r, const char *tmp)
{
	char path[PATH_MAX];
	struct sentinel guard;
	int lock, rc;

	if (record_path(path, sizeof path, r->id, "commit.lock") < 0 || (lock = lock_take(path)) < 0)
		return -1;
	/* A paused container is copied as it is: should we die, nothing may
	 * thaw it (pause takes this lock too, so it stays paused meanwhile). */
	if (record_running(r) && cgroup_frozen(&r->cgroup) == 1) {
		rc = copy_changes(r, tmp);
		lock_release(lock);
		return rc;
	}
	if (sentinel_start(&guard, thaw, &r->cgroup, lock) < 0) {
		lock_release(lock);
		return -1;
	}
	rc = copy_changes(r, tmp);
	sentinel_stop(&guard);
	lock_release(lock);
	return rc;
}

//<
int cmd_commit(int argc, char **argv)
{
	char tmp[4096], id[LAYER_ID_LEN + 1];
	sigset_t stop, old, pending;
	struct record r;
	int rc;

	if ((rc = cli_no_options(argc, argv, commit_usage)) != 0)
		return rc < 0 ? report_error(EXIT_RUNTIME) : 0;
	if (argc - optind != 2)
		return report_error((err_set("commit: give a container and an image name (see 'mydocker commit --help')"),
				     EXIT_RUNTIME));
	const char *ref = argv[optind + 1];
	if (record_find(argv[optind], &r) < 0)
		return report_error(EXIT_RUNTIME);
	/* Before anything is frozen or copied: a bad or taken name fails at once. */
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1];
	if (image_ref(ref, repo, tag) < 0)
		return report_error(EXIT_RUNTIME);
	if (image_exists(ref))
		return report_error((err_set("image %s:%s already exists: choose another name or tag", repo, tag),
				     EXIT_RUNTIME));
	if (layer_start(id, tmp, sizeof tmp) < 0)
		return report_error(EXIT_RUNTIME);
	/* Ctrl-C now would leave the container frozen: it waits until the
	 * container is thawed, and then only drops the new layer. */
	static const int stop_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	sigemptyset(&stop);
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, &old);
//> ch09 final
	//- rc = copy_changes(&r, tmp);
//<
//> final
	rc = copy_guarded(&r, tmp);
//<
	sigpending(&pending);
	for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
		if (rc == 0 && sigismember(&pending, stop_signals[i]))
			rc = err_set("interrupted");
	if (rc < 0)
		remove_tree(tmp);
	else
		rc = image_publish(ref, tmp, id, r.image);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0)
		return report_error((err_wrap("commit %s", r.name), EXIT_RUNTIME));
	printf("%s\n", id);
	return 0;
}
//<
