//> ch07
/* `exec`: run a command inside a running container, by joining its
 * namespaces with setns(2). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
//> final
#include <linux/openat2.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
//<
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
//> final
#include "lock.h"
//<
#include "container/process.h"
#include "container/record.h"
#include "container/signals.h"
//> final
#include "container/streams.h"
#include "container/user.h"
#include "security/caps.h"
#include "security/seccomp.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
//<

//> ch07
static const char usage[] =
	"Usage: mydocker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n"
	"\n"
	"Run COMMAND in a running container: in its namespaces, its cgroup, its\n"
	"root and its environment.\n"
	"\n"
	"Options:\n"
	"  -e, --env K=V       set a variable (K alone: pass on ours), repeatable\n"
	"  -i, --interactive   keep stdin open (without it the command reads nothing)\n"
//> ch07 final
	//- "  -t, --tty           accepted for docker compatibility; the caller's terminal is used\n"
//<
//> final
	"  -t, --tty           a terminal of its own, a pty in the container's devpts\n"
//<
//> final
	"      --privileged    every capability and no seccomp filter for the command\n"
	"  -u, --user USER     run as USER[:GROUP] (default: run's -u, or root)\n"
	"  -w, --workdir DIR   the command's working directory, inside the container (default:\n"
	"                      run's -w, or /)\n"
//<
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
//> final
	/* After its cgroup is joined: that cgroup is "/" in there. */
	{ "cgroup", CLONE_NEWCGROUP },
//<
	/* Last: from here on the host's /proc and /sys are out of sight. */
	{ "mnt", CLONE_NEWNS },
};
#define NNS (sizeof namespaces / sizeof *namespaces)

struct target {
	int ns[NNS];     /* /proc/PID/ns/... */
	int root;        /* /proc/PID/root: the directory its init pivoted into */
	struct env env;  /* /proc/PID/environ */
//> final
	uint64_t caps;          /* the container's, or every one with --privileged */
	int no_new_privs;
	struct filter filter;   /* the container's seccomp filter (none: --privileged) */
	const char *workdir;    /* -w, else run's -w, else / */
	const char *user;       /* -u, else run's -u, else root */
	struct streams streams; /* -t: a pty; else pipes in place of the caller's terminal */
//<
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
//> ch07
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
	//| /* TODO(ch07) step 1: hold the container's init (process_open), then
	//|  * open /proc/PID/ns/NAME for each of namespaces[] into t->ns,
	//|  * /proc/PID/root (O_PATH) into t->root, and read /proc/PID/environ
	//|  * into t->env (env_add_block). Why check, at the end, that the pidfd's
	//|  * process is still alive? (open_failed, above, says the container
	//|  * has ended where it has.) man 5 proc, man 2 pidfd_open */
	//| (void)r; (void)t; (void)open_failed;
	//| return err_set("exec: TODO(ch07)");
//<
}

/* Become part of the container: cgroup, namespaces, root. */
static int enter(const struct record *r, const struct target *t)
{
//> ch07
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
	//| /* TODO(ch07) step 2: join the container's cgroup (cgroup_join), then
	//|  * setns(2) into each of t->ns in namespaces[]'s order, then make its
	//|  * root ours (fchdir to t->root, chroot("."), chdir("/")). Why is the
	//|  * cgroup first, and the mount namespace last? */
	//| (void)r; (void)t;
	//| return err_set("exec: TODO(ch07)");
//<
}

/* The command, in a child: only a child of ours is in the container's PID
 * namespace (setns did not move us). Returns its PID. */
//> final
/* The container's defences, on the command as on the container's own: its
 * working directory (looked up inside the root, and checked to be in it:
 * CVE-2024-21626 was a working directory that an inherited fd left on the
 * host), its capabilities, no_new_privs, and last its seccomp filter. */
static int confine(const struct target *t)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	char cwd[4096];
	int dir = syscall(SYS_openat2, AT_FDCWD, t->workdir, &how, sizeof how);

	if (dir < 0)
		return err_sys("--workdir %s", t->workdir);
	if (fchdir(dir) < 0 || !getcwd(cwd, sizeof cwd) || cwd[0] != '/') {
		close(dir);
		return err_set("--workdir %s: not inside the container", t->workdir);
	}
	close(dir);
	/* Not the caller's session: its terminal is out of reach (TIOCSTI).
	 * With -t, a session leader takes the pty as its terminal. */
	if (setsid() < 0)
		return err_sys("setsid");
	if (streams_exec_child(&t->streams) < 0)
		return -1;
	if (t->user && user_switch(t->user, 0) < 0)
		return -1;
	if (caps_limit(t->caps) < 0)
		return -1;
	if (t->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_sys("set no_new_privs");
	return seccomp_install(&t->filter);
}

//<
//> final
/* A paused container would never run the command, and we would wait on
 * it. commit's freeze is a moment: its lock, which pause takes too, is
 * held until it has thawed, so after it a frozen container is paused. */
