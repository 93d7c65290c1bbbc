//> ch05
/* Unit tests: fs/volume.c's -v parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fs/volume.h"

static void specs(void **state)
{
	(void)state;
	struct volume v;
	char host[64], ctr[64], spec[160];

	snprintf(host, sizeof host, "/srv/h%d", rand());
	snprintf(ctr, sizeof ctr, "/data/c%d", rand());
	snprintf(spec, sizeof spec, "%s:%s", host, ctr);
	assert_int_equal(volume_parse(spec, &v), 0);
	assert_string_equal(v.host, host);
	assert_string_equal(v.ctr, ctr);
	assert_false(v.ro);
	snprintf(spec, sizeof spec, "%s:%s:ro", host, ctr);
	assert_int_equal(volume_parse(spec, &v), 0);
	assert_true(v.ro);
	snprintf(spec, sizeof spec, "%s:%s:rw", host, ctr);
	assert_int_equal(volume_parse(spec, &v), 0);
	assert_false(v.ro);
	/* "..." is a name, not a way up. */
	assert_int_equal(volume_parse("/a/...:/b...", &v), 0);
}

static void bad_specs(void **state)
{
	(void)state;
	struct volume v;
	const char *bad[] = { ":/x", "/a", "/a:", "/a:relative", "relative:/x", "/a:/b:ro:x", "/a:/b:xx",
			      "/a:/", "/a/../etc:/x", "/a:/x/../../etc", "", "/a:/b:" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(volume_parse(bad[i], &v), -1);
		assert_non_null(strstr(err_msg(), "-v "));
	}
}

int main(void)
{
	seed_random();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specs),
		cmocka_unit_test(bad_specs),
	};
	return report_seed(cmocka_run_group_tests_name("volume", tests, NULL, NULL));
}
