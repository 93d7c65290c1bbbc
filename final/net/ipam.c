//> ch08
#include "net/ipam.h"

#include <arpa/inet.h>
//> final
#include <dirent.h>
//<
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "image/image.h"
#include "lock.h"

int subnet_parse(const char *cidr, struct subnet *s)
{
	char addr[32], probable[40];
	struct in_addr in;
	int prefix, n;

	/* %[...] with a width: no input can overrun addr. */
	if (sscanf(cidr, "%31[0-9.]/%d%n", addr, &prefix, &n) != 2 || cidr[n] != '\0' ||
	    inet_pton(AF_INET, addr, &in) != 1)
		return err_set("invalid subnet '%s': expected an IPv4 CIDR such as 10.10.0.0/24", cidr);
	if (prefix < SUBNET_MIN_PREFIX || prefix > SUBNET_MAX_PREFIX)
		return err_set("subnet %s: the prefix must be /%d to /%d", cidr, SUBNET_MIN_PREFIX,
			       SUBNET_MAX_PREFIX);
	s->prefix = prefix;
	s->base = ntohl(in.s_addr) & ~(subnet_size(s) - 1);
	if (s->base != ntohl(in.s_addr)) {
		subnet_format(s, probable, sizeof probable);
		return err_set("subnet %s has host bits set: did you mean %s?", cidr, probable);
	}
	return 0;
}

