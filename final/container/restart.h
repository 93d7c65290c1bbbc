//> final
/* --restart: what a detached container's monitor does once it has exited.
 *
 *   no                  nothing (the default)
 *   on-failure[:N]      run it again while it exits with a code other than
 *                       0, at most N times (no limit without N)
 *   always              run it again whatever its code
 *   unless-stopped      as always (with no daemon here, the two differ in
 *                       nothing but the name)
 *
 * `stop`, and `kill` with SIGKILL or its stop signal, mark it stopped: its
 * policy then lets it rest until `start` or `restart`. Between runs the
 * monitor waits, 100 ms the first time and twice as long each time after,
 * at most a minute; a run that lasted 10 s or more starts the wait over. */
#ifndef MYDOCKER_RESTART_H
#define MYDOCKER_RESTART_H


enum restart_kind { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS, RESTART_UNLESS_STOPPED };

struct restart_policy {
	enum restart_kind kind;
	int max;   /* on-failure:N's N; 0: no limit */
};

int restart_parse(const char *s, struct restart_policy *p);
/* docker's name of it: "no", "on-failure", "always", "unless-stopped". */
const char *restart_name(enum restart_kind kind);
/* Whether a container that exited with code, and was run again count
 * times already, runs again. */
int restart_wanted(const struct restart_policy *p, int code, int count);
/* The wait before the next run: twice the last one (100 ms the first),
 * at most a minute, from the start again after a long run. */
long restart_delay_ms(long last_ms, long ran_ms);
/* Wait ms, or less should SIGTERM, SIGINT, SIGHUP or SIGQUIT come (stop
 * wakes a waiting monitor with SIGTERM): 1 when the wait ran out, 0 when
 * a signal ended it. */
int restart_wait(long ms);

#endif
