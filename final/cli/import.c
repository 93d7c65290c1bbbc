//> ch09
/* `import`: a tarball as a new one-layer image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "image/image.h"
#include "image/layer.h"
#include "parse.h"
#include "container/record.h"
//> final
#include <fcntl.h>
#include <unistd.h>

#include "cleanup.h"
#include "image/helper.h"
//<

//> ch09
static const char import_usage[] =
	"Usage: mydocker import FILE|- IMAGE[:TAG]\n"
	"\n"
	"Make a one-layer image from a flat tar archive of a root filesystem (from\n"
	"'mydocker export', 'docker export', or a distribution's rootfs tarball;\n"
	"gzip, bzip2 and xz are unpacked too). '-' reads it from stdin.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

int cmd_import(int argc, char **argv)
{
//> ch09 final
	//- char repo[NAME_LEN + 1], tag[NAME_LEN + 1], id[LAYER_ID_LEN + 1], tmp[4096], why[4096];
//<
//> final
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], id[LAYER_ID_LEN + 1], tmp[4096];
//<
	int rc;

	if ((rc = cli_no_options(argc, argv, import_usage)) != 0)
		return rc < 0 ? report_error(EXIT_RUNTIME) : 0;
	if (argc - optind != 2)
		return report_error((err_set("import: give a file and an image name (see 'mydocker import --help')"),
				     EXIT_RUNTIME));
	const char *file = argv[optind], *ref = argv[optind + 1];
	if (image_ref(ref, repo, tag) < 0)
		return report_error(EXIT_RUNTIME);
	if (image_exists(ref))
		return report_error((err_set("image %s:%s already exists: choose another name or tag", repo, tag),
				     EXIT_RUNTIME));
//> ch09 final
	//- if (strcmp(file, "-") != 0 && access(file, R_OK) < 0)
	//- 	return report_error((err_sys("import: %s", file), EXIT_RUNTIME));
	//- if (layer_start(id, tmp, sizeof tmp) < 0)
	//- 	return report_error(EXIT_RUNTIME);
	//- /* As root, tar keeps the archive's owners and modes; it refuses
	//-  * members that would land outside tmp ("../", absolute paths). */
	//- char *tar[] = { "tar", "--numeric-owner", "-xf", (char *)file, "-C", tmp, NULL };
	//- if ((rc = run_argv_errors(tar, why, sizeof why)) != 0) {
	//- 	{
	//- 		ERR_KEEP;   /* tar's failure is the one to report */
	//- 		remove_tree(tmp);
	//- 	}
	//- 	/* Not an archive at all, or a member tar would not write (one that
	//- 	 * climbs out with "../", say): its first line past the warnings. */
	//- 	const char *reason = why;
	//- 	while (!strncmp(reason, "tar: Removing leading", 21) && strchr(reason, '\n'))
	//- 		reason = strchr(reason, '\n') + 1;
	//- 	if (rc > 0 && strstr(why, "not look like a tar archive"))
	//- 		err_set("%s is not a tar archive (%.*s)", file, (int)strcspn(reason, "\n"), reason);
	//- 	else if (rc > 0)
	//- 		err_set("%s: tar could not extract it whole (%.*s)", file, (int)strcspn(reason, "\n"), reason);
	//- 	return report_error((err_wrap("import"), EXIT_RUNTIME));
	//- }
//<
//> final
	/* Opened here, not named to a program: a name is only ever a file
	 * (tar took "host:x.tar" for a remote host's, to reach with rsh). */
	AUTO_CLOSE int in = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	if (in < 0)
		return report_error((err_sys("import: %s", file), EXIT_RUNTIME));
	if (layer_start(id, tmp, sizeof tmp) < 0)
		return report_error(EXIT_RUNTIME);
	/* Unpacked in-process by libarchive, in final/mydocker-image
	 * (final/helper/unpack.h): nothing lands outside tmp. */
	const char *unpack[] = { "unpack", tmp, NULL };
	if (helper_run(unpack, in) < 0) {
		{
			ERR_KEEP;   /* the helper's complaint is the one to report */
			remove_tree(tmp);
		}
		return report_error((err_wrap("import: %s", file), EXIT_RUNTIME));
	}
//<
	if (image_publish(ref, tmp, id, NULL) < 0)
		return report_error((err_wrap("import"), EXIT_RUNTIME));
	printf("%s\n", id);
	return 0;
}
//<
