//> ch02
/* cgroups: one directory per container in each hierarchy whose limits it uses.
 *
 * A host mounts cgroups one of three ways, and this file finds its way in all
 * of them, controller by controller:
 *   v1      each controller is its own hierarchy: /sys/fs/cgroup/memory, ...
 *   v2      one unified hierarchy at /sys/fs/cgroup (cgroup.controllers lists them)
 *   hybrid  v1 controllers plus a v2 mount at /sys/fs/cgroup/unified
 * The root is a parameter so the unit tests can point it at a fake tree.
 */
#ifndef MYDOCKER_CGROUP_H
#define MYDOCKER_CGROUP_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_PARENT "mydocker"

enum cgroup_mode { CGROUP_V1, CGROUP_V2, CGROUP_HYBRID };

enum controller {
	CTL_MEMORY, CTL_CPU, CTL_CPUSET, CTL_PIDS,
//> ch09
	CTL_FREEZER,   /* every container has one: commit freezes it */
//<
//> final
	CTL_DEVICES,   /* every container has one: which devices it may use (security/devices.c) */
	CTL_CPUACCT,   /* v1's CPU time (stats); on v2 cpu.stat is in every cgroup */
//<
	CTL_COUNT
};

/* What the user asked for; zero means "no limit". */
struct limits {
	int64_t memory;      /* bytes */
	int64_t millicpus;   /* --cpus, in thousandths of a CPU */
	int64_t cpu_shares;  /* v1 cpu.shares scale, 2..262144 */
	const char *cpuset;  /* --cpuset-cpus list, or NULL */
	int64_t pids;        /* most processes at once */
};

/* One value to write into one control file of one controller. */
struct cgroup_setting {
	enum controller ctl;
	const char *file;
	char value[48];
	int optional;        /* skipped when the kernel does not offer the file */
};

struct cgroup {
	char dir[CTL_COUNT][PATH_MAX];  /* the container's directory per controller, "" when unused */
	int v2[CTL_COUNT];              /* whether that directory is in a v2 hierarchy */
};

const char *controller_name(enum controller ctl);
enum cgroup_mode cgroup_mode(const char *root);
const char *cgroup_mode_name(enum cgroup_mode mode);
/* The mount point of the hierarchy that holds ctl; sets *v2 when it is a v2 one. */
int cgroup_hierarchy(const char *root, enum controller ctl, char *out, size_t size, int *v2);
/* Which files the limits become, for the hierarchy versions in v2[]; returns how many. */
int cgroup_settings(const struct limits *l, const int v2[CTL_COUNT], struct cgroup_setting *out);

/* Make <hierarchy>/<parent>/<id> for every controller the limits need and
 * write the limits; on failure nothing is left behind. */
/* The directories cgroup_create would make (none made): a container's
 * record can name them before they exist. */
int cgroup_plan(struct cgroup *cg, const char *root, const char *parent, const char *id, const struct limits *l);
int cgroup_create(struct cgroup *cg, const char *root, const char *parent, const char *id,
		  const struct limits *l);
/* Move pid into every directory of cg. */
int cgroup_join(const struct cgroup *cg, pid_t pid);
/* How many processes the kernel OOM-killed in this cgroup (0 when no memory limit). */
long cgroup_oom_kills(const struct cgroup *cg);
void cgroup_destroy(struct cgroup *cg);
//> ch09
/* Freeze (frozen = 1) or thaw every process of cg through its freezer, and
 * wait until the kernel says it is done. Finds v1's freezer.state or v2's
 * cgroup.freeze by what the directory has. */
int cgroup_freeze(const struct cgroup *cg, int frozen);
//> final
/* Whether cg is frozen (or being frozen): 1, 0, or -1 when it is gone. */
int cgroup_frozen(const struct cgroup *cg);
/* SIGKILL to every process in the cgroup, frozen meanwhile so that none
 * forks one the kill would miss. */
int cgroup_kill_all(const struct cgroup *cg);
//<
//<

#endif
