//> ch08
/* `network create | ls | rm`. Their errors exit with 125, as run's do:
 * a network is set up by the runtime for the containers it will run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "net/network.h"
#include "parse.h"

static const char usage[] =
	"Usage: mydocker network COMMAND\n"
	"\n"
	"Bridge networks for containers (run --net NAME).\n"
	"\n"
	"Commands:\n"
	"  create [--driver bridge] --subnet CIDR NAME   a bridge, its gateway (the subnet's\n"
	"                                                first address) and NAT rules\n"
	"  ls                                            list networks\n"
//> ch08 final
	//- "  rm NAME...                                    remove networks no container uses\n";
//<
//> final
	"  rm NAME...                                    remove networks no container uses\n"
	"  inspect NAME...                               networks as JSON (mydocker inspect)\n"
	"  prune [-f]                                    remove every network no container uses\n";
//<

/* Print the message set by the step that failed; exit 125. */
static int fail(void)
{
	return report_error(EXIT_RUNTIME);
}

static int root_only(void)
{
	if (geteuid() != 0)
		return err_set("networks need root: bridges and iptables rules are privileged (try sudo)");
	return 0;
}

static int create(int argc, char **argv)
{
	static const struct option options[] = {
		{ "driver", required_argument, NULL, 'd' }, { "subnet", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	const char *subnet = NULL;
	struct subnet s;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:d:h", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (strcmp(optarg, "bridge"))
				return err_set("network create: driver '%s' is not supported (only bridge)", optarg),
				       fail();
			break;
		case 's': subnet = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		case ':': return err_set("network create: option '%s' needs a value", argv[optind - 1]), fail();
		default:
			return err_set("network create: unknown option '%s' (see 'mydocker network --help')",
				       argv[optind - 1]), fail();
		}
	}
	if (optind != argc - 1)
		return err_set("network create: give exactly one NAME (see 'mydocker network --help')"), fail();
	if (!valid_name(argv[optind]))
		return err_set("network create: invalid name '%s': use letters, digits, '_', '.' and '-', "
			       "starting with a letter or digit (at most %d)", argv[optind], NAME_LEN), fail();
	/* --net none and --net host name modes: a network so named could never be joined. */
	if (!strcmp(argv[optind], "none") || !strcmp(argv[optind], "host"))
		return err_set("network create: '%s' is a --net mode, not a name a network can have", argv[optind]),
		       fail();
	if (!subnet)
		return err_set("network create: --subnet CIDR is required (10.10.0.0/24, say)"), fail();
	if (subnet_parse(subnet, &s) < 0 || root_only() < 0 || network_create(argv[optind], &s) < 0)
		return fail();
	printf("%s\n", argv[optind]);
	return 0;
}

static int list(int argc, char **argv)
{
	struct network *all;
	char subnet[32], gateway[16];
	int n;

	(void)argv;
	if (argc > 1)
		return err_set("network ls: takes no arguments"), fail();
	if ((n = network_list(&all)) < 0)
		return fail();
	printf("%-20s %-8s %-18s %s\n", "NAME", "DRIVER", "SUBNET", "GATEWAY");
	for (int i = 0; i < n; i++) {
		subnet_format(&all[i].subnet, subnet, sizeof subnet);
		ipv4_format(subnet_gateway(&all[i].subnet), gateway, sizeof gateway);
		printf("%-20s %-8s %-18s %s\n", all[i].name, all[i].driver, subnet, gateway);
	}
	free(all);
	return 0;
}

static int remove_networks(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2)
		return err_set("network rm: give at least one NAME"), fail();
	if (root_only() < 0)
		return fail();
	for (int i = 1; i < argc; i++) {
		if (network_remove(argv[i]) < 0)
			rc = fail();
		else
			printf("%s\n", argv[i]);
	}
	return rc;
}

int cmd_network(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_RUNTIME : 0;
	}
	if (!strcmp(argv[1], "create"))
		return create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "ls") || !strcmp(argv[1], "list"))
		return list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rm") || !strcmp(argv[1], "remove"))
		return remove_networks(argc - 1, argv + 1);
//> ch08 final
	//- return err_set("network: unknown command '%s' (create, ls or rm)", argv[1]), fail();
//<
//> final
	if (!strcmp(argv[1], "inspect"))
		return cmd_network_inspect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "prune"))
		return cmd_network_prune(argc - 1, argv + 1);
	return err_set("network: unknown command '%s' (create, ls, rm, inspect or prune)", argv[1]), fail();
//<
}
