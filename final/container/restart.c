//> final
#include "container/restart.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "parse.h"

#define FIRST_DELAY_MS 100
#define MAX_DELAY_MS 60000
#define LONG_RUN_MS 10000

static const char *const names[] = { "no", "on-failure", "always", "unless-stopped" };

const char *restart_name(enum restart_kind kind)
{
	return names[kind];
}

int restart_parse(const char *s, struct restart_policy *p)
{
	const char *colon = strchr(s, ':');
	size_t len = colon ? (size_t)(colon - s) : strlen(s);
	int64_t max = 0;

	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		if (strlen(names[k]) != len || strncmp(s, names[k], len))
			continue;
		/* Only on-failure counts its runs. */
		if (colon && k != RESTART_ON_FAILURE)
			return err_set("--restart %s: only on-failure takes a count (on-failure:3)", s);
		if (colon && parse_int(colon + 1, 1, 1000000, &max) < 0)
			return err_wrap("--restart %s: the count", s);
		p->kind = k;
		p->max = max;
		return 0;
	}
	return err_set("--restart '%s': expected no, on-failure[:N], always or unless-stopped", s);
}

int restart_wanted(const struct restart_policy *p, int code, int count)
{
	switch (p->kind) {
	case RESTART_ON_FAILURE:
		return code != 0 && (p->max == 0 || count < p->max);
	case RESTART_ALWAYS:
	case RESTART_UNLESS_STOPPED:
		return 1;
	default:
		return 0;
	}
}

long restart_delay_ms(long last_ms, long ran_ms)
{
	if (ran_ms >= LONG_RUN_MS || last_ms <= 0)
		return FIRST_DELAY_MS;
	return last_ms * 2 > MAX_DELAY_MS ? MAX_DELAY_MS : last_ms * 2;
}

int restart_wait(long ms)
{
	struct timespec left = { ms / 1000, ms % 1000 * 1000000L }, end, now;
	sigset_t stops, old;
	int rc = 1;

	/* Blocked and waited for: the stop is taken here, and the monitor
	 * records that it gave up before it ends. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGHUP);
	sigaddset(&stops, SIGQUIT);
	sigprocmask(SIG_BLOCK, &stops, &old);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += left.tv_sec + (end.tv_nsec + left.tv_nsec) / 1000000000L;
	end.tv_nsec = (end.tv_nsec + left.tv_nsec) % 1000000000L;
	for (;;) {
		if (sigtimedwait(&stops, NULL, &left) > 0) {
			rc = 0;
			break;
		}
		if (errno == EAGAIN)
			break;
		/* EINTR: another signal; wait for what is left. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long ns = (end.tv_sec - now.tv_sec) * 1000000000LL + end.tv_nsec - now.tv_nsec;
		if (ns <= 0)
			break;
		left.tv_sec = ns / 1000000000LL;
		left.tv_nsec = ns % 1000000000LL;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
