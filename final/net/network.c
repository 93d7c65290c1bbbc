//> ch08
#include "net/network.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"
#include "file.h"
#include "net/firewall.h"
#include "image/image.h"
#include "lock.h"
#include "net/netdev.h"
#include "parse.h"
//> final
#include "exec.h"
//<

/* How many iptables rules a network has (network_rules). */
//> ch08 final
//- #define NETWORK_RULES 4
//<
//> final
#define NETWORK_RULES 7
//<

static int network_path(char *out, size_t size, const char *name)
{
	return path_fmt(out, size, "%s/networks/%s", state_root(), name);
}

int network_lock(void)
{
	char path[4096];

	if (network_path(path, sizeof path, "") < 0 || mkdir_p(path, 0700) < 0 ||
	    network_path(path, sizeof path, ".lock") < 0)
		return -1;
	return lock_take(path);
}

/* "mdk-NAME" when that fits an interface name (15 characters); a longer
 * NAME keeps its first six and adds a hash of all of it. */
static void bridge_name(const char *name, char out[IFNAMSIZ])
{
	uint32_t hash = 2166136261u;   /* FNV-1a */

	if (strlen(name) <= IFNAMSIZ - 1 - 4) {
		snprintf(out, IFNAMSIZ, "mdk-%s", name);
		return;
	}
	for (const char *p = name; *p; p++)
		hash = (hash ^ (unsigned char)*p) * 16777619u;
	snprintf(out, IFNAMSIZ, "mdk-%.6s-%04x", name, hash & 0xffff);
}

/* A value into a field it must fit, or -1. */
static int field(char *dst, size_t size, const char *value)
{
	size_t len = strlen(value);

	if (len >= size)
		return -1;
	memcpy(dst, value, len + 1);
	return 0;
}

static int parse(const char *text, struct network *n)
{
	char line[256], key[32], value[200];
	int rc = 0;

	memset(n, 0, sizeof *n);
	for (const char *p = text; *p && rc == 0; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
		if (sscanf(line, "%31[^=]=%199[^\n]", key, value) != 2)
			continue;
		if (!strcmp(key, "name"))
			rc = field(n->name, sizeof n->name, value);
		else if (!strcmp(key, "driver"))
			rc = field(n->driver, sizeof n->driver, value);
		else if (!strcmp(key, "bridge"))
			rc = field(n->bridge, sizeof n->bridge, value);
		else if (!strcmp(key, "subnet"))
			rc = subnet_parse(value, &n->subnet);
	}
	if (rc < 0 || !n->name[0] || !n->bridge[0] || !n->subnet.prefix)
		return err_set("no name, bridge or subnet");
	return 0;
}

int network_find(const char *name, struct network *n)
{
	char path[4096], text[1024];

	if (!valid_name(name) || network_path(path, sizeof path, name) < 0 || !file_exists(path))
		return err_code(ENOENT, "no such network: %s", name);
	if (read_file(path, text, sizeof text) < 0 || parse(text, n) < 0)
		return err_wrap("network %s: corrupt record", name);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct network *)a)->name, ((const struct network *)b)->name);
}

int network_list(struct network **out)
{
	char path[4096];
	AUTO_FREE struct network *list = NULL;
	AUTO_CLOSEDIR DIR *d = NULL;
	int count = 0;
	struct dirent *e;

	*out = NULL;
	if (network_path(path, sizeof path, "") < 0)
		return -1;
	if (!(d = opendir(path)))
		return errno == ENOENT ? 0 : err_sys("open %s", path);
	while ((e = readdir(d))) {
		struct network n, *bigger;
		if (e->d_name[0] == '.')
			continue;
//> final
		if (strstr(e->d_name, ".tmp."))
			continue;   /* a killed writer's copy, not a network (network create sweeps it) */
//<
		if (network_find(e->d_name, &n) < 0) {
			warn("%s", err_msg());   /* say which, and go on with the others */
			continue;
		}
		if (!(bigger = realloc(list, (count + 1) * sizeof *list)))
			return err_sys("list networks");
		list = bigger;
		list[count++] = n;
	}
	if (count > 1)   /* qsort's array may not be NULL, even for none */
		qsort(list, count, sizeof *list, by_name);
	*out = list;
	list = NULL;   /* the caller's now */
	return count;
}

//> ch08
/* The rules a network needs, each with a comment that names it:
 *   - its containers reach beyond the host: their source address becomes
 *     the host's on the way out (MASQUERADE), out of any device but the bridge;
 *   - the host reaches a container's port through 127.0.0.1 (ports.c): the
 *     reply must come back to an address the container can answer, the
 *     bridge's own, not 127.0.0.1, which is its own loopback;
 *   - forwarding: out of the bridge anything, into it the replies (and
 *     mapped ports: ports.c). */
