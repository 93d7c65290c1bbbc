//> ch08
#include "net/endpoint.h"

//> final
#include <arpa/inet.h>
//<
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "lock.h"
#include "net/netdev.h"
#include "net/network.h"
#include "fs/volume.h"

/* The files a container gets in /etc, made in its directory. */
static const char *const etc_files[] = { "hosts", "hostname", "resolv.conf" };

/* When the host's resolvers are all on its loopback (systemd-resolved's
 * 127.0.0.53), a container in its own namespace cannot reach them: docker
 * then falls back to these public ones, and so do we. */
static const char default_resolvers[] = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";

int endpoint_set_net(struct endpoint *e, const char *value)
{
	memset(e->network, 0, sizeof e->network);
	if (!strcmp(value, "none"))
		e->mode = NET_NONE;
	else if (!strcmp(value, "host"))
		e->mode = NET_HOST;
	else if (valid_name(value)) {
		e->mode = NET_BRIDGE;
		snprintf(e->network, sizeof e->network, "%s", value);
	} else
		return err_set("--net '%s': use none, host or a network's name", value);
	return 0;
}

int endpoint_add_port(struct endpoint *e, const char *spec)
{
	struct port_map p;

	if (e->nports == MAX_PORTS)
		return err_set("-p: at most %d ports", MAX_PORTS);
	if (port_parse(spec, &p) < 0)
		return -1;
	if (ports_clash(&p, 1, e->ports, e->nports))
		return err_set("-p %s: host port %d/%s is given twice", spec, p.host, p.proto);
	e->ports[e->nports++] = p;
	return 0;
}

int endpoint_check(const struct endpoint *e)
{
	if (e->nports && e->mode != NET_BRIDGE)
		return err_set("-p needs --net NAME, a bridge network (see 'mydocker network create')");
	return 0;
}

/* Under the networks' lock: the network must still be there, and its
 * bridge too (someone may have deleted it by hand). */
static int take_address(struct endpoint *e)
{
	struct network n;
	int lock = network_lock(), rc = -1;

	if (lock < 0)
		return -1;
	if (network_find(e->network, &n) < 0)
		goto done;
	if (!link_exists(n.bridge)) {
		err_set("network %s: its bridge %s is gone (deleted by hand?): 'mydocker network rm %s' "
			"and create it again", n.name, n.bridge, n.name);
		goto done;
	}
	e->subnet = n.subnet;
	snprintf(e->bridge, sizeof e->bridge, "%s", n.bridge);
//> ch08 final
	//- if (ipam_allocate(&n.subnet, &e->ip) < 0)
//<
//> final
	if (ipam_allocate_for(&n.subnet, e->id, &e->ip) < 0)
//<
		err_wrap("network %s", n.name);
	else
		rc = 0;
done:
	lock_release(lock);
	return rc;
}

static int etc_path(char *out, size_t size, const char *dir, const char *file)
{
	return path_fmt(out, size, "%s/%s", dir, file);
}

/* The host's resolv.conf; in a namespace of the container's own, without
 * the resolvers it cannot reach (those on the host's loopback). */
static void resolv_conf(const struct endpoint *e, char *out, size_t size)
{
	char host[4096], *save;
	size_t len = 0;
	int servers = 0;

	if (read_file("/etc/resolv.conf", host, sizeof host) < 0)
		host[0] = '\0';
	out[0] = '\0';
	for (char *line = strtok_r(host, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char server[64] = "";
		if (sscanf(line, " nameserver %63s", server) == 1) {
			if (e->mode != NET_HOST && (!strncmp(server, "127.", 4) || !strcmp(server, "::1")))
				continue;
			servers++;
		}
		len += snprintf(out + len, len < size ? size - len : 0, "%s\n", line);
	}
	if (!servers && len < size)
		snprintf(out + len, size - len, "%s", default_resolvers);
}

static int write_etc(const struct endpoint *e, const char *dir, const char *hostname, const char *name)
{
	char path[PATH_MAX], text[8192], ip[16];
	int len;

	/* hosts: the host's own with --net host; else localhost, and the
	 * container's address under its hostname and name. */
	if (e->mode == NET_HOST) {
		if (read_file("/etc/hosts", text, sizeof text) < 0)
			text[0] = '\0';
	} else {
		len = snprintf(text, sizeof text, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
		if (e->ip) {
			ipv4_format(e->ip, ip, sizeof ip);
			snprintf(text + len, sizeof text - len, "%s\t%s%s%s\n", ip, hostname,
				 strcmp(hostname, name) ? " " : "", strcmp(hostname, name) ? name : "");
		}
	}
//> final
	len = strlen(text);
	snprintf(text + len, sizeof text - len, "%s", e->extra_hosts);
//<
	if (etc_path(path, sizeof path, dir, "hosts") < 0 || create_file(path, text) < 0)
		return -1;
	snprintf(text, sizeof text, "%s\n", hostname);
	if (etc_path(path, sizeof path, dir, "hostname") < 0 || create_file(path, text) < 0)
		return -1;
	resolv_conf(e, text, sizeof text);
	if (etc_path(path, sizeof path, dir, "resolv.conf") < 0 || create_file(path, text) < 0)
		return -1;
	return 0;
}

//> final
/* Whether the container has /etc files of its own. */
static int own_etc(const struct endpoint *e)
{
	return e->mode != NET_DEFAULT || e->extra_hosts[0];
}

int endpoint_add_host(struct endpoint *e, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char name[256], addr[INET6_ADDRSTRLEN + 1], bin[16];
	size_t len = strlen(e->extra_hosts);

	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof name || strlen(colon + 1) >= sizeof addr)
		return err_set("--add-host '%s': expected NAME:IP (db:10.1.2.3)", spec);
	snprintf(name, sizeof name, "%.*s", (int)(colon - spec), spec);
	snprintf(addr, sizeof addr, "%s", colon + 1);
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != strlen(name) ||
	    name[0] == '-' || name[0] == '.')
		return err_set("--add-host '%s': '%s' is not a host name", spec, name);
	if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
		return err_set("--add-host '%s': '%s' is not an IPv4 or IPv6 address", spec, addr);
	if (snprintf(e->extra_hosts + len, sizeof e->extra_hosts - len, "%s\t%s\n", addr, name) >=
	    (int)(sizeof e->extra_hosts - len))
		return err_set("--add-host: too many hosts");
	return 0;
}

