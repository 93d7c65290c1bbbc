#include "net/ports.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "net/firewall.h"
#include "net/ipam.h"
#include "parse.h"

int port_parse(const char *spec, struct port_map *p)
{
	char host[16], ctr[16], proto[8] = "tcp";
	int64_t h, c;
	int n = 0;

	if ((sscanf(spec, "%15[0-9]:%15[0-9]%n/%7[a-z]%n", host, ctr, &n, proto, &n) < 2) || spec[n] != '\0')
		return err_set("-p %s: expected HOSTPORT:CONTAINERPORT[/tcp|/udp]", spec);
	if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
		return err_set("-p %s: unknown protocol '%s' (tcp or udp)", spec, proto);
	if (parse_int(host, 1, 65535, &h) < 0 || parse_int(ctr, 1, 65535, &c) < 0)
		return err_wrap("-p %s", spec);
	p->host = h;
	p->ctr = c;
	memcpy(p->proto, proto, sizeof p->proto);   /* "tcp" or "udp": it fits, with its NUL */
	return 0;
}

void port_format(const struct port_map *p, char *out, size_t size)
{
	snprintf(out, size, "%d:%d/%s", p->host, p->ctr, p->proto);
}

const struct port_map *ports_clash(const struct port_map *a, int na, const struct port_map *b, int nb)
{
	for (int i = 0; i < na; i++)
		for (int j = 0; j < nb; j++)
			if (a[i].host == b[j].host && !strcmp(a[i].proto, b[j].proto))
				return &a[i];
	return NULL;
}

/* The three rules of one mapped port:
 *   PREROUTING  what arrives from outside for a local address's HOSTPORT
 *               goes to IP:CTRPORT instead;
 *   OUTPUT      the same for what the host itself sends (to 127.0.0.1 or
 *               any address of its own), which never passes PREROUTING;
 *   FORWARD     and the bridge lets it through to the container. */
static void port_rules(const struct port_map *p, uint32_t ip, const char *bridge, const char *owner,
		       struct rule rules[3])
{
	char address[16];

	ipv4_format(ip, address, sizeof address);
	rule_init(&rules[0], "nat", "PREROUTING");
	rule_init(&rules[1], "nat", "OUTPUT");
	for (int i = 0; i < 2; i++) {
		rule_args(&rules[i], "-p", p->proto, "-m", "addrtype", "--dst-type", "LOCAL", NULL);
		rule_arg(&rules[i], "--dport");
		rule_arg(&rules[i], "%d", p->host);
	}
	rule_init(&rules[2], "filter", "FORWARD");
	rule_arg(&rules[2], "-d");
	rule_arg(&rules[2], "%s/32", address);
	rule_args(&rules[2], "-o", bridge, "-p", p->proto, "--dport", NULL);
	rule_arg(&rules[2], "%d", p->ctr);
	for (int i = 0; i < 3; i++) {
		rule_args(&rules[i], "-m", "comment", "--comment", NULL);
		rule_arg(&rules[i], "mydocker container %s", owner);
	}
	for (int i = 0; i < 2; i++) {
		rule_args(&rules[i], "-j", "DNAT", "--to-destination", NULL);
		rule_arg(&rules[i], "%s:%d", address, p->ctr);
	}
	rule_args(&rules[2], "-j", "ACCEPT", NULL);
}

int ports_remove(const struct port_map *ports, int n, uint32_t ip, const char *bridge, const char *owner)
{
	struct rule rules[3];
	int rc = 0;

	for (int i = 0; i < n; i++) {
		port_rules(&ports[i], ip, bridge, owner, rules);
		for (int j = 0; j < 3; j++)
			if (rule_delete(&rules[j]) < 0)
				rc = -1;
	}
	return rc;
}

int ports_add(const struct port_map *ports, int n, uint32_t ip, const char *bridge, const char *owner)
{
	struct rule rules[3];

	for (int i = 0; i < n; i++) {
		port_rules(&ports[i], ip, bridge, owner, rules);
		for (int j = 0; j < 3; j++) {
			if (rule_add(&rules[j]) < 0) {
				ERR_KEEP;   /* rule_add's error is the one to report */
				ports_remove(ports, i + 1, ip, bridge, owner);
				return -1;
			}
		}
	}
	return 0;
}
