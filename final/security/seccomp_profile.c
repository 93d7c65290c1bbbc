//> final
/* A seccomp profile in docker's format (json-c reads it):
 *
 *   { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
 *     "architectures": ["SCMP_ARCH_X86_64"],
 *     "archMap": [{ "architecture": "SCMP_ARCH_X86_64", "subArchitectures": [...] }],
 *     "syscalls": [{ "names": ["mount"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1,
 *                    "args": [{ "index": 0, "value": 1, "valueTwo": 0, "op": "SCMP_CMP_EQ" }],
 *                    "includes": { "caps": ["CAP_SYS_ADMIN"], "arches": [...], "minKernel": "4.8" },
 *                    "excludes": { "caps": [...], "arches": [...] } }] }
 *
 * As docker does, a call libseccomp does not know on this architecture is
 * skipped, and so is a rule whose includes/excludes rule it out for this
 * container (includes: it keeps every capability named; excludes: none). */
#include "security/seccomp.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "error.h"
#include "security/caps.h"

static const struct {
	const char *name;
	uint32_t action;   /* ERRNO and TRACE take their value from errnoRet */
} actions[] = {
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW }, { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL }, { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS }, { "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) }, { "SCMP_ACT_LOG", SCMP_ACT_LOG },
};

static const struct {
	const char *name;
	enum scmp_compare op;
} ops[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* Where we are in the profile, for the message: "syscalls[3].args[0].op". */
struct at {
	const char *path;
	char field[128];
};

static int bad(const struct at *at, const char *what, const char *detail)
{
	return err_set("seccomp profile %s: %s%s%s: %s", at->path, at->field, *at->field ? "." : "", what,
		       detail);
}

/* A member of obj of type t, or NULL when absent; a wrong type is an error. */
static int member(const struct at *at, json_object *obj, const char *key, json_type t, json_object **out)
{
	static const char *const types[] = {
		[json_type_boolean] = "a boolean", [json_type_double] = "a number",
		[json_type_int] = "a number", [json_type_object] = "an object",
		[json_type_array] = "an array", [json_type_string] = "a string",
	};

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, out) || json_object_is_type(*out, json_type_null)) {
		*out = NULL;
		return 0;
	}
	if (!json_object_is_type(*out, t))
		return bad(at, key, t < (json_type)(sizeof types / sizeof *types) && types[t] ? types[t] : "of another type");
	return 0;
}

static int action_of(const struct at *at, const char *key, json_object *s, int errno_ret, uint32_t *out)
{
	const char *name = json_object_get_string(s);

	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		return bad(at, key, "SCMP_ACT_NOTIFY needs a listener, which this runtime does not have");
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		if (!strcmp(name, actions[i].name)) {
			*out = actions[i].action;
			if (*out == SCMP_ACT_ERRNO(0))
				*out = SCMP_ACT_ERRNO(errno_ret);
			else if (*out == SCMP_ACT_TRACE(0))
				*out = SCMP_ACT_TRACE(errno_ret);
			return 0;
		}
	char detail[160];
	snprintf(detail, sizeof detail, "unknown action '%.100s'", name);
	return bad(at, key, detail);
}

static int arch_of(const struct at *at, const char *key, json_object *s, uint32_t *out)
{
	const char *name = json_object_get_string(s);
	char lower[64];
	size_t i;

	/* "SCMP_ARCH_X86_64" is libseccomp's "x86_64". */
	if (strncmp(name, "SCMP_ARCH_", 10))
		goto unknown;
	for (i = 0; name[10 + i] && i < sizeof lower - 1; i++)
		lower[i] = name[10 + i] >= 'A' && name[10 + i] <= 'Z' ? name[10 + i] - 'A' + 'a' : name[10 + i];
	lower[i] = '\0';
	if ((*out = seccomp_arch_resolve_name(lower)))
		return 0;
unknown:;
	char detail[160];
	snprintf(detail, sizeof detail, "unknown architecture '%.100s'", name);
	return bad(at, key, detail);
}

/* An array of strings, each checked by its type. */
static int strings(const struct at *at, json_object *obj, const char *key, json_object **arr)
{
	if (member(at, obj, key, json_type_array, arr) < 0)
		return -1;
	for (size_t i = 0; *arr && i < json_object_array_length(*arr); i++)
		if (!json_object_is_type(json_object_array_get_idx(*arr, i), json_type_string)) {
			char what[64];
			snprintf(what, sizeof what, "%s[%zu]", key, i);
			return bad(at, what, "a string");
		}
	return 0;
}

