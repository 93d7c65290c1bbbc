/* The random values of a unit test program: from SEED when it is set, so
 * that a failure can be replayed, otherwise new each run. The seed is
 * printed when a test fails. */
#ifndef MYDOCKER_SEED_H
#define MYDOCKER_SEED_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned test_seed;

static inline void seed_random(void)
{
	const char *seed = getenv("SEED");

	test_seed = seed ? (unsigned)strtoul(seed, NULL, 10) : (unsigned)(time(NULL) ^ getpid());
	srand(test_seed);
}

/* For `return report_seed(cmocka_run_group_tests(...));` */
static inline int report_seed(int failures)
{
	if (failures)
		fprintf(stderr, "%s: the same random values again: SEED=%u\n",
			program_invocation_short_name, test_seed);
	return failures;
}

#endif
