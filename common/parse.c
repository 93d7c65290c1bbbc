#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"

/* strtoll that insists on digits only: no sign, no spaces, no empty string. */
static int digits(const char *s, const char **end, int64_t *out)
{
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (errno == ERANGE)
		return -1;
	*out = v;
	*end = e;
	return 0;
}

int parse_size(const char *s, int64_t *bytes)
{
	const char *end;
	int64_t n, unit = 1;

	if (digits(s, &end, &n) < 0)
		return err_set("invalid size '%s': expected a number with an optional unit b, k, m or g", s);
	switch (tolower((unsigned char)*end)) {
	case '\0': case 'b': unit = 1; break;
	case 'k': unit = 1LL << 10; break;
	case 'm': unit = 1LL << 20; break;
	case 'g': unit = 1LL << 30; break;
	default:
		return err_set("invalid size '%s': unknown unit '%s' (use b, k, m or g)", s, end);
	}
	if (*end && end[1])
		return err_set("invalid size '%s': unknown unit '%s' (use b, k, m or g)", s, end);
	if (n > INT64_MAX / unit)
		return err_set("invalid size '%s': too large", s);
	*bytes = n * unit;
	return 0;
}

int parse_cpus(const char *s, int64_t *millicpus)
{
	const char *end;
	int64_t whole, frac = 0;
	int places = 0;

	if (digits(s, &end, &whole) < 0 || whole > 1000000)
		return err_set("invalid CPU count '%s': expected a positive decimal like 0.5 or 2", s);
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end) && places < 3; end++, places++)
			frac = frac * 10 + (*end - '0');
		if (places == 0)
			return err_set("invalid CPU count '%s': expected a positive decimal like 0.5 or 2", s);
		for (int i = places; i < 3; i++)
			frac *= 10;
	}
	if (*end)
		return err_set("invalid CPU count '%s': expected a positive decimal with at most 3 decimals", s);
	*millicpus = whole * 1000 + frac;
	if (*millicpus == 0)
		return err_set("invalid CPU count '%s': must be more than 0", s);
	return 0;
}

int parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *p = s, *end;
	int64_t v;

	if (*p == '-' && min < 0)
		p++;
	if (digits(p, &end, &v) < 0 || *end)
		return err_set("invalid number '%s'", s);
	if (p != s)
		v = -v;
	if (v < min || v > max)
		return err_set("%s is out of range (%lld to %lld)", s, (long long)min, (long long)max);
	*out = v;
	return 0;
}

int parse_cpu_list(const char *s, cpu_set_t *set)
{
	const char *p = s, *end;
	int64_t lo, hi;

	CPU_ZERO(set);
	for (;;) {
		if (digits(p, &end, &lo) < 0)
			goto bad;
		hi = lo;
		if (*end == '-' && digits(end + 1, &end, &hi) < 0)
			goto bad;
		if (lo > hi || hi >= CPU_SETSIZE)
			goto bad;
		for (int64_t c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (*end == '\0')
			return 0;
		if (*end != ',')
			goto bad;
		p = end + 1;
	}
bad:
	return err_set("invalid CPU list '%s': expected numbers and ranges like 0-2,4", s);
}

#define NS_PER_S 1000000000LL

/* ".5", ".123456789" -> nanoseconds; none (no dot) is 0. */
static int fraction(const char **p, int64_t *ns)
{
	int places = 0;

	*ns = 0;
	if (**p != '.')
		return 0;
	for ((*p)++; isdigit((unsigned char)**p); (*p)++, places++) {
		if (places == 9)
			return -1;
		*ns = *ns * 10 + (**p - '0');
	}
	if (places == 0)
		return -1;
	for (; places < 9; places++)
		*ns *= 10;
	return 0;
}

/* Exactly n digits. */
static int fixed(const char **p, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		*out = *out * 10 + (**p - '0');
	}
	return 0;
}

/* "1h30m", "2.5s", "300ms" -> nanoseconds, as Go's durations are written. */
static int duration(const char *p, int64_t *ns)
{
	static const struct { const char *name; int64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", NS_PER_S }, { "m", 60 * NS_PER_S }, { "h", 3600 * NS_PER_S },
	};
	__int128 total = 0;

	if (!*p)
		return -1;
	while (*p) {
		int64_t whole, frac;
		size_t u = 0, len = 0;
		if (digits(p, &p, &whole) < 0 || fraction(&p, &frac) < 0)
			return -1;
		for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
			size_t l = strlen(units[i].name);
			if (!strncmp(p, units[i].name, l) && l > len)
				u = i, len = l;
		}
		if (len == 0)
			return -1;
		p += len;
		total += (__int128)whole * units[u].ns + (__int128)frac * units[u].ns / NS_PER_S;
		if (total > INT64_MAX)
			return -1;
	}
	*ns = (int64_t)total;
	return 0;
}

