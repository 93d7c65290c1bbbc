//> final
#include "security/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "cleanup.h"
#include "error.h"
#include "file.h"
#include "image/image.h"

#define PROFILE_MAX (1 << 20)

/* FNV-1a: the cache's names only need to differ when their inputs do. */
static uint64_t hash(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static int compile(const struct security *s, const char *text, struct filter *f)
{
	scmp_filter_ctx ctx = NULL;
	AUTO_CLOSE int fd = -1;
	ssize_t len;
	int rc;

	if (s->seccomp) {
		if (seccomp_profile_rules(s->seccomp, text, s->caps, &ctx) < 0)
			return -1;
	} else {
		/* Docker's default action: EPERM for every call not allowed. */
		if (!(ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM))))
			return err_set("seccomp: cannot start a filter");
		if (seccomp_default_rules(ctx, s->caps) < 0) {
			seccomp_release(ctx);
			return -1;
		}
	}
	/* A binary tree of the calls, not a list: a call is found in about
	 * log2(n) comparisons (every system call the container makes pays them). */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0) {
		seccomp_release(ctx);
		return errno = -rc, err_sys("seccomp: optimize the filter");
	}
	/* libseccomp writes the program to an fd: a memfd keeps it in memory. */
	if ((fd = memfd_create("seccomp", MFD_CLOEXEC)) < 0) {
		seccomp_release(ctx);
		return err_sys("memfd_create");
	}
	rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (rc < 0)
		return errno = -rc, err_sys("seccomp: cannot compile the filter");
	len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len > (ssize_t)sizeof f->insns || len % sizeof *f->insns)
		return err_set("seccomp: the compiled filter is too long (%zd bytes)", len);
	if (pread(fd, f->insns, len, 0) != len)
		return err_sys("seccomp: read the compiled filter");
	f->len = len / sizeof *f->insns;
	return 0;
}

/* Read exactly a filter from fd: a whole number of instructions. */
static int read_filter(int fd, const char *path, struct filter *f)
{
	ssize_t len = read(fd, f->insns, sizeof f->insns);

	if (len <= 0 || len % sizeof *f->insns)
		return err_set("%s: not a compiled seccomp filter", path);
	f->len = len / sizeof *f->insns;
	return 0;
}

/* Written whole under a name no one else can take first: an unnamed file
 * (O_TMPFILE) in a directory of ours, linked in when complete; where the
 * filesystem has no O_TMPFILE (overlayfs before Linux 6.6), a random name
 * made with O_EXCL, linked and unlinked. A name that exists already holds
 * the same filter (it is named by its inputs). */
static int cache_put(const char *dir, const char *name, const struct filter *f)
{
	char from[4300];
	size_t len = f->len * sizeof *f->insns;
	uint64_t r;
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600), named = 0, rc;

	if (fd >= 0)
		snprintf(from, sizeof from, "/proc/self/fd/%d", fd);
	else if (getrandom(&r, sizeof r, 0) == sizeof r &&
		 path_fmt(from, sizeof from, "%s.tmp-%016" PRIx64, name, r) == 0) {
		fd = open(from, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		named = fd >= 0;
	}
	if (fd < 0)
		return err_sys("%s", dir);
	rc = write(fd, f->insns, len) == (ssize_t)len &&
	     (linkat(AT_FDCWD, from, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 || errno == EEXIST) ? 0 :
	     err_sys("write %s", name);
	if (named)
		unlink(from);
	close(fd);
	return rc;
}

int seccomp_prepare(const struct security *s, struct filter *f)
{
	char dir[4096], name[4200];
	AUTO_FREE char *text = NULL;
	uint64_t key = 0xcbf29ce484222325ULL;
	uint32_t arch = seccomp_arch_native();
	struct stat exe;
	ssize_t len;

	f->len = 0;
	if (s->seccomp && !strcmp(s->seccomp, "unconfined"))
		return 0;
	if (s->seccomp) {
		if (!(text = malloc(PROFILE_MAX)))
			return err_sys("seccomp profile %s", s->seccomp);
		if ((len = read_file(s->seccomp, text, PROFILE_MAX)) < 0)
			return err_wrap("seccomp profile");
		if (len == PROFILE_MAX - 1)
			return err_set("seccomp profile %s: larger than %d bytes", s->seccomp, PROFILE_MAX);
		key = hash(key, text, len);
	}
	/* A profile's rules depend on the capabilities kept (its "includes"). */
	key = hash(key, &s->caps, sizeof s->caps);
	key = hash(key, &arch, sizeof arch);
	/* And on the runtime that compiled them (its default rules, its
	 * libseccomp): another build of it compiles its own. */
	if (stat("/proc/self/exe", &exe) < 0)
		return err_sys("stat /proc/self/exe");
	key = hash(key, &exe.st_ino, sizeof exe.st_ino);
	key = hash(key, &exe.st_size, sizeof exe.st_size);
	key = hash(key, &exe.st_mtim, sizeof exe.st_mtim);
	if (path_fmt(dir, sizeof dir, "%s/seccomp", state_root()) < 0 || mkdir_p(dir, 0700) < 0)
		return -1;
	snprintf(name, sizeof name, "%s/%016" PRIx64, dir, key);
	AUTO_CLOSE int fd = open(name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return read_filter(fd, name, f);
	if (errno != ENOENT)
		return err_sys("%s", name);
	if (compile(s, text, f) < 0)
		return -1;
	/* A filter that cannot be kept is still this run's. */
	if (cache_put(dir, name, f) < 0)
		warn("seccomp: %s (the filter is compiled again next time)", err_msg());
	return 0;
}

int seccomp_save(const struct filter *f, const char *path)
{
	size_t len = f->len * sizeof *f->insns;

	if (!f->len)
		return 0;
	/* Replaced whole: a container run again (start) writes it anew while
	 * nothing reads it, but an exec must never read half of one. */
	return write_file_atomic(path, (const char *)f->insns, len);
}

int seccomp_read(const char *path, struct filter *f)
{
	AUTO_CLOSE int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	f->len = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : err_sys("%s", path);
	return read_filter(fd, path, f);
}

int seccomp_install(const struct filter *f)
{
	struct sock_fprog prog = { .len = f->len, .filter = (struct sock_filter *)f->insns };

	if (!f->len)
		return 0;
	/* Without no_new_privs the kernel lets only CAP_SYS_ADMIN install a
	 * filter: we still have it (exec takes it away), so this works either way. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return err_sys("load the seccomp filter");
	return 0;
}
