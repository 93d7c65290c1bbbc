//> ch02
#include "cgroup/cgroup.h"

#include <errno.h>
//> final
#include <signal.h>
//<
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

/* The lab of chapter 2, in three steps (ch02-cgroups/README.md, "Lab"):
 *   1. cgroup_mode, cgroup_hierarchy: where each controller is (v1, v2, hybrid)
 *   2. cgroup_settings: the limits as files and values, for each version
 *   3. make_path, cpuset_inherit, cgroup_join, cgroup_destroy: the cgroup's life
 * The rest (cgroup_create's two passes, apply, OOM kills) is given. */

/* The period --cpus is measured against: 100 ms, the kernel's default. */
#define CPU_PERIOD_US 100000

static const char *const names[CTL_COUNT] = {
	"memory", "cpu", "cpuset", "pids",
//> ch09
	"freezer",
//<
//> final
	"devices", "cpuacct",
//<
};

const char *controller_name(enum controller ctl)
{
	return names[ctl];
}

static int has_file(const char *dir, const char *file)
{
	char path[PATH_MAX];

	return path_fmt(path, sizeof path, "%s/%s", dir, file) == 0 && file_exists(path);
}

/* Whether a space-separated list file (cgroup.controllers, subtree_control) has word. */
static int list_has(const char *path, const char *word)
{
	char buf[1024];
	size_t len = strlen(word);

	if (read_file(path, buf, sizeof buf) < 0)
		return 0;
	for (char *p = buf; (p = strstr(p, word)); p += len)
		if ((p == buf || p[-1] == ' ' || p[-1] == '+') &&
		    (p[len] == ' ' || p[len] == '\n' || p[len] == '\0'))
			return 1;
	return 0;
}

enum cgroup_mode cgroup_mode(const char *root)
{
//> ch02
	/* The unified hierarchy's root always has cgroup.controllers; v1 roots never do. */
	if (has_file(root, "cgroup.controllers"))
		return CGROUP_V2;
	if (has_file(root, "unified/cgroup.controllers"))
		return CGROUP_HYBRID;
	return CGROUP_V1;
	//| /* TODO(ch02) step 1: v2 when root has cgroup.controllers, hybrid when
	//|  * root/unified has, v1 otherwise (has_file). */
	//| (void)root; (void)has_file;
	//| return CGROUP_V1;
//<
}

const char *cgroup_mode_name(enum cgroup_mode mode)
{
	return mode == CGROUP_V2 ? "v2" : mode == CGROUP_HYBRID ? "hybrid" : "v1";
}

int cgroup_hierarchy(const char *root, enum controller ctl, char *out, size_t size, int *v2)
{
//> ch02
	enum cgroup_mode mode = cgroup_mode(root);
	char list[PATH_MAX];

	if (mode != CGROUP_V2) {
		/* v1 and hybrid: a mounted v1 hierarchy has cgroup.procs at its top. */
		if (path_fmt(out, size, "%s/%s", root, names[ctl]) < 0)
			return -1;
		*v2 = 0;
		if (has_file(out, "cgroup.procs"))
			return 0;
	}
	if (mode != CGROUP_V1) {
		if (path_fmt(out, size, mode == CGROUP_V2 ? "%s" : "%s/unified", root) < 0 ||
		    path_fmt(list, sizeof list, "%s/cgroup.controllers", out) < 0)
			return -1;
		*v2 = 1;
		if (list_has(list, names[ctl]))
			return 0;
//> ch09
		/* v2 has no freezer controller to enable: cgroup.freeze is in
		 * every cgroup but the root (Linux 5.2 and later). */
		if (ctl == CTL_FREEZER)
			return 0;
//<
//> final
		/* Nor a devices controller: a BPF program attached to the
		 * cgroup decides (security/devices.c). */
		if (ctl == CTL_DEVICES)
			return 0;
//<
	}
	return err_set("cgroup controller '%s' is not available on this host (cgroup %s under %s)",
		       names[ctl], cgroup_mode_name(mode), root);
	//| /* TODO(ch02) step 1: on v1 and hybrid, ROOT/<name> when it has
	//|  * cgroup.procs (*v2 = 0); on v2 ROOT, on hybrid ROOT/unified, when its
	//|  * cgroup.controllers lists the name (*v2 = 1; list_has). Otherwise
	//|  * fail, naming the controller and the host's mode. man 7 cgroups */
	//| (void)root; (void)ctl; (void)out; (void)size; (void)v2; (void)list_has;
	//| return err_set("cgroup_hierarchy: TODO(ch02)");
//<
}

