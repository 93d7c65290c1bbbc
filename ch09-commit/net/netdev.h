/* Network devices: the host's side over rtnetlink (a veth pair can only be
 * made that way; netlink.h), the container's side through ioctl() on a
 * socket, from inside its network namespace. Neither starts a program:
 * `ip` would cost a fork and an exec, about 5 ms, on every run. */
#ifndef MYDOCKER_NETDEV_H
#define MYDOCKER_NETDEV_H

#include <stdint.h>
#include <sys/types.h>

/* In our network namespace. */
int link_exists(const char *name);
/* Delete a device; one already gone is not an error. */
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
