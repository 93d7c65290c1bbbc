/* What the runtime needs of the kernel, checked before a container starts. */
#ifndef MYDOCKER_KERNEL_H
#define MYDOCKER_KERNEL_H

/* Probe each system call the runtime depends on; on a kernel that lacks
 * one, set an error naming it and the first Linux version that has it. */
int kernel_check(void);

#endif
