//> ch08
/* A container's place on the network: --net and -p. In a bridge network
 * it has an address from the network's pool, a veth pair (eth0 inside, the
 * other end on the bridge), port rules, and /etc/hosts, /etc/hostname and
 * /etc/resolv.conf of its own. */
#ifndef MYDOCKER_ENDPOINT_H
#define MYDOCKER_ENDPOINT_H

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

#include "net/ipam.h"
#include "parse.h"
#include "net/ports.h"

enum net_mode {
//> ch08 final
	//- NET_DEFAULT,   /* no --net: its own network namespace, lo alone and down */
//<
//> final
	NET_DEFAULT,   /* no --net: its own network namespace, lo alone and up */
//<
	NET_NONE,      /* its own network namespace with lo up */
	NET_HOST,      /* the host's network namespace */
	NET_BRIDGE,    /* its own, with eth0 on a network's bridge */
};

struct endpoint {
	enum net_mode mode;
	char network[NAME_LEN + 1];  /* bridge: the network's name, */
	struct subnet subnet;                 /* its subnet */
	char bridge[IFNAMSIZ];                /* and its bridge */
	uint32_t ip;                          /* its address; 0 while it holds none */
	char veth[IFNAMSIZ];                  /* the host's end; "" while there is none */
	struct port_map ports[MAX_PORTS];     /* -p; mapped while it has an address */
	int nports;
//> final
	char id[OWNER_LEN + 1];               /* its container's: the owner of its address */
	char extra_hosts[1024];               /* --add-host's "IP\tNAME" lines, for /etc/hosts */
//<
};

/* --net VALUE: none, host, or a network's name. */
int endpoint_set_net(struct endpoint *e, const char *value);
/* -p SPEC, one more; the same host port twice is refused. */
int endpoint_add_port(struct endpoint *e, const char *spec);
//> final
/* --add-host NAME:IP, one more line of the container's /etc/hosts (with
 * one, a container without --net has its own /etc files too). */
int endpoint_add_host(struct endpoint *e, const char *spec);
//<
/* After every option: -p needs a bridge network. */
int endpoint_check(const struct endpoint *e);

/* In the runtime, before clone: find the network, take an address, and
 * write dir/hosts, dir/hostname and dir/resolv.conf. */
int endpoint_prepare(struct endpoint *e, const char *dir, const char *hostname, const char *name);
/* After clone, while the child waits: the veth pair into the namespace of
 * pid, then the port rules (their comment names owner). */
int endpoint_attach(struct endpoint *e, const char *id, pid_t pid, const char *owner);
/* In the child, inside its new network namespace: lo, eth0, the route. */
int endpoint_configure(const struct endpoint *e);
/* In the child, before pivot_root: the /etc files over the image's. */
int endpoint_mount_etc(const struct endpoint *e, const char *dir, const char *rootfs);
/* Once it has exited (or `rm` for one whose runtime was killed): whatever
 * of it is still there goes, the address back to the pool last. What could
 * not be undone stays in e, for the next try. */
int endpoint_release(struct endpoint *e, const char *dir, const char *owner);

#endif
