//> final
/* Devices: which device files a container may open. Making a node is
 * allowed (CAP_MKNOD is one of docker's capabilities), opening one is not,
 * but for null, zero, full, random, urandom, tty, console, ptmx, its own
 * pts and what --device hands in. v1 says it in the devices cgroup's
 * files; v2 has no such files, and a BPF_PROG_TYPE_CGROUP_DEVICE program
 * attached to the container's cgroup says it instead. */
#ifndef MYDOCKER_DEVICES_H
#define MYDOCKER_DEVICES_H

#include <sys/types.h>

#include "cgroup/cgroup.h"

#define MAX_DEVICES 16

/* What may be done to which devices: type 'c' or 'b' ('a': both), -1 for
 * any major or minor, access a set of DEV_READ, DEV_WRITE, DEV_MKNOD. */
enum { DEV_MKNOD = 1, DEV_READ = 2, DEV_WRITE = 4 };
struct device_rule {
	char type;
	int major, minor;
	unsigned access;
};

/* --device HOST[:CTR][:rwm]: the host's node, where it goes, what may be done. */
struct device {
	const char *host, *ctr;
	struct device_rule rule;
	mode_t mode;             /* the host node's type and permissions */
};

int devices_parse(const char *spec, struct device *d);
/* Before the container runs: only the defaults and devs in cg. */
int devices_limit(const struct cgroup *cg, const struct device *devs, int n);
/* In the child, once its /dev is mounted: the nodes of devs. */
int devices_create(const struct device *devs, int n);

/* The rules as a cgroup v2 device program, for the unit tests to read:
 * returns its length in instructions, or -1 when out does not hold it. */
struct bpf_insn;
int devices_program(const struct device_rule *rules, int n, struct bpf_insn *out, int size);

#endif
