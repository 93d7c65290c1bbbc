/* What every subcommand's command line shares. */
#ifndef MYDOCKER_CLI_H
#define MYDOCKER_CLI_H

#include <unistd.h>   /* optind */

/* The options of a command that has none but --help (-h): returns 1 when
 * it printed usage, 0 with optind at the first argument, -1 on an unknown
 * option. argv[0] is the command's name. */
int cli_no_options(int argc, char **argv, const char *usage);

#endif
