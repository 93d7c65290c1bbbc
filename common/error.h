/* Errors and messages.
 *
 * Helpers return 0 (or a value >= 0) on success and -1 on failure; on failure
 * they leave one message here naming what failed and why.  Callers add
 * context with err_wrap() on the way up, and the command line prints the
 * message once, as "mydocker: <message>", and exits with a docker-style code.
 *
 * Beside the message is its cause, an errno value (0: none given), so that
 * a caller can tell "not found" (ENOENT) from a real failure without
 * reading the text. err_sys() keeps errno as the cause; err_code() names one.
 */
#ifndef MYDOCKER_ERROR_H
#define MYDOCKER_ERROR_H

#include <stddef.h>

#define PROG "mydocker"

/* Exit codes shared with docker (ARCHITECTURE.md, "Exit codes"). */
enum {
	EXIT_RUNTIME = 125,   /* the runtime itself failed */
	EXIT_CANNOT_INVOKE = 126,
	EXIT_NOT_FOUND = 127,
};

#define ERR_MSG_MAX 1024

/* Set the message; err_sys() appends ": strerror(errno)" and keeps errno
 * as the cause; err_code() sets the message with the cause given. All
 * return -1. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int err_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int err_code(int cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message with context: "context: message". The cause
 * stays. Returns -1. */
int err_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *err_msg(void);
int err_cause(void);

/* The current error, put aside while cleanup runs on a failure path. */
struct err_saved {
	char message[ERR_MSG_MAX];
	int cause;
	unsigned long generation;   /* of the message: did cleanup set another? */
};
struct err_saved err_save(void);
/* Put the saved error back. When cleanup set one of its own meanwhile,
 * that one is printed first, as a warning. */
void err_restore(struct err_saved *saved);
/* In a block of cleanup after a failure: the error being returned stays
 * the first one when the block ends, and what failed in it is a warning. */
#define ERR_KEEP struct err_saved err_kept_ __attribute__((cleanup(err_restore), unused)) = err_save()

/* "mydocker: <fmt>" on stderr. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "mydocker: warning: <fmt>" on stderr; the current error stays as it is. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s made safe to print to a terminal: control characters (a container's
 * command or file names can hold escape sequences that drive the
 * caller's terminal) as \n, \t, \r, or \xNN. Returns out. */
char *text_escape(const char *s, char *out, size_t size);
/* Print the current error message and return code, for `return report_error(125);`. */
int report_error(int code);

#endif
