//> final
/* final/mydocker-image (final/helper/main.c), the program that does the
 * image work that needs libarchive: found beside mydocker (the build tree),
 * in ../libexec/mydocker/ from it (make install), or where
 * $MYDOCKER_IMAGE_HELPER says. */
#ifndef MYDOCKER_IMAGE_HELPER_H
#define MYDOCKER_IMAGE_HELPER_H

#include <stddef.h>

/* Runs it with args (NULL-terminated, without the program) and in as its
 * stdin; its one line of complaint, if any, is the error. */
int helper_run(const char *const args[], int in);

#endif
