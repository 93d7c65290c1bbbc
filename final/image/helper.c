//> final
#include "image/helper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "file.h"

#define HELPER "mydocker-image"

static int find_helper(char *path, size_t size)
{
	const char *env = getenv("MYDOCKER_IMAGE_HELPER");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return snprintf(path, size, "%s", env) < (int)size ? 0 : err_set("MYDOCKER_IMAGE_HELPER: too long");
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) < 0)
		return err_sys("readlink /proc/self/exe");
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	if (path_fmt(path, size, "%s/" HELPER, self) == 0 && access(path, X_OK) == 0)
		return 0;
	if (path_fmt(path, size, "%s/../libexec/mydocker/" HELPER, self) == 0 && access(path, X_OK) == 0)
		return 0;
	return err_set("cannot find " HELPER " beside %s or in %s/../libexec/mydocker (make final builds it; MYDOCKER_IMAGE_HELPER names another)", self, self);
}

int helper_run(const char *const args[], int in)
{
	char path[PATH_MAX], why[4096];
	const char *argv[16] = { path };
	size_t n = 1;
	int saved, rc;

	if (find_helper(path, sizeof path) < 0)
		return -1;
	for (; args[n - 1] && n < sizeof argv / sizeof *argv - 1; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	/* Its stdin is in for as long as it runs: ours is put back after. */
	if ((saved = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)) < 0 || dup2(in, STDIN_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		return err_sys("stdin for " HELPER);
	}
	rc = run_argv_errors((char *const *)argv, why, sizeof why);
	dup2(saved, STDIN_FILENO);
	close(saved);
	if (rc == 0)
		return 0;
	why[strcspn(why, "\n")] = '\0';
	if (rc < 0 || rc == 127)
		return err_set("cannot run %s%s%s", path, why[0] ? ": " : "", why);
	return err_set("%s", why[0] ? why : HELPER " failed");
}
