//> ch02
/* Unit tests: cgroup/cgroup.c against fake cgroupfs trees laid out like v1,
 * v2 and hybrid hosts. The code takes the cgroup root as a parameter, so a
 * directory of plain files stands in for /sys/fs/cgroup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "error.h"
#include "exec.h"
#include "file.h"

static char root[64];
static char id[16];

/* Create root/rel (and its directories) holding content. */
static void put(const char *rel, const char *content)
{
	char path[512], dir[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(mkdir_p(dir, 0755), 0);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static const char *get(const char *rel)
{
	static char buf[512];
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	if (read_file(path, buf, sizeof buf) < 0)
		return "(missing)";
	return buf;
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/mydocker-cgfake-XXXXXX");
	snprintf(id, sizeof id, "c%08x", (unsigned)rand());
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *argv[] = { "rm", "-rf", root, NULL };
	return run_argv(argv);
}

/* The control files a kernel would show in a fresh v1 child. */
static void v1_tree(const char *ctl, const char *const files[])
{
	char rel[256];
	snprintf(rel, sizeof rel, "%s/cgroup.procs", ctl);
	put(rel, "");
	for (int i = 0; files[i]; i++) {
		snprintf(rel, sizeof rel, "%s/mydocker/%s/%s", ctl, id, files[i]);
		put(rel, "");
	}
}

static void detects_modes(void **state)
{
	(void)state;
	assert_int_equal(cgroup_mode(root), CGROUP_V1);
	put("unified/cgroup.controllers", "hugetlb\n");
	assert_int_equal(cgroup_mode(root), CGROUP_HYBRID);
	put("cgroup.controllers", "cpu memory pids\n");
	assert_int_equal(cgroup_mode(root), CGROUP_V2);
	assert_string_equal(cgroup_mode_name(CGROUP_V2), "v2");
}

static void settings_v1(void **state)
{
	(void)state;
	struct cgroup_setting s[16];
	int64_t mem = (1 + rand() % 512) << 20, pids = 1 + rand() % 1000, shares = 2 + rand() % 5000;
	struct limits l = { .memory = mem, .millicpus = 500, .cpu_shares = shares, .cpuset = "0", .pids = pids };
	char want[32];

	int n = cgroup_settings(&l, (int[CTL_COUNT]){ 0 }, s);
	assert_int_equal(n, 7);
	snprintf(want, sizeof want, "%lld", (long long)mem);
	assert_string_equal(s[0].file, "memory.limit_in_bytes");
	assert_string_equal(s[0].value, want);
	assert_string_equal(s[1].file, "memory.memsw.limit_in_bytes");
	assert_true(s[1].optional);
	assert_string_equal(s[2].file, "cpu.cfs_period_us");
	assert_string_equal(s[2].value, "100000");
	assert_string_equal(s[3].file, "cpu.cfs_quota_us");
	assert_string_equal(s[3].value, "50000");
	snprintf(want, sizeof want, "%lld", (long long)shares);
	assert_string_equal(s[4].file, "cpu.shares");
	assert_string_equal(s[4].value, want);
	assert_string_equal(s[5].file, "cpuset.cpus");
	snprintf(want, sizeof want, "%lld", (long long)pids);
	assert_string_equal(s[6].file, "pids.max");
	assert_string_equal(s[6].value, want);
}

static void settings_v2(void **state)
{
	(void)state;
	struct cgroup_setting s[16];
	int millis = 10 + rand() % 4000;
	struct limits l = { .memory = 64 << 20, .millicpus = millis, .cpu_shares = 1024 };
	char want[32];

	int n = cgroup_settings(&l, (int[CTL_COUNT]){ 1, 1, 1, 1 }, s);
	assert_int_equal(n, 4);
	assert_string_equal(s[0].file, "memory.max");
	assert_string_equal(s[0].value, "67108864");
	assert_string_equal(s[1].file, "memory.swap.max");
	assert_string_equal(s[1].value, "0");
	snprintf(want, sizeof want, "%d 100000", millis * 100);
	assert_string_equal(s[2].file, "cpu.max");
	assert_string_equal(s[2].value, want);
	/* docker's default 1024 shares is about cgroup v2's default weight 100 */
	assert_string_equal(s[3].file, "cpu.weight");
	assert_string_equal(s[3].value, "39");
	l = (struct limits){ .cpu_shares = 2 };
	cgroup_settings(&l, (int[CTL_COUNT]){ 1, 1, 1, 1 }, s);
	assert_string_equal(s[0].value, "1");
	l.cpu_shares = 262144;
	cgroup_settings(&l, (int[CTL_COUNT]){ 1, 1, 1, 1 }, s);
	assert_string_equal(s[0].value, "10000");
}

static void create_v1(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits l = { .memory = (8 + rand() % 100) << 20, .cpuset = "1", .pids = 1 + rand() % 99 };
	char want[32], rel[256];
	pid_t pid = 1000 + rand() % 30000;

	v1_tree("memory", (const char *const[]){ "memory.limit_in_bytes", "cgroup.procs", "memory.oom_control", NULL });
	v1_tree("cpuset", (const char *const[]){ "cpuset.cpus", "cpuset.mems", "cgroup.procs", NULL });
	v1_tree("pids", (const char *const[]){ "pids.max", "cgroup.procs", NULL });
	put("cpu/cgroup.procs", "");
//> final
	v1_tree("cpuacct", (const char *const[]){ "cgroup.procs", NULL });   /* joined without a limit (stats) */
//<
	v1_tree("freezer", (const char *const[]){ "cgroup.procs", NULL });
//> final
	v1_tree("devices", (const char *const[]){ "cgroup.procs", NULL });   /* every container's devices are limited */
//<
	put("cpuset/cpuset.cpus", "0-3\n");
	put("cpuset/cpuset.mems", "0\n");
	put("cpuset/mydocker/cpuset.cpus", "");
	put("cpuset/mydocker/cpuset.mems", "");

	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &l), 0);
	snprintf(want, sizeof want, "%lld", (long long)l.memory);
	snprintf(rel, sizeof rel, "memory/mydocker/%s/memory.limit_in_bytes", id);
	assert_string_equal(get(rel), want);
	snprintf(rel, sizeof rel, "pids/mydocker/%s/pids.max", id);
	snprintf(want, sizeof want, "%lld", (long long)l.pids);
	assert_string_equal(get(rel), want);
	/* v1 cpuset: the parent got the root's CPUs and nodes, the container its own CPUs. */
	assert_string_equal(get("cpuset/mydocker/cpuset.cpus"), "0-3\n");
	assert_string_equal(get("cpuset/mydocker/cpuset.mems"), "0\n");
	snprintf(rel, sizeof rel, "cpuset/mydocker/%s/cpuset.cpus", id);
	assert_string_equal(get(rel), "1");
	snprintf(rel, sizeof rel, "cpuset/mydocker/%s/cpuset.mems", id);
	assert_string_equal(get(rel), "0\n");
	/* No limit asked of cpu: the container stays out of that hierarchy. */
	assert_string_equal(cg.dir[CTL_CPU], "");
//> final
	/* But in cpuacct's, without a limit: stats reads its CPU time there. */
	assert_non_null(strstr(cg.dir[CTL_CPUACCT], "/cpuacct/mydocker/"));
//<

	assert_int_equal(cgroup_join(&cg, pid), 0);
	snprintf(want, sizeof want, "%d", (int)pid);
	snprintf(rel, sizeof rel, "memory/mydocker/%s/cgroup.procs", id);
	assert_string_equal(get(rel), want);
	snprintf(rel, sizeof rel, "pids/mydocker/%s/cgroup.procs", id);
	assert_string_equal(get(rel), want);

	snprintf(rel, sizeof rel, "memory/mydocker/%s/memory.oom_control", id);
	put(rel, "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
	assert_int_equal(cgroup_oom_kills(&cg), 2);
}

static void create_v2(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits l = { .memory = 32 << 20, .millicpus = 250, .pids = 1 + rand() % 99 };
	char rel[256], want[32];

	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put("cgroup.subtree_control", "");
	put("mydocker/cgroup.subtree_control", "");
	const char *files[] = { "memory.max", "cpu.max", "pids.max", "cgroup.procs", "memory.events", NULL };
	for (int i = 0; files[i]; i++) {
		snprintf(rel, sizeof rel, "mydocker/%s/%s", id, files[i]);
		put(rel, "");
	}
	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &l), 0);
	/* Every controller enabled for the children of each level (the fake file
	 * keeps the last write; the kernel would keep them all). */
	assert_string_equal(get("cgroup.subtree_control"), "+pids");
	assert_string_equal(get("mydocker/cgroup.subtree_control"), "+pids");
	snprintf(rel, sizeof rel, "mydocker/%s/cpu.max", id);
	assert_string_equal(get(rel), "25000 100000");
	snprintf(rel, sizeof rel, "mydocker/%s/memory.max", id);
	assert_string_equal(get(rel), "33554432");
	/* memory.swap.max absent (no swap accounting): skipped, not an error. */
	snprintf(rel, sizeof rel, "mydocker/%s/memory.swap.max", id);
	assert_string_equal(get(rel), "(missing)");
	/* One directory for all controllers, joined once. */
	assert_string_equal(cg.dir[CTL_MEMORY], cg.dir[CTL_PIDS]);
	assert_true(cg.v2[CTL_MEMORY] && cg.v2[CTL_CPU] && cg.v2[CTL_PIDS]);
	pid_t pid = 2 + rand() % 30000;
	assert_int_equal(cgroup_join(&cg, pid), 0);
	snprintf(rel, sizeof rel, "mydocker/%s/cgroup.procs", id);
	snprintf(want, sizeof want, "%d", (int)pid);
	assert_string_equal(get(rel), want);
	snprintf(rel, sizeof rel, "mydocker/%s/memory.events", id);
	put(rel, "low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n");
	assert_int_equal(cgroup_oom_kills(&cg), 1);
}

