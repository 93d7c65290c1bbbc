//> final
/* `container prune`, `image prune`, `network prune` and `system prune`:
 * remove what nothing uses, after asking (unless -f), and say how much
 * space came back; `system df`: how much there is, and how much of it a
 * prune would give back. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <errno.h>

#include "cli.h"
#include "cli/commands.h"
#include "error.h"
#include "file.h"
#include "lock.h"
#include "container/lifecycle.h"
#include "container/record.h"
#include "image/image.h"
#include "image/layer.h"
#include "net/network.h"
#include "parse.h"

/* What a container wrote: its upper directory. */
static long long container_size(const char *id)
{
	char upper[4096];

	return record_path(upper, sizeof upper, id, "upper") == 0 ? layer_size(upper) : 0;
}

/* Exited containers: their records, logs, layers and cgroups. */
static int prune_containers(long long *reclaimed)
{
	struct record *list;
	int n = record_list(&list), rc = 0, first = 1;

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (strcmp(record_state(&list[i]), "exited"))
			continue;
		long long bytes = container_size(list[i].id);
		/* container_end: a runtime that was killed left its cgroups. */
		if (container_end(&list[i], 0) < 0 || container_remove(&list[i]) < 0) {
			rc = report_error(1);
			continue;
		}
		printf("%s%s\n", first ? "Deleted Containers:\n" : "", list[i].id);
		first = 0;
		*reclaimed += bytes;
	}
	free(list);
	return rc;
}

/* Whether a container, running or not, stands on image img. */
static int image_used(const struct image *img, const struct record *records, int n)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1];

	for (int i = 0; i < n; i++)
		if (image_ref(records[i].image, repo, tag) == 0 && !strcmp(repo, img->repo) && !strcmp(tag, img->tag))
			return 1;
	return 0;
}

/* Every image is tagged here, so none dangles: only -a removes, and then
 * every image no container stands on and no image is built on (those go
 * once the images on them have). */
static int prune_images(int all, long long *reclaimed)
{
	char freed[MAX_LAYERS][LAYER_ID_LEN + 1], ref[2 * NAME_LEN + 2], layer[4096];
	struct record *records;
	struct image *images;
	int nrec, nimg, removed, first = 1, lock;

	if (!all)
		return 0;
	/* No container is made meanwhile (record_create takes this lock). */
	if ((lock = records_lock()) < 0)
		return -1;
	if ((nrec = record_list(&records)) < 0) {
		lock_release(lock);
		return -1;
	}
	do {
		removed = 0;
		if ((nimg = image_list(&images)) < 0)
			break;
		for (int i = 0; i < nimg; i++) {
			if (image_used(&images[i], records, nrec))
				continue;
			long long bytes = 0;
			for (int l = 0; l < images[i].nlayers; l++)
				if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), images[i].layers[l]) == 0)
					bytes += layer_size(layer);
			snprintf(ref, sizeof ref, "%s:%s", images[i].repo, images[i].tag);
			int n = image_remove(ref, freed);
			if (n < 0)
				continue;   /* another image is built on it: it goes next round */
			printf("%sUntagged: %s\n", first ? "Deleted Images:\n" : "", ref);
			for (int l = 0; l < n; l++)
				printf("Deleted: %s\n", freed[l]);
			first = 0;
			removed++;
			/* What stays is what other images still share. */
			for (int l = 0; l < images[i].nlayers; l++)
				if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), images[i].layers[l]) == 0 &&
				    file_exists(layer))
					bytes -= layer_size(layer);
			*reclaimed += bytes;
		}
		free(images);
	} while (removed);
	free(records);
	lock_release(lock);
	return nimg < 0 ? -1 : 0;
}

/* Networks in which no container holds an address. */
static int prune_networks(void)
{
	struct network *nets;
	struct record *records;
	int n = network_list(&nets), nrec, rc = 0, first = 1;

	if (n < 0)
		return -1;
	if ((nrec = record_list(&records)) < 0) {
		free(nets);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int used = 0;
		for (int r = 0; r < nrec && !used; r++)
			used = records[r].ep.mode == NET_BRIDGE && !strcmp(records[r].ep.network, nets[i].name);
		/* network_remove checks again, under its lock, for a run now. */
		if (used || network_remove(nets[i].name) < 0) {
			if (!used && err_cause() != EBUSY)
				rc = report_error(1);
			continue;
		}
		printf("%s%s\n", first ? "Deleted Networks:\n" : "", nets[i].name);
		first = 0;
	}
	free(records);
	free(nets);
	return rc;
}

enum { CONTAINERS = 1, IMAGES = 2, NETWORKS = 4 };

