/* A cmocka fixture for the unit tests of state under $MYDOCKER_ROOT:
 * a fresh temporary root for the test, removed after it. */
#ifndef MYDOCKER_TEMP_ROOT_H
#define MYDOCKER_TEMP_ROOT_H

#include <stdlib.h>
#include <string.h>

#include "file.h"

static char root[64];

static int make_root(void **state)
{
	(void)state;
	strcpy(root, "/tmp/mydocker-unit-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	return setenv("MYDOCKER_ROOT", root, 1);
}

static int remove_root(void **state)
{
	(void)state;
	return remove_tree(root);
}

#endif
