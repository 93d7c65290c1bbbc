//> final
#include "container/claims.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "lock.h"
#include "image/image.h"

static int claim_path(char *out, size_t size, const char *kind, const char *key)
{
	return path_fmt(out, size, "%s/%s%s%s", state_root(), kind, key ? "/" : "", key ? key : "");
}

static void port_key(const struct port_map *p, char *out, size_t size)
{
	snprintf(out, size, "%d-%s", p->host, p->proto);
}

/* The ID in kind/key; "" when there is none or it is torn. */
static void claim_owner(const char *kind, const char *key, char id[ID_LEN + 1])
{
	char path[PATH_MAX], text[ID_LEN + 2];

	id[0] = '\0';
	if (claim_path(path, sizeof path, kind, key) == 0 && read_file(path, text, sizeof text) == ID_LEN)
		memcpy(id, text, ID_LEN + 1);
}

/* Whether container id still has what kind/key names. An unreadable
 * record keeps its claims until `rm -f` takes it away. */
static int holds(const char *id, const char *kind, const char *key, struct record *r)
{
	if (!id[0] || record_read(id, r) < 0)
		return id[0] && err_cause() != ENOENT;
	if (!strcmp(kind, "names"))
		return !strcmp(r->name, key);
	/* A record holds its ports while it has them: until its container has
	 * exited (or been removed, if its runtime was killed). */
	for (int i = 0; i < r->ep.nports; i++) {
		char k[32];
		port_key(&r->ep.ports[i], k, sizeof k);
		if (!strcmp(k, key))
			return 1;
	}
	return 0;
}

static int take(const char *kind, const char *key, const char *id, const char *what)
{
	char path[PATH_MAX], owner[ID_LEN + 1];
	struct record other;

	claim_owner(kind, key, owner);
	if (strcmp(owner, id) && holds(owner, kind, key, &other)) {
		if (!strcmp(kind, "names"))
			return err_set("the name '%s' is already in use by container %.*s: remove it or choose another",
				       key, SHORT_ID_LEN, owner);
		return err_set("port %s is already mapped by container %s", what, other.name[0] ? other.name : owner);
	}
	if (claim_path(path, sizeof path, kind, NULL) < 0 || mkdir_p(path, 0700) < 0 ||
	    claim_path(path, sizeof path, kind, key) < 0)
		return -1;
	return write_file_atomic(path, id, ID_LEN);
}

/* Remove kind/key if it is still id's (the caller holds the records' lock). */
static void drop(const char *kind, const char *key, const char *id)
{
	char path[PATH_MAX], owner[ID_LEN + 1];

	claim_owner(kind, key, owner);
	if (!strcmp(owner, id) && claim_path(path, sizeof path, kind, key) == 0)
		unlink(path);
}

static void drop_ports(const struct record *r)
{
	char key[32];

	for (int i = 0; i < r->ep.nports; i++) {
		port_key(&r->ep.ports[i], key, sizeof key);
		drop("ports", key, r->id);
	}
}

int claims_take(const struct record *r)
{
	char key[32], what[40];

	if (take("names", r->name, r->id, NULL) < 0)
		return -1;
	for (int i = 0; i < r->ep.nports; i++) {
		port_key(&r->ep.ports[i], key, sizeof key);
		snprintf(what, sizeof what, "%d/%s", r->ep.ports[i].host, r->ep.ports[i].proto);
		if (take("ports", key, r->id, what) < 0)
			return -1;   /* the name just taken is no one's: r has no record */
	}
	return 0;
}

int claims_name(const char *name, char id[ID_LEN + 1])
{
	struct record r;

	claim_owner("names", name, id);
	if (!holds(id, "names", name, &r)) {
		id[0] = '\0';
		return err_code(ENOENT, "no such container: %s", name);
	}
	return 0;
}

int claims_rename(const char *id, const char *name)
{
	struct record r;
	char old[NAME_LEN + 1];
	int lock = records_lock(), rc = -1;

	if (lock < 0)
		return -1;
	if (record_read(id, &r) < 0)
		goto done;
	if (!strcmp(r.name, name)) {
		rc = err_set("container %.*s is called %s already", SHORT_ID_LEN, id, name);
		goto done;
	}
	snprintf(old, sizeof old, "%s", r.name);
	snprintf(r.name, sizeof r.name, "%s", name);
	/* The new name first: a crash between the two leaves a claim no record
	 * holds (no one's), never a record whose name is unclaimed. */
	if (take("names", name, id, NULL) < 0 || record_write(&r) < 0)
		goto done;
	drop("names", old, id);
	rc = 0;
done:
	lock_release(lock);
	return rc;
}

/* Dropping is not needed for correctness (a claim whose record no longer
 * holds it is no one's): it keeps the index as small as what is held. */
void claims_drop_ports(const struct record *r)
{
	int lock = records_lock();

	if (lock < 0)
		return;
	drop_ports(r);
	lock_release(lock);
}

void claims_drop(const struct record *r)
{
	int lock = records_lock();

	if (lock < 0)
		return;
	drop_ports(r);
	drop("names", r->name, r->id);
	lock_release(lock);
}

/* The key of an entry of kind that is id's (the last found) into key;
 * with drop, every such entry goes. */
static void scan(const char *kind, const char *id, char *key, size_t size, int drop)
{
	char path[PATH_MAX], owner[ID_LEN + 1];
	struct dirent *e;
	DIR *d;

	if (claim_path(path, sizeof path, kind, NULL) < 0 || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (claim_owner(kind, e->d_name, owner), strcmp(owner, id)))
			continue;
		snprintf(key, size, "%.*s", (int)size - 1, e->d_name);
		if (drop && claim_path(path, sizeof path, kind, e->d_name) == 0)
			unlink(path);
	}
	closedir(d);
}

/* A scan, not a lookup: rare (a record made unreadable), and the index is
 * no bigger than what the containers hold. */
void claims_name_of(const char *id, char name[NAME_LEN + 1])
{
	name[0] = '\0';
	scan("names", id, name, NAME_LEN + 1, 0);
}

void claims_drop_all(const char *id)
{
	char key[NAME_LEN + 1];
	int lock = records_lock();

	if (lock < 0)
		return;
	scan("names", id, key, sizeof key, 1);
	scan("ports", id, key, sizeof key, 1);
	lock_release(lock);
}
