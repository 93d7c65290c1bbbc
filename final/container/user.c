//> final
#include "container/user.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "error.h"
#include "parse.h"

#define MAX_GROUPS 64
#define MAX_ID 2147483647

struct who {
	char name[64], home[256];
	uid_t uid;
	gid_t gid;
	int named;                  /* found in passwd: its groups are looked up */
	gid_t groups[MAX_GROUPS];
	int ngroups;
};

/* USER or GROUP: a name as useradd takes it, or a number. */
static int valid_part(const char *s, size_t n)
{
	if (n == 0 || n > 32 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$", s[i]))
			return 0;
	return 1;
}

static int number(const char *s, unsigned *out)
{
	int64_t n;

	if (parse_int(s, 0, MAX_ID, &n) < 0)
		return -1;
	*out = n;
	return 0;
}

int user_check(const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);

	if (!valid_part(spec, ulen) || (colon && !valid_part(colon + 1, strlen(colon + 1))))
		return err_set("--user '%s': expected USER[:GROUP], names or numbers (1000:1000, app)", spec);
	return 0;
}

/* The fields of one line of passwd or group, split at ':' in place. */
static int fields(char *line, char **f, int want)
{
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	for (char *p = line; n < want; n++) {
		f[n] = p;
		if (!(p = strchr(p, ':'))) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	return n;
}

static FILE *open_db(const char *path)
{
	FILE *f = fopen(path, "re");

	if (!f && errno != ENOENT)
		err_sys("%s", path);
	return f;
}

/* USER by name or number in /etc/passwd: 0 found, 1 not, -1 error. */
static int find_user(const char *user, struct who *w)
{
	char line[1024], *f[7];
	unsigned id = 0;
	int numeric = number(user, &id) == 0;
	FILE *db = open_db("/etc/passwd");

	if (!db)
		return errno == ENOENT ? 1 : -1;
	while (fgets(line, sizeof line, db)) {
		unsigned uid, gid;
		if (fields(line, f, 7) < 7 || number(f[2], &uid) < 0 || number(f[3], &gid) < 0)
			continue;
		if (numeric ? uid != id : strcmp(f[0], user) != 0)
			continue;
		snprintf(w->name, sizeof w->name, "%s", f[0]);
		snprintf(w->home, sizeof w->home, "%s", *f[5] ? f[5] : "/");
		w->uid = uid;
		w->gid = gid;
		w->named = 1;
		fclose(db);
		return 0;
	}
	fclose(db);
	return 1;
}

/* GROUP's gid by name or number, or with group NULL the groups that name
 * w's user as a member (its supplementary groups). */
static int scan_groups(const char *group, struct who *w, gid_t *gid)
{
	char line[4096], *f[4], *save;
	unsigned id;
	FILE *db = open_db("/etc/group");

	if (!db)
		return errno == ENOENT ? 1 : -1;
	while (fgets(line, sizeof line, db)) {
		if (fields(line, f, 4) < 4 || number(f[2], &id) < 0)
			continue;
		if (group) {
			if (!strcmp(f[0], group)) {
				*gid = id;
				fclose(db);
				return 0;
			}
			continue;
		}
		for (char *m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			if (!strcmp(m, w->name) && w->ngroups < MAX_GROUPS)
				w->groups[w->ngroups++] = id;
	}
	fclose(db);
	return group ? 1 : 0;
}

static int look_up(const char *spec, struct who *w)
{
	char user[64];
	const char *group = strchr(spec, ':');
	unsigned id;
	int rc;

	snprintf(user, sizeof user, "%.*s", group ? (int)(group - spec) : (int)strlen(spec), spec);
	*w = (struct who){ .home = "/" };
	if ((rc = find_user(user, w)) < 0)
		return -1;
	if (rc > 0) {
		if (number(user, &id) < 0)
			return err_set("unable to find user %s: no matching entries in passwd file", user);
		w->uid = id;
	}
	if (group++) {
		gid_t gid;
		if (number(group, &id) == 0)
			gid = id;
		else if ((rc = scan_groups(group, w, &gid)) != 0)
			return rc < 0 ? -1 : err_set("unable to find group %s: no matching entries in group file", group);
		w->gid = gid;
		w->groups[w->ngroups++] = gid;
		return 0;
	}
	w->groups[w->ngroups++] = w->gid;
	return w->named ? scan_groups(NULL, w, NULL) : 0;
}

int user_switch(const char *spec, int set_home)
{
	struct who w;
	cap_t caps;

	if (look_up(spec, &w) < 0)
		return -1;
	/* KEEPCAPS: setuid away from 0 would empty the permitted set, and the
	 * steps after this one need theirs (the bounding set, the filter).
	 * exec resets it, and gives a user other than 0 no capabilities. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(w.ngroups, w.groups) < 0 ||
	    setresgid(w.gid, w.gid, w.gid) < 0 || setresuid(w.uid, w.uid, w.uid) < 0)
		return err_sys("--user %s", spec);
	/* The effective set is emptied all the same: back from the permitted. */
	if (!(caps = cap_get_proc()))
		return err_sys("read our capabilities");
	for (cap_value_t c = 0; c < cap_max_bits(); c++) {
		cap_flag_value_t v;
		if (cap_get_flag(caps, c, CAP_PERMITTED, &v) == 0 && v == CAP_SET)
			cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, CAP_SET);
	}
	int rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc < 0)
		return err_sys("--user %s: keep our capabilities", spec);
	if (set_home && !getenv("HOME") && setenv("HOME", w.home, 1) < 0)
		return err_sys("HOME");
	return 0;
}