static void v2_missing_controller(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits l = { .cpuset = "0" };

	put("cgroup.controllers", "cpu memory pids\n");
	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &l), -1);
	assert_non_null(strstr(err_msg(), "'cpuset' is not available"));
	assert_non_null(strstr(err_msg(), "cgroup v2"));
}

static void hybrid_mixes(void **state)
{
	(void)state;
	char out[512];
	int v2;

	/* A hybrid host: memory in v1, pids only in the unified hierarchy. */
	put("memory/cgroup.procs", "");
	put("unified/cgroup.controllers", "pids\n");
	assert_int_equal(cgroup_mode(root), CGROUP_HYBRID);
	assert_int_equal(cgroup_hierarchy(root, CTL_MEMORY, out, sizeof out, &v2), 0);
	assert_false(v2);
	assert_non_null(strstr(out, "/memory"));
	assert_int_equal(cgroup_hierarchy(root, CTL_PIDS, out, sizeof out, &v2), 0);
	assert_true(v2);
	assert_non_null(strstr(out, "/unified"));
//> ch09
	/* No v1 freezer: v2's cgroup.freeze, which needs no controller. */
	assert_int_equal(cgroup_hierarchy(root, CTL_FREEZER, out, sizeof out, &v2), 0);
	assert_true(v2);
//<
	assert_int_equal(cgroup_hierarchy(root, CTL_CPU, out, sizeof out, &v2), -1);
	assert_non_null(strstr(err_msg(), "hybrid"));
}