__attribute__((format(printf, 5, 6)))
static struct cgroup_setting *add(struct cgroup_setting *s, enum controller ctl, const char *file,
				  int optional, const char *fmt, ...)
{
	va_list ap;

	s->ctl = ctl;
	s->file = file;
	s->optional = optional;
	va_start(ap, fmt);
	vsnprintf(s->value, sizeof s->value, fmt, ap);
	va_end(ap);
	return s + 1;
}

/* cpu.shares (2..262144, default 1024) to cpu.weight (1..10000, default 100):
 * the linear map that runc and crun use, so users get the same weights. */
static long long shares_to_weight(int64_t shares)
{
	return 1 + ((shares - 2) * 9999) / 262142;
}

int cgroup_settings(const struct limits *l, const int v2[CTL_COUNT], struct cgroup_setting *out)
{
//> ch02
	struct cgroup_setting *s = out;

	if (l->memory) {
		/* The limit covers swap too, so a container over -m is OOM-killed
		 * instead of quietly swapping. The swap file exists only when the
		 * kernel accounts swap. */
		if (v2[CTL_MEMORY]) {
			s = add(s, CTL_MEMORY, "memory.max", 0, "%lld", (long long)l->memory);
			s = add(s, CTL_MEMORY, "memory.swap.max", 1, "0");
		} else {
			s = add(s, CTL_MEMORY, "memory.limit_in_bytes", 0, "%lld", (long long)l->memory);
			s = add(s, CTL_MEMORY, "memory.memsw.limit_in_bytes", 1, "%lld", (long long)l->memory);
		}
	}
	if (l->millicpus) {
		long long quota = l->millicpus * CPU_PERIOD_US / 1000;
		if (v2[CTL_CPU]) {
			s = add(s, CTL_CPU, "cpu.max", 0, "%lld %d", quota, CPU_PERIOD_US);
		} else {
			s = add(s, CTL_CPU, "cpu.cfs_period_us", 0, "%d", CPU_PERIOD_US);
			s = add(s, CTL_CPU, "cpu.cfs_quota_us", 0, "%lld", quota);
		}
	}
	if (l->cpu_shares) {
		if (v2[CTL_CPU])
			s = add(s, CTL_CPU, "cpu.weight", 0, "%lld", shares_to_weight(l->cpu_shares));
		else
			s = add(s, CTL_CPU, "cpu.shares", 0, "%lld", (long long)l->cpu_shares);
	}
	if (l->cpuset)
		s = add(s, CTL_CPUSET, "cpuset.cpus", 0, "%s", l->cpuset);
	if (l->pids)
		s = add(s, CTL_PIDS, "pids.max", 0, "%lld", (long long)l->pids);
	return s - out;
	//| /* TODO(ch02) step 2: one add() for each file a limit needs, in the
	//|  * version v2[ctl] says: -m memory.max (v2) or memory.limit_in_bytes
	//|  * (v1), swap included as an optional second file; --cpus a quota per
	//|  * CPU_PERIOD_US period (cpu.max, or cpu.cfs_period_us and
	//|  * cpu.cfs_quota_us); --cpu-shares cpu.weight (shares_to_weight) or
	//|  * cpu.shares; --cpuset-cpus cpuset.cpus; --pids-limit pids.max.
	//|  * Returns how many. Documentation/admin-guide/cgroup-v2.rst */
	//| (void)l; (void)v2; (void)out; (void)add; (void)shares_to_weight;
	//| return 0;
//<
}

/* v1 cpuset: a new cpuset cgroup starts with no CPUs and no memory nodes, and
 * the kernel refuses to put a process in it; copy the parent's. */
