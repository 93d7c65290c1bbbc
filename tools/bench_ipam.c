/* bench_ipam: the cost of one IPAM operation, as run pays it.
 *
 * On a temporary $MYDOCKER_ROOT (on the same disk as /var/lib/mydocker), it
 * takes every container address of a /16 with ipam_allocate, one call at a
 * time, then gives each back with ipam_release, and prints the time per
 * call. Each call is a whole transaction: lock, read the bitmap, change one
 * bit, replace the file. make bench (tools/bench.sh) runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "net/ipam.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(void)
{
	char root[] = "/var/tmp/mydocker-bench-ipam.XXXXXX", cidr[40];
	struct subnet s = { .base = 10u << 24 | (uint32_t)(getpid() % 256) << 16, .prefix = 16 };
	uint32_t usable = subnet_size(&s) - 3, ip;   /* less network, gateway, broadcast */
	int rc = 1;

	if (!mkdtemp(root) || setenv("MYDOCKER_ROOT", root, 1) < 0) {
		perror("bench_ipam: temporary root");
		return 1;
	}
	subnet_format(&s, cidr, sizeof cidr);
	double start = now_ms();
	for (uint32_t i = 0; i < usable; i++) {
		if (ipam_allocate(&s, &ip) < 0)
			goto out;
		/* The lowest free address, every time: the next one up. */
		if (ip != subnet_gateway(&s) + 1 + i) {
			err_set("allocation %u gave an unexpected address", i);
			goto out;
		}
	}
	double allocated = now_ms();
	if (ipam_allocate(&s, &ip) == 0) {
		err_set("a full %s gave one more address", cidr);
		goto out;
	}
	double full = now_ms();
	for (uint32_t i = 0; i < usable; i++)
		if (ipam_release(&s, subnet_gateway(&s) + 1 + i) < 0)
			goto out;
	double released = now_ms();
	if (ipam_used(&s) != 0) {
		err_set("%d addresses still taken after releasing all", ipam_used(&s));
		goto out;
	}
	printf("  %-34s %9.1f us per call (%u calls, %.1f s)\n", "ipam_allocate", (allocated - start) * 1e3 / usable,
	       usable, (allocated - start) / 1e3);
	printf("  %-34s %9.1f us per call (%u calls, %.1f s)\n", "ipam_release", (released - full) * 1e3 / usable,
	       usable, (released - full) / 1e3);
	printf("  %-34s %9.1f us (%s is full: \"no free address\")\n", "ipam_allocate on a full subnet",
	       (full - allocated) * 1e3, cidr);
	rc = 0;
out:
	if (rc)
		report_error(0);
	remove_tree(root);
	return rc;
}