static int refuse_paused(const struct record *r, const char *ref)
{
	char path[4200];
	int lock, frozen;

	if (record_path(path, sizeof path, r->id, "commit.lock") < 0 || (lock = lock_take(path)) < 0)
		return -1;
	frozen = cgroup_frozen(&r->cgroup) == 1;
	lock_release(lock);
	return frozen ? err_set("container %s is paused: unpause it first", ref) : 0;
}

/* The target whose defences spawn_inside's child takes on. */
static const struct target *confining;

//<
static pid_t spawn_inside(char **cmd, const struct env *env, const sigset_t *mask)
{
//> ch07
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
//> final
		if (confine(confining) < 0)
			_exit(report_error(EXIT_RUNTIME));
//<
		execvp(cmd[0], cmd);
		if (errno == ENOENT)
			_exit(report_error((err_set("%s: executable file not found", cmd[0]), EXIT_NOT_FOUND)));
		_exit(report_error((err_sys("cannot run %s", cmd[0]), EXIT_CANNOT_INVOKE)));
	}
	return pid;
	//| /* TODO(ch07) step 3: fork; in the child, the caller's signal mask back
	//|  * (mask), only fds 0, 1 and 2 left open (close_range(2)), env as its
	//|  * environment, and execvp the command: 127 when it is not found, 126
	//|  * when it cannot run. The parent returns the child's PID. */
	//| (void)cmd; (void)env; (void)mask;
	//| return err_set("exec: TODO(ch07)");
//<
}

int cmd_exec(int argc, char **argv)
{
	static const struct option options[] = {
		{ "env", required_argument, NULL, 'e' }, { "interactive", no_argument, NULL, 'i' },
		{ "tty", no_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
//> final
		{ "privileged", no_argument, NULL, 'P' }, { "workdir", required_argument, NULL, 'w' },
		{ "user", required_argument, NULL, 'u' },
//<
		{ 0 }
	};
	static const char shortopts[] = "+:e:ith"
//> final
		"w:u:"
//<
		;
	static struct target t;   /* static: 4 KiB of env pointers */
	char *user_env[argc];
	int interactive = 0, nuser = 0, opt;
//> final
	int privileged = 0, tty = 0;
	char seccomp_path[4200];
	t.workdir = t.user = NULL;
//<
	struct record r;
	sigset_t set, old;
	pid_t pid;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
//> final
		case 'P': privileged = 1; break;
		case 'w': t.workdir = optarg; break;
		case 'u':
			if (user_check(optarg) < 0)
				return report_error(EXIT_RUNTIME);
			t.user = optarg;
			break;
//<
		case 'e': user_env[nuser++] = optarg; break;
		case 'i': interactive = 1; break;
//> ch07 final
		//- case 't': break;
//<
//> final
		case 't': tty = 1; break;
//<
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
//> final
	if (refuse_paused(&r, argv[optind]) < 0)
		return report_error(EXIT_RUNTIME);
	confining = &t;
	if (!t.workdir)
		t.workdir = r.workdir[0] ? r.workdir : "/";
	if (!t.user && r.user[0])
		t.user = r.user;
	t.caps = privileged || r.privileged ? caps_all() : r.caps;
	t.no_new_privs = r.no_new_privs;
	if (!privileged && (record_path(seccomp_path, sizeof seccomp_path, r.id, "seccomp") < 0 ||
			    seccomp_read(seccomp_path, &t.filter) < 0))
		return report_error(EXIT_RUNTIME);
	/* Non-dumpable before we join: no process of the container may open
	 * our /proc/PID/exe, fd/ or mem (that needs CAP_SYS_PTRACE now). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return report_error((err_sys("make exec non-dumpable"), EXIT_RUNTIME));
//<
	for (int i = 0; i < nuser; i++)
		if (env_set(&t.env, user_env[i]) < 0)
			return report_error(EXIT_RUNTIME);
	if (!interactive && open_onto(STDIN_FILENO, "/dev/null", O_RDONLY) < 0)
		return report_error(EXIT_RUNTIME);
//> final
#ifdef __SANITIZE_ADDRESS__
	/* make asan: LeakSanitizer's end-of-process check reads /proc/self,
	 * which the container's mount namespace no longer shows us. Now. */
	__lsan_do_leak_check();
#endif
//<
//> final
	streams_init(&t.streams, tty, interactive);
	if (!tty && streams_prepare(&t.streams) < 0)   /* -t: the pty, once inside */
		return report_error(EXIT_RUNTIME);
//<
	if (enter(&r, &t) < 0)
		return report_error(EXIT_RUNTIME);
//> final
	/* In its mount namespace: its devpts is where the pty is made. */
	if (tty && streams_open_pty(&t.streams) < 0)
		return report_error(EXIT_RUNTIME);
//<
	signals_block(&set, &old);
	if ((pid = spawn_inside(argv + optind + 1, &t.env, &old)) < 0)
		return report_error(EXIT_RUNTIME);
//> final
	streams_parent(&t.streams);
	if (streams_relayed(&t.streams))
		return streams_relay_until_exit(&t.streams, pid, &set);
//<
	return signals_forward_until_exit(pid, &set);
}
//<
