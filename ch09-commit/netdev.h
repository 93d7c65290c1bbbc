/* Network devices: the host's side through iproute2's `ip` (a veth pair
 * can only be made over netlink, and `ip` speaks it), the container's side
 * through ioctl() on a socket, from inside its network namespace, where no
 * `ip` binary can be counted on. */
#ifndef MYDOCKER_NETDEV_H
#define MYDOCKER_NETDEV_H

#include <stdint.h>
#include <sys/types.h>

/* In our network namespace. */
int link_exists(const char *name);
/* `ip link del`; one already gone is not an error. */
int link_delete(const char *name);
/* A bridge with gateway/prefix on it, up. */
int bridge_create(const char *name, uint32_t gateway, int prefix);
/* A veth pair: host_end on bridge, up; its peer born as eth0 in the
 * network namespace of process pid. */
int veth_create(const char *host_end, const char *bridge, pid_t pid);

/* Inside the container's network namespace. */
int link_up(const char *name);
int link_address(const char *name, uint32_t ip, int prefix);
int route_default(uint32_t gateway);

#endif
