/* One container's life, from clone() to its exit status.
 *
 *   parent (the runtime)                     child (becomes the container)
 //> ch03 ch04
 //- *   finds the image's root directory
 //<
 //> ch04
 *   prepares the overlay: image layers + upper dir
 //<
 *   clone(new UTS, PID, mount, IPC, net) ->  blocks reading the command pipe
 //> ch02
 *   puts the child in its cgroups
 //<
 *   writes argv, closes the pipe        ->   reads argv up to EOF: "go"
 *                                            hostname, mounts, exec
 //> ch03 ch04
 //- *                                            (pivot_root into the image, /proc /sys /dev)
 //<
 //> ch04
 *                                            (mount the overlay, pivot_root into it, /proc...)
 //<
 *   reads the error pipe: EOF = exec'd  <-   or writes why setup failed
 *   forwards signals, waits, cleans up
 //> ch06
 *   records the exit code (--rm: removes the container instead)
 *
 * With -d the left column runs in a monitor process (detach.h).
 //<
 *
 * The left column's steps are the tables prepare[] and place[] below, the
 * right column's the table steps[] in child.c; sync.h is the two pipes.
 */
#include "container/container.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "file.h"
#include "container/child.h"
#include "container/kernel.h"
#include "container/signals.h"
#include "container/sync.h"
//> ch03
#include "image/image.h"
//<
//> ch04
#include "fs/overlay.h"
//<
//> ch06
#include "container/detach.h"
#include "container/process.h"
#include "container/record.h"
//<
//> final
#include "container/claims.h"
#include "lock.h"
#include <errno.h>
//<

#define STACK_SIZE (1024 * 1024)

//> final
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
/* make asan: the child starts on a stack AddressSanitizer does not know.
 * Told of it as of a fiber's (the child finishes the switch, child.c), it
 * neither warns at the child's first noreturn call (a failed exec) nor
 * reports falsely; the runtime, which stays where it was, switches back. */
static void *fake_stack;
static void sanitizer_stack_to(void *stack, size_t size)
{
	__sanitizer_start_switch_fiber(&fake_stack, stack, size);
}
static void sanitizer_stack_back(void)
{
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
	__sanitizer_start_switch_fiber(&fake_stack, bottom, size);
	__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
}
#else
static void sanitizer_stack_to(void *stack, size_t size) { (void)stack; (void)size; }
static void sanitizer_stack_back(void) {}
#endif

//<
/* Every container gets its own hostname (UTS), process tree (PID), mount
 * table (NS), System V IPC objects (IPC) and network stack (NET). */
//> ch01
static const int namespaces = CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET;
//| /* TODO(ch01) step 1: the CLONE_NEW* flags for these five namespaces (man 2 clone, man 7 namespaces) */
//| static const int namespaces = 0;
//<

static int new_id(char id[ID_LEN + 1])
{
	unsigned char bytes[ID_LEN / 2];

	if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes)
		return err_sys("getrandom");
	for (size_t i = 0; i < sizeof bytes; i++)
		sprintf(id + 2 * i, "%02x", bytes[i]);
	return 0;
}

//> ch06
/* Say why the container did not run, and return code. The -d monitor's
 * stderr is the log: it tells the runtime, which says it. */
static int failed(const struct child_args *a, int code)
{
	if (a->report >= 0) {
		detach_report(a->report, code, "", err_msg());
		return code;
	}
	return report_error(code);
}
//<

//> final
/* --cidfile: made here, not before (a -d monitor makes it, and a name
 * taken fails first); O_EXCL, as docker refuses a file that is there. */
