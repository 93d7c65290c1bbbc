//> final
/* `top`: a running container's processes as the host sees them. As
 * docker does, the host's ps lists every process and only the rows whose
 * PID is in the container's cgroup are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker top CONTAINER [ps OPTIONS]\n"
	"\n"
	"The processes of a running container, with host PIDs, as the host's ps\n"
	"shows them (its options; default -ef).\n";

#define MAX_PIDS 4096

/* The PIDs in the container's cgroup: every process of it, exec's too. */
static int cgroup_pids(const struct record *r, long *pids)
{
	char path[4096 + 16] = "", *text = malloc(MAX_PIDS * 12), *p;
	int n = 0;
	ssize_t len;

	if (!text)
		return err_sys("top");
	for (int ctl = 0; ctl < CTL_COUNT && path[0] != '/'; ctl++)
		if (r->cgroup.dir[ctl][0])
			snprintf(path, sizeof path, "%s/cgroup.procs", r->cgroup.dir[ctl]);
	if (path[0] != '/' || (len = read_file(path, text, MAX_PIDS * 12)) < 0) {
		free(text);
		return err_set("top: container %s has no cgroup to read", r->name);
	}
	for (p = text; n < MAX_PIDS && p < text + len; p++) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		pids[n++] = pid;
		p = end;
	}
	free(text);
	return n;
}

/* Word col (from 0, blank-separated) of the line at p into out; -1 when the line has fewer. */
static int word(const char *p, int col, char *out, size_t size)
{
	for (int i = 0; i <= col; i++) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			return -1;
		if (i < col)
			p += strcspn(p, " \t\n");
	}
	snprintf(out, size, "%.*s", (int)strcspn(p, " \t\n"), p);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	char *ps[64] = { "ps" }, *out, *line, *next;
	long pids[MAX_PIDS];
	struct record r;
	int n, npids, col = -1, rc;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2)
		return report_error((err_set("top: give a container (see 'mydocker top --help')"), 1));
	if (argc - 2 > 60)
		return report_error((err_set("top: too many ps options"), 1));
	if (record_find(argv[1], &r) < 0)
		return report_error(1);
	if (!record_running(&r))
		return report_error((err_set("top: container %s is not running", argv[1]), 1));
	if ((npids = cgroup_pids(&r, pids)) < 0)
		return report_error(1);
	n = 1;
	if (argc == 2)
		ps[n++] = "-ef";
	for (int i = 2; i < argc; i++)
		ps[n++] = argv[i];
	ps[n] = NULL;
	if (!(out = malloc(1 << 20)))
		return report_error((err_sys("top"), 1));
	if ((rc = run_argv_output(ps, out, 1 << 20)) != 0) {
		free(out);
		return report_error((err_set("top: ps %s failed (exit %d)", argc > 2 ? argv[2] : "-ef", rc), 1));
	}
	/* The header names the columns: the one called PID says whose row it is. */
	char w[32];
	for (int i = 0; col < 0 && word(out, i, w, sizeof w) == 0; i++)
		col = strcmp(w, "PID") ? -1 : i;
	if (col < 0 || !(next = strchr(out, '\n'))) {
		free(out);
		return report_error((err_set("top: ps printed no PID column (give it options that show one)"), 1));
	}
	printf("%.*s\n", (int)(next - out), out);
	for (line = next + 1; *line; line = next + (*next == '\n')) {
		next = line + strcspn(line, "\n");
		char *end;
		long pid = word(line, col, w, sizeof w) == 0 ? strtol(w, &end, 10) : -1;
		for (int i = 0; pid > 0 && !*end && i < npids; i++)
			if (pids[i] == pid) {
				printf("%.*s\n", (int)(next - line), line);
				break;
			}
	}
	free(out);
	return 0;
}
