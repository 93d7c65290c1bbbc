//> ch08
/* IPAM (IP address management): which addresses of a network's subnet are
 * taken. One bit per address of the subnet, in a file of its own under
 * $MYDOCKER_ROOT/ipam/, changed only under a lock and replaced atomically,
 * so containers started in parallel never get the same address. */
#ifndef MYDOCKER_IPAM_H
#define MYDOCKER_IPAM_H

#include <stddef.h>
#include <stdint.h>

/* 10.1.0.0/16 and larger need a bitmap of 8 KiB; a /8, 2 MiB: the floor. */
#define SUBNET_MIN_PREFIX 8
/* A /30 has four addresses: network, gateway, one container, broadcast. */
#define SUBNET_MAX_PREFIX 30

struct subnet {
	uint32_t base;   /* the network address, host byte order */
	int prefix;      /* leading bits that name the network */
};

/* "10.1.2.0/24" -> subnet. An address with host bits set ("10.1.2.5/24")
 * is refused, naming the subnet that was probably meant. */
int subnet_parse(const char *cidr, struct subnet *s);
/* "10.1.2.0/24" */
void subnet_format(const struct subnet *s, char *out, size_t size);
/* How many addresses it has, network and broadcast included. */
uint32_t subnet_size(const struct subnet *s);
/* The gateway (the bridge's address): the first usable one. */
uint32_t subnet_gateway(const struct subnet *s);
int subnets_overlap(const struct subnet *a, const struct subnet *b);
/* "10.1.2.3" */
void ipv4_format(uint32_t ip, char *out, size_t size);

/* Take the lowest free address of s (never the network, gateway or
 * broadcast address); a full subnet is an error that says so. */
int ipam_allocate(const struct subnet *s, uint32_t *ip);
/* Give ip back; giving back a free address is not an error. */
int ipam_release(const struct subnet *s, uint32_t ip);
/* How many of its addresses are taken. */
int ipam_used(const struct subnet *s);
/* Forget the subnet (its network is removed). */
int ipam_remove(const struct subnet *s);
//> final

/* The same, with the container that takes the address named (its ID):
 * an address is given back only by its owner, and a bit whose owner no
 * longer holds it is found and cleared (when the subnet is full, when the
 * bitmap is corrupt, and by ipam_reconcile). */
#define OWNER_LEN 64
int ipam_allocate_for(const struct subnet *s, const char *owner, uint32_t *ip);
int ipam_release_for(const struct subnet *s, const char *owner, uint32_t ip);
/* The bitmap again from its owners: the bits of the addresses no one holds
 * are cleared. */
int ipam_reconcile(const struct subnet *s);
/* Who says whether an owner still holds ip (the records); without one,
 * every owner does. */
void ipam_judge_owners(int (*holds)(const char *owner, uint32_t ip));
//<

#endif
