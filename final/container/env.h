//> ch07
/* The environment of the container's processes: docker's defaults (PATH,
 * HOSTNAME, HOME) with -e on top, and never the runtime's own, which would
 * carry the host's (sudo's) variables into the container. */
#ifndef MYDOCKER_ENV_H
#define MYDOCKER_ENV_H

#include <stddef.h>

#define MAX_ENV 512
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct env {
	char *vars[MAX_ENV + 1];   /* "K=V"..., NULL: an envp for execve */
	int n;
};

/* -e SPEC: "K=V" sets K, replacing it; "K" alone takes K's value from the
 * runtime's own environment, and sets nothing when it has none. */
int env_set(struct env *e, const char *spec);
/* K=V, unless K is set already. */
int env_default(struct env *e, const char *key, const char *value);
/* Each "K=V" of a NUL-separated block of len bytes (/proc/PID/environ). */
int env_add_block(struct env *e, const char *block, size_t len);
//> final
/* --env-file PATH: a variable a line, as -e takes it; blank lines and
 * lines starting with '#' are skipped. A name with a blank in it is an
 * error, naming the file and line. */
int env_read_file(struct env *e, const char *path);
//<

#endif
