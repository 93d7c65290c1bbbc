#include "net/ipam.h"

#include <arpa/inet.h>
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
		err_set("%s: corrupt (%zd bytes, expected %zu)", path, n, bytes);
		free(bits);
		return NULL;
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
			rc = write_file_atomic(bitmap, (char *)bits, n / 8 ? n / 8 : 1);
		free(bits);
	}
	lock_release(fd);
	return rc;
}

static int taken(const unsigned char *bits, uint32_t i)
{
	return bits[i / 8] >> (i % 8) & 1;
}

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