static int write_cidfile(struct container *c, const char *path, const char *id)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno == EEXIST ?
			err_set("--cidfile %s: the file exists: another container's ID? (remove it first)", path) :
			err_sys("--cidfile %s", path);
	if (write(fd, id, strlen(id)) != (ssize_t)strlen(id)) {
		err_sys("--cidfile %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	c->cidfile_made = 1;
	return 0;
}

//<
//> ch06
/* The container's directory and first record, before anything is set up:
 * a name already taken fails here, with nothing to undo. */
static int record_new(struct container *c)
{
	struct record *r = c->rec;
	char log[4096];

	snprintf(r->id, sizeof r->id, "%s", c->id);
	snprintf(r->name, sizeof r->name, "%.*s", c->spec->name ? NAME_LEN : SHORT_ID_LEN, c->spec->name ? c->spec->name : c->id);
	snprintf(r->image, sizeof r->image, "%s", c->spec->image);
	snprintf(r->hostname, sizeof r->hostname, "%s", c->hostname);
	record_set_command(r, c->spec->argc, c->spec->argv);
	clock_gettime(CLOCK_REALTIME, &r->created);
	r->autoremove = c->spec->autoremove;
	r->limits = c->spec->limits;
//> final
	/* Who is starting it: while that one lives, what the record does not
	 * name yet (an address just taken) is still held. */
	r->monitor = getpid();
	r->monitor_start = process_start_time(r->monitor);
//<
//> ch08
	r->ep = c->ep;   /* its -p ports, which no other container may hold */
//<
//> final
	r->caps = c->spec->sec.caps;
	r->privileged = c->spec->sec.privileged;
	r->no_new_privs = c->spec->sec.no_new_privs;
	snprintf(r->workdir, sizeof r->workdir, "%s", c->spec->workdir ? c->spec->workdir : "");
	snprintf(r->user, sizeof r->user, "%s", c->spec->user ? c->spec->user : "");
	r->stop_signal = c->spec->stop_signal;
	r->stop_timeout = c->spec->stop_timeout;
	snprintf(r->labels, sizeof r->labels, "%s", c->spec->labels);
	r->restart_kind = c->spec->restart.kind;
	r->restart_max = c->spec->restart.max;
	if (record_set_run(r, c->spec->nwords, c->spec->words) < 0)
		return -1;
//<
	snprintf(r->cpuset, sizeof r->cpuset, "%s", c->spec->limits.cpuset ? c->spec->limits.cpuset : "");
	for (int i = 0; i < c->spec->nvolumes; i++) {
		size_t len = strlen(r->volumes);
		snprintf(r->volumes + len, sizeof r->volumes - len, "%s%s:%s%s", i ? "\n" : "",
			 c->spec->volumes[i].host, c->spec->volumes[i].ctr, c->spec->volumes[i].ro ? ":ro" : "");
	}
//> ch06 final
	//- if (record_create(r) < 0)
	//- 	return -1;
//<
//> final
	/* Run again: its record, name and layer are there (and stay, should
	 * this run fail); its log goes on. */
	if (c->again) {
		int rc = record_reopen(r, c->by_policy);
		if (rc != 0)
			return rc < 0 ? -1 : err_set("container %s was stopped: not run again", r->name);
		c->reopened = 1;
	} else if (record_create(r) < 0)
		return -1;
	if (record_reserve(r) < 0 || (c->spec->cidfile && write_cidfile(c, c->spec->cidfile, c->id) < 0))
		return -1;
//<
	/* From here on the monitor's output, and so the container's, is the log. */
//> ch06 final
	//- if (c->spec->detach && (record_path(log, sizeof log, c->id, "log") < 0 || detach_log(log) < 0))
	//- 	return -1;
//<
//> final
	if (c->spec->detach &&
	    (record_path(log, sizeof log, c->id, "log") < 0 || (c->logger = log_open(log, &c->spec->log)) < 0))
		return -1;
//<
	return 0;
}

//> final
/* What rename and stop wrote into the record since ours was made holds:
 * its name, and whether it is to stay down (the caller holds the lock). */
static void keep_theirs(struct record *r)
{
	struct record now;

	if (record_read(r->id, &now) == 0) {
		memcpy(r->name, now.name, sizeof r->name);
		r->stopped = now.stopped;
	}
}

//<
/* Running, as PID (and start time) so-and-so, waited for by us. */
static int record_started(struct container *c)
{
	struct record *r = c->rec;

	r->status = STATUS_RUNNING;
	r->pid = c->pid;
	r->pid_start = process_start_time(c->pid);
	r->monitor = getpid();
	r->monitor_start = process_start_time(r->monitor);
	r->cgroup = c->cgroup;
//> ch08
	r->ep = c->ep;
//<
//> final
	clock_gettime(CLOCK_REALTIME, &r->started);
	r->restarting = 0;
	/* Its environment, docker's defaults in: inspect's Config.Env. */
	record_set_env(r, c->env.n, c->env.vars);

	/* A stop while it was run again (by start or by its policy) ends it
	 * here, before its command runs. */
	int lock = records_lock(), rc;

	if (lock < 0)
		return -1;
	keep_theirs(r);
	rc = r->stopped && c->again ? err_set("container %s was stopped while it started", r->name) : record_write(r);
	lock_release(lock);
	return rc;
//<
//> ch06 final
	//- return record_write(r);
//<
}

/* Exited with code: kept for ps -a and logs until `rm` (or removed now,
 * with --rm). Its cgroup is already gone, and `rm -f` may have taken the rest. */
//> ch06 final
//- static void record_exited(struct container *c, int code)
//<
//> final
/* Returns whether its monitor runs it again (--restart); the record says
 * so meanwhile ("restarting"). */
static int record_exited(struct container *c, int code)
//<
{
	struct record *r = c->rec;
//> final
	/* `rename` may have named it anew meanwhile, `stop` marked it to stay
	 * down: the lock keeps that from changing until ours is written. */
	int lock = records_lock();

	keep_theirs(r);
//<

	if (c->spec->autoremove || !file_exists(c->dir)) {
//> final
		if (lock >= 0)
			lock_release(lock);
//<
		remove_tree(c->dir);
//> final
		claims_drop(r);
		return 0;
//<
//> ch06 final
		//- return;
//<
	}
	r->status = STATUS_EXITED;
	r->exit_code = code;
	clock_gettime(CLOCK_REALTIME, &r->finished);
	memset(&r->cgroup, 0, sizeof r->cgroup);
//> ch08
	r->ep = c->ep;   /* released: no address, veth or ports */
//<
//> final
	r->restarting = c->spec->detach && !r->stopped && restart_wanted(&c->spec->restart, code, r->restart_count);
//<
//> ch06 final
	//- if (record_write(r) < 0)
//<
//> final
	if (record_write_last(r) < 0)
//<
		report_error(0);
//> final
	if (lock >= 0)
		lock_release(lock);
	claims_drop_ports(r);   /* exited: its ports are free (its record keeps them for ps -a) */
	return r->restarting;
//<
}

//<
/* Its ID, and the hostname it is known by inside. */
static int name_it(struct container *c)
{
//> ch01 final
	//- if (new_id(c->id) < 0)
	//- 	return -1;
//<
//> final
	if (c->again)
		snprintf(c->id, sizeof c->id, "%s", c->again);
	else if (new_id(c->id) < 0)
		return -1;
//<
	if (c->spec->hostname[0])
		snprintf(c->hostname, sizeof c->hostname, "%s", c->spec->hostname);
	else
		snprintf(c->hostname, sizeof c->hostname, "%.*s", SHORT_ID_LEN, c->id);
	return 0;
}

//> ch07
/* docker's defaults, where -e did not set them. */
static int default_environment(struct container *c)
{
//> ch07 final
	//- if (env_default(&c->env, "PATH", DEFAULT_PATH) < 0 || env_default(&c->env, "HOSTNAME", c->hostname) < 0 ||
	//-     env_default(&c->env, "HOME", "/root") < 0)
	//- 	return -1;
//<
//> final
	/* With -u, HOME is the user's, from its passwd, in the child (user.h). */
	if (env_default(&c->env, "PATH", DEFAULT_PATH) < 0 || env_default(&c->env, "HOSTNAME", c->hostname) < 0 ||
	    (!c->spec->user && env_default(&c->env, "HOME", "/root") < 0))
		return -1;
//<
	return 0;
}

//<
//> ch03 ch04
//- /* ch03 runs the image's top layer itself: its writes go into the image. */
//- static int image_root(struct container *c)
//- {
//- 	char top[1][4096];
//- 	if (image_layers(c->spec->image, top, 1) < 0)
//- 		return -1;
//- 	snprintf(c->rootfs, sizeof c->rootfs, "%s", top[0]);
//- 	return 0;
//- }
//-
//<
//> ch04
/* Its directory, and the overlay's mount point in it that becomes its root. */
static int root_paths(struct container *c)
{
	if (path_fmt(c->dir, sizeof c->dir, "%s/containers/%s", state_root(), c->id) < 0 ||
	    path_fmt(c->rootfs, sizeof c->rootfs, "%s/merged", c->dir) < 0)
		return -1;
	return 0;
}

static int prepare_overlay(struct container *c)
{
	static char layers[MAX_LAYERS][4096];   /* static: 256 KiB is no stack frame */
	int n = image_layers(c->spec->image, layers, MAX_LAYERS);

	if (n < 0 || overlay_prepare(c->dir, layers, n, c->overlay, sizeof c->overlay) < 0)
		return -1;
	return 0;
}

//<
//> ch05
static int prepare_volumes(struct container *c)
{
	for (int i = 0; i < c->spec->nvolumes; i++)
		if (volume_prepare(&c->spec->volumes[i]) < 0)
			return -1;
	return 0;
}

//<
//> ch08
static int prepare_network(struct container *c)
{
//> ch08 final
	//- return endpoint_prepare(&c->ep, c->dir, c->hostname, c->rec->name);
//<
//> final
	snprintf(c->ep.id, sizeof c->ep.id, "%s", c->id);
	if (endpoint_prepare(&c->ep, c->dir, c->hostname, c->rec->name) < 0)
		return -1;
	/* Its address in its record, written with its cgroups (next): should
	 * we be killed before the container runs, `rm -f` knows what to give
	 * back (and which port rules to delete, once attach_network has added
	 * them); killed before that write, the address's owner file tells. */
	c->rec->ep = c->ep;
	return 0;
//<
}

//<
//> ch02
static int create_cgroups(struct container *c)
{
	const char *root = getenv("MYDOCKER_CGROUP_ROOT"), *parent = getenv("MYDOCKER_CGROUP_PARENT");

//> final
	/* Named in its record before they exist: should we be killed while
	 * making them, `rm -f` knows what to remove. */
	if (cgroup_plan(&c->rec->cgroup, root ? root : CGROUP_ROOT, parent ? parent : CGROUP_PARENT, c->id,
			&c->spec->limits) < 0 || record_write(c->rec) < 0)
		return -1;
//<
	return cgroup_create(&c->cgroup, root ? root : CGROUP_ROOT, parent ? parent : CGROUP_PARENT, c->id,
			     &c->spec->limits);
}

/* The child is still blocked on the pipe, so its command runs inside its
 * limits from its first instruction. */
static int join_cgroups(struct container *c)
{
	return cgroup_join(&c->cgroup, c->pid);
}

//<
//> final
/* Its cgroups exist, with no process in them yet: only the devices it may
 * use (all of them with --privileged). */
static int limit_devices(struct container *c)
{
	const struct security *s = &c->spec->sec;

	return s->privileged ? 0 : devices_limit(&c->cgroup, s->devices, s->ndevices);
}

/* A pty's socket, or pipes in place of the caller's terminal; with -dt
 * the socket that `attach` connects to (streams.h). */
static int prepare_streams(struct container *c)
{
	if (streams_prepare(&c->streams) < 0)
		return -1;
	return c->spec->detach && c->spec->tty ? streams_listen(&c->streams, c->dir) : 0;
}

/* The seccomp filter, compiled (or found in the cache) before clone, so
 * that a profile's mistake fails the run with one line; the container's
 * copy is what exec loads. */
static int prepare_seccomp(struct container *c)
{
	char path[4200];

	if (seccomp_prepare(&c->spec->sec, &c->filter) < 0)
		return -1;
	return path_fmt(path, sizeof path, "%s/seccomp", c->dir) < 0 ? -1 : seccomp_save(&c->filter, path);
}

//<
//> final
/* Its life tied to ours, whatever it does with its credentials. */
static int watch_runtime(struct container *c)
{
	return sentinel_watch_init(&c->sentinel, c->pid);
}

//<
//> ch08
/* Its network namespace exists now, and it waits: plug it in. */
static int attach_network(struct container *c)
{
	return endpoint_attach(&c->ep, c->id, c->pid, c->rec->name);
}

//<
/* Before clone, in order: what the child will need, made by the runtime.
 * A step that fails leaves what it made in c, and container_run's cleanup
 * takes all of it away (directory, address, cgroups). */
static int (*const prepare[])(struct container *) = {
	name_it,               /* everything else is named by its ID */
//> ch07
	default_environment,   /* HOSTNAME is the hostname just chosen */
//<
//> ch03 ch04
	//- image_root,            /* the root is the image's top layer */
//<
//> ch04
	root_paths,            /* where its directory and root will be */
//<
//> ch06
	record_new,            /* the directory and first record: a taken name fails here, at no cost */
//<
//> ch04
	prepare_overlay,       /* upper, work and merged in that directory, the mount's options */
//<
//> ch05
	prepare_volumes,       /* the host's directories, made when missing */
//<
//> ch08
	prepare_network,       /* an address, and the /etc files that name it */
//<
//> ch02
	create_cgroups,        /* with their limits, before there is a process to put in them */
//<
//> final
	limit_devices,         /* in the cgroups just made */
	prepare_streams,       /* after record_new: a -d monitor's 0, 1, 2 are no terminal */
	prepare_seccomp,       /* last: only a run that got this far adds to the filter cache */
//<
};

/* After clone, while the child waits on the command pipe: the runtime
 * places it, in order. */
static int (*const place[])(struct container *) = {
//> final
	watch_runtime,         /* first: from here on it cannot outlive us */
//<
//> ch02
	join_cgroups,          /* first: everything after runs inside the limits */
//<
//> ch08
	attach_network,        /* the veth pair into its network namespace */
//<
//> ch06
	record_started,        /* last: running, as PID so-and-so, once all of it holds */
//<
	NULL,                  /* (chapter 1 places nothing) */
};

/* Everything up to the child's exec: the steps above, the pipes, clone,
 * then "go" down the command pipe. */
static int start(struct container *c, struct child_args *a, sigset_t *set)
{
	int status;

	for (size_t i = 0; i < sizeof prepare / sizeof *prepare; i++)
		if (prepare[i](c) < 0)
			return -1;
	if (pipe2(a->cmd, O_CLOEXEC) < 0 || pipe2(a->err, O_CLOEXEC) < 0)
		return err_sys("pipe");
	a->stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (a->stack == MAP_FAILED)
		return err_sys("allocate the child's stack");

	/* Before the child exists, so that no signal for it is lost in between. */
	signals_block(set, &a->mask);

	int flags = namespaces;
//> ch08
	/* --net host: it stays in the host's network namespace. */
	if (c->ep.mode == NET_HOST)
		flags &= ~CLONE_NEWNET;
//<
//> final
	/* --pid host: and in its PID namespace (its /proc then shows the host's). */
	if (c->spec->pid_host)
		flags &= ~CLONE_NEWPID;
//<
	/* clone() rather than fork(): it takes the namespace flags, so the child
	 * is born inside its new namespaces. SIGCHLD: tell us when it exits. */
//> final
	sanitizer_stack_to(a->stack, STACK_SIZE);
//<
	c->pid = clone(child_main, a->stack + STACK_SIZE, flags | SIGCHLD, a);
//> final
	sanitizer_stack_back();
//<
	if (c->pid < 0)
		return err_sys("clone");
	close(a->cmd[0]);
	close(a->err[1]);
	a->cmd[0] = a->err[1] = -1;
//> final
	streams_parent(&c->streams);
//<
	for (size_t i = 0; place[i]; i++)
		if (place[i](c) < 0)
			goto kill_child;
	if (sync_send_argv(a->cmd[1], c->spec->argc, c->spec->argv) < 0)
		goto kill_child;
	close(a->cmd[1]);
	a->cmd[1] = -1;
	return 0;
kill_child:
	kill(c->pid, SIGKILL);
	waitpid(c->pid, &status, 0);
//> ch06
	c->rec->status = STATUS_CREATED;   /* it never ran: nothing of it stays */
//<
	return -1;
}

/* From the exec (or the child's failure) to its exit code. */
static int finish(struct container *c, struct child_args *a, const sigset_t *set)
{
	int status, code;

	if (sync_child_failed(a->err[0])) {
		waitpid(c->pid, &status, 0);
//> ch01 ch06
		//- return report_error(exit_code(status));
//<
//> ch06
		return failed(a, exit_code(status));
//<
	}
//> ch06
	if (a->report >= 0) {
//> ch06 final
		//- detach_report(a->report, 0, c->id, NULL);
//<
//> final
		/* start prints what it was given, as docker does. */
		detach_report(a->report, 0, c->spec->ref ? c->spec->ref : c->id, NULL);
//<
		a->report = -1;
	}
//<
//> final
	if (streams_relayed(&c->streams)) {
		/* Sent before its exec, which has happened: no wait. */
		if (c->streams.tty && streams_receive_master(&c->streams) < 0) {
			report_error(0);
			kill(c->pid, SIGKILL);
		}
		code = streams_relay_until_exit(&c->streams, c->pid, set);
	} else
//<
	code = signals_forward_until_exit(c->pid, set);
//> ch02
	if (cgroup_oom_kills(&c->cgroup) > 0)
		say("container %.*s was killed for memory: it went over its -m limit of %lld MiB",
		    SHORT_ID_LEN, c->id, (long long)(c->spec->limits.memory >> 20));
//<
	return code;
}

int container_run(const struct spec *spec)
{
//> final
	const char *again = spec->id;   /* start: an exited container, run again */
	char id[ID_LEN + 1];
	int by_policy = 0, restart = 0;
	long delay = 0;

	/* --restart: its monitor comes back here, its run ended, to run it again. */
run_again:;
//<
	struct container ctr = { .spec = spec }, *c = &ctr;
	struct child_args a = { .c = c, .cmd = { -1, -1 }, .err = { -1, -1 }, .stack = MAP_FAILED };
	sigset_t set;
	int code;
//> ch06
	struct record rec = { 0 };

	c->rec = &rec;
	a.report = -1;
//<
//> ch07
	c->env = spec->env;   /* docker's defaults join it in start() */
//<
//> ch08
	c->ep = spec->net;
//<
//> final
	c->sentinel.fd = c->sentinel.pidfd = -1;
	c->again = again;
	c->by_policy = by_policy;
	/* The foreground relays our stdin; a -d monitor has none (attach's, later). */
	streams_init(&c->streams, spec->tty, !spec->detach);
//<

	if (geteuid() != 0) {
		err_set("containers need root: namespaces and mounts are privileged (try sudo)");
		return report_error(EXIT_RUNTIME);
	}
	/* An old kernel fails here, in one line, rather than halfway through. */
	if (kernel_check() < 0)
		return report_error(EXIT_RUNTIME);
//> ch06
	/* -d: a monitor process goes on from here with the container; the
	 * runtime waits only for its word that the container runs. */
//> ch06 final
	//- if (c->spec->detach) {
//<
//> final
	if (c->spec->detach && !by_policy) {   /* (a restart: we are the monitor) */
//<
		pid_t monitor = detach_fork(&a.report);
		if (monitor < 0)
			return report_error(EXIT_RUNTIME);
		if (monitor > 0)
			return detach_wait(a.report);
	}
//<
	sigprocmask(SIG_BLOCK, NULL, &a.mask);
	if (start(c, &a, &set) < 0)
//> ch01 ch06
		//- code = report_error(EXIT_RUNTIME);
//<
//> ch06
		code = failed(&a, EXIT_RUNTIME);
//<
	else
		code = finish(c, &a, &set);
//> final
	sentinel_stop(&c->sentinel);   /* the init is reaped: nothing left to watch */
	/* In a PID namespace of its own the kernel ends every process of it
	 * with its init; in the host's, what the init left runs on. */
	if (c->spec->pid_host && cgroup_kill_all(&c->cgroup) < 0)
		report_error(0);
//<
//> ch08
	if (endpoint_release(&c->ep, c->dir, rec.name) < 0)
		report_error(0);
//<
//> ch02
	cgroup_destroy(&c->cgroup);
//<
//> ch04 ch06
	//- /* The overlay was mounted in the container's mount namespace only, and
	//-  * that is gone with its processes: what is left is plain directories. */
	//- if (c->dir[0] && remove_tree(c->dir) < 0)
	//- 	report_error(EXIT_RUNTIME);
	//| /* TODO(ch04) step 3: the container's directory (c->dir: upper, work,
	//|  * merged) goes when it has exited, also when its command failed. Why
	//|  * is there nothing to unmount? */
//<
//> final
	if (c->streams.listener >= 0) {   /* exited: nothing to attach to */
		char sock[4200];
		if (path_fmt(sock, sizeof sock, "%s/%s", c->dir, ATTACH_SOCKET) == 0)
			unlink(sock);
	}
	streams_close(&c->streams);
	log_close(c->logger);   /* all it was given is in the log: then `ps` says exited */
//<
//> ch06
	/* The overlay went with the container's mount namespace; its plain
	 * directories stay for `ps -a`, `logs` and `rm` once it has run. */
//> ch06 final
	//- if (rec.status == STATUS_RUNNING)
	//- 	record_exited(c, code);
//<
//> final
	/* Run again, it stays whether or not it ran this time. */
	if (rec.status == STATUS_RUNNING || c->reopened)
		restart = record_exited(c, code);
	else if (c->again)
		;   /* its record was not ours to change: it runs, or is gone */
//<
	else if (c->dir[0] && remove_tree(c->dir) < 0)
		report_error(EXIT_RUNTIME);
//> final
	else if (c->dir[0]) {
		claims_drop(&rec);   /* it never ran: its name is free again */
		if (c->cidfile_made)
			unlink(spec->cidfile);
	}
//<
//<
//> ch07
	/* docker's defaults, which start() put after the spec's own: ours. */
	for (int i = spec->env.n; i < c->env.n; i++)
		free(c->env.vars[i]);
//<
	sigprocmask(SIG_SETMASK, &a.mask, NULL);
	if (a.stack != MAP_FAILED)
		munmap(a.stack, STACK_SIZE);
	for (int i = 0; i < 2; i++) {
		if (a.cmd[i] >= 0)
			close(a.cmd[i]);
		if (a.err[i] >= 0)
			close(a.err[i]);
	}
//> final
	if (restart) {
		long ran_ms = rec.status == STATUS_EXITED && rec.started.tv_sec ?
			(rec.finished.tv_sec - rec.started.tv_sec) * 1000 +
			(rec.finished.tv_nsec - rec.started.tv_nsec) / 1000000 : 0;
		snprintf(id, sizeof id, "%s", rec.id);
		again = id;
		by_policy = 1;
		restart = 0;
		delay = restart_delay_ms(delay, ran_ms);
		if (restart_wait(delay))
			goto run_again;
		/* stop woke us: it rests, as stop asked. */
		struct record now;
		if (record_mark_stopped(id, &now) < 0)
			report_error(0);
	}
//<
	return code;
}
