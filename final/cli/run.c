/* `run`: the options into a spec (container/spec.h), and a container of it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
//> ch02
#include <unistd.h>
//<

#include "cli/commands.h"
#include "container/container.h"
//> final
#include "container/init.h"
#include "container/record.h"
#include "container/signals.h"
#include "container/user.h"
//<
#include "error.h"
//> ch03
#include "image/image.h"
//<
//> ch02
#include "file.h"
#include "parse.h"
//<

static const char usage[] =
//> ch01 ch03
	//- "Usage: mydocker run [OPTIONS] [COMMAND [ARG...]]\n"
	//- "\n"
	//- "Run COMMAND (default /bin/sh) in a new container.\n"
//<
//> ch03
	"Usage: mydocker run [OPTIONS] [IMAGE [COMMAND [ARG...]]]\n"
	"\n"
	"Run COMMAND (default /bin/sh) in a new container of IMAGE (default busybox).\n"
//<
	"\n"
	"Options:\n"
//> ch06
	"  -d, --detach             run in the background and print the container ID\n"
	"      --name NAME          the container's name (default: its short ID)\n"
	"      --rm                 remove the container when it exits\n"
//<
	"      --hostname NAME      container host name (default: the short container ID)\n"
	"  -i, --interactive        keep stdin open (it always is in the foreground)\n"
//> ch01 final
	//- "  -t, --tty                accepted for docker compatibility; the caller's terminal is used\n"
//<
//> final
	"  -t, --tty                a terminal of its own (a pty; with -i, an interactive session)\n"
//<
//> ch02
	"  -m, --memory SIZE        memory limit, swap included (b, k, m, g: 100m)\n"
	"      --cpus N             CPU time limit in CPUs (0.5 = half of one CPU)\n"
	"      --cpu-shares N       relative CPU weight (default 1024)\n"
	"      --cpuset-cpus LIST   CPUs the container may use (0-1,3)\n"
	"      --pids-limit N       most processes at once\n"
//<
//> ch05
	"  -v, --volume HOST:CTR[:ro]  bind the host directory HOST at CTR (repeatable)\n"
//<
//> ch07
	"  -e, --env K=V            set a variable (K alone: pass on ours), repeatable\n"
//<
//> ch08
	"      --net NETWORK        none (lo only), host (the host's network), or a network's\n"
	"                           name (an address on its bridge; see 'mydocker network')\n"
	"  -p, --publish H:C[/udp]  send the host's port H to the container's port C (tcp\n"
	"                           unless /udp), repeatable; needs --net NETWORK\n"
//<
//> final
	"      --cap-add CAP        give back a capability (chown, CAP_NET_ADMIN, ALL), repeatable\n"
	"      --cap-drop CAP       take one of the defaults away (ALL: all of them), repeatable\n"
	"      --device H[:C][:rwm] hand the host's device H in, at C (default H), repeatable\n"
	"      --privileged         every capability, no masked paths, no seccomp, every device\n"
	"      --security-opt OPT   no-new-privileges, seccomp=unconfined, seccomp=PROFILE.json\n"
	"      --init               run an init as PID 1 that reaps orphans and passes signals on\n"
	"      --log-opt K=V        -d's log: max-size=SIZE rotates it there, max-file=N keeps\n"
	"                           N files in all (default 1), repeatable\n"
	"  -w, --workdir DIR        the command's working directory, made if missing\n"
	"  -u, --user USER[:GROUP]  run as USER (a name in the image's /etc/passwd, or a number)\n"
	"      --entrypoint CMD     run CMD, with COMMAND's words as its arguments\n"
	"      --env-file FILE      variables from FILE, a K=V (or K) a line, repeatable\n"
	"      --read-only          the root read-only (/tmp and /run a writable tmpfs)\n"
	"      --tmpfs PATH[:OPTS]  a tmpfs at PATH (OPTS: size=64m,mode=1777,exec,...), repeatable\n"
	"      --ulimit NAME=S[:H]  a resource limit (nofile=1024:2048, nproc=64), repeatable\n"
	"      --add-host NAME:IP   a line of its /etc/hosts, repeatable\n"
	"      --stop-signal SIG    what stop sends first (default SIGTERM)\n"
	"      --stop-timeout SECS  stop's wait before SIGKILL (default 10)\n"
	"      --cidfile FILE       write the container's ID to FILE, which must not exist\n"
	"      --pid host           the host's PID namespace: its processes see the host's\n"
	"      --restart POLICY     with -d: no, on-failure[:N], always or unless-stopped: its\n"
	"                           monitor runs it again once it exits, waiting longer each time\n"
	"  -l, --label K=V          a label (K alone: an empty value), repeatable; ps --filter\n"
	"                           label=K=V finds it\n"
//<
	"  -h, --help               print this help\n";

enum {
	OPT_HOSTNAME = 256,
//> ch02
	OPT_CPUS, OPT_CPU_SHARES, OPT_CPUSET, OPT_PIDS,
//<
//> ch06
	OPT_NAME, OPT_RM,
//<
//> ch08
	OPT_NET,
//<
//> final
	OPT_CAP_ADD, OPT_CAP_DROP, OPT_DEVICE, OPT_PRIVILEGED, OPT_SECURITY_OPT, OPT_LOG_OPT, OPT_INIT,
	OPT_ENTRYPOINT, OPT_ENV_FILE, OPT_READ_ONLY, OPT_TMPFS, OPT_ULIMIT, OPT_ADD_HOST, OPT_STOP_SIGNAL,
	OPT_STOP_TIMEOUT, OPT_CIDFILE, OPT_PID, OPT_RESTART,
//<
};

static const struct option options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "interactive", no_argument, NULL, 'i' },
	{ "tty", no_argument, NULL, 't' },
//> ch02
	{ "memory", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "cpu-shares", required_argument, NULL, OPT_CPU_SHARES },
	{ "cpuset-cpus", required_argument, NULL, OPT_CPUSET },
	{ "pids-limit", required_argument, NULL, OPT_PIDS },
//<
//> ch05
	{ "volume", required_argument, NULL, 'v' },
//<
//> ch06
	{ "detach", no_argument, NULL, 'd' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "rm", no_argument, NULL, OPT_RM },
//<
//> ch07
	{ "env", required_argument, NULL, 'e' },
//<
//> ch08
	{ "net", required_argument, NULL, OPT_NET },
	{ "network", required_argument, NULL, OPT_NET },
	{ "publish", required_argument, NULL, 'p' },
//<
//> final
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "privileged", no_argument, NULL, OPT_PRIVILEGED },
	{ "security-opt", required_argument, NULL, OPT_SECURITY_OPT },
	{ "log-opt", required_argument, NULL, OPT_LOG_OPT },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "workdir", required_argument, NULL, 'w' },
	{ "user", required_argument, NULL, 'u' },
	{ "entrypoint", required_argument, NULL, OPT_ENTRYPOINT },
	{ "env-file", required_argument, NULL, OPT_ENV_FILE },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "ulimit", required_argument, NULL, OPT_ULIMIT },
	{ "add-host", required_argument, NULL, OPT_ADD_HOST },
	{ "stop-signal", required_argument, NULL, OPT_STOP_SIGNAL },
	{ "stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT },
	{ "cidfile", required_argument, NULL, OPT_CIDFILE }, { "pid", required_argument, NULL, OPT_PID },
	{ "label", required_argument, NULL, 'l' },
	{ "restart", required_argument, NULL, OPT_RESTART },
//<
	{ 0 }
};

/* "+": stop at the first non-option, so the command's own options stay its
 * own; ":": tell a missing value (':') from an unknown option ('?'). */
