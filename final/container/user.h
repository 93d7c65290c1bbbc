//> final
/* -u USER[:GROUP]: who the command runs as. Names are the container's:
 * they are looked up in its /etc/passwd and /etc/group (not the host's,
 * and not through NSS, whose modules would be the image's code loaded into
 * the runtime). A number needs no entry: -u 1234 runs as 1234, group 0,
 * HOME "/", as docker does. */
#ifndef MYDOCKER_USER_H
#define MYDOCKER_USER_H

/* Whether spec is USER[:GROUP] of names or numbers: at the command line,
 * before anything is made. */
int user_check(const char *spec);
/* In the container's root, before the capabilities are limited: its
 * supplementary groups, group and user, and with set_home HOME unless it
 * is set (exec's environment is the container's, HOME in it). The
 * capabilities stay for the steps after it (caps_limit, the filter);
 * exec then gives a non-root user none, as docker's get. */
int user_switch(const char *spec, int set_home);

#endif
