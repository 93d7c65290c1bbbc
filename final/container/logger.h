//> final
/* A detached container's log, bounded: with --log-opt max-size its stdout
 * and stderr go through a pipe to a logger process, which appends to the
 * log and, when the next write would take it past max-size, rotates it
 * (log -> log.1 -> log.2 ..., keeping max-file files in all, the live log
 * among them). Without max-size the container writes to the log itself,
 * as it always did, and nothing stands in between. */
#ifndef MYDOCKER_LOGGER_H
#define MYDOCKER_LOGGER_H

#include <stdint.h>
#include <sys/types.h>

#define MAX_LOG_FILES 100

struct log_opts {
	int64_t max_size;   /* bytes one log file may hold; 0: one log, unbounded */
	int64_t max_files;  /* files kept, the live log among them (default 1) */
};

/* One --log-opt KEY=VALUE, as docker's json-file driver takes them. */
int log_opt(struct log_opts *o, const char *kv);
/* After every --log-opt: refuse what does not go together. */
int log_check(const struct log_opts *o);
/* From now on our stdout and stderr (and so the container's) are the log
 * at path. Returns the logger's PID, 0 when none is needed, -1 on error. */
pid_t log_open(const char *path, const struct log_opts *o);
/* We write no more: waits until the logger has written all it was given. */
void log_close(pid_t logger);
/* How many rotated copies the log at path has (path.1 newest ... path.N). */
int log_rotated(const char *path);

#endif
