//> final
/* What keeps a container's root from being the host's root: the
 * capabilities it keeps, no_new_privs, its seccomp filter and its devices.
 * The options fill struct security (cli/run.c); the child applies it
 * (container/child.c) after its mounts, before exec; exec applies the
 * container's again to the processes it starts. final/README.md tells each
 * defence's story. */
#ifndef MYDOCKER_SECURITY_H
#define MYDOCKER_SECURITY_H

#include <stdint.h>

#include "security/devices.h"

/* The capabilities docker leaves a container, as a bit mask (bit N is
 * capability N): chown, dac_override, fowner, fsetid, kill, setgid,
 * setuid, setpcap, net_bind_service, net_raw, sys_chroot, mknod,
 * audit_write, setfcap. */
#define DEFAULT_CAPS 0xa80425fbULL

struct security {
	uint64_t caps;        /* bounding set; exec makes it permitted and effective */
	uint64_t cap_add, cap_drop;   /* the options', until security_resolve */
	int privileged;       /* every capability, no masks, no seccomp */
	int no_new_privs;     /* --security-opt no-new-privileges */
	const char *seccomp;  /* NULL: the default filter; "unconfined"; a profile's path */
	struct device devices[MAX_DEVICES];   /* --device: handed in */
	int ndevices;
};

/* Docker's defaults: DEFAULT_CAPS, the default filter, no_new_privs off. */
void security_defaults(struct security *s);
/* --cap-add / --cap-drop NAME: with or without CAP_, any case, or ALL. */
int security_cap_add(struct security *s, const char *name);
int security_cap_drop(struct security *s, const char *name);
/* --privileged. */
void security_privileged(struct security *s);
/* After the options: the capabilities, as docker makes them of the
 * defaults, --cap-add and --cap-drop (ALL in --cap-add: every one but the
 * dropped; ALL in --cap-drop: only the added; else the defaults less the
 * dropped plus the added), or every one with --privileged. */
void security_resolve(struct security *s);
/* --device HOST[:CTR][:rwm]. */
int security_device(struct security *s, const char *spec);
/* --security-opt no-new-privileges[:true|false], seccomp=unconfined|PATH. */
int security_opt(struct security *s, const char *opt);
#endif
