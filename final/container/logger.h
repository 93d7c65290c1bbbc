//> final
/* A detached container's log. Its stdout and stderr go, in one pipe (so
 * that their lines stay in the order written), to a logger process, which
 * appends each line to the log with the time it read it in front:
 *
 *     2026-12-04T20:04:08.123456789Z hello
 *
 * (RFC 3339 in UTC to the nanosecond, and a space: what `logs -t` prints
 * and `logs --since` compares). A line written in pieces gets the time of
 * its first. With --log-opt max-size, when the next line would take the log
 * past it, the logger rotates (log -> log.1 -> log.2 ..., keeping max-file
 * files in all, the live log among them); a line longer than a whole file
 * is cut, and each file begins with a time, its first line's or that of
 * the rest of a cut one. */
#ifndef MYDOCKER_LOGGER_H
#define MYDOCKER_LOGGER_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define MAX_LOG_FILES 100
#define LOG_STAMP_LEN 31      /* "2026-12-04T20:04:08.123456789Z " */
#define LOG_MIN_SIZE 64       /* the least max-size: a time and some of a line */

struct log_opts {
	int64_t max_size;   /* bytes one log file may hold; 0: one log, unbounded */
	int64_t max_files;  /* files kept, the live log among them (default 1) */
};

/* One --log-opt KEY=VALUE, as docker's json-file driver takes them. */
int log_opt(struct log_opts *o, const char *kv);
/* After every --log-opt: refuse what does not go together. */
int log_check(const struct log_opts *o);
/* From now on our stdout and stderr (and so the container's) go to a
 * logger writing the log at path. Returns the logger's PID, -1 on error. */
pid_t log_open(const char *path, const struct log_opts *o);
/* We write no more: waits until the logger has written all it was given. */
void log_close(pid_t logger);
/* t as a line of the log begins: LOG_STAMP_LEN characters and a NUL. */
void log_stamp(const struct timespec *t, char out[LOG_STAMP_LEN + 1]);
/* Whether the len bytes at s can begin a line of the log (len <
 * LOG_STAMP_LEN: a time not yet all written). */
int log_stamp_shaped(const char *s, size_t len);
/* The time at the beginning of a line (LOG_STAMP_LEN bytes at s), in
 * nanoseconds since the epoch; -1 where it is none. */
int log_stamp_read(const char *s, int64_t *ns);
/* How many rotated copies the log at path has (path.1 newest ... path.N). */
int log_rotated(const char *path);

#endif
