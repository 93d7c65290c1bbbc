//> final
/* mydocker-image: what mydocker does with image archives, linked on its
 * own (libarchive, dynamically) so that mydocker itself stays static and
 * its start path free of the dynamic loader. mydocker runs it; it is not
 * a command for users.
 *
 *     mydocker-image unpack DIR     the tar archive on stdin into DIR
 *     mydocker-image pack DIR       DIR's tree as a tar archive to stdout
 *
 * A failure is one line on stderr and exit 1. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "pack.h"
#include "unpack.h"

int main(int argc, char **argv)
{
	int rc;

	if (argc == 3 && !strcmp(argv[1], "unpack"))
		rc = unpack_layer(STDIN_FILENO, argv[2]);
	else if (argc == 3 && !strcmp(argv[1], "pack"))
		rc = pack_tree(argv[2], STDOUT_FILENO);
	else {
		fprintf(stderr, "usage: mydocker-image unpack DIR <ARCHIVE | pack DIR >ARCHIVE (mydocker runs it)\n");
		return 2;
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", err_msg());
		return 1;
	}
	return 0;
}
