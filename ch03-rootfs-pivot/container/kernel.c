#include "container/kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "error.h"

/* Each probe calls its system call in a way that does no harm; ENOSYS (or,
 * for a flag newer than the call, EINVAL) says the kernel lacks it. */
static int has_close_range_cloexec(void)
{
	/* An empty range at the top: nothing is closed. CLOSE_RANGE_CLOEXEC
	 * came two releases after close_range itself. */
	return syscall(SYS_close_range, ~0U - 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
}

static const struct feature {
	int (*present)(void);
	const char *what;
	const char *since;    /* the first Linux release that has it */
} features[] = {
	{ has_close_range_cloexec, "close_range(2) with CLOSE_RANGE_CLOEXEC", "5.11" },
};

int kernel_check(void)
{
	struct utsname u;
	const char *newest = "";

	/* The release the runtime needs: the newest of the features'. */
	for (size_t i = 0; i < sizeof features / sizeof *features; i++)
		if (strverscmp(features[i].since, newest) > 0)
			newest = features[i].since;
	for (size_t i = 0; i < sizeof features / sizeof *features; i++) {
		if (features[i].present())
			continue;
		uname(&u);
		return err_set("this kernel (Linux %s) has no %s, which came in Linux %s: "
			       "mydocker needs Linux %s or later", u.release, features[i].what,
			       features[i].since, newest);
	}
	return 0;
}