void ipv4_format(uint32_t ip, char *out, size_t size)
{
	snprintf(out, size, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

void subnet_format(const struct subnet *s, char *out, size_t size)
{
	char ip[16];

	ipv4_format(s->base, ip, sizeof ip);
	snprintf(out, size, "%s/%d", ip, s->prefix);
}

uint32_t subnet_size(const struct subnet *s)
{
	return (uint32_t)1 << (32 - s->prefix);
}

uint32_t subnet_gateway(const struct subnet *s)
{
	return s->base + 1;
}

int subnets_overlap(const struct subnet *a, const struct subnet *b)
{
	/* Aligned blocks either nest or are apart: compare under the shorter prefix. */
	const struct subnet *wider = a->prefix <= b->prefix ? a : b;
	return (a->base & ~(subnet_size(wider) - 1)) == (b->base & ~(subnet_size(wider) - 1));
}

/* ipam/10.1.0.0_16 and the lock every change of any bitmap takes. */
static int paths(const struct subnet *s, char *bitmap, char *lock, size_t size)
{
	char ip[16];

	ipv4_format(s->base, ip, sizeof ip);
	if (path_fmt(lock, size, "%s/ipam", state_root()) < 0 || mkdir_p(lock, 0700) < 0 ||
	    path_fmt(bitmap, size, "%s/ipam/%s_%d", state_root(), ip, s->prefix) < 0 ||
	    path_fmt(lock, size, "%s/ipam/.lock", state_root()) < 0)
		return -1;
	return 0;
}

//> final
/* Who holds each taken address: beside the bitmap ipam/10.1.0.0_16, the
 * directory ipam/10.1.0.0_16.owners has a file per taken address (its
 * offset) that holds its container's ID. The bitmap answers "which is
 * free" at once; the owners answer "whose is it", so that a runtime killed
 * between taking an address and recording it leaves a bit that can be
 * shown to be no one's (ipam_reconcile), and an address given back twice
 * is never taken from the container that has it by then. */
static int (*owner_holds)(const char *owner, uint32_t ip);

void ipam_judge_owners(int (*holds)(const char *owner, uint32_t ip))
{
	owner_holds = holds;
}

static int owner_path(const char *bitmap, uint32_t offset, char *out, size_t size)
{
	return offset ? path_fmt(out, size, "%s.owners/%u", bitmap, offset) : path_fmt(out, size, "%s.owners", bitmap);
}

/* The ID in an owner file; "" when there is none (or it is torn). */
static void read_owner(const char *bitmap, uint32_t offset, char owner[OWNER_LEN + 1])
{
	char path[4200], text[OWNER_LEN + 2];
	ssize_t n;

	owner[0] = '\0';
	if (owner_path(bitmap, offset, path, sizeof path) < 0 || (n = read_file(path, text, sizeof text)) != OWNER_LEN)
		return;
	memcpy(owner, text, OWNER_LEN + 1);
}

/* Whether the address at offset is still its owner's: no one's when it has
 * no owner file, else the records decide (no judge: it is). */
static int held(const char *bitmap, uint32_t base, uint32_t offset)
{
	char owner[OWNER_LEN + 1];

	read_owner(bitmap, offset, owner);
	if (!owner[0])
		return 0;
	return owner_holds ? owner_holds(owner, base + offset) : 1;
}

/* The subnet's base address, from the bitmap's name (ipam/10.1.0.0_16). */
static uint32_t bitmap_base(const char *bitmap)
{
	const char *name = strrchr(bitmap, '/');
	char ip[20];
	struct in_addr in;

	if (!name || sscanf(name + 1, "%19[0-9.]", ip) != 1 || inet_pton(AF_INET, ip, &in) != 1)
		return 0;
	return ntohl(in.s_addr);
}

/* Every owner file whose owner still holds its address sets its bit; the
 * others go. */
static int rebuild(const char *bitmap, unsigned char *bits, uint32_t n)
{
	char dir[4200], path[4300];
	uint32_t base = bitmap_base(bitmap);
	struct dirent *e;
	DIR *d;

	if (owner_path(bitmap, 0, dir, sizeof dir) < 0)
		return -1;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : err_sys("open %s", dir);
	while ((e = readdir(d))) {
		char *end;
		unsigned long offset = strtoul(e->d_name, &end, 10);
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		/* Under the lock every other name is a killed writer's temporary file. */
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && !*end && offset >= 2 && offset < n - 1 &&
		    held(bitmap, base, offset))
			bits[offset / 8] |= 1 << (offset % 8);
		else if (path_fmt(path, sizeof path, "%s/%s", dir, e->d_name) == 0)
			unlink(path);
	}
	closedir(d);
	return 0;
}

/* The bitmap, written so that a crash leaves the old one or the new one:
 * its bits outlive a reboot (a torn file would block the network). */
static int store(const char *bitmap, const unsigned char *bits, uint32_t n)
{
	return write_file_durable(bitmap, (const char *)bits, n / 8 ? n / 8 : 1);
}

//<
/* The bitmap, all zeroes when the subnet has none yet; malloc'd, size/8 bytes. */
static unsigned char *load(const char *path, uint32_t addresses)
{
	size_t bytes = addresses / 8 ? addresses / 8 : 1;
	/* +2: room for a byte too many (a file too long is corrupt too) and read_fd's NUL */
	unsigned char *bits = calloc(1, bytes + 2);
	int fd;

	if (!bits) {
		err_sys("ipam");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return bits;
		err_sys("open %s", path);
		free(bits);
		return NULL;
	}
	ssize_t n = read_fd(fd, (char *)bits, bytes + 2);
	close(fd);
	if (n != (ssize_t)bytes) {
//> ch08 final
		//- err_set("%s: corrupt (%zd bytes, expected %zu)", path, n, bytes);
		//- free(bits);
		//- return NULL;
//<
//> final
		/* A torn or foreign file: its owners still say which addresses
		 * are taken. */
		warn("%s: corrupt (%zd bytes, expected %zu): rebuilt from its owners", path, n, bytes);
		memset(bits, 0, bytes);
		if (rebuild(path, bits, addresses) < 0 || store(path, bits, addresses) < 0) {
			free(bits);
			return NULL;
		}
//<
	}
	return bits;
}

/* Under the lock: load the bitmap and let visit() read it or change it;
 * when it changed something (it returns 1), write it back atomically. */
static int with_bitmap(const struct subnet *s, int (*visit)(unsigned char *bits, uint32_t n, uint32_t *arg),
		       uint32_t *arg)
{
	char bitmap[4096], lock[4096];
	uint32_t n = subnet_size(s);
	unsigned char *bits;
	int fd, rc = -1;

	if (paths(s, bitmap, lock, sizeof bitmap) < 0 || (fd = lock_take(lock)) < 0)
		return -1;
	if ((bits = load(bitmap, n))) {
		rc = visit(bits, n, arg);
		if (rc == 1)
//> ch08 final
			//- rc = write_file_atomic(bitmap, (char *)bits, n / 8 ? n / 8 : 1);
//<
//> final
			rc = store(bitmap, bits, n);
//<
		free(bits);
	}
	lock_release(fd);
	return rc;
}

static int taken(const unsigned char *bits, uint32_t i)
{
	return bits[i / 8] >> (i % 8) & 1;
}

//> ch08
static int take_lowest(unsigned char *bits, uint32_t n, uint32_t *offset)
{
	/* 0 is the network, 1 the gateway, n - 1 the broadcast address. */
	for (uint32_t i = 2; i < n - 1; i++) {
		if (bits[i / 8] == 0xff) {   /* a full byte: skip its 8 addresses */
			i |= 7;
			continue;
		}
		if (!taken(bits, i)) {
			bits[i / 8] |= 1 << (i % 8);
			*offset = i;
			return 1;
		}
	}
	return err_set("no free address left (%u usable)", n - 3);
}

static int give_back(unsigned char *bits, uint32_t n, uint32_t *offset)
{
	(void)n;
	bits[*offset / 8] &= ~(1 << (*offset % 8));
	return 1;
}
//| /* TODO(ch08) step 1: take_lowest: the lowest clear bit from 2 to n - 2 (0 is the
//|  * network, 1 the gateway, n - 1 the broadcast address): set it, say its
//|  * offset, return 1 (changed); none: "no free address left". give_back:
//|  * clear bit *offset, return 1. */
//| static int take_lowest(unsigned char *bits, uint32_t n, uint32_t *offset) { (void)bits; (void)n; (void)offset; return err_set("IPAM: TODO(ch08)"); }
//| static int give_back(unsigned char *bits, uint32_t n, uint32_t *offset) { (void)bits; (void)n; (void)offset; return 0; }
//<

int ipam_allocate(const struct subnet *s, uint32_t *ip)
{
	uint32_t offset;
	char name[40];

	if (with_bitmap(s, take_lowest, &offset) < 0) {
		subnet_format(s, name, sizeof name);
		return err_wrap("subnet %s", name);
	}
	*ip = s->base + offset;
	return 0;
}

int ipam_release(const struct subnet *s, uint32_t ip)
{
	uint32_t offset = ip - s->base;
	char name[40], addr[16];

	if (ip < s->base || offset >= subnet_size(s) || offset < 2 || offset == subnet_size(s) - 1) {
		subnet_format(s, name, sizeof name);
		ipv4_format(ip, addr, sizeof addr);
		return err_set("subnet %s: %s is not one of its container addresses", name, addr);
	}
	return with_bitmap(s, give_back, &offset) < 0 ? -1 : 0;
}

int ipam_remove(const struct subnet *s)
{
	char bitmap[4096], lock[4096];
	int fd;

	if (paths(s, bitmap, lock, sizeof bitmap) < 0 || (fd = lock_take(lock)) < 0)
		return -1;
	if (unlink(bitmap) < 0 && errno != ENOENT) {
		err_sys("remove %s", bitmap);
		lock_release(fd);
		return -1;
	}
//> final
	char owners[4200];
	if (owner_path(bitmap, 0, owners, sizeof owners) < 0 || remove_tree(owners) < 0) {
		lock_release(fd);
		return -1;
	}
//<
	lock_release(fd);
	return 0;
}

static int count(unsigned char *bits, uint32_t n, uint32_t *used)
{
	*used = 0;
	for (uint32_t i = 2; i < n - 1; i++)
		*used += taken(bits, i);
	return 0;
}

int ipam_used(const struct subnet *s)
{
	uint32_t used;

	return with_bitmap(s, count, &used) < 0 ? -1 : (int)used;
}
//> final

/* Under the lock, with the bitmap loaded: what with_bitmap does, and the
 * owner files beside it. */
struct claim {
	const char *bitmap;
	const char *owner;
	uint32_t offset;
};

static int claim_lowest(const struct subnet *s, struct claim *c)
{
	char bitmap[4096], lock[4096], path[4200];
	uint32_t n = subnet_size(s);
	unsigned char *bits;
	int fd, rc = -1;

	if (paths(s, bitmap, lock, sizeof bitmap) < 0 || (fd = lock_take(lock)) < 0)
		return -1;
	c->bitmap = bitmap;
	if ((bits = load(bitmap, n))) {
		rc = take_lowest(bits, n, &c->offset);
		/* Full: some bits may be a killed runtime's, owned by no one. */
		if (rc < 0) {
			memset(bits, 0, n / 8 ? n / 8 : 1);
			if (rebuild(bitmap, bits, n) == 0)
				rc = take_lowest(bits, n, &c->offset);
		}
		/* The owner first: a crash before the bitmap is written leaves an
		 * owner file that rebuild() finds to be no one's. */
		if (rc == 1 && (owner_path(bitmap, 0, path, sizeof path) < 0 || mkdir_p(path, 0700) < 0 ||
				owner_path(bitmap, c->offset, path, sizeof path) < 0 ||
				write_file_durable(path, c->owner, strlen(c->owner)) < 0 || store(bitmap, bits, n) < 0))
			rc = -1;
		free(bits);
	}
	lock_release(fd);
	return rc < 0 ? -1 : 0;
}

int ipam_allocate_for(const struct subnet *s, const char *owner, uint32_t *ip)
{
	struct claim c = { .owner = owner };
	char name[40];

	if (strlen(owner) != OWNER_LEN)
		return err_set("ipam: an owner is a container's ID");
	if (claim_lowest(s, &c) < 0) {
		subnet_format(s, name, sizeof name);
		return err_wrap("subnet %s", name);
	}
	*ip = s->base + c.offset;
	return 0;
}

int ipam_release_for(const struct subnet *s, const char *owner, uint32_t ip)
{
	char bitmap[4096], lock[4096], path[4200], holder[OWNER_LEN + 1];
	uint32_t n = subnet_size(s), offset = ip - s->base;
	unsigned char *bits;
	int fd, rc = -1;

	if (ip < s->base || offset < 2 || offset >= n - 1)
		return ipam_release(s, ip);   /* its error */
	if (paths(s, bitmap, lock, sizeof bitmap) < 0 || (fd = lock_take(lock)) < 0)
		return -1;
	read_owner(bitmap, offset, holder);
	/* Someone else's by now (we gave it back before, and a crash kept
	 * that from our record): not ours to give. */
	if (holder[0] && strcmp(holder, owner)) {
		lock_release(fd);
		return 0;
	}
	if ((bits = load(bitmap, n))) {
		give_back(bits, n, &offset);
		rc = store(bitmap, bits, n);
		if (rc == 0 && owner_path(bitmap, offset, path, sizeof path) == 0 && unlink(path) < 0 && errno != ENOENT)
			rc = err_sys("remove %s", path);
		free(bits);
	}
	lock_release(fd);
	return rc;
}

int ipam_reconcile(const struct subnet *s)
{
	char bitmap[4096], lock[4096];
	uint32_t n = subnet_size(s);
	unsigned char *bits;
	int fd, rc = -1;

	if (paths(s, bitmap, lock, sizeof bitmap) < 0 || (fd = lock_take(lock)) < 0)
		return -1;
	/* A writer killed between writing the bitmap's new copy and renaming
	 * it left the copy: under the lock no one else is writing one. */
	remove_half_written(bitmap);
	if ((bits = calloc(1, n / 8 ? n / 8 : 1))) {
		if (rebuild(bitmap, bits, n) == 0)
			rc = store(bitmap, bits, n);
		free(bits);
	} else
		err_sys("ipam");
	lock_release(fd);
	return rc;
}
//<
