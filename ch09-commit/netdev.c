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

/* The interface ioctls want a socket, any socket of the namespace's:
 * they act on the namespace the socket was made in. */
static int inet_socket(void)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return sock < 0 ? err_sys("socket") : sock;
}

static void set_ipv4(struct sockaddr *sa, uint32_t ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(ip) };

	memcpy(sa, &sin, sizeof sin);
}

int link_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int sock = inet_socket(), rc = 0;

	if (sock < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		rc = err_sys("read the flags of %s", name);
	ifr.ifr_flags |= IFF_UP;
	if (rc == 0 && ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		rc = err_sys("bring %s up", name);
	close(sock);
	return rc;
}

int link_address(const char *name, uint32_t ip, int prefix)
{
	struct ifreq ifr = { 0 };
	int sock = inet_socket(), rc = 0;

	if (sock < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	/* The address first (the kernel guesses a classful mask), then the
	 * real mask, which also fixes the route to the subnet. */
	set_ipv4(&ifr.ifr_addr, ip);
	if (ioctl(sock, SIOCSIFADDR, &ifr) < 0)
		rc = err_sys("set the address of %s", name);
	set_ipv4(&ifr.ifr_netmask, prefix ? ~0U << (32 - prefix) : 0);
	if (rc == 0 && ioctl(sock, SIOCSIFNETMASK, &ifr) < 0)
		rc = err_sys("set the netmask of %s", name);
	close(sock);
	return rc;
}

int route_default(uint32_t gateway)
{
	struct rtentry rt = { 0 };
	int sock = inet_socket(), rc = 0;

	if (sock < 0)
		return -1;
	/* 0.0.0.0/0 via the gateway: everything off the subnet goes to the bridge. */
	set_ipv4(&rt.rt_dst, 0);
	set_ipv4(&rt.rt_genmask, 0);
	set_ipv4(&rt.rt_gateway, gateway);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(sock, SIOCADDRT, &rt) < 0)
		rc = err_sys("add the default route");
	close(sock);
	return rc;
}
