/* The child's side of a container: from clone() to exec.
 *
 * It waits on the command pipe until the runtime has placed it (cgroups,
 * network), then runs the setup steps below in their order, then execs the
 * command. The order is the design: each step needs what the steps above
 * it made, and some must come before others undo their chance (volumes are
 * bound while the host's directories are still in reach, before
 * pivot_root hides them). */
#include "container/child.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
//> final
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
//<
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "error.h"
#include "container/sync.h"
//> ch03
#include "fs/rootfs.h"
//<
//> ch04
#include "fs/overlay.h"
//<
//> final
#include "container/init.h"
#include "container/user.h"
#include "file.h"
#include "fs/tmpfs.h"
#include "security/caps.h"
#include "security/masks.h"
#include "security/seccomp.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif
//<

static int set_hostname(const struct container *c)
{
//> ch01
	if (sethostname(c->hostname, strlen(c->hostname)) < 0)
		return err_sys("sethostname %s", c->hostname);
	//| /* TODO(ch01) step 1: give the container its hostname (man 2 sethostname) */
	//| (void)c;
//<
	return 0;
}

//> final
/* A session of its own: the caller's terminal is not its controlling
 * terminal, so it cannot push input into it (TIOCSTI) nor take it over;
 * its signals come from the runtime, which forwards them. */
static int new_session(const struct container *c)
{
	(void)c;
	if (setsid() < 0)
		return err_sys("setsid");
	return 0;
}

/* The runtime has put us in our cgroups while we waited: a cgroup
 * namespace now makes that cgroup our "/", so the container sees neither
 * the host's cgroup tree nor where in it it was put. */
static int enter_cgroup_namespace(const struct container *c)
{
	(void)c;
	if (unshare(CLONE_NEWCGROUP) < 0)
		return err_sys("unshare the cgroup namespace");
	return 0;
}

//<
//> ch08
/* The runtime has put eth0 into our namespace before letting us go on. */
static int configure_network(const struct container *c)
{
	return endpoint_configure(&c->ep);
}

//<
static int make_mounts_private(const struct container *c)
{
	(void)c;
//> ch01
	/* On systemd hosts "/" is a shared mount: whatever we mount in our new
	 * mount namespace would propagate back to the host. Make every mount
	 * private, recursively, before mounting anything. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_sys("make / private");
	//| /* TODO(ch01) step 2: make every mount private, recursively, so that nothing
	//|  * mounted from here on reaches the host (man 2 mount, man 7 mount_namespaces) */
//<
	return 0;
}

//> ch04
static int mount_overlay(const struct container *c)
{
	return overlay_mount(c->overlay, c->rootfs);
}

//<
//> ch08
static int mount_etc_files(const struct container *c)
{
	return endpoint_mount_etc(&c->ep, c->dir, c->rootfs);
}

//<
//> ch05
static int mount_volumes(const struct container *c)
{
	for (int i = 0; i < c->spec->nvolumes; i++)
		if (volume_mount(&c->spec->volumes[i], c->rootfs) < 0)
			return -1;
	return 0;
}

//<
//> ch03
static int pivot_root(const struct container *c)
{
//> ch03 final
	//- return rootfs_pivot(c->rootfs);
//<
//> final
	return rootfs_pivot(c->rootfs) < 0 ? -1 : rootfs_mount_points();
//<
}

//<
static int mount_proc(const struct container *c)
{
	(void)c;
//> ch01
	/* A fresh procfs: it shows the processes of our PID namespace only, so
	 * ps inside sees the container's command as PID 1. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return err_sys("mount /proc");
	//| /* TODO(ch01) step 2: mount a fresh proc on /proc (man 2 mount, man 5 proc) */
//<
	return 0;
}

//> ch03
static int mount_sys_dev(const struct container *c)
{
	(void)c;
	return rootfs_mount_sys_dev();
}

//<
//> final
static int create_devices(const struct container *c)
{
	return devices_create(c->spec->sec.devices, c->spec->sec.ndevices);
}

static int mask_paths(const struct container *c)
{
	return c->spec->sec.privileged ? 0 : masks_apply();
}

/* -w: in the container's root, made when missing as docker makes it,
 * while that root is still writable. */
static int make_workdir(const struct container *c)
{
	if (c->spec->workdir && mkdir_p(c->spec->workdir, 0755) < 0)
		return err_wrap("--workdir %s", c->spec->workdir);
	return 0;
}

/* --tmpfs, and --read-only's "/" (after /proc, /sys and /dev: a
 * read-only root could not take their mount points). */
static int mount_tmpfs(const struct container *c)
{
	return tmpfs_mount_all(c->spec->tmpfs, c->spec->ntmpfs, c->spec->read_only);
}

/* -t: a pty of its own devpts as its terminal; else pipes in place of the
 * caller's terminal (streams.h). */
static int connect_streams(const struct container *c)
{
	return streams_child(&c->streams);
}

//<
/* The command starts with stdin, stdout and stderr only: nothing the
 * runtime or its caller had open leaks into the container. */
static int close_other_files(const struct container *c)
{
	(void)c;
//> ch01
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return err_sys("close the runtime's files");
	//| /* TODO(ch01) step 2: let no fd above 2 reach the command: mark them
	//|  * all close-on-exec at once (close_range(2), CLOSE_RANGE_CLOEXEC). */
//<
	return 0;
}

//> ch07
/* Its own environment, not the runtime's (execvp looks PATH up in it). */
static int set_environment(const struct container *c)
{
	environ = (char **)c->env.vars;
	return 0;
}