static int cpuset_inherit(const char *dir, const char *file)
{
//> ch02
	char path[PATH_MAX], parent[PATH_MAX], value[512];

	if (path_fmt(path, sizeof path, "%s/%s", dir, file) < 0 ||
	    read_file(path, value, sizeof value) < 0)
		return -1;
	if (value[0] != '\n' && value[0] != '\0')
		return 0;
	if (path_fmt(parent, sizeof parent, "%s/../%s", dir, file) < 0 ||
	    read_file(parent, value, sizeof value) < 0)
		return -1;
	return write_file(path, value);
	//| /* TODO(ch02) step 3: when dir/file is empty, write it the parent's value. */
	//| (void)dir; (void)file;
	//| return 0;
//<
}

/* Make dir below hierarchy, one level at a time, so that each level can be
 * prepared for the next: on v2 a controller must be enabled in the parent's
 * cgroup.subtree_control before a child gets its files. */
static int make_path(const char *hierarchy, const char *rel, enum controller ctl, int v2)
{
//> ch02
	char dir[PATH_MAX], file[PATH_MAX], enable[32];
	size_t base = strlen(hierarchy);

	if (path_fmt(dir, sizeof dir, "%s/%s", hierarchy, rel) < 0)
		return -1;
	snprintf(enable, sizeof enable, "+%s", names[ctl]);
	/* p walks the '/' that ends each level, then the final '\0'. */
	for (char *p = dir + base; ; p = strchrnul(p + 1, '/')) {
		char c = *p;
		*p = '\0';
		if (p != dir + base) {
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return err_sys("mkdir %s", dir);
			if (!v2 && ctl == CTL_CPUSET &&
			    (cpuset_inherit(dir, "cpuset.cpus") < 0 || cpuset_inherit(dir, "cpuset.mems") < 0))
				return -1;
		}
		if (c == '\0')
			return 0;
//> ch02 ch09
		//- if (v2) {
//<
//> ch09 final
		//- if (v2 && ctl != CTL_FREEZER) {
//<
//> final
		if (v2 && ctl != CTL_FREEZER && ctl != CTL_DEVICES) {
//<
			if (path_fmt(file, sizeof file, "%s/cgroup.subtree_control", dir) < 0)
				return -1;
			if (!list_has(file, names[ctl]) && write_file(file, enable) < 0)
				return -1;
		}
		*p = c;
	}
	//| /* TODO(ch02) step 3: mkdir each level of hierarchy/rel in turn; on v1
	//|  * give each new cpuset level its parent's cpus and mems (cpuset_inherit);
	//|  * on v2 write "+<name>" to each level's cgroup.subtree_control before
	//|  * making the level below, unless it lists the name already. */
	//| (void)hierarchy; (void)rel; (void)ctl; (void)v2; (void)cpuset_inherit;
	//| return err_set("make_path: TODO(ch02)");
//<
}

static int apply(const struct cgroup *cg, const struct cgroup_setting *s)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof path, "%s/%s", cg->dir[s->ctl], s->file) < 0)
		return -1;
	if (s->optional && !file_exists(path))
		return 0;
	return write_file(path, s->value);
}

int cgroup_plan(struct cgroup *cg, const char *root, const char *parent, const char *id, const struct limits *l)
{
	struct cgroup_setting settings[16];
	char hierarchy[PATH_MAX];
	int used[CTL_COUNT] = { 0 }, n;

	memset(cg, 0, sizeof *cg);
	/* Which controllers, in which hierarchy versions. */
	n = cgroup_settings(l, (int[CTL_COUNT]){ 0 }, settings);
	for (int i = 0; i < n; i++)
		used[settings[i].ctl] = 1;
//> ch09
	used[CTL_FREEZER] = 1;
//<
//> final
	used[CTL_DEVICES] = 1;
	/* As docker's, every container is in the memory hierarchy and (v1)
	 * cpuacct's, limited or not, for stats to read its use there; its
	 * threads it counts in the freezer's. Each costs a start a few
	 * hundred microseconds on v1, so no more than these, and none that
	 * the host lacks. */
	for (int ctl = 0; ctl < CTL_COUNT; ctl++)
		if ((ctl == CTL_MEMORY || ctl == CTL_CPUACCT) && !used[ctl] &&
		    cgroup_hierarchy(root, ctl, hierarchy, sizeof hierarchy, &cg->v2[ctl]) == 0)
			used[ctl] = 1;
//<
	for (int ctl = 0; ctl < CTL_COUNT; ctl++)
		if (used[ctl] && (cgroup_hierarchy(root, ctl, hierarchy, sizeof hierarchy, &cg->v2[ctl]) < 0 ||
				  path_fmt(cg->dir[ctl], sizeof cg->dir[ctl], "%s/%s/%s", hierarchy, parent, id) < 0))
			return -1;
	return 0;
}

