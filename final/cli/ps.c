//> ch06
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
//> final
#include "cli/filter.h"
#include "cli/template.h"
//<

//> ch06
static const char usage[] =
	"Usage: mydocker ps [OPTIONS]\n"
	"\n"
	"List the running containers (all of them with -a), newest first.\n"
	"\n"
	"Options:\n"
	"  -a, --all        also the containers that have exited\n"
	"  -q, --quiet      only the IDs\n"
	"      --no-trunc   full IDs and commands\n"
//> final
	"  -n, --last N     the N newest containers, whatever their state\n"
	"  -l, --latest     the newest container (-n 1)\n"
	"  -f, --filter K=V only those that match: id, name, label (K or K=V), status\n"
	"                   (created, running, paused, exited), exited (a code), ancestor\n"
	"                   (an image); repeatable\n"
	"      --format T   each container as the template T: {{.ID}} {{.Image}} {{.Command}}\n"
	"                   {{.CreatedAt}} {{.RunningFor}} {{.Status}} {{.State}} {{.Ports}}\n"
	"                   {{.Names}} {{.Labels}} {{.Label \"K\"}}; 'table T' adds a header\n"
//<
	"  -h, --help       print this help\n";

enum {
	COL_ID, COL_IMAGE, COL_COMMAND, COL_CREATED, COL_STATUS,
//> ch08
	COL_PORTS,
//<
	COL_NAMES, NCOLS
};

static const char *const headers[NCOLS] = {
	[COL_ID] = "CONTAINER ID", [COL_IMAGE] = "IMAGE", [COL_COMMAND] = "COMMAND", [COL_CREATED] = "CREATED",
	[COL_STATUS] = "STATUS",
//> ch08
	[COL_PORTS] = "PORTS",
//<
	[COL_NAMES] = "NAMES",
};

//> ch08
/* docker's form: "0.0.0.0:8080->80/tcp, ..." (every host address). */
static void ports_cell(const struct endpoint *e, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < e->nports && len < size; i++)
		len += snprintf(out + len, size - len, "%s0.0.0.0:%d->%d/%s", i ? ", " : "", e->ports[i].host,
				e->ports[i].ctr, e->ports[i].proto);
}

//<
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
//> ch06 final
		//- format_duration(seconds_since(&r->created, now), ago, sizeof ago);
//<
//> final
		format_duration(seconds_since(r->started.tv_sec ? &r->started : &r->created, now), ago, sizeof ago);
//<
		snprintf(out, size, "Up %s", ago);
//> ch06 final
	//- } else if (r->status == STATUS_EXITED) {
//<
//> final
	} else if (!strcmp(record_state(r), "restarting")) {
		format_duration(seconds_since(&r->finished, now), ago, sizeof ago);
		snprintf(out, size, "Restarting (%d) %s ago", r->exit_code, ago);
	} else if (r->status == STATUS_EXITED) {
//<
		format_duration(seconds_since(&r->finished, now), ago, sizeof ago);
		snprintf(out, size, "Exited (%d) %s ago", r->exit_code, ago);
	} else if (r->status == STATUS_RUNNING) {
		snprintf(out, size, "Exited (unknown): its runtime was killed");
	} else {
		snprintf(out, size, "Created");
	}
}

//> final
/* A row for --format: the record and its cells, or the header's words. */
struct format_row {
	const struct record *r;
	char (*cells)[1100];
	int header;
};