//<
//> final
/* What the caller left in the process is not the container's: a signal it
 * ignores (SIGPIPE, under systemd or Python) stays ignored across exec and
 * a blocked one blocked, and its umask would shape every file the command
 * makes. The command starts as docker starts it: every signal at its
 * default and none blocked, umask 022. */
static int reset_process_state(const struct container *c)
{
	/* The kernel's struct sigaction: libc's refuses the two signals it
	 * keeps for itself (32 and 33), which a caller may have ignored too. */
	struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; } dfl = { SIG_DFL, 0, NULL, 0 };
	sigset_t none;

	(void)c;
	for (int sig = 1; sig <= 64; sig++)
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);   /* SIGKILL and SIGSTOP refuse: they need none */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	umask(022);
	return 0;
}

/* A tmpfs mounted over it (-w /tmp/x --read-only) hid the one made
 * before: made again, in the tmpfs. */
static int enter_workdir(const struct container *c)
{
	const char *dir = c->spec->workdir;

	if (dir && chdir(dir) < 0 && (errno != ENOENT || mkdir_p(dir, 0755) < 0 || chdir(dir) < 0))
		return err_sys("--workdir %s", dir);
	return 0;
}

static int apply_ulimits(const struct container *c)
{
	return ulimits_apply(c->spec->ulimits, c->spec->nulimits);
}

static int switch_user(const struct container *c)
{
	return c->spec->user ? user_switch(c->spec->user, 1) : 0;
}

static int limit_capabilities(const struct container *c)
{
	return caps_limit(c->spec->sec.caps);
}

/* With it, exec never grants more than we have: setuid binaries and file
 * capabilities stop working (docker's default is off, for the images whose
 * su, sudo or ping need them; the bounding set caps what they can gain). */
static int set_no_new_privs(const struct container *c)
{
	if (c->spec->sec.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_sys("set no_new_privs");
	return 0;
}

static int load_seccomp(const struct container *c)
{
	return seccomp_install(&c->filter);
}

//<
/* The setup, in order: each step's line says why it stands where it does. */
static int (*const steps[])(const struct container *) = {
	set_hostname,          /* UTS namespace: its own name, first of all */
//> final
	new_session,           /* not the caller's session: its terminal is out of reach */
	enter_cgroup_namespace, /* placed in its cgroups while it waited: they become its "/" */
//<
//> ch08
	configure_network,     /* lo, eth0, the route: eth0 was moved in while we waited */
//<
	make_mounts_private,   /* before any mount, or it would reach the host */
//> ch04
	mount_overlay,         /* the root it will pivot into: image layers + upper dir */
//<
//> ch08
	mount_etc_files,       /* its hosts, hostname, resolv.conf over the image's */
//<
//> ch05
	mount_volumes,         /* while the host's directories are still in reach */
//<
//> ch03
	pivot_root,            /* into its root; the host's is detached and gone */
//<
	mount_proc,            /* after pivot_root: the proc of its PID namespace */
//> ch03
	mount_sys_dev,         /* a read-only /sys, a minimal /dev */
//<
//> final
	create_devices,        /* --device's nodes, in the /dev just made */
	make_workdir,          /* before --read-only makes the root so */
	mount_tmpfs,           /* --tmpfs; with --read-only the root goes read-only here */
	mask_paths,            /* once /proc, /sys and /dev are there: what tells of the host or changes it */
	connect_streams,       /* /dev/pts is its own now; a session leader (new_session) takes a terminal */
//<
	close_other_files,     /* last before exec: the steps above may open files */
//> ch07
	set_environment,       /* after every step that may read the runtime's variables */
//<
//> final
	reset_process_state,   /* nothing of the caller's signals or umask reaches the command */
	enter_workdir,         /* -w: after the tmpfs mounts, which may be where it is */
	apply_ulimits,         /* while we may still raise a hard limit (CAP_SYS_RESOURCE) */
	switch_user,           /* in its root: its passwd; its HOME joins the environment */
	limit_capabilities,    /* after the mounts, which need CAP_SYS_ADMIN; exec does the rest */
	set_no_new_privs,      /* before the filter: with it, loading needs no capability */
	load_seccomp,          /* last: it would refuse the calls of the steps above */
//<
};

int child_main(void *arg)
{
	struct child_args *a = arg;
	char **argv;

//> final
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);   /* container.c: on the stack it was given */
#endif
//<
	close(a->cmd[1]);
	close(a->err[0]);
	sigprocmask(SIG_SETMASK, &a->mask, NULL);
	/* A container dies with the process that waits for it (the runtime,
	 * or its -d monitor): nothing else would clean up after it. (Should that
	 * one die before this line, the pipe below hits EOF early and we exit.) */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Blocks until the runtime has set everything up and closed its end. */
	argv = sync_receive_argv(a->cmd[0]);
	if (!argv)
		_exit(EXIT_RUNTIME);   /* the runtime is gone: nobody to report to */
	close(a->cmd[0]);
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (steps[i](a->c) < 0)
			sync_child_fail(a->err[1], EXIT_RUNTIME);
//> final
	if (a->c->spec->init && init_exec(argv) < 0)
		sync_child_fail(a->err[1], EXIT_RUNTIME);
//<
	execvp(argv[0], argv);
	if (errno == ENOENT)
		sync_child_fail(a->err[1], (err_set("%s: executable file not found", argv[0]), EXIT_NOT_FOUND));
	sync_child_fail(a->err[1], (err_sys("cannot run %s", argv[0]), EXIT_CANNOT_INVOKE));
}
