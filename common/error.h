/* Errors and messages.
 *
 * Helpers return 0 (or a value >= 0) on success and -1 on failure; on failure
 * they leave one message here naming what failed and why.  Callers add
 * context with err_wrap() on the way up, and the command line prints the
 * message once, as "mydocker: <message>", and exits with a docker-style code.
 */
#ifndef MYDOCKER_ERROR_H
#define MYDOCKER_ERROR_H

#define PROG "mydocker"

/* Exit codes shared with docker (ARCHITECTURE.md, "Exit codes"). */
enum {
	EXIT_RUNTIME = 125,   /* the runtime itself failed */
	EXIT_CANNOT_INVOKE = 126,
	EXIT_NOT_FOUND = 127,
};

/* Set the message; err_sys() appends ": strerror(errno)". Both return -1. */
int err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int err_sys(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prefix the current message with context: "context: message". Returns -1. */
int err_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *err_msg(void);

/* "mydocker: <fmt>" on stderr. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the current error message and return code, for `return report_error(125);`. */
int report_error(int code);

#endif
