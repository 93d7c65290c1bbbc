/* Unit tests: common/parse.c */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "seed.h"

#include "error.h"
#include "parse.h"

static void size_units(void **state)
{
	(void)state;
	int64_t n = 1 + rand() % 4096, v;
	char s[32];
	const struct { const char *suffix; int64_t unit; } units[] = {
		{ "", 1 }, { "b", 1 }, { "k", 1024 }, { "K", 1024 }, { "m", 1 << 20 }, { "M", 1 << 20 },
		{ "g", 1LL << 30 }, { "G", 1LL << 30 },
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		snprintf(s, sizeof s, "%lld%s", (long long)n, units[i].suffix);
		assert_int_equal(parse_size(s, &v), 0);
		assert_int_equal(v, n * units[i].unit);
	}
}

static void size_rejects(void **state)
{
	(void)state;
	const char *bad[] = { "", "m", "12q", "-5m", "1.5g", "10mb", " 10m", "10m ", "99999999999999999999", "9999999999g" };
	int64_t v;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(parse_size(bad[i], &v), -1);
		assert_non_null(strstr(err_msg(), "invalid size"));
	}
}

static void cpus(void **state)
{
	(void)state;
	int whole = rand() % 8, frac = 1 + rand() % 999;
	char s[32];
	int64_t v;

	snprintf(s, sizeof s, "%d.%03d", whole, frac);
	assert_int_equal(parse_cpus(s, &v), 0);
	assert_int_equal(v, whole * 1000 + frac);
	assert_int_equal(parse_cpus("0.5", &v), 0);
	assert_int_equal(v, 500);
	assert_int_equal(parse_cpus("2", &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(parse_cpus("1.25", &v), 0);
	assert_int_equal(v, 1250);
	const char *bad[] = { "", "-1", "0", "0.0", "1.", ".5", "1.2345", "abc", "1,5", "1e3" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse_cpus(bad[i], &v), -1);
}

static void integers(void **state)
{
	(void)state;
	int64_t want = rand() % 100000, v;
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)want);
	assert_int_equal(parse_int(s, 0, 100000, &v), 0);
	assert_int_equal(v, want);
	assert_int_equal(parse_int("-7", -10, 10, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(parse_int("-7", 0, 10, &v), -1);
	assert_int_equal(parse_int("11", 0, 10, &v), -1);
	assert_non_null(strstr(err_msg(), "out of range"));
	assert_int_equal(parse_int("1x", 0, 10, &v), -1);
	assert_int_equal(parse_int("", 0, 10, &v), -1);
}

static void cpu_lists(void **state)
{
	(void)state;
	cpu_set_t set;
	int a = rand() % 50, b = a + 1 + rand() % 50;
	char s[64];

	snprintf(s, sizeof s, "%d-%d,%d", a, b, b + 2);
	assert_int_equal(parse_cpu_list(s, &set), 0);
	assert_int_equal(CPU_COUNT(&set), b - a + 2);
	assert_true(CPU_ISSET(a, &set) && CPU_ISSET(b, &set) && CPU_ISSET(b + 2, &set));
	assert_false(CPU_ISSET(b + 1, &set));
	const char *bad[] = { "", "1-", "-1", "3-1", "1,,2", "a", "1 2", "99999" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse_cpu_list(bad[i], &set), -1);
}

static void names(void **state)
{
	(void)state;
	char name[80];
	snprintf(name, sizeof name, "box%d_a.b-c", rand());
	assert_true(valid_name(name));
	assert_true(valid_name("a"));
	const char *bad[] = { "", "-a", ".a", "_a", "a/b", "..", "a b", "a:b",
			      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(valid_name(bad[i]));
}

static void durations(void **state)
{
	(void)state;
	char got[64], want[64];
	long long n;
	struct { long long seconds; const char *text; } fixed[] = {
		{ 0, "Less than a second" }, { 1, "1 second" }, { 60, "About a minute" },
		{ 119, "About a minute" }, { 3599, "59 minutes" }, { 3600, "About an hour" },
		{ 5399, "About an hour" }, { 5400, "2 hours" },
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		format_duration(fixed[i].seconds, got, sizeof got);
		assert_string_equal(got, fixed[i].text);
	}
	/* A random n of each unit, and less than one more of it (half an hour
	 * at most from hours on, which are rounded). */
	struct { long long unit; int lo, span; const char *text; } units[] = {
		{ 1, 2, 58, "seconds" }, { 60, 2, 58, "minutes" }, { 3600, 2, 46, "hours" },
		{ 86400, 2, 12, "days" }, { 7 * 86400, 2, 6, "weeks" }, { 365 * 86400, 3, 20, "years" },
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		n = units[i].lo + rand() % units[i].span;
		format_duration(n * units[i].unit + rand() % (units[i].unit >= 3600 ? 1800 : units[i].unit), got, sizeof got);
		snprintf(want, sizeof want, "%lld %s", n, units[i].text);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	seed_random();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_units),
		cmocka_unit_test(size_rejects),
		cmocka_unit_test(cpus),
		cmocka_unit_test(integers),
		cmocka_unit_test(cpu_lists),
		cmocka_unit_test(names),
		cmocka_unit_test(durations),
	};
	return report_seed(cmocka_run_group_tests_name("parse", tests, NULL, NULL));
}
