//> ch09
/* `export`: a container's root, as its processes see it, as a tarball. */
//> final
#include <fcntl.h>
#include <inttypes.h>
#include <sys/random.h>

#include "image/helper.h"
//<
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

//> ch09
static const char export_usage[] =
	"Usage: mydocker export [OPTIONS] CONTAINER\n"
	"\n"
	"Write the container's root filesystem as one flat tar archive (no layers,\n"
	"no volumes), to stdout or to a file; 'mydocker import' reads it back.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write to FILE instead of stdout\n"
	"  -h, --help          print this help\n";

//> ch09 final
//- /* tar of the container's root as it stands, to out ("-": stdout). */
//- static int export_root(const struct record *r, const char *out)
//<
//> final
/* A tar archive of the container's root as it stands, to stdout. */
static int export_root(const struct record *r)
//<
{
	static char layers[MAX_LAYERS][4096];
	char dir[4096], merged[4096];
//> ch09 final
	//- int n = image_layers(r->image, layers, MAX_LAYERS), code;
//<
//> final
	int n = image_layers(r->image, layers, MAX_LAYERS);
//<

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
//> ch09 final
	//- char *argv[] = { "tar", "--numeric-owner", "-C", merged, "-cf", (char *)out, ".", NULL };
	//- if ((code = run_argv(argv)) != 0)
	//- 	return code < 0 ? -1 : err_set("tar exited with status %d", code);
	//- return 0;
//<
//> final
	/* Written by final/mydocker-image (helper/pack.h), in our mount
	 * namespace, to our stdout: libarchive, not tar. */
	const char *pack[] = { "pack", merged, NULL };
	return helper_run(pack, STDIN_FILENO);
//<
}

//> final
/* The archive is written aside under a name nobody can guess, created
 * only if nothing has that name (O_EXCL) and never through a symlink
 * (O_NOFOLLOW): -o often names a directory others can write (/tmp), where
 * a planted link at a guessable name would have us overwrite its target.
 * The archive is written to our stdout, which is that file. */
static int open_aside(const char *output, char *tmp, size_t size)
{
	uint64_t r;
	int fd;

	if (getrandom(&r, sizeof r, 0) != sizeof r)
		return err_sys("getrandom");
	if (path_fmt(tmp, size, "%s.tmp-%016" PRIx64, output, r) < 0)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return err_sys("create %s", tmp);
	if (dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		unlink(tmp);
		return err_sys("dup2");
	}
	close(fd);
	return 0;
}

//<
int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *output = NULL;
	char tmp[4096];
	struct record r;
	int opt;

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
	if (record_find(argv[optind], &r) < 0)
		return report_error(EXIT_RUNTIME);
	if (!output && isatty(STDOUT_FILENO))
		return report_error((err_set("export: not writing a tar archive to a terminal: use -o FILE or redirect stdout"),
				     EXIT_RUNTIME));
	/* A file appears whole or not at all: written aside, renamed at the end. */
//> ch09 final
	//- if (output && path_fmt(tmp, sizeof tmp, "%s.tmp-%d", output, (int)getpid()) < 0)
	//- 	return report_error(EXIT_RUNTIME);
	//- int rc = export_root(&r, output ? tmp : "-");
//<
//> final
	if (output && open_aside(output, tmp, sizeof tmp) < 0)
		return report_error(EXIT_RUNTIME);
	/* rename replaces whatever output is, a symlink too, never its target. */
	int rc = export_root(&r);
//<
	if (rc == 0 && output && rename(tmp, output) < 0)
		rc = err_sys("rename %s to %s", tmp, output);
	if (rc < 0) {
		if (output)
			unlink(tmp);
		return report_error((err_wrap("export %s", r.name), EXIT_RUNTIME));
	}
	return 0;
}
//<