/* Does the container fit the rule's includes (1) or excludes (0)? */
static int fits(const struct at *at, json_object *cond, int include, uint64_t caps, int *ok)
{
	json_object *list, *kernel;
	uint32_t native = seccomp_arch_native(), arch;
	uint64_t mask;
	int any = 0, all = 1, arch_listed = 0;

	*ok = 1;
	if (!cond)
		return 0;
	if (strings(at, cond, "caps", &list) < 0)
		return -1;
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		if (caps_parse(json_object_get_string(json_object_array_get_idx(list, i)), &mask) < 0)
			return bad(at, "caps", err_msg());
		any |= (caps & mask) == mask;
		all &= (caps & mask) == mask;
	}
	if (list && json_object_array_length(list))
		*ok = include ? all : !any;
	if (strings(at, cond, "arches", &list) < 0)
		return -1;
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		/* Docker's arch names here are Go's: amd64, arm64, 386, ... */
		const char *name = json_object_get_string(json_object_array_get_idx(list, i));
		arch = !strcmp(name, "amd64") ? SCMP_ARCH_X86_64 : !strcmp(name, "386") ? SCMP_ARCH_X86 :
		       !strcmp(name, "arm64") ? SCMP_ARCH_AARCH64 : seccomp_arch_resolve_name(name);
		arch_listed |= arch == native;
	}
	if (list && json_object_array_length(list))
		*ok &= include ? arch_listed : !arch_listed;
	if (include) {
		if (member(at, cond, "minKernel", json_type_string, &kernel) < 0)
			return -1;
		if (kernel) {
			struct utsname u;
			int want[2] = { 0 }, have[2] = { 0 };
			if (sscanf(json_object_get_string(kernel), "%d.%d", &want[0], &want[1]) < 1)
				return bad(at, "minKernel", "a version like \"4.8\"");
			uname(&u);
			sscanf(u.release, "%d.%d", &have[0], &have[1]);
			*ok &= have[0] > want[0] || (have[0] == want[0] && have[1] >= want[1]);
		}
	}
	return 0;
}

static int arg_of(struct at *at, json_object *a, struct scmp_arg_cmp *out)
{
	json_object *index, *value, *two, *op;

	if (!json_object_is_type(a, json_type_object))
		return bad(at, "", "an object");
	if (member(at, a, "index", json_type_int, &index) < 0 || member(at, a, "value", json_type_int, &value) < 0 ||
	    member(at, a, "valueTwo", json_type_int, &two) < 0 || member(at, a, "op", json_type_string, &op) < 0)
		return -1;
	if (!index || json_object_get_int(index) < 0 || json_object_get_int(index) > 5)
		return bad(at, "index", "a number from 0 to 5");
	if (!op)
		return bad(at, "op", "missing");
	*out = (struct scmp_arg_cmp){
		.arg = json_object_get_int(index),
		.datum_a = value ? (uint64_t)json_object_get_uint64(value) : 0,
		.datum_b = two ? (uint64_t)json_object_get_uint64(two) : 0,
	};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (!strcmp(json_object_get_string(op), ops[i].name)) {
			out->op = ops[i].op;
			return 0;
		}
	return bad(at, "op", "unknown comparison (SCMP_CMP_EQ, NE, LT, LE, GE, GT, MASKED_EQ)");
}

static int add_rule(struct at *at, scmp_filter_ctx ctx, json_object *rule, uint32_t default_action,
		    uint64_t caps)
{
	json_object *names, *name, *action, *errno_ret, *args, *cond;
	struct scmp_arg_cmp cmp[6];
	size_t field = strlen(at->field);
	unsigned nargs = 0;
	uint32_t act;
	int ok, rc;

	if (!json_object_is_type(rule, json_type_object))
		return bad(at, "", "an object");
	if (strings(at, rule, "names", &names) < 0 || member(at, rule, "name", json_type_string, &name) < 0 ||
	    member(at, rule, "action", json_type_string, &action) < 0 ||
	    member(at, rule, "errnoRet", json_type_int, &errno_ret) < 0 ||
	    member(at, rule, "args", json_type_array, &args) < 0)
		return -1;
	if (!names && !name)
		return bad(at, "names", "missing");
	if (!action)
		return bad(at, "action", "missing");
	if (action_of(at, "action", action, errno_ret ? json_object_get_int(errno_ret) : EPERM, &act) < 0)
		return -1;
	if (member(at, rule, "includes", json_type_object, &cond) < 0 || fits(at, cond, 1, caps, &ok) < 0)
		return -1;
	if (ok && (member(at, rule, "excludes", json_type_object, &cond) < 0 || fits(at, cond, 0, caps, &ok) < 0))
		return -1;
	if (!ok || act == default_action)
		return 0;   /* not for this container; or what the default does anyway */
	for (size_t i = 0; args && i < json_object_array_length(args); i++) {
		if (nargs == 6)
			return bad(at, "args", "at most 6");
		snprintf(at->field + field, sizeof at->field - field, ".args[%zu]", i);
		if (arg_of(at, json_object_array_get_idx(args, i), &cmp[nargs++]) < 0)
			return -1;
		at->field[field] = '\0';
	}
	size_t n = names ? json_object_array_length(names) : 1;
	for (size_t i = 0; i < n; i++) {
		const char *sys = json_object_get_string(names ? json_object_array_get_idx(names, i) : name);
		int nr = seccomp_syscall_resolve_name(sys);

		if (nr == __NR_SCMP_ERROR)
			continue;
		if ((rc = seccomp_rule_add_array(ctx, act, nr, nargs, cmp)) < 0) {
			char detail[160];
			snprintf(detail, sizeof detail, "libseccomp refuses the rule for %.64s: %s", sys, strerror(-rc));
			return bad(at, "names", detail);
		}
	}
	return 0;
}

