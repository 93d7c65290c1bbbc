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

/* --since and --until: each form gives the instant it names. */
static void times(void **state)
{
	(void)state;
	const int64_t s = 1000000000LL;
	/* A random instant from 1970 to 2200, whole seconds, and a fraction. */
	time_t t = (time_t)(rand() % 2000000000) * 3 + rand() % 3;
	int64_t frac = ((int64_t)rand() << 8 ^ rand()) % s, now = (int64_t)t * s + frac, v;
	struct tm tm;
	char text[80], date[40];

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(text, sizeof text, "%s.%09lldZ", date, (long long)frac);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == now);
	snprintf(text, sizeof text, "%sZ", date);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == (int64_t)t * s);
	/* "+02:30": the same wall clock is two and a half hours earlier. */
	snprintf(text, sizeof text, "%s+02:30", date);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == ((int64_t)t - 9000) * s);
	snprintf(text, sizeof text, "%s-01:00", date);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == ((int64_t)t + 3600) * s);
	/* Down to the minute, the hour, the day. */
	snprintf(text, sizeof text, "%.16sZ", date);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == ((int64_t)t - tm.tm_sec) * s);
	snprintf(text, sizeof text, "%.13sZ", date);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == ((int64_t)t - tm.tm_sec - 60 * tm.tm_min) * s);
	/* Without a zone: local time, as mktime has it. */
	localtime_r(&t, &tm);
	strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == (int64_t)t * s);
	strftime(text, sizeof text, "%Y-%m-%d", &tm);
	assert_int_equal(parse_time(text, 0, &v), 0);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0, tm.tm_isdst = -1;
	assert_true(v == (int64_t)mktime(&tm) * s);
	/* Unix seconds, with a fraction or without. */
	snprintf(text, sizeof text, "%lld.%09lld", (long long)t, (long long)frac);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == now);
	snprintf(text, sizeof text, "%lld", (long long)t);
	assert_int_equal(parse_time(text, 0, &v), 0);
	assert_true(v == (int64_t)t * s);
	/* Durations back from now. */
	int h = rand() % 50, m = rand() % 60, ms = rand() % 1000;
	snprintf(text, sizeof text, "%dh%dm%dms", h, m, ms);
	assert_int_equal(parse_time(text, now, &v), 0);
	assert_true(v == now - (h * 3600LL + m * 60LL) * s - ms * 1000000LL);
	assert_int_equal(parse_time("1.5h", now, &v), 0);
	assert_true(v == now - 5400 * s);
	assert_int_equal(parse_time("250us", now, &v), 0);
	assert_true(v == now - 250000);
	const char *bad[] = {
		"", "h", "10x", "1.h", "-5m", "10m ", " 10m", "1.0000000001s", "2026-13-01", "2026-02-30",
		"2026-12-04T24:00", "2026-12-04T20:60", "2026-12-04T20:04:05.Z", "2026-12-04T20:04:05+5",
		"2026-12-04 20:04", "1969-12-31T23:59:59Z", "26-12-04", "2026-12-4", "99999999999999999999",
		"2026-12-04T20:04:05Zx", "9999999999999999999h",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse_time(bad[i], now, &v), -1);
	/* Digits alone are Unix seconds, not a duration. */
	assert_int_equal(parse_time("10", now, &v), 0);
	assert_true(v == 10 * s);
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
		cmocka_unit_test(times),
	};
	return report_seed(cmocka_run_group_tests_name("parse", tests, NULL, NULL));
}
