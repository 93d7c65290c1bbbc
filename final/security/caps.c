//> final
#include "security/caps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "error.h"

uint64_t caps_all(void)
{
	/* cap_max_bits: what this kernel has (/proc/sys/kernel/cap_last_cap),
	 * which may be more or fewer than the headers we were built with. */
	int n = cap_max_bits();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

int caps_parse(const char *name, uint64_t *mask)
{
	char lower[64] = "cap_";
	size_t off = strncasecmp(name, "cap_", 4) ? 4 : 0, i;
	cap_value_t cap;

	if (!strcasecmp(name, "all") || !strcasecmp(name, "cap_all")) {
		*mask = caps_all();
		return 0;
	}
	for (i = 0; name[i] && off + i < sizeof lower - 1; i++)
		lower[off + i] = tolower((unsigned char)name[i]);
	lower[off + i] = '\0';
	/* cap_from_name also takes a number: a capability is asked for by name. */
	if (name[i] || isdigit((unsigned char)name[0]) || cap_from_name(lower, &cap) < 0 ||
	    cap >= cap_max_bits())
		return err_code(EINVAL, "unknown capability '%s' (see man 7 capabilities)", name);
	*mask = 1ULL << cap;
	return 0;
}

int caps_limit(uint64_t mask)
{
	int n = cap_max_bits();
	cap_t cur;

	/* The bounding set is what no exec can raise again: a capability out
	 * of it is gone for this process and all it starts, setuid or not. */
	for (cap_value_t c = 0; c < n; c++)
		if (!(mask & (1ULL << c)) && cap_drop_bound(c) < 0)
			return err_sys("drop capability %s from the bounding set", cap_to_name(c));
	/* Inheritable and ambient would carry capabilities across exec outside
	 * the bounding set's rule (file capabilities, a non-root user): empty. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return err_sys("empty the ambient capabilities");
	if (!(cur = cap_get_proc()))
		return err_sys("read our capabilities");
	int rc = cap_clear_flag(cur, CAP_INHERITABLE) < 0 || cap_set_proc(cur) < 0 ? -1 : 0;
	cap_free(cur);
	return rc < 0 ? err_sys("empty the inheritable capabilities") : 0;
}