static const char shortopts[] = "+:hit"
//> ch02
	"m:"
//<
//> ch05
	"v:"
//<
//> ch06
	"d"
//<
//> ch07
	"e:"
//<
//> ch08
	"p:"
//<
//> final
	"w:u:l:"
//<
	;

/* RFC 1123 labels: letters, digits, '-' and '.', at most 63 characters. */
static int valid_hostname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || s[0] == '-' || s[0] == '.')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") == n;
}

//> ch02
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

//<
//> final
/* --label K=V (or K): a line of labels; K given twice keeps the last. */
static int add_label(char *labels, size_t size, const char *kv)
{
	size_t key = strcspn(kv, "="), len;
	char *line;

	if (!key || strchr(kv, '\n'))
		return err_set("--label '%s': expected KEY=VALUE (a key, and no newline)", kv);
	for (line = labels; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n'))
		if (!strncmp(line, kv, key) && (line[key] == '=' || line[key] == '\n' || !line[key])) {
			size_t n = strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n');
			memmove(line, line + n, strlen(line + n) + 1);
			break;
		}
	len = strlen(labels);
	if (len && labels[len - 1] == '\n')
		labels[--len] = '\0';
	if (snprintf(labels + len, size - len, "%s%s%s", len ? "\n" : "", kv, strchr(kv, '=') ? "" : "=") >=
	    (int)(size - len))
		return err_set("--label: at most %zu bytes of labels", size - 1);
	return 0;
}

/* --cidfile: refused at once when it is there; made absolute, for a -d
 * monitor makes it, after changing to "/". */
static int cidfile_check(const char *path, const char **out)
{
	static char abs[4096];
	char cwd[4096];

	if (!*path)
		return err_set("--cidfile: give a file name");
	if (access(path, F_OK) == 0)
		return err_set("--cidfile %s: the file exists: another container's ID? (remove it first)", path);
	if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
		return err_sys("--cidfile %s", path);
	if (path_fmt(abs, sizeof abs, "%s%s%s", path[0] == '/' ? "" : cwd, path[0] == '/' ? "" : "/", path) < 0)
		return err_wrap("--cidfile");
	*out = abs;
	return 0;
}

//<
//> ch01 final
//- static int parse_options(int argc, char **argv, struct spec *s)
//<
//> final
static int parse_options(int argc, char **argv, struct spec *s, const char **entrypoint)
//<
{
	int opt;
//> ch02
	struct limits *l = &s->limits;
//<

	opterr = 0;   /* we print our own one-line errors */
	optind = 1;
//> final
	security_defaults(&s->sec);
	s->stop_timeout = -1;
//<
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 'i':
		case 't':
//> final
			s->tty |= opt == 't';
//<
			break;
		case OPT_HOSTNAME:
			if (!valid_hostname(optarg))
				return err_set("--hostname '%s': use letters, digits, '-' and '.' (at most 63)", optarg);
			snprintf(s->hostname, sizeof s->hostname, "%s", optarg);
			break;
//> ch02
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
//<
//> ch05
		case 'v':
			if (s->nvolumes == MAX_VOLUMES)
				return err_set("-v: at most %d volumes", MAX_VOLUMES);
			if (volume_parse(optarg, &s->volumes[s->nvolumes++]) < 0)
				return -1;
			break;
//<
//> ch06
		case 'd':
			s->detach = 1;
			break;
		case OPT_NAME:
			if (!valid_name(optarg))
				return err_set("--name '%s': use letters, digits, '_', '.' and '-', "
					       "starting with a letter or digit (at most 64)", optarg);
			s->name = optarg;
			break;
		case OPT_RM:
			s->autoremove = 1;
			break;
//<
//> ch07
		case 'e':
//> final
			if (s->id)
				break;   /* start: the environment is the one it was run with */
//<
			if (env_set(&s->env, optarg) < 0)
				return -1;
			break;
//<
//> ch08
		case OPT_NET:
			if (endpoint_set_net(&s->net, optarg) < 0)
				return -1;
			break;
		case 'p':
			if (endpoint_add_port(&s->net, optarg) < 0)
				return -1;
			break;
//<
//> final
		case OPT_CAP_ADD:
			if (security_cap_add(&s->sec, optarg) < 0)
				return -1;
			break;
		case OPT_CAP_DROP:
			if (security_cap_drop(&s->sec, optarg) < 0)
				return -1;
			break;
		case OPT_DEVICE:
			if (security_device(&s->sec, optarg) < 0)
				return -1;
			break;
		case OPT_PRIVILEGED:
			security_privileged(&s->sec);
			break;
		case OPT_SECURITY_OPT:
			if (security_opt(&s->sec, optarg) < 0)
				return -1;
			break;
		case OPT_INIT:
			if (init_possible() < 0)
				return -1;
			s->init = 1;
			break;
		case OPT_LOG_OPT:
			if (log_opt(&s->log, optarg) < 0)
				return -1;
			break;
		case 'w':
			if (optarg[0] != '/' || strlen(optarg) >= 256)
				return err_set("--workdir '%s': the path must be absolute (at most 255 bytes)", optarg);
			s->workdir = optarg;
			break;
		case 'u':
			if (user_check(optarg) < 0)
				return -1;
			s->user = optarg;
			break;
		case OPT_ENTRYPOINT:
			*entrypoint = optarg;
			break;
		case OPT_ENV_FILE:
			if (s->id)
				break;
			if (env_read_file(&s->env, optarg) < 0)
				return -1;
			break;
		case OPT_READ_ONLY:
			s->read_only = 1;
			break;
		case OPT_TMPFS:
			if (tmpfs_parse(optarg, s->tmpfs, &s->ntmpfs) < 0)
				return -1;
			break;
		case OPT_ULIMIT:
			if (ulimit_parse(optarg, s->ulimits, &s->nulimits) < 0)
				return -1;
			break;
		case OPT_ADD_HOST:
			if (endpoint_add_host(&s->net, optarg) < 0)
				return -1;
			break;
		case OPT_STOP_SIGNAL:
			if (signal_parse(optarg, &s->stop_signal) < 0)
				return err_wrap("--stop-signal");
			break;
		case OPT_STOP_TIMEOUT: {
			int64_t secs;
			if (parse_int(optarg, 0, 3600, &secs) < 0)
				return err_wrap("--stop-timeout");
			s->stop_timeout = secs;
			break;
		}
		case OPT_CIDFILE:
			if (s->id)
				break;   /* start: the file was written at run */
			if (cidfile_check(optarg, &s->cidfile) < 0)
				return -1;
			break;
		case OPT_PID:
			if (strcmp(optarg, "host"))
				return err_set("--pid '%s': only host (the host's PID namespace) is known", optarg);
			s->pid_host = 1;
			break;
		case 'l':
			if (add_label(s->labels, sizeof s->labels, optarg) < 0)
				return -1;
			break;
		case OPT_RESTART:
			if (restart_parse(optarg, &s->restart) < 0)
				return -1;
			break;
//<
		case ':':
			return err_set("run: option '%s' needs a value (see 'mydocker run --help')", argv[optind - 1]);
		default:
			if (optopt)
				return err_set("run: unknown option '-%c' (see 'mydocker run --help')", optopt);
			return err_set("run: unknown option '%s' (see 'mydocker run --help')", argv[optind - 1]);
		}
	}