int cgroup_create(struct cgroup *cg, const char *root, const char *parent, const char *id,
		  const struct limits *l)
{
	struct cgroup_setting settings[16];
	char hierarchy[PATH_MAX], rel[PATH_MAX];
	int n;

	if (path_fmt(rel, sizeof rel, "%s/%s", parent, id) < 0)
		return -1;
	if (cgroup_plan(cg, root, parent, id, l) < 0)
		goto fail;
	/* First pass: the directories, each level made in turn. */
	for (int ctl = 0; ctl < CTL_COUNT; ctl++) {
		if (!cg->dir[ctl][0])
			continue;
		snprintf(hierarchy, sizeof hierarchy, "%.*s", (int)(strlen(cg->dir[ctl]) - strlen(rel) - 1), cg->dir[ctl]);
		if (make_path(hierarchy, rel, ctl, cg->v2[ctl]) < 0)
			goto fail;
	}
	/* Second pass: the file names for the versions found, then the values. */
	n = cgroup_settings(l, cg->v2, settings);
	for (int i = 0; i < n; i++)
		if (apply(cg, &settings[i]) < 0)
			goto fail;
	return 0;
fail:
	err_wrap("cgroup %s", rel);
	cgroup_destroy(cg);
	return -1;
}

/* Each directory once: on v2 every controller shares one directory. */
static int seen_before(const struct cgroup *cg, int ctl)
{
	for (int i = 0; i < ctl; i++)
		if (strcmp(cg->dir[i], cg->dir[ctl]) == 0)
			return 1;
	return 0;
}

int cgroup_join(const struct cgroup *cg, pid_t pid)
{
//> ch02
	char path[PATH_MAX], value[24];

	snprintf(value, sizeof value, "%d", (int)pid);
	for (int ctl = 0; ctl < CTL_COUNT; ctl++) {
		if (!cg->dir[ctl][0] || seen_before(cg, ctl))
			continue;
		if (path_fmt(path, sizeof path, "%s/cgroup.procs", cg->dir[ctl]) < 0 ||
		    write_file(path, value) < 0)
			return -1;
	}
	return 0;
	//| /* TODO(ch02) step 3: pid into cgroup.procs of each of cg's directories,
	//|  * each directory once (seen_before: on v2 they are all one). */
	//| (void)cg; (void)pid;
	//| return err_set("cgroup_join: TODO(ch02)");
//<
}

long cgroup_oom_kills(const struct cgroup *cg)
{
	char path[PATH_MAX], buf[4096], *p;

	if (!cg->dir[CTL_MEMORY][0])
		return 0;
	/* v2 counts OOM kills in memory.events, v1 (since 4.13) in memory.oom_control. */
	if (path_fmt(path, sizeof path, "%s/%s", cg->dir[CTL_MEMORY],
		     cg->v2[CTL_MEMORY] ? "memory.events" : "memory.oom_control") < 0 ||
	    read_file(path, buf, sizeof buf) < 0)
		return 0;
	p = strstr(buf, "oom_kill ");
	return p ? strtol(p + strlen("oom_kill "), NULL, 10) : 0;
}

