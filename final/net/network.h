//> ch08
/* Bridge networks: `network create` makes a Linux bridge that its
 * containers' veths plug into, with the gateway address on it, and the NAT
 * and FORWARD rules that let them out. Each network is a small record,
 * $MYDOCKER_ROOT/networks/NAME. */
#ifndef MYDOCKER_NETWORK_H
#define MYDOCKER_NETWORK_H

#include <net/if.h>

#include "net/ipam.h"
#include "container/record.h"

struct network {
	char name[NAME_LEN + 1];
	char driver[16];           /* "bridge": the only one */
	struct subnet subnet;
	char bridge[IFNAMSIZ];     /* its Linux bridge: mdk-NAME */
};

/* Networks change only under this lock: creation, removal, and handing
 * out an address (so a network cannot go while a container joins it). */
int network_lock(void);
/* 0 found; -1 not, with the cause ENOENT for no such network. */
int network_find(const char *name, struct network *n);
/* Every network, sorted by name; returns how many (*out is malloc'd). */
int network_list(struct network **out);
/* Refuses a taken name, an overlapping subnet or an interface name in
 * use; leaves nothing behind when a step fails. */
int network_create(const char *name, const struct subnet *subnet);
/* Refuses while a container has an address in it. */
int network_remove(const char *name);

#endif
