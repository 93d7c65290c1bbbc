#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char message[1024];

static void set(const char *fmt, va_list ap, int with_errno)
{
	int saved = errno;
	int n = vsnprintf(message, sizeof message, fmt, ap);

	if (with_errno && n >= 0 && (size_t)n < sizeof message)
		snprintf(message + n, sizeof message - n, ": %s", strerror(saved));
	errno = saved;
}

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(fmt, ap, 0);
	va_end(ap);
	return -1;
}

int err_sys(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(fmt, ap, 1);
	va_end(ap);
	return -1;
}

int err_wrap(const char *fmt, ...)
{
	char old[sizeof message], context[256];
	va_list ap;

	snprintf(old, sizeof old, "%s", message);
	va_start(ap, fmt);
	vsnprintf(context, sizeof context, fmt, ap);
	va_end(ap);
	if (snprintf(message, sizeof message, "%s: %s", context, old) >= (int)sizeof message)
		strcpy(message + sizeof message - 4, "...");
	return -1;
}

const char *err_msg(void)
{
	return message;
}

void say(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int report_error(int code)
{
	say("%s", message);
	return code;
}