void cgroup_destroy(struct cgroup *cg)
{
//> ch02
	for (int ctl = CTL_COUNT - 1; ctl >= 0; ctl--) {
		if (!cg->dir[ctl][0] || seen_before(cg, ctl))
			continue;
		/* The last processes of a dying PID namespace may still be leaving the
		 * cgroup when its init has been reaped: EBUSY for a moment. */
		for (int tries = 0; rmdir(cg->dir[ctl]) < 0 && errno == EBUSY && tries < 200; tries++)
			nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	//| /* TODO(ch02) step 3: rmdir each of cg's directories, once each; a
	//|  * cgroup whose last processes are still leaving is EBUSY for a moment. */
	//| (void)seen_before;
//<
	memset(cg, 0, sizeof *cg);
}
//> ch09

/* A process in an uninterruptible sleep (D state, waiting on a disk) is
 * frozen only once it wakes: freezing can take a moment. */
#define FREEZE_WAIT_MS 10000

int cgroup_freeze(const struct cgroup *cg, int frozen)
{
	const char *dir = cg->dir[CTL_FREEZER];
	char control[PATH_MAX], state[PATH_MAX], buf[256];
	int v1 = has_file(dir, "freezer.state");
	/* v1 reads FREEZING until every task has stopped, then FROZEN; v2
	 * reports "frozen 1" in cgroup.events once the whole subtree is. */
	const char *value = v1 ? (frozen ? "FROZEN" : "THAWED") : (frozen ? "1" : "0");
	const char *done = v1 ? value : (frozen ? "frozen 1" : "frozen 0");

	if (!dir[0])
		return err_set("the container has no freezer cgroup");
	/* Gone: the container has exited (and which file to write is moot). */
	if (!file_exists(dir))
		return err_code(ESRCH, "the container is not running");
	if (path_fmt(control, sizeof control, "%s/%s", dir, v1 ? "freezer.state" : "cgroup.freeze") < 0 ||
	    path_fmt(state, sizeof state, "%s/%s", dir, v1 ? "freezer.state" : "cgroup.events") < 0 ||
	    write_file(control, value) < 0)
		return -1;
	for (int ms = 0; ms < FREEZE_WAIT_MS; ms++) {
		if (read_file(state, buf, sizeof buf) < 0)
			return -1;
		if (strstr(buf, done))
			return 0;
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	}
	return err_set("%s: not %s after %d s", dir, frozen ? "frozen" : "thawed", FREEZE_WAIT_MS / 1000);
}
//| /* TODO(ch09) step 1: write FROZEN or THAWED to v1's freezer.state, or 1 or 0 to
//|  * v2's cgroup.freeze, then wait until freezer.state (v1) or cgroup.events
//|  * (v2: "frozen 1") says it is done. Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst */
//| int cgroup_freeze(const struct cgroup *cg, int frozen) { (void)cg; (void)frozen; return 0; }
//<
//> final

int cgroup_frozen(const struct cgroup *cg)
{
	const char *dir = cg->dir[CTL_FREEZER];
	char control[PATH_MAX], buf[64];
	int v1 = has_file(dir, "freezer.state");

	/* What was asked of it, not whether it is done: FREEZING is frozen. */
	if (!dir[0] || path_fmt(control, sizeof control, "%s/%s", dir, v1 ? "freezer.state" : "cgroup.freeze") < 0 ||
	    read_file(control, buf, sizeof buf) < 0)
		return -1;
	return v1 ? strncmp(buf, "THAWED", 6) != 0 : buf[0] == '1';
}

int cgroup_kill_all(const struct cgroup *cg)
{
	char path[PATH_MAX], line[32];
	FILE *procs;
	int rc = 0;

	if (!cg->dir[CTL_FREEZER][0])
		return 0;
	if (cgroup_freeze(cg, 1) < 0)
		return -1;
	if (path_fmt(path, sizeof path, "%s/cgroup.procs", cg->dir[CTL_FREEZER]) < 0 || !(procs = fopen(path, "re")))
		rc = err_sys("read %s", path);
	else {
		while (fgets(line, sizeof line, procs))
			if (atoi(line) > 0)
				kill(atoi(line), SIGKILL);
		fclose(procs);
	}
	/* Thawed, they take their SIGKILLs; cgroup_destroy waits for them to go. */
	return cgroup_freeze(cg, 0) < 0 ? -1 : rc;
}
//<
