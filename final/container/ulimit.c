//> final
#include "container/ulimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "parse.h"

/* docker's names for them (those of ulimit -a and limits.conf). */
static const struct { const char *name; int resource; } names[] = {
	{ "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA },
	{ "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
	{ "as", RLIMIT_AS },
};

/* A number, or "unlimited" / -1 for no limit. */
static int value(const char *s, size_t len, rlim_t *out)
{
	char text[32];
	int64_t n;

	if (len == 0 || len >= sizeof text)
		return -1;
	snprintf(text, sizeof text, "%.*s", (int)len, s);
	if (!strcmp(text, "unlimited") || !strcmp(text, "-1")) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (parse_int(text, 0, INT64_MAX, &n) < 0)
		return -1;
	*out = n;
	return 0;
}

int ulimit_parse(const char *arg, struct ulimit *u, int *n)
{
	const char *eq = strchr(arg, '='), *colon;
	struct ulimit new = { -1, { 0, 0 } };

	for (size_t i = 0; eq && i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].name) == (size_t)(eq - arg) && !strncmp(arg, names[i].name, eq - arg))
			new.resource = names[i].resource;
	if (!eq || new.resource < 0)
		return err_set("--ulimit '%s': expected NAME=SOFT[:HARD], NAME one of core cpu data fsize locks "
			       "memlock msgqueue nice nofile nproc rss rtprio rttime sigpending stack as", arg);
	eq++;
	colon = strchr(eq, ':');
	if (value(eq, colon ? (size_t)(colon - eq) : strlen(eq), &new.lim.rlim_cur) < 0 ||
	    (colon && value(colon + 1, strlen(colon + 1), &new.lim.rlim_max) < 0))
		return err_set("--ulimit '%s': a limit is a number or 'unlimited'", arg);
	if (!colon)
		new.lim.rlim_max = new.lim.rlim_cur;
	if (new.lim.rlim_cur > new.lim.rlim_max)
		return err_set("--ulimit '%s': the soft limit is above the hard one", arg);
	for (int i = 0; i < *n; i++)
		if (u[i].resource == new.resource) {
			u[i] = new;
			return 0;
		}
	if (*n == MAX_ULIMITS)
		return err_set("--ulimit: at most %d", MAX_ULIMITS);
	u[(*n)++] = new;
	return 0;
}

int ulimits_apply(const struct ulimit *u, int n)
{
	for (int i = 0; i < n; i++)
		if (setrlimit(u[i].resource, &u[i].lim) < 0) {
			for (size_t j = 0; j < sizeof names / sizeof *names; j++)
				if (names[j].resource == u[i].resource)
					return err_sys("--ulimit %s", names[j].name);
		}
	return 0;
}