static int network_rules(const struct network *n, struct rule rules[NETWORK_RULES])
{
	char subnet[32];

	subnet_format(&n->subnet, subnet, sizeof subnet);
	for (int i = 0; i < 4; i++)
		rule_init(&rules[i], i < 2 ? "nat" : "filter", i < 2 ? "POSTROUTING" : "FORWARD");
	rule_args(&rules[0], "-s", subnet, "!", "-o", n->bridge, NULL);
	rule_args(&rules[1], "-s", "127.0.0.0/8", "-o", n->bridge, NULL);
	rule_args(&rules[2], "-i", n->bridge, NULL);
	rule_args(&rules[3], "-o", n->bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", NULL);
	for (int i = 0; i < 4; i++) {
		rule_args(&rules[i], "-m", "comment", "--comment", NULL);
		rule_arg(&rules[i], "mydocker network %s", n->name);
		rule_args(&rules[i], "-j", i < 2 ? "MASQUERADE" : "ACCEPT", NULL);
	}
//> ch08 final
	//- return 4;
//<
//> final
	/* The defences (filter rules go in at the top, the later above):
	 *   - CVE-2020-8558: route_localnet lets what comes in on the bridge
	 *     for 127.0.0.0/8 reach the host's loopback services; only the
	 *     DNAT of a mapped port may (its reply was sent to 127.0.0.1);
	 *   - docker's isolation: nothing from this bridge to another network's;
	 *   - but within the bridge (what br_netfilter shows iptables) all. */
	rule_init(&rules[4], "filter", "INPUT");
	rule_args(&rules[4], "-i", n->bridge, "-d", "127.0.0.0/8", "-m", "conntrack", "!", "--ctstate", "DNAT", NULL);
	rule_init(&rules[5], "filter", "FORWARD");
	rule_args(&rules[5], "-i", n->bridge, "-o", "mdk-+", NULL);
	rule_init(&rules[6], "filter", "FORWARD");
	rule_args(&rules[6], "-i", n->bridge, "-o", n->bridge, NULL);
	for (int i = 4; i < 7; i++) {
		rule_args(&rules[i], "-m", "comment", "--comment", NULL);
		rule_arg(&rules[i], "mydocker network %s", n->name);
		rule_args(&rules[i], "-j", i < 6 ? "DROP" : "ACCEPT", NULL);
	}
	return 7;
//<
}

/* The sysctls a bridge network needs, in this network namespace. */
static int enable_forwarding(const struct network *n)
{
	char path[128];

	/* Routing between the bridge and the other devices. */
//> ch08 final
	//- if (write_file("/proc/sys/net/ipv4/ip_forward", "1") < 0)
	//- 	return -1;
//<
//> final
	char was[8];

	if (read_file("/proc/sys/net/ipv4/ip_forward", was, sizeof was) < 0)
		return -1;
	/* As docker does: a host that did not route before does not become a
	 * router between its other interfaces now. FORWARD drops all but what
	 * the networks' rules let through. */
	if (was[0] == '0') {
		char *argv[] = { "iptables", "-w", "-t", "filter", "-P", "FORWARD", "DROP", NULL };
		if (run_argv(argv) != 0)
			return err_set("iptables -P FORWARD DROP failed");
		if (write_file("/proc/sys/net/ipv4/ip_forward", "1") < 0)
			return -1;
	}
//<
	/* Without it the kernel drops a packet from 127.0.0.1 that a DNAT
	 * rule sends out through the bridge, as a "martian". */
	snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/route_localnet", n->bridge);
	return write_file(path, "1");
}
//| /* TODO(ch08) step 3: network_rules: fill rules[] (firewall.h) with what a bridge
//|  * network needs: MASQUERADE of its subnet out of any device but the bridge,
//|  * MASQUERADE of 127.0.0.0/8 into the bridge (for ports reached through
//|  * 127.0.0.1), FORWARD from the bridge and replies into it; return how
//|  * many. enable_forwarding: net.ipv4.ip_forward and the bridge's
//|  * route_localnet (man 7 ip, /proc/sys/net/ipv4). */
//| static int network_rules(const struct network *n, struct rule rules[NETWORK_RULES]) { (void)n; (void)rules; return 0; }
//| static int enable_forwarding(const struct network *n) { (void)n; return 0; }
//<

/* Whatever of the network is there: its rules and its bridge. */
static int teardown(const struct network *n)
{
	struct rule rules[NETWORK_RULES];
	int count = network_rules(n, rules), rc = 0;

	for (int i = 0; i < count; i++)
		if (rule_delete(&rules[i]) < 0)
			rc = -1;
	if (link_delete(n->bridge) < 0)
		rc = -1;
	return rc;
}

/* Ranges no bridge network may have: their addresses mean something else
 * to every host (the kernel treats 127/8 as loopback on any interface). */
static const struct {
	struct subnet range;
	const char *what;
} reserved[] = {
	{ { 0x00000000, 8 }, "\"this network\" (0.0.0.0/8)" },
	{ { 0x7f000000, 8 }, "loopback (127.0.0.0/8)" },
	{ { 0xa9fe0000, 16 }, "link-local (169.254.0.0/16)" },
	{ { 0xe0000000, 4 }, "multicast (224.0.0.0/4)" },
	{ { 0xf0000000, 4 }, "reserved (240.0.0.0/4)" },
};

static int check_new(const struct network *n)
{
	struct network *all;
	char path[4096], theirs[32], ours[32];
	int count, rc = 0;

	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		if (subnets_overlap(&n->subnet, &reserved[i].range)) {
			subnet_format(&n->subnet, ours, sizeof ours);
			return err_set("subnet %s is %s: choose a private range such as 10.10.0.0/16", ours,
				       reserved[i].what);
		}
	count = network_list(&all);
	if (network_path(path, sizeof path, n->name) < 0)
		return -1;
	if (file_exists(path)) {
		free(all);
		return err_set("network %s already exists", n->name);
	}
	for (int i = 0; rc == 0 && i < count; i++) {
		if (!strcmp(all[i].bridge, n->bridge))
			rc = err_set("network %s: its bridge name %s is network %s's", n->name, n->bridge, all[i].name);
		else if (subnets_overlap(&all[i].subnet, &n->subnet)) {
			subnet_format(&all[i].subnet, theirs, sizeof theirs);
			subnet_format(&n->subnet, ours, sizeof ours);
			rc = err_set("subnet %s overlaps network %s (%s)", ours, all[i].name, theirs);
		}
	}
	free(all);
	if (rc == 0 && count >= 0 && link_exists(n->bridge))
		rc = err_set("network %s: an interface named %s already exists", n->name, n->bridge);
	return count < 0 ? -1 : rc;
}

static int save(const struct network *n)
{
	char path[4096], text[512], subnet[32];
	int len;

	subnet_format(&n->subnet, subnet, sizeof subnet);
	len = snprintf(text, sizeof text, "name=%s\ndriver=%s\nsubnet=%s\nbridge=%s\n", n->name, n->driver,
		       subnet, n->bridge);
	if (network_path(path, sizeof path, n->name) < 0)
		return -1;
	return write_file_durable(path, text, len);
}

int network_create(const char *name, const struct subnet *subnet)
{
	struct network n = { .subnet = *subnet };
	struct rule rules[NETWORK_RULES];
	int lock, count, rc = -1;

	snprintf(n.name, sizeof n.name, "%s", name);
	snprintf(n.driver, sizeof n.driver, "bridge");
	bridge_name(name, n.bridge);
	if ((lock = network_lock()) < 0)
		return -1;
	if (check_new(&n) < 0)
		goto done;
//> final
	/* Its file first: should we be killed while making its bridge and
	 * rules, `network ls` shows it and `network rm` takes all of it away.
	 * (Killed while writing it, the copy it leaves is swept here: under
	 * the lock no one else is writing one.) */
	char every[4096];
	if (network_path(every, sizeof every, "*") == 0)
		remove_half_written(every);
	if (save(&n) < 0)
		goto done;
//<
	/* Whatever an earlier, killed create left of the bitmap goes first. */
	if (ipam_remove(subnet) < 0 || bridge_create(n.bridge, subnet_gateway(subnet), subnet->prefix) < 0)
//> ch08 final
		//- goto done;
//<
//> final
		goto undo;
//<
	count = network_rules(&n, rules);
	rc = enable_forwarding(&n);
	for (int i = 0; rc == 0 && i < count; i++)
		rc = rule_add(&rules[i]);
//> ch08 final
	//- if (rc == 0)
	//- 	rc = save(&n);
//<
//> final
undo:
//<
	if (rc < 0) {
		ERR_KEEP;   /* the step that failed is the one to report */
		teardown(&n);
//> final
		char path[4096];
		if (network_path(path, sizeof path, n.name) == 0)
			unlink(path);
//<
	}
done:
	lock_release(lock);
	return rc;
}

/* Who holds an address in n: the first container whose record says so. */
static void name_a_user(const struct network *n, char *out, size_t size)
{
	struct record *list;
	int count = record_list(&list);

	snprintf(out, size, "a container");
	for (int i = 0; i < count; i++)
		if (list[i].ep.ip && !strcmp(list[i].ep.network, n->name)) {
			snprintf(out, size, "container %s", list[i].name);
			break;
		}
	free(list);
}

int network_remove(const char *name)
{
	struct network n;
	char path[4096], user[128];
	int lock, used, rc = -1;

	if ((lock = network_lock()) < 0)
		return -1;
	if (network_find(name, &n) < 0)
		goto done;
	/* The bitmap, not the records, is the truth: an address is taken
	 * before its container's record says so. */
//> final
	/* Its owners say which of the bits a killed runtime left behind. */
	if (ipam_reconcile(&n.subnet) < 0)
		goto done;
//<
	if ((used = ipam_used(&n.subnet)) < 0)
		goto done;
	if (used > 0) {
		name_a_user(&n, user, sizeof user);
		err_code(EBUSY, "network %s is in use by %s (%d address%s taken): stop or remove it first", name, user, used,
			used == 1 ? "" : "es");
		goto done;
	}
	if (teardown(&n) < 0 || ipam_remove(&n.subnet) < 0 || network_path(path, sizeof path, name) < 0)
		goto done;
	if (unlink(path) < 0)
		err_sys("remove %s", path);
	else
		rc = 0;
done:
	lock_release(lock);
	return rc;
}
