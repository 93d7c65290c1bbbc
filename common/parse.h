/* Parsing of the numbers users type: sizes, CPU counts, integers, CPU lists, times.
 * Each parser accepts the whole string or fails with a message naming it. */
#ifndef MYDOCKER_PARSE_H
#define MYDOCKER_PARSE_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>

/* "100", "100b", "64k", "100m", "1g" (any case) -> bytes. */
int parse_size(const char *s, int64_t *bytes);
/* "1", "0.5", "1.25" -> thousandths of a CPU (500 for "0.5"); at most 3 decimals. */
int parse_cpus(const char *s, int64_t *millicpus);
/* A decimal integer in [min, max]. */
int parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* Container, image and network names: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at
 * most NAME_LEN characters, so that no name can leave its directory. */
#define NAME_LEN 64
int valid_name(const char *s);
/* A kernel CPU list, "0-2,5" -> set. */
int parse_cpu_list(const char *s, cpu_set_t *set);
/* A point in time as docker's --since and --until take it, in nanoseconds
 * since the epoch: a duration back from now_ns ("10m", "1h30m", "2.5s";
 * units h, m, s, ms, us, ns), Unix seconds ("1764876000.25"), or RFC 3339
 * from the day down to nanoseconds ("2026-12-04", "2026-12-04T20:04",
 * "2026-12-04T20:04:05.5Z", "...+01:00"; without a zone, local time). */
int parse_time(const char *s, int64_t now_ns, int64_t *ns);
/* A duration as docker prints it: "Less than a second", "1 second",
 * "5 seconds", "About a minute", "3 minutes", "About an hour", "5 hours",
 * "3 days", "2 weeks", "4 months", "2 years". */
void format_duration(long long seconds, char *out, size_t size);
/* Bytes as docker prints sizes: decimal units, four significant digits
 * ("1.5kB", "12MB"). */
void format_bytes(long long bytes, char *out, size_t size);

#endif