//> ch09
/* Every container gets a freezer cgroup, limits or not; v1 freezes through
 * freezer.state (the fake reads back what was written: done at once). */
static void freezer_v1(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits none = { 0 };
	char rel[256];

	put("memory/cgroup.procs", "");
	v1_tree("freezer", (const char *const[]){ "freezer.state", "cgroup.procs", NULL });
//> final
	v1_tree("devices", (const char *const[]){ "cgroup.procs", NULL });   /* every container's devices are limited */
//<
	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &none), 0);
//> ch09 final
	//- assert_string_equal(cg.dir[CTL_MEMORY], "");
//<
//> final
	/* In the memory hierarchy without a limit (stats); none the host lacks
	 * (this one has no cpuacct). */
	assert_non_null(strstr(cg.dir[CTL_MEMORY], "/memory/mydocker/"));
	assert_string_equal(cg.dir[CTL_CPUACCT], "");
//<
	assert_non_null(strstr(cg.dir[CTL_FREEZER], "/freezer/mydocker/"));
	snprintf(rel, sizeof rel, "freezer/mydocker/%s/freezer.state", id);
	assert_int_equal(cgroup_freeze(&cg, 1), 0);
	assert_string_equal(get(rel), "FROZEN");
	assert_int_equal(cgroup_freeze(&cg, 0), 0);
	assert_string_equal(get(rel), "THAWED");
}

