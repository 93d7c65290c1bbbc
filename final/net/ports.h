//> ch08
/* Port mapping (-p HOSTPORT:CTRPORT[/tcp|/udp]): DNAT rules that send what
 * arrives at a port of the host to a container's address and port. */
#ifndef MYDOCKER_PORTS_H
#define MYDOCKER_PORTS_H

#include <stddef.h>
#include <stdint.h>

#define MAX_PORTS 16

struct port_map {
	int host, ctr;
	char proto[4];   /* "tcp" or "udp" */
};

/* "8080:80", "8080:80/tcp", "5353:53/udp". */
int port_parse(const char *spec, struct port_map *p);
/* "8080:80/tcp": the way -p and the record write it. */
void port_format(const struct port_map *p, char *out, size_t size);
/* The first host port (and protocol) that both lists map, or NULL. */
const struct port_map *ports_clash(const struct port_map *a, int na, const struct port_map *b, int nb);

/* The rules for each port, to the container at ip behind bridge, their
 * comment naming it (owner: its name). All or none are added. */
int ports_add(const struct port_map *ports, int n, uint32_t ip, const char *bridge, const char *owner);
/* Those rules, the ones still there. */
int ports_remove(const struct port_map *ports, int n, uint32_t ip, const char *bridge, const char *owner);

#endif