static int add_arches(struct at *at, scmp_filter_ctx ctx, json_object *profile)
{
	json_object *list, *map, *entry, *arch, *subs;
	uint32_t native = seccomp_arch_native(), a;
	int rc;

	if (strings(at, profile, "architectures", &list) < 0 || member(at, profile, "archMap", json_type_array, &map) < 0)
		return -1;
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		if (arch_of(at, "architectures", json_object_array_get_idx(list, i), &a) < 0)
			return -1;
		if ((rc = seccomp_arch_add(ctx, a)) < 0 && rc != -EEXIST)
			return bad(at, "architectures", strerror(-rc));
	}
	/* archMap: the native architecture's entry adds its sub-architectures. */
	for (size_t i = 0; map && i < json_object_array_length(map); i++) {
		snprintf(at->field, sizeof at->field, "archMap[%zu]", i);
		entry = json_object_array_get_idx(map, i);
		if (!json_object_is_type(entry, json_type_object))
			return bad(at, "", "an object");
		if (member(at, entry, "architecture", json_type_string, &arch) < 0 ||
		    strings(at, entry, "subArchitectures", &subs) < 0)
			return -1;
		if (!arch)
			return bad(at, "architecture", "missing");
		if (arch_of(at, "architecture", arch, &a) < 0)
			return -1;
		if (a != native)
			continue;
		for (size_t j = 0; subs && j < json_object_array_length(subs); j++) {
			if (arch_of(at, "subArchitectures", json_object_array_get_idx(subs, j), &a) < 0)
				return -1;
			if ((rc = seccomp_arch_add(ctx, a)) < 0 && rc != -EEXIST)
				return bad(at, "subArchitectures", strerror(-rc));
		}
	}
	at->field[0] = '\0';
	return 0;
}

int seccomp_profile_rules(const char *path, const char *text, uint64_t caps, scmp_filter_ctx *out)
{
	struct at at = { .path = path };
	enum json_tokener_error jerr;
	json_object *profile = json_tokener_parse_verbose(text, &jerr), *def, *def_errno, *calls;
	uint32_t def_action;
	int rc = -1, errno_ret;

	*out = NULL;
	if (!profile)
		return err_set("seccomp profile %s: not JSON: %s", path, json_tokener_error_desc(jerr));
	if (!json_object_is_type(profile, json_type_object)) {
		bad(&at, "(top)", "an object");
		goto done;
	}
	if (member(&at, profile, "defaultAction", json_type_string, &def) < 0 ||
	    member(&at, profile, "defaultErrnoRet", json_type_int, &def_errno) < 0 ||
	    member(&at, profile, "syscalls", json_type_array, &calls) < 0)
		goto done;
	if (!def) {
		bad(&at, "defaultAction", "missing");
		goto done;
	}
	errno_ret = def_errno ? json_object_get_int(def_errno) : EPERM;
	if (action_of(&at, "defaultAction", def, errno_ret, &def_action) < 0)
		goto done;
	if (!(*out = seccomp_init(def_action))) {
		err_set("seccomp profile %s: libseccomp refuses the default action", path);
		goto done;
	}
	if (add_arches(&at, *out, profile) < 0)
		goto done;
	for (size_t i = 0; calls && i < json_object_array_length(calls); i++) {
		snprintf(at.field, sizeof at.field, "syscalls[%zu]", i);
		if (add_rule(&at, *out, json_object_array_get_idx(calls, i), def_action, caps) < 0)
			goto done;
	}
	rc = 0;
done:
	json_object_put(profile);
	if (rc < 0 && *out) {
		seccomp_release(*out);
		*out = NULL;
	}
	return rc;
}
