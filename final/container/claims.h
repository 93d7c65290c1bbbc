//> final
/* What one container alone may have, its name and its host ports, indexed
 * so that taking one costs the same with 0 containers as with 1000:
 *
 *   names/NAME          the ID of the container called NAME
 *   ports/PORT-PROTO    the ID of the container that maps host port PORT
 *
 * An entry is a claim, and a claim holds while its container's record
 * says so (the name is its name; the port is among its ports, which it
 * keeps until it has exited). A claim a killed runtime or a crash left is no one's, and the
 * next container simply takes it. Every change is made under the records'
 * lock (records_lock). */
#ifndef MYDOCKER_CLAIMS_H
#define MYDOCKER_CLAIMS_H

#include "container/record.h"

/* r's name and host ports for r, or an error that names who has one. */
int claims_take(const struct record *r);
/* The container called name: 0 with its ID, -1 (cause ENOENT) when none. */
int claims_name(const char *name, char id[ID_LEN + 1]);
/* Container id is called name from now on (its record too), unless
 * another container has the name. */
int claims_rename(const char *id, const char *name);
/* r has exited: its ports are free. */
void claims_drop_ports(const struct record *r);
/* r is removed: its name too. */
void claims_drop(const struct record *r);
/* For a container whose record cannot be read: the name it has ("" when
 * none) and, once it is removed, every claim it had. */
void claims_name_of(const char *id, char name[NAME_LEN + 1]);
void claims_drop_all(const char *id);

#endif
