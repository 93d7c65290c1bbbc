/* run's options that reach the kernel as they are parsed: --tmpfs (its
 * mount data), --ulimit, -u, --stop-signal and --add-host (a line of the
 * container's /etc/hosts); and ps's --filter and --format. */
#include "fuzz.h"

#include "container/signals.h"
#include "container/ulimit.h"
#include "container/user.h"
#include "fs/tmpfs.h"
#include "net/endpoint.h"
#include "cli/filter.h"
#include "cli/template.h"

/* A field for every name but "Nope", its value the function, the name and the argument. */
static int echo_field(const char *func, const char *name, const char *arg, void *ctx, char *out, size_t size)
{
	(void)ctx;
	if (!strcmp(name, "Nope"))
		return -1;
	snprintf(out, size, "<%s%s%s%s%s>", func ? func : "", func ? " " : "", name, arg ? ":" : "", arg ? arg : "");
	return 0;
}

static int known_key(const char *opt)
{
	static const char *const keys[] = { "size=", "mode=", "uid=", "gid=", "nr_inodes=" };

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strncmp(opt, keys[i], strlen(keys[i])) && opt[strlen(keys[i])])
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *save, *o;
	struct tmpfs t[MAX_TMPFS];
	struct ulimit u[MAX_ULIMITS];
	static struct endpoint e;
	int n = 0, sig;

	if (tmpfs_parse(s, t, &n) == 0) {
		FUZZ_ASSERT(n == 1 && t[0].path[0] == '/' && !strstr(t[0].path, "/../"));
		FUZZ_ASSERT(strcmp(t[0].path, "/proc") && strncmp(t[0].path, "/proc/", 6));
		/* The mount's data: only the known keys, each with a value. */
		for (o = strtok_r(t[0].data, ",", &save); o; o = strtok_r(NULL, ",", &save))
			FUZZ_ASSERT(known_key(o));
	}
	n = 0;
	if (ulimit_parse(s, u, &n) == 0)
		FUZZ_ASSERT(n == 1 && u[0].lim.rlim_cur <= u[0].lim.rlim_max);
	if (user_check(s) == 0)
		FUZZ_ASSERT(!strchr(s, '\n') && !strchr(s, '/') && s[0] != ':');
	if (signal_parse(s, &sig) == 0)
		FUZZ_ASSERT(sig >= 1 && sig <= 64);
	e.extra_hosts[0] = '\0';
	if (endpoint_add_host(&e, s) == 0)
		FUZZ_ASSERT(strchr(e.extra_hosts, '\n') == e.extra_hosts + strlen(e.extra_hosts) - 1);
	static struct filters filters;
	static char rendered[64];
	filters.n = 0;
	if (filter_add(&filters, s) == 0)
		FUZZ_ASSERT(filters.n == 1 && filters.key[0][0] && filters.value[0][0]);
	if (template_render(s, echo_field, NULL, rendered, sizeof rendered) == 0)
		FUZZ_ASSERT(strlen(rendered) < sizeof rendered && !strstr(s, "{{.Nope}}"));
	free(s);
	return 0;
}
