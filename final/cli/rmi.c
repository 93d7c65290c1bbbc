//> ch09
/* `rmi`: remove images no container uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "image/image.h"
#include "image/layer.h"
//> final
#include "lock.h"
//<
#include "parse.h"
#include "container/record.h"

//> ch09
static const char rmi_usage[] =
	"Usage: mydocker rmi IMAGE[:TAG]...\n"
	"\n"
	"Remove images, and the layers of theirs that no other image has. An image\n"
	"that a container (running or not) or another image is built on stays.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

/* A container, running or exited, whose image is ref: its root stands on
 * ref's layers until it is removed. */
static int used_by_container(const char *ref)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], crepo[NAME_LEN + 1], ctag[NAME_LEN + 1];
	struct record *list;
	int n, used = 0;

	if (image_ref(ref, repo, tag) < 0 || (n = record_list(&list)) < 0)
		return -1;
	for (int i = 0; i < n && !used; i++)
		if (image_ref(list[i].image, crepo, ctag) == 0 && !strcmp(repo, crepo) && !strcmp(tag, ctag)) {
			used = err_set("image %s is used by container %s (%.*s): remove the container first", ref,
				       list[i].name, SHORT_ID_LEN, list[i].id);
		}
	free(list);
	return used;
}

int cmd_rmi(int argc, char **argv)
{
	char freed[MAX_LAYERS][LAYER_ID_LEN + 1], repo[NAME_LEN + 1], tag[NAME_LEN + 1];
	int rc, n;

	if ((rc = cli_no_options(argc, argv, rmi_usage)) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind == argc)
		return report_error((err_set("rmi: give at least one image (see 'mydocker rmi --help')"), 1));
	for (int i = optind; i < argc; i++) {
//> final
		/* No container is made while we look and remove: a run that starts
		 * now either has its record before we look (and the image stays),
		 * or finds no image (and fails, leaving nothing). */
		int lock = records_lock();
		if (lock < 0) {
			rc = report_error(1);
			continue;
		}
//<
		if (image_ref(argv[i], repo, tag) < 0 || used_by_container(argv[i]) < 0 ||
		    (n = image_remove(argv[i], freed)) < 0) {
//> final
			lock_release(lock);
//<
			rc = report_error(1);
			continue;
		}
//> final
		lock_release(lock);
//<
		printf("Untagged: %s:%s\n", repo, tag);
		for (int l = 0; l < n; l++)
			printf("Deleted: %s\n", freed[l]);
	}
	return rc;
}
//<