//> ch02
	if (check_cpus(l) < 0)
		return -1;
//<
//> ch08
	if (endpoint_check(&s->net) < 0)
		return -1;
//<
//> final
	if (log_check(&s->log) < 0)
		return -1;
	/* Our init reaps orphans as PID 1 of a namespace of its own. */
	if (s->init && s->pid_host)
		return err_set("--init with --pid host: the init must be PID 1 of a PID namespace of its own");
	if (s->restart.kind && s->autoremove)
		return err_set("--restart with --rm: a container removed once it exits cannot run again");
	if (s->restart.kind && !s->detach)
		return err_set("--restart needs -d: a detached container's monitor is what runs it again");
	security_resolve(&s->sec);
//<
	return 0;
}

/* The spec of run's words: options, image, command; 1 after --help. */
static int spec_of(int argc, char **argv, struct spec *s)
{
	static char *default_cmd[] = { "/bin/sh", NULL };
//> ch01 final
	//- int r = parse_options(argc, argv, s);
//<
//> final
	const char *entrypoint = NULL;
	int r = parse_options(argc, argv, s, &entrypoint);
//<

	if (r != 0)
		return r;
//> ch03
	s->image = optind < argc ? argv[optind++] : DEFAULT_IMAGE;
//<
//> final
	/* --entrypoint: the command is it, COMMAND's words its arguments
	 * (the image's default command is not: docker drops it too). argv has
	 * room: optind >= 1 and argv[0] ("run") is ours to reuse. */
	if (entrypoint) {
		if (!*entrypoint)
			return err_set("--entrypoint: give a command");
		argv[--optind] = (char *)entrypoint;
	}
//<
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
//> final
	/* run's words as they are now: --entrypoint takes one's place below. */
	static char *words[4096];

	if (argc - 1 > (int)(sizeof words / sizeof *words)) {
		err_set("run: at most %zu words", sizeof words / sizeof *words);
		return report_error(EXIT_RUNTIME);
	}
	memcpy(words, argv + 1, (argc - 1) * sizeof *argv);
	s.words = words;
	s.nwords = argc - 1;
//<
	int r = spec_of(argc, argv, &s);

	if (r != 0)
		return r > 0 ? 0 : report_error(EXIT_RUNTIME);
	return container_run(&s);
}
//> final

