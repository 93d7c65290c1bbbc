/* Unit tests: common/error.c, file.c, exec.c, lock.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "lock.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/mydocker-unit-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char *argv[] = { "rm", "-rf", dir, NULL };
	return run_argv(argv);
}

static void errors_wrap(void **state)
{
	(void)state;
	int n = rand();
	assert_int_equal(err_set("inner %d", n), -1);
	assert_int_equal(err_wrap("outer"), -1);
	char want[64];
	snprintf(want, sizeof want, "outer: inner %d", n);
	assert_string_equal(err_msg(), want);
	errno = ENOENT;
	err_sys("open %s", "x");
	assert_string_equal(err_msg(), "open x: No such file or directory");
}

static void errors_cause(void **state)
{
	(void)state;
	int causes[] = { ENOENT, EEXIST, EBUSY, EINVAL }, c = causes[rand() % 4];
	/* err_sys keeps errno; err_code names one; err_wrap keeps either. */
	errno = c;
	err_sys("open %d", rand());
	assert_int_equal(err_cause(), c);
	assert_int_equal(err_wrap("outer"), -1);
	assert_int_equal(err_cause(), c);
	assert_int_equal(err_code(c, "no such thing: %d", c), -1);
	assert_int_equal(err_cause(), c);
	/* err_set gives none, whatever errno says. */
	errno = c;
	err_set("plain");
	assert_int_equal(err_cause(), 0);
}

/* What cleanup prints on stderr, read back through a pipe. */
static void cleanup_that_fails(int n)
{
	ERR_KEEP;
	if (n)
		err_code(EBUSY, "cleanup %d failed", n);
}

static void errors_kept_through_cleanup(void **state)
{
	(void)state;
	int fds[2], saved = dup(STDERR_FILENO), n = 1 + rand() % 1000;
	char got[256] = "", want[256];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(dup2(fds[1], STDERR_FILENO), STDERR_FILENO);
	close(fds[1]);
	/* A cleanup that succeeds says nothing and changes nothing. */
	err_code(ENOENT, "first %d", n);
	cleanup_that_fails(0);
	snprintf(want, sizeof want, "first %d", n);
	assert_string_equal(err_msg(), want);
	/* One that fails is a warning; the first error stays, with its cause. */
	cleanup_that_fails(n);
	assert_string_equal(err_msg(), want);
	assert_int_equal(err_cause(), ENOENT);
	/* warn() prints and leaves the error alone. */
	warn("note %d", n);
	assert_string_equal(err_msg(), want);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_true(read(fds[0], got, sizeof got - 1) > 0);
	close(fds[0]);
	snprintf(want, sizeof want, PROG ": warning: cleanup %d failed\n" PROG ": warning: note %d\n", n, n);
	assert_string_equal(got, want);
}

static int opened_then_failed(int *fd_seen)
{
	AUTO_CLOSE int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	*fd_seen = fd;
	errno = EXDEV;
	return -1;   /* fd is closed on the way out, errno kept for the caller */
}

static void cleanup_closes(void **state)
{
	(void)state;
	int fd;
	AUTO_CLOSEDIR DIR *d = opendir("/");
	assert_non_null(d);
	assert_int_equal(opened_then_failed(&fd), -1);
	assert_int_equal(errno, EXDEV);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);   /* closed */
}

static void atomic_round_trip(void **state)
{
	(void)state;
	int (*const writers[])(const char *, const char *, size_t) = { write_file_atomic, write_file_durable };
	char path[128], buf[64], data[32];

	for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
		snprintf(path, sizeof path, "%s/record%zu", dir, i);
		/* A new file, then one that replaces it (shorter or longer). */
		for (int round = 0; round < 2; round++) {
			snprintf(data, sizeof data, "value=%d%.*s\n", rand(), rand() % 8, "xxxxxxxx");
			assert_int_equal(writers[i](path, data, strlen(data)), 0);
			assert_int_equal(read_file(path, buf, sizeof buf), (ssize_t)strlen(data));
			assert_string_equal(buf, data);
		}
		/* No temporary file is left beside it. */
		snprintf(path, sizeof path, "%s/record%zu.tmp.%d", dir, i, (int)getpid());
		assert_false(file_exists(path));
	}
}

static void write_needs_existing(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/absent-%d", dir, rand());
	assert_int_equal(write_file(path, "1"), -1);
	assert_non_null(strstr(err_msg(), "No such file"));
	assert_false(file_exists(path));
}

static void mkdir_nested(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof path, "%s/a%d/b/c", dir, rand());
	assert_int_equal(mkdir_p(path, 0755), 0);
	assert_int_equal(mkdir_p(path, 0755), 0);   /* existing is fine */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

