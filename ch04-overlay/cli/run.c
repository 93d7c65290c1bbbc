/* `run`: the options into a spec (container/spec.h), and a container of it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "container/container.h"
#include "error.h"
#include "image/image.h"
#include "file.h"
#include "parse.h"

static const char usage[] =
	"Usage: mydocker run [OPTIONS] [IMAGE [COMMAND [ARG...]]]\n"
	"\n"
	"Run COMMAND (default /bin/sh) in a new container of IMAGE (default busybox).\n"
	"\n"
	"Options:\n"
	"      --hostname NAME      container host name (default: the short container ID)\n"
	"  -i, --interactive        keep stdin open (it always is in the foreground)\n"
	"  -t, --tty                accepted for docker compatibility; the caller's terminal is used\n"
	"  -m, --memory SIZE        memory limit, swap included (b, k, m, g: 100m)\n"
	"      --cpus N             CPU time limit in CPUs (0.5 = half of one CPU)\n"
	"      --cpu-shares N       relative CPU weight (default 1024)\n"
	"      --cpuset-cpus LIST   CPUs the container may use (0-1,3)\n"
	"      --pids-limit N       most processes at once\n"
	"  -h, --help               print this help\n";

enum {
	OPT_HOSTNAME = 256,
	OPT_CPUS, OPT_CPU_SHARES, OPT_CPUSET, OPT_PIDS,
};

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
	{ "memory", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpu-shares", required_argument, NULL, OPT_CPU_SHARES },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET },
	{ "pids-limit", required_argument, NULL, OPT_PIDS },
	{ 0 }
};

/* "+": stop at the first non-option, so the command's own options stay its
 * own; ":": tell a missing value (':') from an unknown option ('?'). */
static const char shortopts[] = "+:hit"
	"m:"
	;

/* RFC 1123 labels: letters, digits, '-' and '.', at most 63 characters. */
static int valid_hostname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[0] == '.')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") == n;
}

/* Values the kernel would refuse, caught before anything is created. */
static int check_cpus(const struct limits *l)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	char list[256];
	cpu_set_t want, have, both;

	if (l->millicpus > online * 1000)
		return err_set("--cpus %lld.%03lld: this host has only %ld CPUs",
			       (long long)l->millicpus / 1000, (long long)l->millicpus % 1000, online);
	if (l->cpuset) {
		if (read_file("/sys/devices/system/cpu/online", list, sizeof list) < 0)
			return -1;
		list[strcspn(list, "\n")] = '\0';
		if (parse_cpu_list(list, &have) < 0)
			return -1;
		if (parse_cpu_list(l->cpuset, &want) < 0)
			return err_wrap("--cpuset-cpus");
		CPU_AND(&both, &want, &have);
		if (!CPU_EQUAL(&both, &want))
			return err_set("--cpuset-cpus %s: no such CPU (this host has CPUs %s)", l->cpuset, list);
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct spec *s)
{
	int opt;
	struct limits *l = &s->limits;

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
		case 'm':
			if (parse_size(optarg, &l->memory) < 0)
				return err_wrap("--memory");
			/* Below a few MiB the container cannot even start its shell. */
			if (l->memory < 6 << 20)
				return err_set("--memory %s: the minimum is 6m", optarg);
			break;
		case OPT_CPUS:
			if (parse_cpus(optarg, &l->millicpus) < 0)
				return err_wrap("--cpus");
			if (l->millicpus < 10)
				return err_set("--cpus %s: the minimum is 0.01", optarg);
			break;
		case OPT_CPU_SHARES:
			if (parse_int(optarg, 2, 262144, &l->cpu_shares) < 0)
				return err_wrap("--cpu-shares");
			break;
		case OPT_CPUSET:
			l->cpuset = optarg;
			break;
		case OPT_PIDS:
			if (parse_int(optarg, 1, 4194304, &l->pids) < 0)
				return err_wrap("--pids-limit");
			break;
		case ':':
			return err_set("run: option '%s' needs a value (see 'mydocker run --help')", argv[optind - 1]);
		default:
			if (optopt)
				return err_set("run: unknown option '-%c' (see 'mydocker run --help')", optopt);
			return err_set("run: unknown option '%s' (see 'mydocker run --help')", argv[optind - 1]);
		}
	}
	if (check_cpus(l) < 0)
		return -1;
	return 0;
}

/* The spec of run's words: options, image, command; 1 after --help. */
static int spec_of(int argc, char **argv, struct spec *s)
{
	static char *default_cmd[] = { "/bin/sh", NULL };
	int r = parse_options(argc, argv, s);

	if (r != 0)
		return r;
	s->image = optind < argc ? argv[optind++] : DEFAULT_IMAGE;
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