int run_again(const struct record *r, const char *ref, int attach)
{
	static struct spec s;
	/* The words for the record, and a copy for the parser (--entrypoint
	 * writes into it): at most what a record's 8 KiB can hold. */
	static char *words[4096], *argv[4096 + 2];
	const char *word = r->run;
	int argc = 1, rc;

	if (r->nrun == 0) {
		err_set("container %s: its record keeps no run options (an older mydocker made it)", ref);
		return report_error(1);
	}
	/* Each start is a spec of its own; the variables of the last are not
	 * freed (what they point to lives as long as the process). */
	memset(&s, 0, sizeof s);
	for (int i = 0; i < r->nrun && i < (int)(sizeof words / sizeof *words); i++, word += strlen(word) + 1)
		words[s.nwords++] = (char *)word;
	argv[0] = "run";
	memcpy(argv + 1, words, s.nwords * sizeof *words);
	argc += s.nwords;
	argv[argc] = NULL;
	s.words = words;
	s.id = r->id;
	s.ref = ref;
	word = r->env;
	for (int i = 0; i < r->nenv; i++, word += strlen(word) + 1)
		if (env_set(&s.env, word) < 0)
			return report_error(EXIT_RUNTIME);
	if ((rc = spec_of(argc, argv, &s)) != 0)
		return rc > 0 ? 0 : report_error(EXIT_RUNTIME);
	s.detach = !attach;
	return container_run(&s);
}
//<
