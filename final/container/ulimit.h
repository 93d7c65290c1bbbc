//> final
/* --ulimit NAME=SOFT[:HARD]: the container's resource limits (setrlimit),
 * which its processes inherit. Lowering one needs nothing; raising a hard
 * limit above the runtime's needs CAP_SYS_RESOURCE, and fails without. */
#ifndef MYDOCKER_ULIMIT_H
#define MYDOCKER_ULIMIT_H

#include <sys/resource.h>

#define MAX_ULIMITS 16

struct ulimit {
	int resource;            /* RLIMIT_* */
	struct rlimit lim;
};

/* One --ulimit into u[*n] (a name given twice: the last wins). */
int ulimit_parse(const char *arg, struct ulimit *u, int *n);
/* In the child, before exec. */
int ulimits_apply(const struct ulimit *u, int n);

#endif
