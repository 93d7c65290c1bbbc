#include "cli.h"

#include <getopt.h>
#include <stdio.h>

#include "error.h"

int cli_no_options(int argc, char **argv, const char *usage)
{
	static const struct option options[] = { { "help", no_argument, NULL, 'h' }, { 0 } };

	opterr = 0;
	optind = 1;
	/* '+': options before the arguments only, as the other commands
	 * take them; what follows the first argument is not looked at. */
	switch (getopt_long(argc, argv, "+h", options, NULL)) {
	case -1:
		return 0;
	case 'h':
		fputs(usage, stdout);
		return 1;
	default:
		return err_set("%s: unknown option '%s' (see 'mydocker %s --help')", argv[0], argv[optind - 1],
			       argv[0]);
	}
}
