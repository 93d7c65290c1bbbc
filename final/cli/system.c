//> final
/* `version`, `info`, and docker's `system df | info | prune`: what this
 * runtime is, and what the host it runs on gives it. */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "parse.h"
#include "cgroup/cgroup.h"
#include "container/record.h"
#include "image/image.h"
#include "net/network.h"

int cmd_version(int argc, char **argv)
{
	struct utsname u;
	int rc;

	if ((rc = cli_no_options(argc, argv, "Usage: mydocker version\n\nThe runtime's version and build, and the "
					     "kernel it runs on.\n")) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind < argc)
		return report_error((err_set("version: takes no arguments"), 1));
	uname(&u);
	printf("mydocker:\n Version:     %s\n Build:       %s\n Compiler:    gcc %s\n Built:       %s %s\n"
	       " OS/Arch:     %s/%s\n Kernel:      %s\n",
	       MYDOCKER_VERSION, MYDOCKER_BUILD, __VERSION__, __DATE__, __TIME__, "linux", u.machine, u.release);
	return 0;
}

/* /etc/os-release's PRETTY_NAME. */
static void os_name(char *out, size_t size)
{
	char text[4096], *line;

	snprintf(out, size, "%s", "unknown");
	if (read_file("/etc/os-release", text, sizeof text) < 0 || !(line = strstr(text, "PRETTY_NAME=")))
		return;
	line += strlen("PRETTY_NAME=");
	line += *line == '"';
	snprintf(out, size, "%.*s", (int)strcspn(line, "\"\n"), line);
}

int cmd_info(int argc, char **argv)
{
	const char *cgroot = getenv("MYDOCKER_CGROUP_ROOT");
	int running = 0, paused = 0, stopped = 0, nrec, nimg, nnet, rc;
	struct record *records;
	struct image *images;
	struct network *nets;
	const struct scmp_version *seccomp = seccomp_version();
	char os[256], host[256] = "", memory[32];
	struct utsname u;
	struct sysinfo si;

	if ((rc = cli_no_options(argc, argv, "Usage: mydocker info\n\nWhat the runtime has and the host gives it: "
					     "containers, images, networks, cgroup mode, kernel, state root.\n")) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind < argc)
		return report_error((err_set("info: takes no arguments"), 1));
	if ((nrec = record_list(&records)) < 0)
		return report_error(1);
	for (int i = 0; i < nrec; i++) {
		const char *state = record_state(&records[i]);
		running += !strcmp(state, "running");
		paused += !strcmp(state, "paused");
		stopped += !strcmp(state, "exited") || !strcmp(state, "created");
	}
	free(records);
	if ((nimg = image_list(&images)) >= 0)
		free(images);
	if ((nnet = network_list(&nets)) >= 0)
		free(nets);
	enum cgroup_mode mode = cgroup_mode(cgroot && *cgroot ? cgroot : CGROUP_ROOT);
	uname(&u);
	sysinfo(&si);
	gethostname(host, sizeof host - 1);
	os_name(os, sizeof os);
	format_bytes((long long)si.totalram * si.mem_unit, memory, sizeof memory);
	printf("Containers: %d\n Running: %d\n Paused: %d\n Stopped: %d\n", nrec, running, paused, stopped);
	printf("Images: %d\nNetworks: %d\n", nimg < 0 ? 0 : nimg, nnet < 0 ? 0 : nnet);
	printf("Server Version: %s\nStorage Driver: overlay\n", MYDOCKER_VERSION);
	printf("Cgroup Driver: cgroupfs\nCgroup Version: %s (%s)\n", mode == CGROUP_V2 ? "2" : "1",
	       cgroup_mode_name(mode));
	printf("Security Options:\n seccomp (libseccomp %u.%u.%u)\n no-new-privileges\n",
	       seccomp->major, seccomp->minor, seccomp->micro);
	printf("Kernel Version: %s\nOperating System: %s\nArchitecture: %s\nCPUs: %ld\nTotal Memory: %s\n",
	       u.release, os, u.machine, sysconf(_SC_NPROCESSORS_ONLN), memory);
	printf("Name: %s\nMydocker Root Dir: %s\n", host, state_root());
	return 0;
}

int cmd_system(int argc, char **argv)
{
	static const char usage[] =
		"Usage: mydocker system COMMAND\n\nCommands:\n"
		"  df      the disk space images and containers take\n"
		"  info    what the runtime has and the host gives it (mydocker info)\n"
		"  prune   remove exited containers, unused networks and, with -a, unused images\n";

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (!strcmp(argv[1], "df"))
		return cmd_system_df(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(argv[1], "prune"))
		return cmd_system_prune(argc - 1, argv + 1);
	return report_error((err_set("system: unknown command '%s' (df, info or prune)", argv[1]), 1));
}
