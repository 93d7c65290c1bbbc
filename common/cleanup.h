/* Variables that release what they hold when they go out of scope, so a
 * function with many ways out needs no hand-written unwinding:
 *
 *   AUTO_FREE char *text = NULL;      free()d
 *   AUTO_CLOSE int fd = -1;           close()d when >= 0
 *   AUTO_CLOSEDIR DIR *d = NULL;      closedir()d when not NULL
 *
 * (GCC and clang's cleanup attribute.) Each keeps errno, so a failure's
 * err_sys() may come after the cleanup has run. To hand the resource to
 * the caller instead, take it out: `int out = fd; fd = -1; return out;`. */
#ifndef MYDOCKER_CLEANUP_H
#define MYDOCKER_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_free(void *p)
{
	int saved = errno;
	free(*(void **)p);
	errno = saved;
}

static inline void cleanup_close(const int *fd)
{
	int saved = errno;
	if (*fd >= 0)
		close(*fd);
	errno = saved;
}

static inline void cleanup_closedir(DIR **d)
{
	int saved = errno;
	if (*d)
		closedir(*d);
	errno = saved;
}

#define AUTO_FREE __attribute__((cleanup(cleanup_free)))
#define AUTO_CLOSE __attribute__((cleanup(cleanup_close)))
#define AUTO_CLOSEDIR __attribute__((cleanup(cleanup_closedir)))

#endif
