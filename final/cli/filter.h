//> final
/* docker's --filter KEY=VALUE for containers: values of one key are
 * alternatives, keys are all required, and so is every label (status=exited
 * --filter status=created --filter label=app: either status, and the label). */
#ifndef MYDOCKER_FILTER_H
#define MYDOCKER_FILTER_H

#include "container/record.h"

#define MAX_FILTERS 16

struct filters {
	int n;
	char key[MAX_FILTERS][16];
	char value[MAX_FILTERS][256];
};

/* One --filter: id (a prefix), name (a part), label (K or K=V), status
 * (created, running, paused, exited), exited (the exit code), ancestor
 * (the image, REPO or REPO:TAG). */
int filter_add(struct filters *f, const char *kv);
/* Whether f asks about status or exit codes: ps then lists every container. */
int filter_wants_all(const struct filters *f);
/* Whether r, whose state is one of status's values, passes f. */
int filter_match(const struct filters *f, const struct record *r, const char *state);

#endif
