#include "netdev.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <net/route.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "ipam.h"

int link_exists(const char *name)
{
	/* SIOCGIFINDEX on a socket: it answers for the caller's namespace
	 * (/sys/class/net would show the namespace /sys was mounted in). */
	return if_nametoindex(name) != 0;
}

/* `ip ARG...` (NULL-terminated); on failure, says the whole command. */
static int ip(const char *arg, ...)
{
	char *argv[24] = { "ip" }, line[512] = "ip";
	int argc = 1, rc;
	va_list ap;

	va_start(ap, arg);
	for (const char *a = arg; a && argc < 23; a = va_arg(ap, const char *)) {
		argv[argc++] = (char *)a;
		size_t len = strlen(line);
		snprintf(line + len, sizeof line - len, " %s", a);
	}
	va_end(ap);
	argv[argc] = NULL;
	rc = run_argv(argv);
	if (rc == EXIT_NOT_FOUND)
		return err_set("ip: command not found (install iproute2)");
	return rc == 0 ? 0 : rc < 0 ? -1 : err_set("%s: failed (exit %d)", line, rc);
}

int link_delete(const char *name)
{
	char *argv[] = { "ip", "link", "del", (char *)name, NULL };
	int rc;

	/* Quietly: a veth may vanish between the check and the deletion, when
	 * the kernel tears down the namespace of its dead container's peer. */
	if (!link_exists(name) || (rc = run_argv_quiet(argv)) == 0 || !link_exists(name))
		return 0;
	return rc < 0 ? -1 : err_set("ip link del %s: failed (exit %d)", name, rc);
}

int bridge_create(const char *name, uint32_t gateway, int prefix)
{
	char address[32];

	ipv4_format(gateway, address, sizeof address);
	snprintf(address + strlen(address), sizeof address - strlen(address), "/%d", prefix);
	if (ip("link", "add", "name", name, "type", "bridge", NULL) < 0)
		return -1;
	if (ip("addr", "add", address, "dev", name, NULL) < 0 || ip("link", "set", name, "up", NULL) < 0) {
		link_delete(name);
		return -1;
	}
	return 0;
}

int veth_create(const char *host_end, const char *bridge, pid_t pid)
{
	char ns[16];

	snprintf(ns, sizeof ns, "%d", (int)pid);
	/* One call: the pair, the host end on the bridge and up, the peer
	 * created directly inside the container's namespace (by its PID). */
	return ip("link", "add", host_end, "master", bridge, "up", "type", "veth", "peer", "name", "eth0",
		  "netns", ns, NULL);
}

/* The legacy interface ioctls want any socket of the namespace's. */
static int with_socket(int (*fn)(int sock, void *arg), void *arg)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (sock < 0)
		return err_sys("socket");
	rc = fn(sock, arg);
	close(sock);
	return rc;
}

static int up(int sock, void *name)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", (const char *)name);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return err_sys("read the flags of %s", (const char *)name);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		return err_sys("bring %s up", (const char *)name);
	return 0;
}

int link_up(const char *name)
{
	return with_socket(up, (void *)name);
}

static void set_ipv4(struct sockaddr *sa, uint32_t ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(ip) };

	memcpy(sa, &sin, sizeof sin);
}

struct address { const char *name; uint32_t ip; int prefix; };

static int address(int sock, void *arg)
{
	struct address *a = arg;
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", a->name);
	/* The address first (the kernel guesses a classful mask), then the
	 * real mask, which also fixes the route to the subnet. */
	set_ipv4(&ifr.ifr_addr, a->ip);
	if (ioctl(sock, SIOCSIFADDR, &ifr) < 0)
		return err_sys("set the address of %s", a->name);
	set_ipv4(&ifr.ifr_netmask, a->prefix ? ~0U << (32 - a->prefix) : 0);
	if (ioctl(sock, SIOCSIFNETMASK, &ifr) < 0)
		return err_sys("set the netmask of %s", a->name);
	return 0;
}

int link_address(const char *name, uint32_t ip, int prefix)
{
	struct address a = { name, ip, prefix };

	return with_socket(address, &a);
}

static int route(int sock, void *gateway)
{
	struct rtentry rt = { 0 };

	/* 0.0.0.0/0 via the gateway: everything off the subnet goes to the bridge. */
	set_ipv4(&rt.rt_dst, 0);
	set_ipv4(&rt.rt_genmask, 0);
	set_ipv4(&rt.rt_gateway, *(uint32_t *)gateway);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(sock, SIOCADDRT, &rt) < 0)
		return err_sys("add the default route");
	return 0;
}

int route_default(uint32_t gateway)
{
	return with_socket(route, &gateway);
}
