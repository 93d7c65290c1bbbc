//> final
/* `rename`: a container's name, running or not. */
#include <stdio.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/claims.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker rename CONTAINER NEW_NAME\n"
	"\n"
	"Give a container another name (running or not).\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

int cmd_rename(int argc, char **argv)
{
	struct record r;
	int rc = cli_no_options(argc, argv, usage);

	if (rc != 0)
		return rc < 0 ? report_error(1) : 0;
	if (argc - optind != 2)
		return report_error((err_set("rename: give a container and its new name (see 'mydocker rename --help')"), 1));
	const char *name = argv[optind + 1];
	if (!valid_name(name))
		return report_error((err_set("rename: '%s': use letters, digits, '_', '.' and '-', "
					     "starting with a letter or digit (at most 64)", name), 1));
	if (record_find(argv[optind], &r) < 0 || claims_rename(r.id, name) < 0)
		return report_error(1);
	return 0;
}
