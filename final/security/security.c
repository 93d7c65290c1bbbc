//> final
#include "security/security.h"

#include <string.h>

#include "error.h"
#include "security/caps.h"

void security_defaults(struct security *s)
{
	*s = (struct security){ .caps = DEFAULT_CAPS };
}

/* One capability option's name into its mask. */
static int cap_option(const char *option, const char *name, uint64_t *into)
{
	uint64_t mask;

	if (caps_parse(name, &mask) < 0)
		return err_wrap("%s", option);
	*into |= mask;
	return 0;
}

int security_cap_add(struct security *s, const char *name)
{
	return cap_option("--cap-add", name, &s->cap_add);
}

int security_cap_drop(struct security *s, const char *name)
{
	return cap_option("--cap-drop", name, &s->cap_drop);
}

int security_device(struct security *s, const char *spec)
{
	if (s->ndevices == MAX_DEVICES)
		return err_set("--device: at most %d devices", MAX_DEVICES);
	return devices_parse(spec, &s->devices[s->ndevices++]);
}

void security_privileged(struct security *s)
{
	s->privileged = 1;
}

void security_resolve(struct security *s)
{
	uint64_t all = caps_all();

	if (s->privileged) {
		s->caps = all;
		s->seccomp = "unconfined";
	} else if ((s->cap_add & all) == all)
		s->caps = all & ~s->cap_drop;
	else if ((s->cap_drop & all) == all)
		s->caps = s->cap_add;
	else
		s->caps = ((DEFAULT_CAPS & all) & ~s->cap_drop) | s->cap_add;
}

int security_opt(struct security *s, const char *opt)
{
	if (!strcmp(opt, "no-new-privileges") || !strcmp(opt, "no-new-privileges:true") ||
	    !strcmp(opt, "no-new-privileges=true"))
		s->no_new_privs = 1;
	else if (!strcmp(opt, "no-new-privileges:false") || !strcmp(opt, "no-new-privileges=false"))
		s->no_new_privs = 0;
	else if (!strncmp(opt, "seccomp=", 8) || !strncmp(opt, "seccomp:", 8)) {
		if (!opt[8])
			return err_set("--security-opt %s: give unconfined or a profile's path", opt);
		s->seccomp = opt + 8;
	} else
		return err_set("--security-opt %s: unknown option (no-new-privileges, "
			       "seccomp=unconfined, seccomp=PROFILE.json)", opt);
	return 0;
}
