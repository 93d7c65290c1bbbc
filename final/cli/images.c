//> ch09
/* `images`: the image store's images, in docker's columns. */
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
#include "parse.h"
#include "container/record.h"

//> ch09
#define SHORT_IMAGE_ID 12

static const char images_usage[] =
	"Usage: mydocker images\n"
	"\n"
	"List the images, newest first. An image's ID is its top layer's; SIZE\n"
	"counts all of its layers, also those it shares with other images.\n"
	"\n"
	"Options:\n"
	"  -h, --help   print this help\n";

int cmd_images(int argc, char **argv)
{
	struct image *list;
	char ago[64], layer[4096];
	int n, rc, wrepo = strlen("REPOSITORY"), wtag = strlen("TAG"), wago = strlen("CREATED");
	time_t now = time(NULL);

	if ((rc = cli_no_options(argc, argv, images_usage)) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind != argc)
		return report_error((err_set("images: takes no arguments (see 'mydocker images --help')"), 1));
	if ((n = image_list(&list)) < 0)
		return report_error(1);
	char (*cells)[2][80] = calloc(n + 1, sizeof *cells);   /* CREATED and SIZE of each */
	if (!cells) {
		free(list);
		return report_error((err_sys("images"), 1));
	}
	for (int i = 0; i < n; i++) {
		long long bytes = 0;
		for (int l = 0; l < list[i].nlayers; l++)
			if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), list[i].layers[l]) == 0)
				bytes += layer_size(layer);
		format_duration(now - list[i].created, ago, sizeof ago);
		snprintf(cells[i][0], sizeof cells[i][0], "%s ago", ago);
		format_bytes(bytes, cells[i][1], sizeof cells[i][1]);
		wrepo = (int)strlen(list[i].repo) > wrepo ? (int)strlen(list[i].repo) : wrepo;
		wtag = (int)strlen(list[i].tag) > wtag ? (int)strlen(list[i].tag) : wtag;
		wago = (int)strlen(cells[i][0]) > wago ? (int)strlen(cells[i][0]) : wago;
	}
	/* Columns three spaces apart, as docker's table writer sets them. */
	printf("%-*s   %-*s   %-*s   %-*s   %s\n", wrepo, "REPOSITORY", wtag, "TAG", SHORT_IMAGE_ID, "IMAGE ID",
	       wago, "CREATED", "SIZE");
	for (int i = 0; i < n; i++)
		printf("%-*s   %-*s   %-*.*s   %-*s   %s\n", wrepo, list[i].repo, wtag, list[i].tag, SHORT_IMAGE_ID,
		       SHORT_IMAGE_ID, list[i].layers[0], wago, cells[i][0], cells[i][1]);
	free(cells);
	free(list);
	return 0;
}
//<
