#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "error.h"

static int lock(const char *path, int how)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return err_sys("open lock %s", path);
	/* flock, not fcntl locks: an flock belongs to the open file, so a forked
	 * child cannot release it by closing an unrelated descriptor. */
	while (flock(fd, how) < 0) {
		if (errno == EINTR)
			continue;
		err_sys("lock %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

int lock_take(const char *path)
{
	return lock(path, LOCK_EX);
}

int lock_try(const char *path)
{
	return lock(path, LOCK_EX | LOCK_NB);
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
