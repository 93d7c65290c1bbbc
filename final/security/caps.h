//> final
/* Capabilities: which of root's powers a container's processes keep. */
#ifndef MYDOCKER_CAPS_H
#define MYDOCKER_CAPS_H

#include <stdint.h>

/* NAME (chown, CAP_CHOWN, Cap_Chown) as its bit in a mask; ALL: every one. */
int caps_parse(const char *name, uint64_t *mask);
/* Every capability this kernel has, as a mask. */
uint64_t caps_all(void);
/* Lower this process's bounding set to mask and empty its inheritable and
 * ambient sets, just before exec: for root, exec then gives the command
 * permitted = effective = mask. The caller keeps its own capabilities
 * until then (the setup steps after this one still need them). */
int caps_limit(uint64_t mask);

#endif
