//> ch06
/* Container records: what `ps`, `logs`, `stop` and `rm` know of a container
 * once the command that ran it has gone.
 *
 *   containers/ID/record   key=value lines, written atomically
 *   containers/ID/log      a detached container's stdout and stderr
 *   containers/ID/upper... its filesystem (chapter 4), kept until `rm`
 */
#ifndef MYDOCKER_RECORD_H
#define MYDOCKER_RECORD_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include "container/container.h"
#include "parse.h"

enum status { STATUS_CREATED, STATUS_RUNNING, STATUS_EXITED };

struct record {
	char id[ID_LEN + 1];
	char name[NAME_LEN + 1];
//> ch06 ch09
	//- char image[NAME_LEN + 1];
//<
//> ch09
	char image[2 * NAME_LEN + 2];    /* REPO[:TAG], as run was given it */
//<
	char command[1024];          /* as ps shows it: args with spaces in '' */
	char hostname[65];
	enum status status;
	struct timespec created, finished;
	pid_t pid;                   /* the container's init, as the host sees it */
	unsigned long long pid_start;
	pid_t monitor;               /* the process that waits for it: the */
	unsigned long long monitor_start;   /* foreground runtime or a -d monitor */
	int exit_code;
	int autoremove;              /* --rm */
	struct limits limits;        /* .cpuset points into cpuset[] */
	char cpuset[64];
	char volumes[4096];          /* HOST:CTR[:ro], one a line */
	struct cgroup cgroup;        /* its directories (no v2 flags), for exec and rm */
//> ch08
	struct endpoint ep;          /* its network, and what of it rm must release */
//<
//> final
	uint64_t caps;               /* what exec gives the processes it starts */
	int privileged, no_new_privs;
	char workdir[256];           /* -w and -u: exec's defaults, as docker's */
	char user[72];
	int stop_signal;             /* --stop-signal; 0: SIGTERM */
	int stop_timeout;            /* --stop-timeout; -1: stop's default */
	char labels[2048];           /* --label K=V, one a line */
	char args[4096];             /* the command's words, each ended by a NUL */
	int nargs;                   /* (those that fit: inspect's Path and Args) */
	char env[8192];              /* its environment's "K=V"s, each ended by a NUL */
	int nenv;                    /* (those that fit: inspect's Config.Env) */
	char run[8192];              /* run's words, each ended by a NUL: what start runs again */
	int nrun;
	struct timespec started;     /* its last start (created: its first) */
	int restart_kind, restart_max;   /* --restart (restart.h) */
	int restart_count;           /* how often its monitor has run it again */
	int restarting;              /* its monitor waits to run it again */
	int stopped;                 /* stop (or kill) ended it: its policy lets it rest */
//<
};

/* $MYDOCKER_ROOT/containers/ID[/file]. */
int record_path(char *out, size_t size, const char *id, const char *file);
/* The record as text, and back. record_parse fails on a line it cannot read. */
int record_format(const struct record *r, char *out, size_t size);
int record_parse(const char *text, struct record *r);
int record_write(const struct record *r);
int record_read(const char *id, struct record *r);
/* Make the container's directory and its first record, refusing a name
 * another container has: the check and the creation are one step under a
 * lock, so two runs with one --name cannot both get it. */
int record_create(struct record *r);
//> final
/* start: the exited container's record made r (its name, its creation
 * time and, by_policy, its restart count kept), its ports taken again.
 * Refused while it runs or another monitor waits to run it again; by its
 * policy (by_policy), 1 and nothing done when it was stopped meanwhile. */
int record_reopen(struct record *r, int by_policy);
/* stop, kill: its policy lets it rest; r is its record as it was then. */
int record_mark_stopped(const char *id, struct record *r);
//<
/* The lock record_create takes: held, no record is made. */
int records_lock(void);
/* By full ID, name or unique ID prefix: 0 found; -1 not, with the cause
 * ENOENT for no such container, another for an error (ambiguous prefix;
 * unreadable record: r->id is then set). */
int record_find(const char *ref, struct record *r);
/* Every container, newest first; a record that cannot be read is reported
 * on stderr and left out. Returns how many (*out is malloc'd). */
int record_list(struct record **out);
/* Running: recorded so, and its init is still the process that was started. */
int record_running(const struct record *r);
//> final
/* docker's word for it: created, running, paused, restarting or exited (ps's
 * {{.State}}, inspect's State.Status); reads its freezer. */
const char *record_state(const struct record *r);
//<
//> final
/* Room on the disk for the record's last write: a full state root must
 * not lose a container's exit code. record_reserve sets aside a file the
 * size of a record; record_write_last gives it up should the write fail
 * for want of space, and writes again. */
int record_reserve(const struct record *r);
int record_write_last(const struct record *r);
/* Whether container id still holds address ip (ipam_judge_owners): its
 * record names it, or its runtime is still starting it. */
int record_holds_address(const char *id, uint32_t ip);
//<
/* The command line as ps shows it. */
void record_set_command(struct record *r, int argc, char **argv);
//> final
/* The environment the command starts with. */
void record_set_env(struct record *r, int n, char **vars);
/* run's own words, for start: an error when they do not all fit. */
int record_set_run(struct record *r, int n, char **words);
//<

#endif
