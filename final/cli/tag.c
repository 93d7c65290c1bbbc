//> final
/* `tag SOURCE TARGET`: another name for an image. */
#include <stdio.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "image/image.h"

static const char tag_usage[] =
	"Usage: mydocker tag SOURCE[:TAG] TARGET[:TAG]\n"
	"\n"
	"Give image SOURCE another name, TARGET: the same layers under both, until\n"
	"'mydocker rmi' removes one name (the layers go with the last). A TARGET\n"
	"that names other layers already is refused: rmi it first.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

int cmd_tag(int argc, char **argv)
{
	int rc;

	if ((rc = cli_no_options(argc, argv, tag_usage)) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (argc - optind != 2)
		return report_error((err_set("tag: give an image and its new name (see 'mydocker tag --help')"), 1));
	if (image_tag(argv[optind], argv[optind + 1]) < 0)
		return report_error((err_wrap("tag"), 1));
	return 0;
}
