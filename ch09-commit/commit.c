/* `commit` and `export`: a container's root as a new image, or as a tarball.
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
#include "commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "image.h"
#include "layer.h"
#include "overlay.h"
#include "record.h"

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
	char upper[4096];
	int running = record_running(r), rc;

	if (record_path(upper, sizeof upper, r->id, "upper") < 0)
		return -1;
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
}

int cmd_commit(int argc, char **argv)
{
	char tmp[4096], id[LAYER_ID_LEN + 1];
	sigset_t stop, old, pending;
	struct record r;
	int found, rc;

	if ((rc = cli_no_options(argc, argv, commit_usage)) != 0)
		return rc < 0 ? report_error(EXIT_RUNTIME) : 0;
	if (argc - optind != 2)
		return report_error((err_set("commit: give a container and an image name (see 'mydocker commit --help')"),
				     EXIT_RUNTIME));
	const char *ref = argv[optind + 1];
	if ((found = record_find(argv[optind], &r)) <= 0)
		return report_error(found == 0 ? (err_set("no such container: %s", argv[optind]), EXIT_RUNTIME)
					       : EXIT_RUNTIME);
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
	rc = copy_changes(&r, tmp);
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

static const char export_usage[] =
	"Usage: mydocker export [OPTIONS] CONTAINER\n"
	"\n"
	"Write the container's root filesystem as one flat tar archive (no layers,\n"
	"no volumes), to stdout or to a file; 'mydocker import' reads it back.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write to FILE instead of stdout\n"
	"  -h, --help          print this help\n";

/* tar of the container's root as it stands, to out ("-": stdout). */
static int export_root(const struct record *r, const char *out)
{
	static char layers[MAX_LAYERS][4096];
	char dir[4096], merged[4096];
	int n = image_layers(r->image, layers, MAX_LAYERS), code;

	if (n < 0 || record_path(dir, sizeof dir, r->id, NULL) < 0 ||
	    path_fmt(merged, sizeof merged, "%s/merged", dir) < 0)
		return -1;
	/* A mount namespace of our own: the view mounted below is ours alone,
	 * and goes away with us, whatever happens to tar. */
	if (unshare(CLONE_NEWNS) < 0)
		return err_sys("unshare the mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys("make / private");
	if (overlay_view(dir, layers, n) < 0)
		return -1;
	char *argv[] = { "tar", "--numeric-owner", "-C", merged, "-cf", (char *)out, ".", NULL };
	if ((code = run_argv(argv)) != 0)
		return code < 0 ? -1 : err_set("tar exited with status %d", code);
	return 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *output = NULL;
	char tmp[4096];
	struct record r;
	int opt, found;

	opterr = 0;
	optind = 1;
	/* No '+': -o may come after the container, as docker takes it. */
	while ((opt = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o': output = optarg; break;
		case 'h': fputs(export_usage, stdout); return 0;
		case ':':
			return report_error((err_set("export: option '%s' needs a value", argv[optind - 1]), EXIT_RUNTIME));
		default:
			return report_error((err_set("export: unknown option '%s' (see 'mydocker export --help')",
						     argv[optind - 1]), EXIT_RUNTIME));
		}
	}
	if (argc - optind != 1)
		return report_error((err_set("export: give one container (see 'mydocker export --help')"), EXIT_RUNTIME));
	if ((found = record_find(argv[optind], &r)) <= 0)
		return report_error(found == 0 ? (err_set("no such container: %s", argv[optind]), EXIT_RUNTIME)
					       : EXIT_RUNTIME);
	if (!output && isatty(STDOUT_FILENO))
		return report_error((err_set("export: not writing a tar archive to a terminal: use -o FILE or redirect stdout"),
				     EXIT_RUNTIME));
	/* A file appears whole or not at all: written aside, renamed at the end. */
	if (output && path_fmt(tmp, sizeof tmp, "%s.tmp-%d", output, (int)getpid()) < 0)
		return report_error(EXIT_RUNTIME);
	int rc = export_root(&r, output ? tmp : "-");
	if (rc == 0 && output && rename(tmp, output) < 0)
		rc = err_sys("rename %s to %s", tmp, output);
	if (rc < 0) {
		if (output)
			unlink(tmp);
		return report_error((err_wrap("export %s", r.name), EXIT_RUNTIME));
	}
	return 0;
}