//<
int endpoint_prepare(struct endpoint *e, const char *dir, const char *hostname, const char *name)
{
//> ch08 final
	//- if (e->mode == NET_DEFAULT)
	//- 	return 0;
//<
//> final
	if (!own_etc(e))
		return 0;
//<
	if (e->mode == NET_BRIDGE && take_address(e) < 0)
		return -1;
	return write_etc(e, dir, hostname, name);
}

int endpoint_attach(struct endpoint *e, const char *id, pid_t pid, const char *owner)
{
	if (e->mode != NET_BRIDGE)
		return 0;
	/* "veth" and the ID's start: a name of its own on the host (15 at most). */
	snprintf(e->veth, sizeof e->veth, "veth%.8s", id);
	if (veth_create(e->veth, e->bridge, pid) < 0) {
		e->veth[0] = '\0';   /* not ours: it may be another container's */
		return -1;
	}
	return ports_add(e->ports, e->nports, e->ip, e->bridge, owner);
}

int endpoint_configure(const struct endpoint *e)
{
//> ch08 final
	//- if (e->mode != NET_NONE && e->mode != NET_BRIDGE)
	//- 	return 0;
//<
//> final
	/* As docker: lo is up in every container of its own network namespace,
	 * without --net too (a server and its client in one container talk
	 * over 127.0.0.1). */
	if (e->mode == NET_HOST)
		return 0;
//<
	/* A new network namespace's loopback starts down: 127.0.0.1 would not answer. */
	if (link_up("lo") < 0)
		return -1;
	if (e->mode != NET_BRIDGE)
		return 0;
	if (link_address("eth0", e->ip, e->subnet.prefix) < 0 || link_up("eth0") < 0 ||
	    route_default(subnet_gateway(&e->subnet)) < 0)
		return err_wrap("network %s", e->network);
	return 0;
}

/* dir/FILE onto ROOTFS/etc/FILE: a bind mount, as docker does it, so the
 * image's own file (which may be a symlink) is never written. */
static int mount_one(const char *dir, const char *etc, const char *file)
{
	char source[PATH_MAX], target[PATH_MAX];
	struct stat st;
	int fd;

	if (etc_path(source, sizeof source, dir, file) < 0 || etc_path(target, sizeof target, etc, file) < 0)
		return -1;
	/* A symlink there could point anywhere: replace it by a plain file
	 * (in the container's upper layer; the image keeps its own). */
	if (lstat(target, &st) == 0 && !S_ISREG(st.st_mode) && unlink(target) < 0)
		return err_sys("replace /etc/%s", file);
	if ((fd = open(target, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return err_sys("create /etc/%s", file);
	close(fd);
	if (mount(source, target, NULL, MS_BIND, NULL) < 0)
		return err_sys("bind /etc/%s", file);
	return 0;
}

int endpoint_mount_etc(const struct endpoint *e, const char *dir, const char *rootfs)
{
	char etc[PATH_MAX];

//> ch08 final
	//- if (e->mode == NET_DEFAULT)
	//- 	return 0;
//<
//> final
	if (!own_etc(e))
		return 0;
//<
	if (dir_in_root(rootfs, "/etc", etc, sizeof etc) < 0)
		return err_wrap("/etc");
	for (size_t i = 0; i < sizeof etc_files / sizeof *etc_files; i++)
		if (mount_one(dir, etc, etc_files[i]) < 0)
			return -1;
	return 0;
}

int endpoint_release(struct endpoint *e, const char *dir, const char *owner)
{
	char path[PATH_MAX];
	int rc = 0;

	/* Each part is forgotten once it is gone, so that a second try (rm,
	 * after a failure here) undoes only what is left. */
	if (e->ip && e->nports && ports_remove(e->ports, e->nports, e->ip, e->bridge, owner) < 0)
		rc = -1;
	else
		e->nports = 0;
	/* Its peer, eth0, goes with it (and with the container's namespace
	 * anyway, but the kernel may take a moment over that). */
	if (e->veth[0] && link_delete(e->veth) < 0)
		rc = -1;
	else
		e->veth[0] = '\0';
	/* The address last: while a rule still sends a port to it, it is not free. */
//> ch08 final
	//- if (e->ip && !e->nports && ipam_release(&e->subnet, e->ip) < 0)
//<
//> final
	if (e->ip && !e->nports && ipam_release_for(&e->subnet, e->id, e->ip) < 0)
//<
		rc = -1;
	else if (!e->nports)
		e->ip = 0;
	for (size_t i = 0; dir && i < sizeof etc_files / sizeof *etc_files; i++)
		if (etc_path(path, sizeof path, dir, etc_files[i]) == 0 && unlink(path) < 0 && errno != ENOENT)
			rc = err_sys("remove %s", path);
	return rc;
}
