/* mydocker: dispatch to a subcommand; with none, `run` is implied. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
//> final
#include "error.h"
#include "container/init.h"
#include "container/record.h"
#include "net/ipam.h"
#include "security/sealed_exe.h"
//<

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "run a command in a new container (the default)" },
//> ch06
	{ "ps", cmd_ps, "list containers" },
	{ "logs", cmd_logs, "print a detached container's output" },
	{ "stop", cmd_stop, "stop running containers" },
	{ "rm", cmd_rm, "remove containers" },
//<
//> ch07
	{ "exec", cmd_exec, "run a command in a running container" },
//<
//> ch08
	{ "network", cmd_network, "create, list and remove bridge networks" },
//<
//> ch09
	{ "commit", cmd_commit, "make a new image of a container's changes" },
	{ "images", cmd_images, "list images" },
	{ "rmi", cmd_rmi, "remove images" },
	{ "export", cmd_export, "write a container's root as a tar archive" },
	{ "import", cmd_import, "make an image from a tar archive" },
//<
//> final
	{ "tag", cmd_tag, "give an image another name" },
	{ "attach", cmd_attach, "connect to the terminal of a container run with -dit" },
	{ "kill", cmd_kill, "send a signal to running containers (default SIGKILL)" },
	{ "wait", cmd_wait, "wait for containers to exit, and print their exit codes" },
	{ "pause", cmd_pause, "freeze every process of running containers" },
	{ "unpause", cmd_unpause, "thaw paused containers" },
	{ "rename", cmd_rename, "give a container another name" },
	{ "start", cmd_start, "run exited containers again, with their filesystem and options" },
	{ "restart", cmd_restart, "stop containers and start them again" },
	{ "inspect", cmd_inspect, "containers, images and networks as JSON, or fields of them (-f)" },
	{ "top", cmd_top, "the processes of a running container" },
	{ "stats", cmd_stats, "CPU, memory and process counts of running containers" },
	{ "cp", cmd_cp, "copy files between a container and the host, either way" },
	{ "port", cmd_port, "a container's published ports" },
	{ "version", cmd_version, "the runtime's version and build" },
	{ "info", cmd_info, "what the runtime has and the host gives it" },
	{ "container", cmd_container, "docker's 'container ls', 'container prune', ...: the commands above" },
	{ "image", cmd_image, "docker's 'image ls', 'image rm', 'image prune', 'image inspect'" },
	{ "system", cmd_system, "disk use (df), info, and prune" },
//<
};

static void usage(void)
{
	printf("Usage: mydocker [COMMAND] [OPTIONS] [ARG...]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
//> ch01 final
		//- printf("  %-8s %s\n", commands[i].name, commands[i].help);
//<
//> final
		printf("  %-10s %s\n", commands[i].name, commands[i].help);
//<
	printf("\nWith no command, 'run' is implied. 'mydocker COMMAND --help' for more.\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		usage();
		return 0;
	}
//> final
	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-v"))) {
		printf("mydocker version %s, build %s\n", MYDOCKER_VERSION, MYDOCKER_BUILD);
		return 0;
	}
//<
//> final
	/* exec runs inside a container: from a copy of us it cannot write. */
	int exec = (argc > 1 && !strcmp(argv[1], "exec")) ||
		   (argc > 2 && !strcmp(argv[1], "container") && !strcmp(argv[2], "exec"));
	if (exec && sealed_exe_reexec(argv) < 0)
		return report_error(EXIT_RUNTIME);
	/* run --init's PID 1 (container/init.h): not a command of the CLI. */
	if (argc > 1 && !strcmp(argv[1], "init"))
		return cmd_init(argc - 1, argv + 1);
	/* An address's owner holds it while its record says so. */
	ipam_judge_owners(record_holds_address);
//<
	for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	/* No subcommand: the whole command line is run's, as in `./ch01/run sh`. */
	argv[0] = "run";
	return cmd_run(argc, argv);
}
