/* `ps`: the containers, in docker's columns. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/process.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker ps [OPTIONS]\n"
	"\n"
	"List the running containers (all of them with -a), newest first.\n"
	"\n"
	"Options:\n"
	"  -a, --all        also the containers that have exited\n"
	"  -q, --quiet      only the IDs\n"
	"      --no-trunc   full IDs and commands\n"
	"  -h, --help       print this help\n";

enum {
	COL_ID, COL_IMAGE, COL_COMMAND, COL_CREATED, COL_STATUS,
	COL_PORTS,
	COL_NAMES, NCOLS
};

static const char *const headers[NCOLS] = {
	[COL_ID] = "CONTAINER ID", [COL_IMAGE] = "IMAGE", [COL_COMMAND] = "COMMAND", [COL_CREATED] = "CREATED",
	[COL_STATUS] = "STATUS",
	[COL_PORTS] = "PORTS",
	[COL_NAMES] = "NAMES",
};

/* docker's form: "0.0.0.0:8080->80/tcp, ..." (every host address). */
static void ports_cell(const struct endpoint *e, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < e->nports && len < size; i++)
		len += snprintf(out + len, size - len, "%s0.0.0.0:%d->%d/%s", i ? ", " : "", e->ports[i].host,
				e->ports[i].ctr, e->ports[i].proto);
}

/* Characters, not bytes: the "…" that cuts a long command is three bytes. */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Quoted, and cut at 20 characters as docker does unless --no-trunc. */
static void command_cell(const char *command, int trunc, char *out, size_t size)
{
	if (trunc && width(command) > 20) {
		size_t bytes = 0;
		for (int chars = 0; command[bytes] && chars < 19; chars++)
			do
				bytes++;
			while (((unsigned char)command[bytes] & 0xC0) == 0x80);
		snprintf(out, size, "\"%.*s…\"", (int)bytes, command);
	} else {
		snprintf(out, size, "\"%s\"", command);
	}
}

/* Its init runs; or it has just ended and its monitor, still there, is
 * about to record that (docker, too, shows Up until it has). */
static int up(const struct record *r)
{
	return record_running(r) ||
	       (r->status == STATUS_RUNNING && process_alive(r->monitor, r->monitor_start));
}

static long long seconds_since(const struct timespec *t, const struct timespec *now)
{
	return now->tv_sec - t->tv_sec - (now->tv_nsec < t->tv_nsec);
}

/* "Up 3 seconds", "Exited (3) 5 seconds ago", "Created". A record that
 * says running while its process is gone: the runtime was killed. */
static void status_cell(const struct record *r, const struct timespec *now, char *out, size_t size)
{
	char ago[64];

	if (up(r)) {
		format_duration(seconds_since(&r->created, now), ago, sizeof ago);
		snprintf(out, size, "Up %s", ago);
	} else if (r->status == STATUS_EXITED) {
		format_duration(seconds_since(&r->finished, now), ago, sizeof ago);
		snprintf(out, size, "Exited (%d) %s ago", r->exit_code, ago);
	} else if (r->status == STATUS_RUNNING) {
		snprintf(out, size, "Exited (unknown): its runtime was killed");
	} else {
		snprintf(out, size, "Created");
	}
}

int cmd_ps(int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' }, { "quiet", no_argument, NULL, 'q' },
		{ "no-trunc", no_argument, NULL, 'T' }, { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int all = 0, quiet = 0, trunc = 1, opt, n;
	struct record *list;
	struct timespec now;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+aqh", options, NULL)) != -1) {
		switch (opt) {
		case 'a': all = 1; break;
		case 'q': quiet = 1; break;
		case 'T': trunc = 0; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			err_set("ps: unknown option '%s' (see 'mydocker ps --help')", argv[optind - 1]);
			return report_error(1);
		}
	}
	if (optind < argc) {
		err_set("ps: takes no arguments (see 'mydocker ps --help')");
		return report_error(1);
	}
	if ((n = record_list(&list)) < 0)
		return report_error(1);
	clock_gettime(CLOCK_REALTIME, &now);

	/* One row of cells per container shown, the header first. */
	char (*cells)[NCOLS][1100] = calloc(n + 1, sizeof *cells);
	size_t widths[NCOLS] = { 0 };
	int rows = 1;
	if (!cells) {
		free(list);
		return report_error((err_sys("ps"), 1));
	}
	for (int col = 0; col < NCOLS; col++)
		snprintf(cells[0][col], sizeof cells[0][col], "%s", headers[col]);
	for (int i = 0; i < n; i++) {
		const struct record *r = &list[i];
		char ago[64];
		if (!all && !up(r))
			continue;
		if (quiet) {
			printf("%.*s\n", trunc ? SHORT_ID_LEN : ID_LEN, r->id);
			continue;
		}
		char (*row)[1100] = cells[rows++];
		snprintf(row[COL_ID], sizeof row[0], "%.*s", trunc ? SHORT_ID_LEN : ID_LEN, r->id);
		snprintf(row[COL_IMAGE], sizeof row[0], "%s", r->image);
		command_cell(r->command, trunc, row[COL_COMMAND], sizeof row[0]);
		format_duration(seconds_since(&r->created, &now), ago, sizeof ago);
		snprintf(row[COL_CREATED], sizeof row[0], "%s ago", ago);
		status_cell(r, &now, row[COL_STATUS], sizeof row[0]);
		ports_cell(&r->ep, row[COL_PORTS], sizeof row[0]);
		snprintf(row[COL_NAMES], sizeof row[0], "%s", r->name);
	}
	for (int i = 0; !quiet && i < rows; i++)
		for (int col = 0; col < NCOLS; col++)
			if (width(cells[i][col]) > widths[col])
				widths[col] = width(cells[i][col]);
	/* Columns three spaces apart, as docker's table writer sets them. */
	for (int i = 0; !quiet && i < rows; i++) {
		for (int col = 0; col < NCOLS - 1; col++)
			printf("%s%*s", cells[i][col], (int)(widths[col] - width(cells[i][col]) + 3), "");
		printf("%s\n", cells[i][NCOLS - 1]);
	}
	free(cells);
	free(list);
	return 0;
}
