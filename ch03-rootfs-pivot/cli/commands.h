/* The subcommands: each takes its own argv (argv[0] is its name) and
 * returns the exit code. */
#ifndef MYDOCKER_COMMANDS_H
#define MYDOCKER_COMMANDS_H

int cmd_run(int argc, char **argv);

#endif
