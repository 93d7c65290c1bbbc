/* `run`: the options into a spec (container/spec.h), and a container of it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "container/container.h"
#include "error.h"

static const char usage[] =
	"Usage: mydocker run [OPTIONS] [COMMAND [ARG...]]\n"
	"\n"
	"Run COMMAND (default /bin/sh) in a new container.\n"
	"\n"
	"Options:\n"
	"      --hostname NAME      container host name (default: the short container ID)\n"
	"  -i, --interactive        keep stdin open (it always is in the foreground)\n"
	"  -t, --tty                accepted for docker compatibility; the caller's terminal is used\n"
	"  -h, --help               print this help\n";

enum {
	OPT_HOSTNAME = 256,
};

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ 0 }
};

/* "+": stop at the first non-option, so the command's own options stay its
 * own; ":": tell a missing value (':') from an unknown option ('?'). */
static const char shortopts[] = "+:hit"
	;

/* RFC 1123 labels: letters, digits, '-' and '.', at most 63 characters. */
static int valid_hostname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[0] == '.')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") == n;
}

static int parse_options(int argc, char **argv, struct spec *s)
{
	int opt;

	opterr = 0;   /* we print our own one-line errors */
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'i':
		case 't':
			break;
		case OPT_HOSTNAME:
			if (!valid_hostname(optarg))
				return err_set("--hostname '%s': use letters, digits, '-' and '.' (at most 63)", optarg);
			snprintf(s->hostname, sizeof s->hostname, "%s", optarg);
			break;
		case ':':
			return err_set("run: option '%s' needs a value (see 'mydocker run --help')", argv[optind - 1]);
		default:
			if (optopt)
				return err_set("run: unknown option '-%c' (see 'mydocker run --help')", optopt);
			return err_set("run: unknown option '%s' (see 'mydocker run --help')", argv[optind - 1]);
		}
	}
	return 0;
}

/* The spec of run's words: options, image, command; 1 after --help. */
static int spec_of(int argc, char **argv, struct spec *s)
{
	static char *default_cmd[] = { "/bin/sh", NULL };
	int r = parse_options(argc, argv, s);

	if (r != 0)
		return r;
	if (optind < argc) {
		s->argv = argv + optind;
		s->argc = argc - optind;
	} else {
		s->argv = default_cmd;
		s->argc = 1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	/* static: the spec, and what its volumes and variables point to, last
	 * as long as the process (and are no leak when it ends). */
	static struct spec s;
	int r = spec_of(argc, argv, &s);

	if (r != 0)
		return r > 0 ? 0 : report_error(EXIT_RUNTIME);
	return container_run(&s);
}
