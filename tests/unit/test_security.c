//> final
/* Unit tests: final's capability options (security/security.c, caps.c) and
 * docker-format seccomp profiles (security/seccomp_profile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <ctype.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "security/caps.h"
#include "security/seccomp.h"
#include "security/security.h"

static const char *const docker_caps[] = {
	"chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
	"net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap",
};

/* A name as a user may write it: CAP_ or not, any case. */
static void spelled(const char *name, char *out, size_t size)
{
	size_t off = 0;

	if (rand() % 2)
		off = snprintf(out, size, "%s", rand() % 2 ? "CAP_" : "cap_");
	for (size_t i = 0; name[i] && off < size - 1; i++)
		out[off++] = rand() % 2 ? toupper((unsigned char)name[i]) : name[i];
	out[off] = '\0';
}

static void default_caps_are_dockers(void **state)
{
	(void)state;
	uint64_t mask, all = 0;

	for (size_t i = 0; i < sizeof docker_caps / sizeof *docker_caps; i++) {
		char name[64];
		spelled(docker_caps[i], name, sizeof name);
		assert_int_equal(caps_parse(name, &mask), 0);
		all |= mask;
	}
	assert_int_equal(all, DEFAULT_CAPS);
}

static void add_and_drop(void **state)
{
	(void)state;
	static const int extra[] = { CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_TIME, CAP_IPC_LOCK };
	static const char *const extra_names[] = { "sys_admin", "net_admin", "sys_ptrace", "sys_time", "ipc_lock" };
	struct security s;
	char add[64], drop[64];
	const char *dropped = docker_caps[rand() % (sizeof docker_caps / sizeof *docker_caps)];
	int pick = rand() % 5, added = extra[pick];
	uint64_t drop_mask;

	spelled(extra_names[pick], add, sizeof add);
	spelled(dropped, drop, sizeof drop);
	assert_int_equal(caps_parse(drop, &drop_mask), 0);

	security_defaults(&s);
	assert_int_equal(security_cap_add(&s, add), 0);
	assert_int_equal(security_cap_drop(&s, drop), 0);
	security_resolve(&s);
	assert_int_equal(s.caps, (DEFAULT_CAPS & ~drop_mask) | 1ULL << added);

	/* ALL dropped: only the added; ALL added: all but the dropped. */
	security_defaults(&s);
	assert_int_equal(security_cap_drop(&s, "ALL"), 0);
	assert_int_equal(security_cap_add(&s, add), 0);
	security_resolve(&s);
	assert_int_equal(s.caps, 1ULL << added);
	security_defaults(&s);
	assert_int_equal(security_cap_add(&s, "all"), 0);
	assert_int_equal(security_cap_drop(&s, drop), 0);
	security_resolve(&s);
	assert_int_equal(s.caps, caps_all() & ~drop_mask);

	/* --privileged: everything, and no filter. */
	security_defaults(&s);
	assert_int_equal(security_cap_drop(&s, drop), 0);
	security_privileged(&s);
	security_resolve(&s);
	assert_int_equal(s.caps, caps_all());
	assert_string_equal(s.seccomp, "unconfined");
}

static void bad_names(void **state)
{
	(void)state;
	uint64_t mask;
	char name[32];

	snprintf(name, sizeof name, "cap_x%d", rand());
	assert_int_equal(caps_parse(name, &mask), -1);
	assert_non_null(strstr(err_msg(), name));
	/* cap_from_name takes numbers; a user names capabilities. */
	assert_int_equal(caps_parse("12", &mask), -1);
	assert_int_equal(caps_parse("", &mask), -1);
	assert_int_equal(caps_parse("cap_", &mask), -1);
}

static void security_opts(void **state)
{
	(void)state;
	struct security s;
	char path[64];

	security_defaults(&s);
	assert_int_equal(security_opt(&s, "no-new-privileges"), 0);
	assert_true(s.no_new_privs);
	assert_int_equal(security_opt(&s, "no-new-privileges:false"), 0);
	assert_false(s.no_new_privs);
	snprintf(path, sizeof path, "seccomp=/p/%d.json", rand());
	assert_int_equal(security_opt(&s, path), 0);
	assert_string_equal(s.seccomp, path + 8);
	assert_int_equal(security_opt(&s, "seccomp="), -1);
	assert_int_equal(security_opt(&s, "apparmor=x"), -1);
}

/* The message a profile gets, or "" when it compiles. */
static const char *profile(const char *text)
{
	scmp_filter_ctx ctx;

	if (seccomp_profile_rules("p.json", text, DEFAULT_CAPS, &ctx) < 0)
		return err_msg();
	seccomp_release(ctx);
	return "";
}

static void profiles(void **state)
{
	(void)state;
	char text[512], want[256];
	int n = rand() % 100;

	assert_string_equal(profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"write\"],"
				    "\"action\":\"SCMP_ACT_ALLOW\"},{\"name\":\"mkdir\",\"action\":\"SCMP_ACT_ERRNO\","
				    "\"errnoRet\":13,\"args\":[{\"index\":1,\"value\":448,\"op\":\"SCMP_CMP_EQ\"}]},"
				    "{\"names\":[\"no_such_call\"],\"action\":\"SCMP_ACT_ALLOW\"}],"
				    "\"architectures\":[\"SCMP_ARCH_X86_64\"]}"), "");
	/* A rule for capabilities the container lacks is left out, not an error. */
	assert_string_equal(profile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],"
				    "\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}"), "");
	/* Each mistake names its place. */
	snprintf(text, sizeof text, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOPE%d\"}]}",
		 n % 2 ? "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\"}," : "", n);
	snprintf(want, sizeof want, "seccomp profile p.json: syscalls[%d].action: unknown action 'SCMP_ACT_NOPE%d'", n % 2, n);
	assert_string_equal(profile(text), want);
	assert_string_equal(profile("{\"syscalls\":[]}"), "seccomp profile p.json: defaultAction: missing");
	assert_string_equal(profile("{\"defaultAction\":7}"), "seccomp profile p.json: defaultAction: a string");
	assert_string_equal(profile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_LOG\"}]}"),
			    "seccomp profile p.json: syscalls[0].names: missing");
	assert_string_equal(profile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
				    "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":9,\"op\":\"SCMP_CMP_EQ\"}]}]}"),
			    "seccomp profile p.json: syscalls[0].args[0].index: a number from 0 to 5");
	assert_string_equal(profile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}"),
			    "seccomp profile p.json: architectures: unknown architecture 'SCMP_ARCH_VAX'");
	assert_non_null(strstr(profile("{\"defaultAction\":"), "not JSON"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_caps_are_dockers),
		cmocka_unit_test(add_and_drop),
		cmocka_unit_test(bad_names),
		cmocka_unit_test(security_opts),
		cmocka_unit_test(profiles),
	};
	seed_random();
	return report_seed(cmocka_run_group_tests(tests, NULL, NULL));
}
