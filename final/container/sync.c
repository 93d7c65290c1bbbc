#include "container/sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

/* NUL-separated, so spaces, quotes and empty arguments arrive exactly as
 * typed. */
int sync_send_argv(int fd, int argc, char **argv)
{
//> ch01
	char count[16];
	int n = snprintf(count, sizeof count, "%d", argc) + 1;

	if (write(fd, count, n) != n)
		return err_sys("send command to the container");
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;
		for (size_t done = 0; done < len; ) {
			ssize_t w = write(fd, argv[i] + done, len - done);
			if (w < 0 && errno != EINTR)
				return err_sys("send command to the container");
			if (w > 0)
				done += w;
		}
	}
	return 0;
	//| /* TODO(ch01) step 3: write "<argc>\0<arg>\0<arg>\0..." to fd, every
	//|  * byte (write(2) may write less than asked, or be interrupted). */
	//| (void)fd; (void)argc; (void)argv;
	//| return 0;
//<
}

char **sync_receive_argv(int fd)
{
//> ch01
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		len += n;
		if (len == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	if (!buf || len == 0 || buf[len - 1] != '\0')
		return NULL;
	int argc = atoi(buf), i = 0;
	char **argv = calloc(argc + 1, sizeof *argv);
	for (char *p = buf + strlen(buf) + 1; argv && p < buf + len; p += strlen(p) + 1)
		if (i < argc)
			argv[i++] = p;
	if (!argv || argc < 1 || i != argc)
		return NULL;
	return argv;
	//| /* TODO(ch01) step 3: read fd to EOF (the runtime closes it: "go"), then
	//|  * split what came at its NULs into a NULL-terminated argv; NULL when
	//|  * it is short of the count (the runtime died halfway). */
	//| (void)fd;
	//| return NULL;
//<
}

/* The pipe is the runtime's only view of the child. */
_Noreturn void sync_child_fail(int fd, int code)
{
	dprintf(fd, "%s", err_msg());
	_exit(code);
}

int sync_child_failed(int fd)
{
	char buf[1024];
	ssize_t len = read_fd(fd, buf, sizeof buf);

	if (len > 0)
		err_set("%s", buf);
	return len > 0;
}
