/* mydocker: dispatch to a subcommand; with none, `run` is implied. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "run a command in a new container (the default)" },
	{ "ps", cmd_ps, "list containers" },
	{ "logs", cmd_logs, "print a detached container's output" },
	{ "stop", cmd_stop, "stop running containers" },
	{ "rm", cmd_rm, "remove containers" },
	{ "exec", cmd_exec, "run a command in a running container" },
	{ "network", cmd_network, "create, list and remove bridge networks" },
};

static void usage(void)
{
	printf("Usage: mydocker [COMMAND] [OPTIONS] [ARG...]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
	printf("\nWith no command, 'run' is implied. 'mydocker COMMAND --help' for more.\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		usage();
		return 0;
	}
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	/* No subcommand: the whole command line is run's, as in `./ch01/run sh`. */
	argv[0] = "run";
	return cmd_run(argc, argv);
}
