//> final
/* docker's management syntax: `container ls`, `image rm` and the like,
 * each the command it names. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"

struct alias {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *as;       /* the command's own name, its argv[0] */
};

static const struct alias container_commands[] = {
	{ "ls", cmd_ps, "ps" }, { "list", cmd_ps, "ps" }, { "ps", cmd_ps, "ps" },
	{ "run", cmd_run, "run" }, { "exec", cmd_exec, "exec" }, { "attach", cmd_attach, "attach" },
	{ "logs", cmd_logs, "logs" }, { "stop", cmd_stop, "stop" }, { "kill", cmd_kill, "kill" },
	{ "wait", cmd_wait, "wait" }, { "pause", cmd_pause, "pause" }, { "unpause", cmd_unpause, "unpause" },
	{ "rename", cmd_rename, "rename" }, { "start", cmd_start, "start" }, { "restart", cmd_restart, "restart" }, { "rm", cmd_rm, "rm" }, { "commit", cmd_commit, "commit" },
	{ "export", cmd_export, "export" }, { "inspect", cmd_container_inspect, "container inspect" }, { "top", cmd_top, "top" },
	{ "stats", cmd_stats, "stats" }, { "port", cmd_port, "port" }, { "cp", cmd_cp, "cp" }, { "prune", cmd_container_prune, "container prune" },
	{ NULL, NULL, NULL },
};

static const struct alias image_commands[] = {
	{ "ls", cmd_images, "images" }, { "list", cmd_images, "images" }, { "rm", cmd_rmi, "rmi" },
	{ "import", cmd_import, "import" }, { "inspect", cmd_image_inspect, "image inspect" }, { "tag", cmd_tag, "tag" },
	{ "prune", cmd_image_prune, "image prune" }, { NULL, NULL, NULL },
};

static int dispatch(const char *group, const struct alias *aliases, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage: mydocker %s COMMAND [OPTIONS] [ARG...]\n\nCommands (each as 'mydocker COMMAND'):\n", group);
		for (const struct alias *a = aliases; a->name; a++)
			printf("  %-8s mydocker %s\n", a->name, a->as);
		return argc < 2;
	}
	for (const struct alias *a = aliases; a->name; a++)
		if (!strcmp(argv[1], a->name)) {
			argv[1] = (char *)a->as;
			return a->run(argc - 1, argv + 1);
		}
	return report_error((err_set("%s: unknown command '%s' (see 'mydocker %s --help')", group, argv[1], group), 1));
}

int cmd_container(int argc, char **argv)
{
	return dispatch("container", container_commands, argc, argv);
}

int cmd_image(int argc, char **argv)
{
	return dispatch("image", image_commands, argc, argv);
}
