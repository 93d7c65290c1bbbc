#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char message[ERR_MSG_MAX];
static int cause;
static unsigned long generation;   /* one more for every message set */

static void set(const char *fmt, va_list ap, int code, int with_errno)
{
	int saved = errno;
	int n = vsnprintf(message, sizeof message, fmt, ap);

	if (with_errno && n >= 0 && (size_t)n < sizeof message)
		snprintf(message + n, sizeof message - n, ": %s", strerror(saved));
	cause = code;
	generation++;
	errno = saved;
}

int err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(fmt, ap, 0, 0);
	va_end(ap);
	return -1;
}

int err_sys(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(fmt, ap, errno, 1);
	va_end(ap);
	return -1;
}

int err_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set(fmt, ap, code, 0);
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
	generation++;
	return -1;
}

const char *err_msg(void)
{
	return message;
}

int err_cause(void)
{
	return cause;
}

struct err_saved err_save(void)
{
	struct err_saved s = { .cause = cause, .generation = generation };

	memcpy(s.message, message, sizeof message);
	return s;
}

void err_restore(struct err_saved *s)
{
	int saved = errno;

	if (generation != s->generation)
		warn("%s", message);
	memcpy(message, s->message, sizeof message);
	cause = s->cause;
	generation = s->generation;
	errno = saved;
}

char *text_escape(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 5 < size; s++) {
		unsigned char c = *s;
		if (c >= 0x20 && c != 0x7f)
			out[n++] = c;
		else
			n += snprintf(out + n, size - n, c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : "\\x%02x", c);
	}
	out[n] = '\0';
	return out;
}

/* One line, whatever the message holds: it may quote a container's strings. */
static void print(const char *prefix, const char *fmt, va_list ap)
{
	char text[ERR_MSG_MAX * 2], safe[ERR_MSG_MAX * 4];

	vsnprintf(text, sizeof text, fmt, ap);
	fprintf(stderr, "%s%s\n", prefix, text_escape(text, safe, sizeof safe));
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print(PROG ": ", fmt, ap);
	va_end(ap);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print(PROG ": warning: ", fmt, ap);
	va_end(ap);
}

int report_error(int code)
{
	say("%s", message);
	return code;
}