/* "2026-12-04[THH[:MM[:SS[.frac]]]][Z|+HH:MM|-HH:MM]" -> nanoseconds. */
static int rfc3339(const char *p, int64_t *ns)
{
	struct tm tm = { 0 }, back;
	int year, month, day, hour = 0, min = 0, sec = 0, zone = 0, local = 1, zh, zm;
	int64_t frac = 0;
	time_t t;

	if (fixed(&p, 4, &year) < 0 || *p++ != '-' || fixed(&p, 2, &month) < 0 || *p++ != '-' ||
	    fixed(&p, 2, &day) < 0)
		return -1;
	if (*p == 'T') {
		p++;
		if (fixed(&p, 2, &hour) < 0)
			return -1;
		if (*p == ':' && (p++, fixed(&p, 2, &min) < 0))
			return -1;
		if (*p == ':' && (p++, fixed(&p, 2, &sec) < 0 || fraction(&p, &frac) < 0))
			return -1;
		if (*p == 'Z')
			p++, local = 0;
		else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1;
			if (fixed(&p, 2, &zh) < 0 || *p++ != ':' || fixed(&p, 2, &zm) < 0 || zh > 23 || zm > 59)
				return -1;
			zone = sign * (zh * 3600 + zm * 60), local = 0;
		}
	}
	if (*p || year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59)
		return -1;
	tm = (struct tm){ .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			  .tm_hour = hour, .tm_min = min, .tm_sec = sec, .tm_isdst = -1 };
	t = local ? mktime(&tm) : timegm(&tm);
	/* mktime and timegm carry a 31st of February into March: refused. */
	if (t == (time_t)-1 || !(local ? localtime_r(&t, &back) : gmtime_r(&t, &back)) || back.tm_mday != day)
		return -1;
	t -= zone;
	if (t < 0 || t > INT64_MAX / NS_PER_S - 1)
		return -1;
	*ns = (int64_t)t * NS_PER_S + frac;
	return 0;
}

int parse_time(const char *s, int64_t now_ns, int64_t *ns)
{
	const char *p;
	int64_t secs, frac, back;

	if (strchr(s, '-') && rfc3339(s, ns) == 0)
		return 0;
	if (digits(s, &p, &secs) == 0 && fraction(&p, &frac) == 0 && *p == '\0') {
		if (secs > INT64_MAX / NS_PER_S - 1)
			return err_set("invalid time '%s': too far ahead", s);
		*ns = secs * NS_PER_S + frac;
		return 0;
	}
	if (duration(s, &back) == 0) {
		*ns = now_ns - back;
		return 0;
	}
	return err_set("invalid time '%s': expected a duration back from now (10m, 1h30m), "
		       "Unix seconds, or RFC 3339 (2006-01-02T15:04:05Z)", s);
}

int valid_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= NAME_LEN && isalnum((unsigned char)s[0]) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

void format_duration(long long s, char *out, size_t size)
{
	long long minutes = s / 60, hours = (s + 1800) / 3600;   /* hours rounded */

	if (s < 1)
		snprintf(out, size, "Less than a second");
	else if (s < 60)
		snprintf(out, size, "%lld second%s", s, s == 1 ? "" : "s");
	else if (minutes == 1)
		snprintf(out, size, "About a minute");
	else if (minutes < 60)
		snprintf(out, size, "%lld minutes", minutes);
	else if (hours == 1)
		snprintf(out, size, "About an hour");
	else if (hours < 48)
		snprintf(out, size, "%lld hours", hours);
	else if (hours < 24 * 14)
		snprintf(out, size, "%lld days", hours / 24);
	else if (hours < 24 * 60)
		snprintf(out, size, "%lld weeks", hours / (24 * 7));
	else if (hours < 24 * 730)
		snprintf(out, size, "%lld months", hours / (24 * 30));
	else
		snprintf(out, size, "%lld years", s / (3600LL * 24 * 365));
}

void format_bytes(long long bytes, char *out, size_t size)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = bytes;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(out, size, "%.4g%s", v, units[u]);
}
