//> ch08
#include "net/netdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "net/ipam.h"
#include "net/netlink.h"

int link_exists(const char *name)
{
	/* SIOCGIFINDEX on a socket: it answers for the caller's namespace
	 * (/sys/class/net would show the namespace /sys was mounted in). */
	return if_nametoindex(name) != 0;
}

/* A link request: RTM_NEWLINK or RTM_DELLINK on the device ifindex (0: a
 * new one), brought up when up is set. */
static void link_request(struct nl_request *r, int type, int flags, int ifindex, int up)
{
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };

	if (up) {
		link.ifi_flags = IFF_UP;
		link.ifi_change = IFF_UP;
	}
	nl_start(r, type, flags, &link, sizeof link);
}

int link_delete(const char *name)
{
	struct nl_request r;
	int index = if_nametoindex(name);

	/* A veth may vanish before we ask, or while we ask, when the kernel
	 * tears down the namespace of its dead container's peer: both fine. */
	if (index == 0)
		return 0;
	link_request(&r, RTM_DELLINK, 0, index, 0);
	if (nl_send(&r) < 0 && errno != ENODEV)
		return err_sys("delete %s", name);
	return 0;
}

int bridge_create(const char *name, uint32_t gateway, int prefix)
{
	struct nl_request r;
	struct rtattr *info;

	/* `ip link add name NAME up type bridge`. */
	link_request(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 1);
	nl_put_str(&r, IFLA_IFNAME, name);
	info = nl_begin(&r, IFLA_LINKINFO);
	nl_put_str(&r, IFLA_INFO_KIND, "bridge");
	nl_end(&r, info);
	if (nl_send(&r) < 0)
		return err_sys("create bridge %s", name);
	/* `ip addr add GATEWAY/PREFIX dev NAME`: the local address, and the
	 * same as the peer "address" of a broadcast link. */
	struct ifaddrmsg addr = { .ifa_family = AF_INET, .ifa_prefixlen = prefix, .ifa_index = if_nametoindex(name) };
	uint32_t ip = htonl(gateway);
	char text[16];

	nl_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &addr, sizeof addr);
	nl_put(&r, IFA_LOCAL, &ip, sizeof ip);
	nl_put(&r, IFA_ADDRESS, &ip, sizeof ip);
	if (addr.ifa_index == 0 || nl_send(&r) < 0) {
		ipv4_format(gateway, text, sizeof text);
		err_sys("give bridge %s the address %s/%d", name, text, prefix);
		link_delete(name);
		return -1;
	}
	return 0;
}

//> ch08
int veth_create(const char *host_end, const char *bridge, pid_t pid)
{
	struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
	int master = if_nametoindex(bridge);
	uint32_t netns = pid;
	struct nl_request r;
	struct rtattr *info, *data, *peer_attrs;

	if (master == 0)
		return err_sys("bridge %s", bridge);
	/* One request, as `ip link add HOST_END master BRIDGE up type veth peer
	 * name eth0 netns PID` sends it: the pair, the host end on the bridge
	 * and up, the peer born as eth0 directly inside the container's
	 * network namespace (named by a process in it). */
	link_request(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, 1);
	nl_put_str(&r, IFLA_IFNAME, host_end);
	nl_put(&r, IFLA_MASTER, &master, sizeof master);
	info = nl_begin(&r, IFLA_LINKINFO);
	nl_put_str(&r, IFLA_INFO_KIND, "veth");
	data = nl_begin(&r, IFLA_INFO_DATA);
	peer_attrs = nl_begin(&r, VETH_INFO_PEER);   /* an ifinfomsg, then attributes */
	nl_append(&r, &peer, sizeof peer);
	nl_put_str(&r, IFLA_IFNAME, "eth0");
	nl_put(&r, IFLA_NET_NS_PID, &netns, sizeof netns);
	nl_end(&r, peer_attrs);
	nl_end(&r, data);
	nl_end(&r, info);
	if (nl_send(&r) < 0)
		return err_sys("create veth %s on %s, peer eth0 in process %d's network namespace", host_end, bridge,
			       (int)pid);
	return 0;
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
//| /* TODO(ch08) step 2: veth_create: the RTM_NEWLINK request that `ip link add
//|  * HOST_END master BRIDGE up type veth peer name eth0 netns PID` sends
//|  * (link_request and netlink.h build it; man 7 rtnetlink, man 4 veth;
//|  * `strace -e sendto ip link add ...` shows it). Inside the container,
//|  * ioctl() on an AF_INET socket: SIOCGIFFLAGS/SIOCSIFFLAGS (IFF_UP),
//|  * SIOCSIFADDR and SIOCSIFNETMASK, SIOCADDRT with RTF_GATEWAY
//|  * (man 7 netdevice, man 7 route). */
//| int veth_create(const char *host_end, const char *bridge, pid_t pid) { (void)host_end; (void)bridge; (void)pid; (void)link_request; return err_set("veth: TODO(ch08)"); }
//| int link_up(const char *name) { (void)name; return err_set("link up: TODO(ch08)"); }
//| int link_address(const char *name, uint32_t ip, int prefix) { (void)name; (void)ip; (void)prefix; return err_set("address: TODO(ch08)"); }
//| int route_default(uint32_t gateway) { (void)gateway; return err_set("route: TODO(ch08)"); }
//<
