/* One container's life, from clone() to its exit status.
 *
 *   parent (the runtime)                     child (becomes the container)
 *   clone(new UTS, PID, mount, IPC, net) ->  blocks reading the command pipe
 *   writes argv, closes the pipe        ->   reads argv up to EOF: "go"
 *                                            hostname, mounts, exec
 *   reads the error pipe: EOF = exec'd  <-   or writes why setup failed
 *   forwards signals, waits, cleans up
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "file.h"
#include "kernel.h"
#include "signals.h"

#define STACK_SIZE (1024 * 1024)

/* Every container gets its own hostname (UTS), process tree (PID), mount
 * table (NS), System V IPC objects (IPC) and network stack (NET). */
static const int namespaces = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET;

struct child_args {
	struct container *c;
	int cmd[2];        /* parent -> child: argv, then EOF */
	int err[2];        /* child -> parent: why setup failed; EOF on exec */
	sigset_t mask;     /* the caller's signal mask, restored before exec */
	char *stack;       /* the child runs on it until exec */
};

static int new_id(char id[ID_LEN + 1])
{
	unsigned char bytes[ID_LEN / 2];

	if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes)
		return err_sys("getrandom");
	for (size_t i = 0; i < sizeof bytes; i++)
		sprintf(id + 2 * i, "%02x", bytes[i]);
	return 0;
}

/* argv travels as "<argc>\0<arg>\0<arg>\0...": NUL-separated, so spaces,
 * quotes and empty arguments arrive exactly as typed. */
static int send_argv(int fd, int argc, char **argv)
{
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
}

/* Read to EOF; a short message (wrong count) means the parent died halfway. */
static char **receive_argv(int fd)
{
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
}

static int setup_mounts(void)
{
	/* On systemd hosts "/" is a shared mount: whatever we mount in our new
	 * mount namespace would propagate back to the host. Make every mount
	 * private, recursively, before mounting anything. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys("make / private");
	/* A fresh procfs: it shows the processes of our PID namespace only, so
	 * ps inside sees the container's command as PID 1. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return err_sys("mount /proc");
	return 0;
}

/* Tell the parent what failed (the pipe is its only view of us) and exit. */
static int child_fail(int fd, int code)
{
	dprintf(fd, "%s", err_msg());
	_exit(code);
}

static int child_main(void *arg)
{
	struct child_args *a = arg;
	char **argv;

	close(a->cmd[1]);
	close(a->err[0]);
	sigprocmask(SIG_SETMASK, &a->mask, NULL);
	/* A container dies with the process that waits for it (the runtime,
	 * or its -d monitor): nothing else would clean up after it. (Should that
	 * one die before this line, the pipe below hits EOF early and we exit.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Blocks until the parent has set everything up and closed its end. */
	argv = receive_argv(a->cmd[0]);
	if (!argv)
		_exit(EXIT_RUNTIME);   /* the parent is gone: nobody to report to */
	close(a->cmd[0]);
	if (sethostname(a->c->hostname, strlen(a->c->hostname)) < 0)
		child_fail(a->err[1], (err_sys("sethostname %s", a->c->hostname), EXIT_RUNTIME));
	if (setup_mounts() < 0)
		child_fail(a->err[1], EXIT_RUNTIME);
	/* The command starts with stdin, stdout and stderr only: nothing the
	 * runtime or its caller had open leaks into the container. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(a->err[1], (err_sys("close the runtime's files"), EXIT_RUNTIME));
	execvp(argv[0], argv);
	if (errno == ENOENT)
		child_fail(a->err[1], (err_set("%s: executable file not found", argv[0]), EXIT_NOT_FOUND));
	child_fail(a->err[1], (err_sys("cannot run %s", argv[0]), EXIT_CANNOT_INVOKE));
	return 0;
}

/* Until exec, the child writes why it failed here; EOF means it exec'd. */
static int read_child_error(int fd)
{
	char buf[1024];
	ssize_t len = read_fd(fd, buf, sizeof buf);

	if (len > 0)
		err_set("%s", buf);
	return len > 0;
}


/* Everything up to the child's exec: pipes, cgroups, clone, placement, argv. */
static int start(struct container *c, struct child_args *a, sigset_t *set)
{
	int status;

	if (new_id(c->id) < 0)
		return -1;
	if (!c->hostname[0])
		snprintf(c->hostname, sizeof c->hostname, "%.*s", SHORT_ID_LEN, c->id);
	if (pipe2(a->cmd, O_CLOEXEC) < 0 || pipe2(a->err, O_CLOEXEC) < 0)
		return err_sys("pipe");
	a->stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (a->stack == MAP_FAILED)
		return err_sys("allocate the child's stack");

	/* Before the child exists, so that no signal for it is lost in between. */
	signals_block(set, &a->mask);

	int flags = namespaces;
	/* clone() rather than fork(): it takes the namespace flags, so the child
	 * is born inside its new namespaces. SIGCHLD: tell us when it exits. */
	c->pid = clone(child_main, a->stack + STACK_SIZE, flags | SIGCHLD, a);
	if (c->pid < 0)
		return err_sys("clone");
	close(a->cmd[0]);
	close(a->err[1]);
	a->cmd[0] = a->err[1] = -1;
	if (send_argv(a->cmd[1], c->argc, c->argv) < 0)
		goto kill_child;
	close(a->cmd[1]);
	a->cmd[1] = -1;
	return 0;
kill_child:
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
	return -1;
}

/* From the exec (or the child's failure) to its exit code. */
static int finish(struct container *c, struct child_args *a, const sigset_t *set)
{
	int status, code;

	if (read_child_error(a->err[0])) {
		waitpid(c->pid, &status, 0);
		return report_error(exit_code(status));
	}
	code = signals_forward_until_exit(c->pid, set);
	return code;
}

int container_run(struct container *c)
{
	struct child_args a = { .c = c, .cmd = { -1, -1 }, .err = { -1, -1 }, .stack = MAP_FAILED };
	sigset_t set;
	int code;

	if (geteuid() != 0) {
		err_set("containers need root: namespaces and mounts are privileged (try sudo)");
		return report_error(EXIT_RUNTIME);
	}
	/* An old kernel fails here, in one line, rather than halfway through. */
	if (kernel_check() < 0)
		return report_error(EXIT_RUNTIME);
	sigprocmask(SIG_BLOCK, NULL, &a.mask);
	if (start(c, &a, &set) < 0)
		code = report_error(EXIT_RUNTIME);
	else
		code = finish(c, &a, &set);
	sigprocmask(SIG_SETMASK, &a.mask, NULL);
	if (a.stack != MAP_FAILED)
		munmap(a.stack, STACK_SIZE);
	for (int i = 0; i < 2; i++) {
		if (a.cmd[i] >= 0)
			close(a.cmd[i]);
		if (a.err[i] >= 0)
			close(a.err[i]);
	}
	return code;
}