static void tree_removal(void **state)
{
	(void)state;
	char path[256], top[128];
	snprintf(top, sizeof top, "%s/tree%d", dir, rand());
	snprintf(path, sizeof path, "%s/a/b", top);
	assert_int_equal(mkdir_p(path, 0755), 0);
	snprintf(path, sizeof path, "%s/a/b/file", top);
	assert_int_equal(write_file_atomic(path, "x", 1), 0);
	/* A symlink out of the tree is removed, not followed. */
	snprintf(path, sizeof path, "%s/a/outside", top);
	assert_int_equal(symlink(dir, path), 0);
	assert_int_equal(remove_tree(top), 0);
	assert_false(file_exists(top));
	assert_true(file_exists(dir));
	assert_int_equal(remove_tree(top), 0);   /* already gone is fine */
}

static void path_too_long(void **state)
{
	(void)state;
	char small[8];
	assert_int_equal(path_fmt(small, sizeof small, "%s", "/much/too/long"), -1);
	assert_int_equal(path_fmt(small, sizeof small, "%s", "/ok"), 0);
	assert_string_equal(small, "/ok");
}

static void exec_codes(void **state)
{
	(void)state;
	char code[16];
	int n = rand() % 120;
	snprintf(code, sizeof code, "exit %d", n);
	char *sh[] = { "sh", "-c", code, NULL };
	assert_int_equal(run_argv(sh), n);
	char *missing[] = { "/nonexistent/program", NULL };
	assert_int_equal(run_argv(missing), EXIT_NOT_FOUND);
	char *killed[] = { "sh", "-c", "kill -TERM $$", NULL };
	assert_int_equal(run_argv(killed), 128 + 15);
	/* Arguments are never split: one argument with spaces stays one. */
	char *args[] = { "sh", "-c", "test $# = 1", "sh", "a b  c", NULL };
	assert_int_equal(run_argv(args), 0);
	/* A program's complaint is captured, its stdout is not. */
	char why[64], word[16];
	snprintf(word, sizeof word, "w%d", rand());
	char *complain[] = { "sh", "-c", "echo \"$0\" >&2; exit 3", word, NULL };
	assert_int_equal(run_argv_errors(complain, why, sizeof why), 3);
	assert_true(!strncmp(why, word, strlen(word)) && why[strlen(word)] == '\n');
}

/* A copy bigger than any one buffer, byte for byte, with the mode asked;
 * never over an existing file. */
static void copy_whole(void **state)
{
	(void)state;
	char from[128], to[128], *data, *back;
	size_t len = 100000 + rand() % 300000;
	int fd;

	assert_non_null(data = malloc(len));
	assert_non_null(back = malloc(len + 1));
	for (size_t i = 0; i < len; i++)
		data[i] = rand();
	snprintf(from, sizeof from, "%s/from", dir);
	snprintf(to, sizeof to, "%s/to", dir);
	assert_true((fd = open(from, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(copy_file(from, to, 0640), 0);
	assert_true((fd = open(to, O_RDONLY)) >= 0);
	assert_int_equal(read(fd, back, len + 1), (ssize_t)len);
	close(fd);
	assert_memory_equal(back, data, len);
	struct stat st;
	assert_int_equal(stat(to, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640 & ~umask(022));
	assert_int_equal(copy_file(from, to, 0640), -1);
	assert_non_null(strstr(err_msg(), "create"));
	unlink(from);
	unlink(to);
	free(data);
	free(back);
}

static void locks_exclude(void **state)
{
	(void)state;
	char path[128];
	int status;
	snprintf(path, sizeof path, "%s/lock", dir);
	int fd = lock_take(path);
	assert_true(fd >= 0);
	pid_t pid = fork();
	if (pid == 0)   /* another process: a fresh open file, so the lock applies */
		_exit(lock_try(path) < 0 && errno == EWOULDBLOCK ? 0 : 1);
	waitpid(pid, &status, 0);
	assert_int_equal(exit_code(status), 0);
	lock_release(fd);
	fd = lock_try(path);
	assert_true(fd >= 0);
	lock_release(fd);
}

int main(void)
{
	seed_random();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_wrap),
		cmocka_unit_test(errors_cause),
		cmocka_unit_test(errors_kept_through_cleanup),
		cmocka_unit_test(cleanup_closes),
		cmocka_unit_test(atomic_round_trip),
		cmocka_unit_test(write_needs_existing),
		cmocka_unit_test(mkdir_nested),
		cmocka_unit_test(tree_removal),
		cmocka_unit_test(path_too_long),
		cmocka_unit_test(exec_codes),
		cmocka_unit_test(copy_whole),
		cmocka_unit_test(locks_exclude),
	};
	return report_seed(cmocka_run_group_tests_name("common", tests, make_dir, remove_dir));
}
