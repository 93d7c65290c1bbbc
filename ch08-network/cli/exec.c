/* `exec`: run a command inside a running container, by joining its
 * namespaces with setns(2). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cli/commands.h"
#include "container/env.h"
#include "cleanup.h"
#include "error.h"
#include "file.h"
#include "container/process.h"
#include "container/record.h"
#include "container/signals.h"

static const char usage[] =
	"Usage: mydocker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n"
	"\n"
	"Run COMMAND in a running container: in its namespaces, its cgroup, its\n"
	"root and its environment.\n"
	"\n"
	"Options:\n"
	"  -e, --env K=V       set a variable (K alone: pass on ours), repeatable\n"
	"  -i, --interactive   keep stdin open (without it the command reads nothing)\n"
	"  -t, --tty           accepted for docker compatibility; the caller's terminal is used\n"
	"  -h, --help          print this help\n";

/* The container's own namespaces, in the order they are joined. */
static const struct {
	const char *name;
	int type;
} namespaces[] = {
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "net", CLONE_NEWNET },
	/* Only our children will be in it: setns() never moves the caller
	 * itself into another PID namespace (its PID cannot change). */
	{ "pid", CLONE_NEWPID },
	/* Last: from here on the host's /proc and /sys are out of sight. */
	{ "mnt", CLONE_NEWNS },
};
#define NNS (sizeof namespaces / sizeof *namespaces)

struct target {
	int ns[NNS];     /* /proc/PID/ns/... */
	int root;        /* /proc/PID/root: the directory its init pivoted into */
	struct env env;  /* /proc/PID/environ */
};

/* The lab of chapter 7 (ch07-exec-setns/README.md, "Lab"): open_target,
 * enter and spawn_inside are yours; the command line around them, and
 * open_failed, are given. */

/* A /proc file of the init's would not open: if the init has ended, say
 * that, not which file went with it. An exiting process drops its
 * namespaces and files (ENOENT) a moment before its pidfd says it has
 * ended: it is given that moment. */
static int open_failed(int pidfd, const struct record *r, const char *path)
{
	int exiting = errno == ENOENT || errno == ESRCH;

	err_sys("open %s", path);
	return process_wait(pidfd, exiting ? 500 : 0) ? err_set("container %s is not running", r->name) : -1;
}

/* Open everything to join while the host's /proc is still in sight. */
static int open_target(const struct record *r, struct target *t)
{
	char path[64], environ_block[65536];
	ssize_t len;
	AUTO_CLOSE int pidfd = process_open(r->pid, r->pid_start);

	if (pidfd < 0)
		return err_set("container %s is not running", r->name);
	for (size_t i = 0; i < NNS; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)r->pid, namespaces[i].name);
		if ((t->ns[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return open_failed(pidfd, r, path);
	}
	snprintf(path, sizeof path, "/proc/%d/root", (int)r->pid);
	if ((t->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return open_failed(pidfd, r, path);
	snprintf(path, sizeof path, "/proc/%d/environ", (int)r->pid);
	if ((len = read_file(path, environ_block, sizeof environ_block)) < 0)
		return open_failed(pidfd, r, path);
	if (env_add_block(&t->env, environ_block, len) < 0)
		return -1;
	/* A PID is not reused while its process lives: if the one the pidfd
	 * names is still alive now, every /proc/PID path above was its own. */
	if (process_wait(pidfd, 0))
		return err_set("container %s is not running", r->name);
	return 0;
}

/* Become part of the container: cgroup, namespaces, root. */
static int enter(const struct record *r, const struct target *t)
{
	/* The cgroup first: its files are in the host's /sys/fs/cgroup, which
	 * the container's mount namespace does not show. */
	if (cgroup_join(&r->cgroup, getpid()) < 0)
		return err_wrap("join the container's cgroup");
	for (size_t i = 0; i < NNS; i++)
		if (setns(t->ns[i], namespaces[i].type) < 0)
			return err_sys("setns into the container's %s namespace", namespaces[i].name);
	/* Joining a mount namespace leaves us at the root of its mount tree; the
	 * container's "/" is where its init pivoted to. */
	if (fchdir(t->root) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return err_sys("chroot into the container's root");
	return 0;
}

/* The command, in a child: only a child of ours is in the container's PID
 * namespace (setns did not move us). Returns its PID. */
static pid_t spawn_inside(char **cmd, const struct env *env, const sigset_t *mask)
{
	pid_t pid;

	/* fork: the child is the first of our processes inside the container's
	 * PID namespace; it gets a PID there, and dies with the container. */
	if ((pid = fork()) < 0)
		/* Into a PID namespace whose init has exited, fork fails with
		 * ENOMEM (pid_namespaces(7)): the container ended meanwhile. */
		return errno == ENOMEM ? err_set("the container is not running: it exited as exec began") : err_sys("fork");
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, mask, NULL);
		/* As run's command does, it starts with stdin, stdout and stderr
		 * only: an fd of the caller's would be a way out of the container
		 * (an open directory of the host's is all it takes). */
		if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
			_exit(report_error((err_sys("close the caller's files"), EXIT_RUNTIME)));
		environ = (char **)env->vars;
		execvp(cmd[0], cmd);
		if (errno == ENOENT)
			_exit(report_error((err_set("%s: executable file not found", cmd[0]), EXIT_NOT_FOUND)));
		_exit(report_error((err_sys("cannot run %s", cmd[0]), EXIT_CANNOT_INVOKE)));
	}
	return pid;
}

int cmd_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "env", required_argument, NULL, 'e' }, { "interactive", no_argument, NULL, 'i' },
		{ "tty", no_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char shortopts[] = "+:e:ith"
		;
	static struct target t;   /* static: 4 KiB of env pointers */
	char *user_env[argc];
	int interactive = 0, nuser = 0, opt;
	struct record r;
	sigset_t set, old;
	pid_t pid;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'e': user_env[nuser++] = optarg; break;
		case 'i': interactive = 1; break;
		case 't': break;
		case 'h': fputs(usage, stdout); return 0;
		case ':':
			return report_error((err_set("exec: option '%s' needs a value", argv[optind - 1]), EXIT_RUNTIME));
		default:
			return report_error((err_set("exec: unknown option '%s' (see 'mydocker exec --help')",
						     argv[optind - 1]), EXIT_RUNTIME));
		}
	}
	if (argc - optind < 2)
		return report_error((err_set("exec: give a container and a command (see 'mydocker exec --help')"),
				     EXIT_RUNTIME));
	if (geteuid() != 0)
		return report_error((err_set("exec needs root: setns is privileged (try sudo)"), EXIT_RUNTIME));
	/* docker: no such container is 1; one that does not run, 125 (ours, here). */
	if (record_find(argv[optind], &r) < 0)
		return report_error(1);
	if (open_target(&r, &t) < 0)
		return report_error(EXIT_RUNTIME);
	for (int i = 0; i < nuser; i++)
		if (env_set(&t.env, user_env[i]) < 0)
			return report_error(EXIT_RUNTIME);
	if (!interactive && open_onto(STDIN_FILENO, "/dev/null", O_RDONLY) < 0)
		return report_error(EXIT_RUNTIME);
	if (enter(&r, &t) < 0)
		return report_error(EXIT_RUNTIME);
	signals_block(&set, &old);
	if ((pid = spawn_inside(argv + optind + 1, &t.env, &old)) < 0)
		return report_error(EXIT_RUNTIME);
	return signals_forward_until_exit(pid, &set);
}
