//> final
/* seccomp: which system calls a container may make at all. The filter is
 * compiled by the runtime before clone (a profile's mistakes are an error
 * before anything exists), kept compiled in a cache (compiling costs ~2 ms,
 * loading a few microseconds), and loaded by the child as its last step
 * before exec. */
#ifndef MYDOCKER_SECCOMP_H
#define MYDOCKER_SECCOMP_H

#include <linux/filter.h>
#include <seccomp.h>
#include <stdint.h>

#include "security/security.h"

/* A compiled filter; len 0: none (unconfined). */
struct filter {
	struct sock_filter insns[BPF_MAXINSNS];
	unsigned short len;
};

/* The filter s asks for, with the capabilities it keeps: from the cache
 * under $MYDOCKER_ROOT/seccomp, or compiled and put there. */
int seccomp_prepare(const struct security *s, struct filter *f);
/* The container's copy (for exec), and back: a missing file is no filter. */
int seccomp_save(const struct filter *f, const char *path);
int seccomp_read(const char *path, struct filter *f);
/* Load it on this process: everything it execs is under it. */
int seccomp_install(const struct filter *f);

/* The rules of docker's default profile's meaning, for a container that
 * keeps caps (seccomp_default.c). */
int seccomp_default_rules(scmp_filter_ctx ctx, uint64_t caps);
/* A profile in docker's format (seccomp_profile.c): a new filter context
 * with its rules, for a container that keeps caps; a mistake is an error
 * naming the field. */
int seccomp_profile_rules(const char *path, const char *text, uint64_t caps, scmp_filter_ctx *ctx);

#endif