static int prune(const char *what, int argc, char **argv, int kinds)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' }, { "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	int opt, force = 0, all = 0, rc = 0;
	long long reclaimed = 0;
	char answer[16] = "", size[32];

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, kinds & IMAGES ? "+fah" : "+fh", options, NULL)) != -1) {
		switch (opt) {
		case 'f': force = 1; break;
		case 'a': all = 1; break;
		case 'h':
			printf("Usage: mydocker %s prune [OPTIONS]\n\nRemove %s.\n\nOptions:\n%s"
			       "  -f, --force   do not ask first\n  -h, --help    print this help\n", what,
			       kinds == CONTAINERS ? "every exited container" :
			       kinds == IMAGES ? "images no container uses (with -a; every image has a tag, so none dangles)" :
			       kinds == NETWORKS ? "every network no container is in" :
			       "exited containers, networks no container is in, and with -a unused images",
			       kinds & IMAGES ? "  -a, --all     every image that no container uses\n" : "");
			return 0;
		default:
			return report_error((err_set("%s prune: unknown option '%s' (see 'mydocker %s prune --help')", what,
						     argv[optind - 1], what), 1));
		}
	}
	if (optind < argc)
		return report_error((err_set("%s prune: takes no arguments", what), 1));
	if (!force) {
		printf("WARNING! This will remove %s.\nAre you sure you want to continue? [y/N] ",
		       kinds == CONTAINERS ? "all stopped containers" : kinds == IMAGES ? (all ? "all images without at least one container associated to them" : "all dangling images") :
		       kinds == NETWORKS ? "all networks not used by at least one container" :
		       "all stopped containers, all networks not used by at least one container and all dangling images");
		fflush(stdout);
		answer[fgets(answer, sizeof answer, stdin) ? strcspn(answer, "\n") : 0] = '\0';
		if (!isatty(0))
			printf("\n");   /* no terminal echoed the answer's newline */
		if (strcasecmp(answer, "y") && strcasecmp(answer, "yes"))
			return report_error((err_set("%s prune: cancelled, nothing removed", what), 1));
	}
	if ((kinds & CONTAINERS) && prune_containers(&reclaimed) < 0)
		rc = report_error(1);
	if ((kinds & NETWORKS) && prune_networks() < 0)
		rc = report_error(1);
	if ((kinds & IMAGES) && prune_images(all, &reclaimed) < 0)
		rc = report_error(1);
	if (kinds != NETWORKS) {
		format_bytes(reclaimed, size, sizeof size);
		printf("Total reclaimed space: %s\n", size);
	}
	return rc;
}

int cmd_container_prune(int argc, char **argv)
{
	return prune("container", argc, argv, CONTAINERS);
}

int cmd_image_prune(int argc, char **argv)
{
	return prune("image", argc, argv, IMAGES);
}

int cmd_network_prune(int argc, char **argv)
{
	return prune("network", argc, argv, NETWORKS);
}

int cmd_system_prune(int argc, char **argv)
{
	return prune("system", argc, argv, CONTAINERS | IMAGES | NETWORKS);
}

/* The layers of every image, each once, and whether an image a container
 * stands on has it. */
struct layer_use {
	char id[LAYER_ID_LEN + 1];
	long long bytes;
	int active;
};

int cmd_system_df(int argc, char **argv)
{
	struct record *records;
	struct image *images;
	struct layer_use *layers;
	int nrec, nimg, nlayers = 0, active_images = 0, running = 0, rc;
	long long image_bytes = 0, image_free = 0, ctr_bytes = 0, ctr_free = 0;
	char path[4096], cells[4][32];

	if ((rc = cli_no_options(argc, argv, "Usage: mydocker system df\n\nShow the disk space that images and "
					     "containers take, and how much of it a prune would give back.\n")) != 0)
		return rc < 0 ? report_error(1) : 0;
	if (optind < argc)
		return report_error((err_set("system df: takes no arguments"), 1));
	if ((nrec = record_list(&records)) < 0)
		return report_error(1);
	if ((nimg = image_list(&images)) < 0 || !(layers = calloc((size_t)nimg * MAX_LAYERS + 1, sizeof *layers))) {
		free(records);
		if (nimg >= 0)
			free(images);
		return report_error((nimg < 0 ? -1 : err_sys("system df"), 1));
	}
	for (int i = 0; i < nimg; i++) {
		int used = image_used(&images[i], records, nrec);
		active_images += used;
		for (int l = 0; l < images[i].nlayers; l++) {
			int k = 0;
			while (k < nlayers && strcmp(layers[k].id, images[i].layers[l]))
				k++;
			if (k == nlayers) {
				snprintf(layers[k].id, sizeof layers[k].id, "%s", images[i].layers[l]);
				if (path_fmt(path, sizeof path, "%s/layers/%s", state_root(), layers[k].id) == 0)
					layers[k].bytes = layer_size(path);
				nlayers++;
			}
			layers[k].active |= used;
		}
	}
	for (int k = 0; k < nlayers; k++) {
		image_bytes += layers[k].bytes;
		image_free += layers[k].active ? 0 : layers[k].bytes;
	}
	for (int i = 0; i < nrec; i++) {
		long long bytes = container_size(records[i].id);
		int up = strcmp(record_state(&records[i]), "exited") != 0;
		running += up;
		ctr_bytes += bytes;
		ctr_free += up ? 0 : bytes;
	}
	format_bytes(image_bytes, cells[0], sizeof cells[0]);
	format_bytes(image_free, cells[1], sizeof cells[1]);
	format_bytes(ctr_bytes, cells[2], sizeof cells[2]);
	format_bytes(ctr_free, cells[3], sizeof cells[3]);
	printf("%-15s %-9s %-9s %-9s %s\n", "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
	printf("%-15s %-9d %-9d %-9s %s (%lld%%)\n", "Images", nimg, active_images, cells[0], cells[1],
	       image_bytes ? image_free * 100 / image_bytes : 0);
	printf("%-15s %-9d %-9d %-9s %s (%lld%%)\n", "Containers", nrec, running, cells[2], cells[3],
	       ctr_bytes ? ctr_free * 100 / ctr_bytes : 0);
	printf("%-15s %-9d %-9d %-9s %s\n", "Local Volumes", 0, 0, "0B", "0B");
	free(layers);
	free(images);
	free(records);
	return 0;
}
