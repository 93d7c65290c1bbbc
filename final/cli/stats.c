//> final
/* `stats`: each running container's CPU, memory and process count, read
 * from its cgroups (v1: cpuacct.usage, memory.usage_in_bytes; v2: cpu.stat,
 * memory.current; on v2 every controller is in one directory, the
 * freezer's). Its PIDs are its threads, as pids.current counts them: the
 * freezer's tasks (v1) or cgroup.threads (v2), which every container has. */
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "parse.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker stats [OPTIONS] [CONTAINER...]\n"
	"\n"
	"CPU, memory and process counts of running containers (all of them when\n"
	"none is named), read from their cgroups; refreshed each second until ^C.\n"
	"\n"
	"Options:\n"
	"  -a, --all         also the containers that are not running\n"
	"      --no-stream   print once and exit\n"
	"  -h, --help        print this help\n";

struct sample {
	long long cpu_ns;      /* CPU time its processes used, in all */
	long long memory;      /* bytes in use, less the page cache it could drop */
	long long limit;       /* -m, or the host's memory */
	long long pids;
	struct timespec at;
};

/* One number from a cgroup file: the file's first, or the one after
 * "key " in it (cpu.stat, memory.stat); -1 when it has none. */
static long long cgroup_number(const char *dir, const char *file, const char *key)
{
	char path[4096 + 64], text[8192], *p = text;
	size_t klen = key ? strlen(key) : 0;

	if (!dir[0] || path_fmt(path, sizeof path, "%s/%s", dir, file) < 0 || read_file(path, text, sizeof text) < 0)
		return -1;
	if (key) {
		for (p = text; p && (strncmp(p, key, klen) || p[klen] != ' '); p = strchr(p, '\n'), p = p ? p + 1 : p)
			;
		if (!p)
			return -1;
		p += klen + 1;
	}
	char *end;
	long long v = strtoll(p, &end, 10);
	return end == p ? -1 : v;
}

/* How many lines a cgroup file has (a thread a line); -1 when it cannot be read. */
static long long count_lines(const char *dir, const char *file)
{
	char path[4096 + 64], buf[4096];
	long long lines = 0;
	ssize_t n;
	int fd;

	if (!dir[0] || path_fmt(path, sizeof path, "%s/%s", dir, file) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return n < 0 ? -1 : lines;
}

/* A record keeps a cgroup's directories, not their versions: each
 * reading tries v2's file, then v1's. */
static void sample(const struct record *r, struct sample *s)
{
	const struct cgroup *cg = &r->cgroup;
	const char *memory = cg->dir[CTL_MEMORY];
	struct sysinfo si;
	long long usec, max, cache;

	clock_gettime(CLOCK_MONOTONIC, &s->at);
	sysinfo(&si);
	s->limit = (long long)si.totalram * si.mem_unit;
	/* v2's cpu.stat is in every cgroup, the freezer's too. */
	usec = cgroup_number(cg->dir[CTL_FREEZER], "cpu.stat", "usage_usec");
	s->cpu_ns = usec >= 0 ? usec * 1000 : cgroup_number(cg->dir[CTL_CPUACCT], "cpuacct.usage", NULL);
	if ((s->memory = cgroup_number(memory, "memory.current", NULL)) >= 0) {
		cache = cgroup_number(memory, "memory.stat", "inactive_file");
		max = cgroup_number(memory, "memory.max", NULL);   /* "max" reads as no number */
	} else {
		s->memory = cgroup_number(memory, "memory.usage_in_bytes", NULL);
		cache = cgroup_number(memory, "memory.stat", "total_inactive_file");
		max = cgroup_number(memory, "memory.limit_in_bytes", NULL);
	}
	if (max > 0 && max < s->limit)
		s->limit = max;
	/* As docker counts it: the page cache the kernel can drop is not use. */
	if (s->memory > 0 && cache > 0 && cache < s->memory)
		s->memory -= cache;
	if ((s->pids = count_lines(cg->dir[CTL_FREEZER], "cgroup.threads")) < 0)
		s->pids = count_lines(cg->dir[CTL_FREEZER], "tasks");
}

/* The containers stats shows: those named, or every running one (-a: all). */
static int pick(int argc, char **argv, int all, struct record **out)
{
	struct record *list;
	int n = 0;

	if (argc == 0) {
		int total = record_list(&list);
		if (total < 0)
			return -1;
		for (int i = 0; i < total; i++)
			if (all || record_running(&list[i]))
				list[n++] = list[i];
		*out = list;
		return n;
	}
	if (!(list = calloc(argc, sizeof *list)))
		return err_sys("stats");
	for (int i = 0; i < argc; i++)
		if (record_find(argv[i], &list[n]) == 0)
			n++;
		else
			report_error(1);
	*out = list;
	return n == argc ? n : (free(list), -1);
}

static void print(const struct record *list, const struct sample *before, const struct sample *after, int n)
{
	printf("%-14s %-20s %-8s %-22s %-8s %s\n", "CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS");
	for (int i = 0; i < n; i++) {
		const struct sample *a = &before[i], *b = &after[i];
		char cpu[16] = "--", mem[64] = "-- / --", memp[16] = "--", used[24], limit[24];
		double wall = (b->at.tv_sec - a->at.tv_sec) * 1e9 + (b->at.tv_nsec - a->at.tv_nsec);
		int up = record_running(&list[i]);
		/* docker's CPU %: the share of one CPU's time, so a container
		 * busy on two CPUs shows 200%. */
		if (up && a->cpu_ns >= 0 && b->cpu_ns >= a->cpu_ns && wall > 0)
			snprintf(cpu, sizeof cpu, "%.2f%%", (b->cpu_ns - a->cpu_ns) * 100.0 / wall);
		if (up && b->memory >= 0) {
			format_bytes(b->memory, used, sizeof used);
			format_bytes(b->limit, limit, sizeof limit);
			snprintf(mem, sizeof mem, "%s / %s", used, limit);
			snprintf(memp, sizeof memp, "%.2f%%", b->limit ? b->memory * 100.0 / b->limit : 0.0);
		}
		printf("%-14.12s %-20s %-8s %-22s %-8s %lld\n", list[i].id, list[i].name, cpu, mem, memp,
		       up && b->pids > 0 ? b->pids : 0);
	}
	fflush(stdout);
}

int cmd_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' }, { "no-stream", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	int opt, all = 0, stream = 1, n;
	struct record *list = NULL;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+ah", options, NULL)) != -1) {
		switch (opt) {
		case 'a': all = 1; break;
		case 'S': stream = 0; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			return report_error((err_set("stats: unknown option '%s' (see 'mydocker stats --help')",
						     argv[optind - 1]), 1));
		}
	}
	if ((n = pick(argc - optind, argv + optind, all, &list)) < 0)
		return argc > optind ? 1 : report_error(1);
	struct sample *s = calloc(2 * (size_t)n + 2, sizeof *s);
	if (!s) {
		free(list);
		return report_error((err_sys("stats"), 1));
	}
	/* CPU use is a rate: two samples, half a second apart. */
	for (int i = 0; i < n; i++)
		sample(&list[i], &s[i]);
	do {
		usleep(500 * 1000);
		for (int i = 0; i < n; i++)
			sample(&list[i], &s[n + i]);
		if (stream)
			printf("\033[2J\033[H");
		print(list, s, s + n, n);
		memcpy(s, s + n, n * sizeof *s);
	} while (stream);
	free(s);
	free(list);
	return 0;
}