/* v2: cgroup.freeze, done when cgroup.events says so; no controller to
 * enable in the parents. */
static void freezer_v2(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits none = { 0 };
	char rel[256];

	put("cgroup.controllers", "cpu memory pids\n");
	put("cgroup.subtree_control", "");
	put("mydocker/cgroup.subtree_control", "");
	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &none), 0);
//> ch09 final
	//- assert_string_equal(get("cgroup.subtree_control"), "");
	//- assert_string_equal(get("mydocker/cgroup.subtree_control"), "");
//<
//> final
	/* The controllers stats reads are enabled (the fake keeps the last
	 * write); the freezer needs none. */
	assert_string_equal(get("mydocker/cgroup.subtree_control"), "+memory");
	assert_string_equal(cg.dir[CTL_CPUACCT], "");   /* v2 has none: cpu.stat is everywhere */
//<
	assert_true(cg.v2[CTL_FREEZER]);
	snprintf(rel, sizeof rel, "mydocker/%s/cgroup.events", id);
	put(rel, "populated 1\nfrozen 1\n");
	snprintf(rel, sizeof rel, "mydocker/%s/cgroup.freeze", id);
	put(rel, "0\n");
	assert_int_equal(cgroup_freeze(&cg, 1), 0);
	assert_string_equal(get(rel), "1");
	snprintf(rel, sizeof rel, "mydocker/%s/cgroup.events", id);
	put(rel, "populated 1\nfrozen 0\n");
	assert_int_equal(cgroup_freeze(&cg, 0), 0);
	snprintf(rel, sizeof rel, "mydocker/%s/cgroup.freeze", id);
	assert_string_equal(get(rel), "0");
}

//<

static void failure_leaves_nothing(void **state)
{
	(void)state;
	struct cgroup cg;
	struct limits l = { .memory = 16 << 20 };
	char path[512];

	/* The container directory gets no limit file: the write fails. */
	put("memory/cgroup.procs", "");
	put("freezer/cgroup.procs", "");
//> final
	v1_tree("devices", (const char *const[]){ "cgroup.procs", NULL });   /* every container's devices are limited */
//<
	put("memory/mydocker/keep", "");
	assert_int_equal(cgroup_create(&cg, root, "mydocker", id, &l), -1);
	assert_non_null(strstr(err_msg(), "memory.limit_in_bytes"));
	snprintf(path, sizeof path, "%s/memory/mydocker/%s", root, id);
	assert_false(file_exists(path));
}

int main(void)
{
	seed_random();
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(detects_modes), T(settings_v1), T(settings_v2), T(create_v1), T(create_v2),
		T(v2_missing_controller), T(hybrid_mixes), T(failure_leaves_nothing),
//> ch09
		T(freezer_v1), T(freezer_v2),
//<
	};
	return report_seed(cmocka_run_group_tests_name("cgroup", tests, NULL, NULL));
}