static int format_field(const char *func, const char *name, const char *arg, void *ctx, char *out, size_t size)
{
	static const struct { const char *name; int col; const char *header; } fields[] = {
		{ "ID", COL_ID, "CONTAINER ID" }, { "Image", COL_IMAGE, "IMAGE" }, { "Command", COL_COMMAND, "COMMAND" },
		{ "RunningFor", COL_CREATED, "CREATED" }, { "Status", COL_STATUS, "STATUS" },
		{ "Ports", COL_PORTS, "PORTS" }, { "Names", COL_NAMES, "NAMES" },
	};
	const struct format_row *row = ctx;
	const struct record *r = row->r;

	if (func || (arg && strcmp(name, "Label")))
		return -1;
	for (size_t i = 0; !arg && i < sizeof fields / sizeof *fields; i++)
		if (!strcmp(name, fields[i].name)) {
			snprintf(out, size, "%s", row->header ? fields[i].header : row->cells[fields[i].col]);
			return 0;
		}
	if (!strcmp(name, "CreatedAt") && !arg) {
		struct tm tm;
		if (row->header || !localtime_r(&r->created.tv_sec, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M:%S %z %Z", &tm))
			snprintf(out, size, "%s", row->header ? "CREATED AT" : "");
		return 0;
	}
	if (!strcmp(name, "State") && !arg) {
		snprintf(out, size, "%s", row->header ? "STATE" : record_state(r));
		return 0;
	}
	if (!strcmp(name, "Labels") && !arg) {
		size_t len = snprintf(out, size, "%s", row->header ? "LABELS" : r->labels);
		for (size_t i = 0; i < len && i < size; i++)
			out[i] = out[i] == '\n' ? ',' : out[i];
		return 0;
	}
	if (!strcmp(name, "Label") && arg) {
		size_t key = strlen(arg);
		out[0] = '\0';
		if (row->header)
			snprintf(out, size, "%s", arg);
		for (const char *l = r ? r->labels : ""; !row->header && *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
			if (!strncmp(l, arg, key) && l[key] == '=') {
				snprintf(out, size, "%.*s", (int)strcspn(l + key + 1, "\n"), l + key + 1);
				break;
			}
		return 0;
	}
	return -1;
}

/* --format's rows; with "table", a header and columns three spaces apart
 * (each \t a column's end, as docker's table writer takes it). */
static int print_formatted(const char *format, char (*cells)[NCOLS][1100], const struct record **shown, int rows)
{
	int table = !strncmp(format, "table", 5) && (!format[5] || format[5] == ' ');
	const char *tmpl = table ? format + 5 + (format[5] == ' ') : format;
	char (*lines)[8192] = calloc(rows + 1, sizeof *lines);
	size_t widths[32] = { 0 };
	int rc = 0;

	if (!lines)
		return err_sys("ps");
	for (int i = table ? 0 : 1; rc == 0 && i <= rows; i++) {
		struct format_row row = { i ? shown[i - 1] : NULL, cells[i], i == 0 };
		rc = template_render(tmpl, format_field, &row, lines[i], sizeof lines[i]);
	}
	for (int i = table ? 0 : 1; rc == 0 && i <= rows; i++) {
		if (!table) {
			printf("%s\n", lines[i]);
			continue;
		}
		/* Columns: every cell as wide as its column's widest. */
		int col = 0;
		for (char *c = lines[i], *tab; col < 32; c = tab + 1, col++) {
			size_t w = (tab = strchr(c, '\t')) ? (size_t)(tab - c) : strlen(c);
			if (i == 0 || w > widths[col])
				widths[col] = widths[col] > w ? widths[col] : w;
			if (!tab)
				break;
		}
	}
	for (int i = 0; rc == 0 && table && i <= rows; i++) {
		int col = 0;
		for (char *c = lines[i], *tab; ; c = tab + 1, col++) {
			if (!(tab = strchr(c, '\t')) || col == 31) {
				printf("%s\n", c);
				break;
			}
			printf("%.*s%*s", (int)(tab - c), c, (int)(widths[col] - (tab - c) + 3), "");
		}
	}
	free(lines);
	return rc;
}

//<
int cmd_ps(int argc, char **argv)
{
	static const struct option options[] = {
		{ "all", no_argument, NULL, 'a' }, { "quiet", no_argument, NULL, 'q' },
		{ "no-trunc", no_argument, NULL, 'T' }, { "help", no_argument, NULL, 'h' },
//> final
		{ "last", required_argument, NULL, 'n' }, { "latest", no_argument, NULL, 'l' },
		{ "filter", required_argument, NULL, 'f' }, { "format", required_argument, NULL, 'F' },
//<
		{ 0 }
	};
	int all = 0, quiet = 0, trunc = 1, opt, n;
//> final
	static struct filters filters;
	const char *format = NULL;
	int64_t last = -1, matched = 0;
	const struct record **shown;
//<
	struct record *list;
	struct timespec now;

	opterr = 0;
	optind = 1;
//> ch06 final
	//- while ((opt = getopt_long(argc, argv, "+aqh", options, NULL)) != -1) {
//<
//> final
	while ((opt = getopt_long(argc, argv, "+:aqhn:lf:", options, NULL)) != -1) {
//<
		switch (opt) {
		case 'a': all = 1; break;
		case 'q': quiet = 1; break;
		case 'T': trunc = 0; break;
		case 'h': fputs(usage, stdout); return 0;
//> final
		case 'n':
			if (parse_int(optarg, 0, 1000000, &last) < 0)
				return report_error((err_wrap("ps: --last"), 1));
			break;
		case 'l': last = 1; break;
		case 'f':
			if (filter_add(&filters, optarg) < 0)
				return report_error((err_wrap("ps"), 1));
			break;
		case 'F': format = optarg; break;
		case ':':
			err_set("ps: option '%s' needs a value", argv[optind - 1]);
			return report_error(1);
//<
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
//> ch06 final
	//- if (!cells) {
//<
//> final
	all |= last >= 0 || filter_wants_all(&filters);
	shown = calloc(n + 1, sizeof *shown);
	if (!cells || !shown) {
		free(cells);
		free(shown);
//<
		free(list);
		return report_error((err_sys("ps"), 1));
	}
	for (int col = 0; col < NCOLS; col++)
		snprintf(cells[0][col], sizeof cells[0][col], "%s", headers[col]);
	for (int i = 0; i < n; i++) {
		const struct record *r = &list[i];
		char ago[64];
//> final
		char safe[4 * sizeof r->command];   /* a command's control characters, escaped */
//<
//> ch06 final
		//- if (!all && !up(r))
		//- 	continue;
//<
//> final
		/* Its freezer read once: for the filter, the status and --format. */
		const char *state = record_state(r);
		/* docker's ps lists a restarting container as one that runs. */
		if (!all && !up(r) && strcmp(state, "restarting"))
			continue;
		if (!filter_match(&filters, r, state) || (last >= 0 && matched >= last))
			continue;
		matched++;
		shown[rows - 1] = r;   /* the row it gets, unless -q */
//<
		if (quiet) {
			printf("%.*s\n", trunc ? SHORT_ID_LEN : ID_LEN, r->id);
			continue;
		}
		char (*row)[1100] = cells[rows++];
		snprintf(row[COL_ID], sizeof row[0], "%.*s", trunc ? SHORT_ID_LEN : ID_LEN, r->id);
		snprintf(row[COL_IMAGE], sizeof row[0], "%s", r->image);
//> ch06 final
		//- command_cell(r->command, trunc, row[COL_COMMAND], sizeof row[0]);
//<
//> final
		command_cell(text_escape(r->command, safe, sizeof safe), trunc, row[COL_COMMAND], sizeof row[0]);
//<
		format_duration(seconds_since(&r->created, &now), ago, sizeof ago);
		snprintf(row[COL_CREATED], sizeof row[0], "%s ago", ago);
		status_cell(r, &now, row[COL_STATUS], sizeof row[0]);
//> final
		size_t status_len = strlen(row[COL_STATUS]);
		if (!strcmp(state, "paused"))   /* pause, or a commit's moment */
			snprintf(row[COL_STATUS] + status_len, sizeof row[0] - status_len, " (Paused)");
//<
//> ch08
		ports_cell(&r->ep, row[COL_PORTS], sizeof row[0]);
//<
		snprintf(row[COL_NAMES], sizeof row[0], "%s", r->name);
	}
//> final
	if (format && !quiet) {
		int rc = print_formatted(format, cells, shown, rows - 1);
		free(cells);
		free(shown);
		free(list);
		return rc < 0 ? report_error(1) : 0;
	}
	free(shown);
//<
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
//<
