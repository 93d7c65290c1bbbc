/* `images`, `rmi` and `import`: the image store from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "image.h"
#include "layer.h"
#include "parse.h"
#include "record.h"

#define SHORT_IMAGE_ID 12

static const char images_usage[] =
	"Usage: mydocker images\n"
	"\n"
	"List the images, newest first. An image's ID is its top layer's; SIZE\n"
	"counts all of its layers, also those it shares with other images.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

/* As docker prints sizes: decimal units, four significant digits. */
static void size_cell(long long bytes, char *out, size_t size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = bytes;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(out, size, "%.4g%s", v, units[u]);
}

int cmd_images(int argc, char **argv)
{
	struct image *list;
	char ago[64], layer[4096];
	int n, rc, wrepo = strlen("REPOSITORY"), wtag = strlen("TAG"), wago = strlen("CREATED");
	time_t now = time(NULL);

	if ((rc = cli_no_options(argc, argv, images_usage)) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind != argc)
		return report_error((err_set("images: takes no arguments (see 'mydocker images --help')"), 1));
	if ((n = image_list(&list)) < 0)
		return report_error(1);
	char (*cells)[2][80] = calloc(n + 1, sizeof *cells);   /* CREATED and SIZE of each */
	if (!cells) {
		free(list);
		return report_error((err_sys("images"), 1));
	}
	for (int i = 0; i < n; i++) {
		long long bytes = 0;
		for (int l = 0; l < list[i].nlayers; l++)
			if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), list[i].layers[l]) == 0)
				bytes += layer_size(layer);
		format_duration(now - list[i].created, ago, sizeof ago);
		snprintf(cells[i][0], sizeof cells[i][0], "%s ago", ago);
		size_cell(bytes, cells[i][1], sizeof cells[i][1]);
		wrepo = (int)strlen(list[i].repo) > wrepo ? (int)strlen(list[i].repo) : wrepo;
		wtag = (int)strlen(list[i].tag) > wtag ? (int)strlen(list[i].tag) : wtag;
		wago = (int)strlen(cells[i][0]) > wago ? (int)strlen(cells[i][0]) : wago;
	}
	/* Columns three spaces apart, as docker's table writer sets them. */
	printf("%-*s   %-*s   %-*s   %-*s   %s\n", wrepo, "REPOSITORY", wtag, "TAG", SHORT_IMAGE_ID, "IMAGE ID",
	       wago, "CREATED", "SIZE");
	for (int i = 0; i < n; i++)
		printf("%-*s   %-*s   %-*.*s   %-*s   %s\n", wrepo, list[i].repo, wtag, list[i].tag, SHORT_IMAGE_ID,
		       SHORT_IMAGE_ID, list[i].layers[0], wago, cells[i][0], cells[i][1]);
	free(cells);
	free(list);
	return 0;
}

static const char rmi_usage[] =
	"Usage: mydocker rmi IMAGE[:TAG]...\n"
	"\n"
	"Remove images, and the layers of theirs that no other image has. An image\n"
	"that a container (running or not) or another image is built on stays.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

/* A container, running or exited, whose image is ref: its root stands on
 * ref's layers until it is removed. */
static int used_by_container(const char *ref)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], crepo[NAME_LEN + 1], ctag[NAME_LEN + 1];
	struct record *list;
	int n, used = 0;

	if (image_ref(ref, repo, tag) < 0 || (n = record_list(&list)) < 0)
		return -1;
	for (int i = 0; i < n && !used; i++)
		if (image_ref(list[i].image, crepo, ctag) == 0 && !strcmp(repo, crepo) && !strcmp(tag, ctag)) {
			used = err_set("image %s is used by container %s (%.*s): remove the container first", ref,
				       list[i].name, SHORT_ID_LEN, list[i].id);
		}
	free(list);
	return used;
}

int cmd_rmi(int argc, char **argv)
{
	char freed[MAX_LAYERS][LAYER_ID_LEN + 1], repo[NAME_LEN + 1], tag[NAME_LEN + 1];
	int rc, n;

	if ((rc = cli_no_options(argc, argv, rmi_usage)) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind == argc)
		return report_error((err_set("rmi: give at least one image (see 'mydocker rmi --help')"), 1));
	for (int i = optind; i < argc; i++) {
		if (image_ref(argv[i], repo, tag) < 0 || used_by_container(argv[i]) < 0 ||
		    (n = image_remove(argv[i], freed)) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("Untagged: %s:%s\n", repo, tag);
		for (int l = 0; l < n; l++)
			printf("Deleted: %s\n", freed[l]);
	}
	return rc;
}

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
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], id[LAYER_ID_LEN + 1], tmp[4096], why[4096];
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
	if (strcmp(file, "-") != 0 && access(file, R_OK) < 0)
		return report_error((err_sys("import: %s", file), EXIT_RUNTIME));
	if (layer_start(id, tmp, sizeof tmp) < 0)
		return report_error(EXIT_RUNTIME);
	/* As root, tar keeps the archive's owners and modes; it refuses
	 * members that would land outside tmp ("../", absolute paths). */
	char *tar[] = { "tar", "--numeric-owner", "-xf", (char *)file, "-C", tmp, NULL };
	if ((rc = run_argv_errors(tar, why, sizeof why)) != 0) {
		remove_tree(tmp);
		if (rc > 0)
			err_set("%s is not a tar archive (%.*s)", file, (int)strcspn(why, "\n"), why);
		return report_error((err_wrap("import"), EXIT_RUNTIME));
	}
	if (image_publish(ref, tmp, id, NULL) < 0)
		return report_error((err_wrap("import"), EXIT_RUNTIME));
	printf("%s\n", id);
	return 0;
}
