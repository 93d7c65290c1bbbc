//> ch03
#include "image/image.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
//> ch09
#include <dirent.h>
//<
//> final
#include <signal.h>
//<
#include <unistd.h>

#include "error.h"
#include "exec.h"
#include "file.h"
#include "lock.h"
#include "parse.h"

const char *state_root(void)
{
	const char *root = getenv("MYDOCKER_ROOT");

	return root && *root ? root : "/var/lib/mydocker";
}

/* Whether the ELF file at path has no program interpreter, i.e. runs
 * without the host's /lib: the only kind that works inside a bare image. */
static int is_static(const char *path)
{
	unsigned char buf[4096];
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, buf, sizeof buf);
		close(fd);
	}
	if (n < (ssize_t)sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS64)
		return err_set("%s is not a 64-bit ELF program", path);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	for (int i = 0; i < eh->e_phnum; i++) {
		size_t off = eh->e_phoff + (size_t)i * eh->e_phentsize;
		if (off + sizeof(Elf64_Phdr) > (size_t)n)
			break;
		if (((Elf64_Phdr *)(buf + off))->p_type == PT_INTERP)
			return err_set("%s is dynamically linked and cannot run inside an image: "
				       "install a static busybox (apt-get install busybox-static)", path);
	}
	return 0;
}

static int find_busybox(char *out, size_t size)
{
	const char *env = getenv("MYDOCKER_BUSYBOX"), *path = getenv("PATH");
	char dirs[4096];

	if (env && *env)
		return path_fmt(out, size, "%s", env);
	snprintf(dirs, sizeof dirs, "%s:/bin:/usr/bin:/sbin:/usr/sbin", path ? path : "");
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (path_fmt(out, size, "%s/busybox", d) == 0 && access(out, X_OK) == 0)
			return 0;
	return err_set("no busybox on this host: install a static one (apt-get install busybox-static)");
}

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
static const char group[] = "root:x:0:\nnobody:x:65534:\n";

/* The layer's tree: busybox, a link per applet, the directories a root needs. */
static int fill_busybox_layer(const char *dir, const char *busybox)
{
	static char list[16384];
	char path[PATH_MAX];
	char *argv[] = { (char *)busybox, "--list-full", NULL };
	static const char *const dirs[] = { "bin", "sbin", "usr/bin", "usr/sbin", "etc", "root",
					    "proc", "sys", "dev", "tmp" };

	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
		if (path_fmt(path, sizeof path, "%s/%s", dir, dirs[i]) < 0 || mkdir_p(path, 0755) < 0)
			return -1;
	if (path_fmt(path, sizeof path, "%s/tmp", dir) < 0 || chmod(path, 01777) < 0)
		return err_sys("chmod %s", path);
	if (path_fmt(path, sizeof path, "%s/bin/busybox", dir) < 0 || copy_file(busybox, path, 0755) < 0)
		return -1;
	if (run_argv_output(argv, list, sizeof list) != 0)
		return err_set("%s --list-full failed", busybox);
	for (char *save, *l = strtok_r(list, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(l, "bin/busybox") || strstr(l, ".."))
			continue;
		if (path_fmt(path, sizeof path, "%s/%s", dir, l) < 0)
			return -1;
		*strrchr(path, '/') = '\0';
		if (mkdir_p(path, 0755) < 0 || path_fmt(path, sizeof path, "%s/%s", dir, l) < 0)
			return -1;
		if (symlink("/bin/busybox", path) < 0 && errno != EEXIST)
			return err_sys("symlink %s", path);
	}
	if (path_fmt(path, sizeof path, "%s/etc/passwd", dir) < 0 ||
	    write_file_atomic(path, passwd, strlen(passwd)) < 0 ||
	    path_fmt(path, sizeof path, "%s/etc/group", dir) < 0 ||
	    write_file_atomic(path, group, strlen(group)) < 0)
		return -1;
	return 0;
}

/* Where image name keeps its layer list. */
//> ch03 ch09
//- static int image_file(const char *name, char *out, size_t size)
//- {
	//- if (!valid_name(name))
		//- return err_set("invalid image name '%s': use letters, digits, '_', '.' and '-'", name);
	//- return path_fmt(out, size, "%s/images/%s/layers", state_root(), name);
//- }
//<
//> ch09
static int image_file(const char *ref, char *out, size_t size)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1];

	if (image_ref(ref, repo, tag) < 0)
		return -1;
	return path_fmt(out, size, "%s/images/%s/%s/layers", state_root(), repo, tag);
}
//<

//> final
/* The layers a commit or import killed halfway left: .tmp-PID-ID, whose
 * PID is gone. (A PID reused since keeps one until that process ends.) */
static void sweep_half_layers(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);
	int pid;

	while (d && (e = readdir(d)))
		if (sscanf(e->d_name, ".tmp-%d-", &pid) == 1 && pid > 0 && kill(pid, 0) < 0 && errno == ESRCH &&
		    path_fmt(path, sizeof path, "%s/%s", dir, e->d_name) == 0)
			remove_tree(path);
	if (d)
		closedir(d);
}

//<
int layer_start(char id[LAYER_ID_LEN + 1], char *tmp, size_t size)
{
	unsigned char rnd[LAYER_ID_LEN / 2];
	char dir[PATH_MAX];

	if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		return err_sys("getrandom");
	for (size_t i = 0; i < sizeof rnd; i++)
		sprintf(id + 2 * i, "%02x", rnd[i]);
//> ch03 final
	//- if (path_fmt(dir, sizeof dir, "%s/layers", state_root()) < 0 || mkdir_p(dir, 0700) < 0 ||
	//-     path_fmt(tmp, size, "%s/.tmp-%s", dir, id) < 0)
	//- 	return -1;
//<
//> final
	/* Named by our PID, so that the next one can tell it was ours. */
	if (path_fmt(dir, sizeof dir, "%s/layers", state_root()) < 0 || mkdir_p(dir, 0700) < 0 ||
	    path_fmt(tmp, size, "%s/.tmp-%d-%s", dir, (int)getpid(), id) < 0)
		return -1;
	sweep_half_layers(dir);
//<
	if (mkdir(tmp, 0755) < 0)
		return err_sys("mkdir %s", tmp);
	return 0;
}

int image_make_busybox(void)
{
	char busybox[PATH_MAX], tmp[PATH_MAX], layer[PATH_MAX], path[PATH_MAX], id[LAYER_ID_LEN + 2];
	int lock = -1, rc = -1;

	if (find_busybox(busybox, sizeof busybox) < 0 || is_static(busybox) < 0)
		return -1;
	if (image_file(DEFAULT_IMAGE, path, sizeof path) < 0)
		return -1;
	*strrchr(path, '/') = '\0';
	if (mkdir_p(path, 0755) < 0 || path_fmt(path, sizeof path, "%s/images/.lock", state_root()) < 0)
		return -1;
	/* Two first runs at once: one makes the image, the other waits and uses it. */
	if ((lock = lock_take(path)) < 0)
		return -1;
	if (image_file(DEFAULT_IMAGE, path, sizeof path) < 0)
		goto done;
	if (file_exists(path)) {
		rc = 0;
		goto done;
	}
	say("image %s not found: making it from %s", DEFAULT_IMAGE, busybox);
	if (layer_start(id, tmp, sizeof tmp) < 0 ||
	    path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), id) < 0)
		goto done;
	if (fill_busybox_layer(tmp, busybox) < 0 || rename(tmp, layer) < 0) {
		err_wrap("make image " DEFAULT_IMAGE);
		remove_tree(tmp);
		goto done;
	}
	strcat(id, "\n");
	if (write_file_durable(path, id, strlen(id)) < 0) {
		remove_tree(layer);
		goto done;
	}
	rc = 0;
done:
	lock_release(lock);
	return rc;
}

/* The layer IDs in a layer list file, top first (at most max); returns how many. */
static int read_layers(const char *file, char ids[][LAYER_ID_LEN + 1], int max)
{
	char list[MAX_LAYERS * (LAYER_ID_LEN + 1) + 1];
	int n = 0;

	if (read_file(file, list, sizeof list) < 0)
		return -1;
	for (char *save, *id = strtok_r(list, "\n", &save); id && n < max; id = strtok_r(NULL, "\n", &save)) {
		if (!valid_name(id) || strlen(id) > LAYER_ID_LEN)
			return err_set("corrupt layer list %s", file);
		snprintf(ids[n++], LAYER_ID_LEN + 1, "%s", id);
	}
	if (n == 0)
		return err_set("empty layer list %s", file);
	return n;
}

int image_layers(const char *name, char layers[][4096], int max)
{
	char path[PATH_MAX], def[PATH_MAX], ids[MAX_LAYERS][LAYER_ID_LEN + 1];
	int n;

	if (image_file(name, path, sizeof path) < 0 || image_file(DEFAULT_IMAGE, def, sizeof def) < 0)
		return -1;
	if (!file_exists(path)) {
		if (strcmp(path, def) != 0)
			return err_set("no such image: %s", name);
		if (image_make_busybox() < 0)
			return -1;
	}
	if ((n = read_layers(path, ids, max < MAX_LAYERS ? max : MAX_LAYERS)) < 0)
		return err_wrap("image %s", name);
	for (int i = 0; i < n; i++)
		if (path_fmt(layers[i], 4096, "%s/layers/%s", state_root(), ids[i]) < 0)
			return -1;
	return n;
}
//> ch09

int image_ref(const char *ref, char repo[NAME_LEN + 1], char tag[NAME_LEN + 1])
{
	const char *colon = strchr(ref, ':');
	size_t len = colon ? (size_t)(colon - ref) : strlen(ref);

	snprintf(repo, NAME_LEN + 1, "%.*s", (int)(len < NAME_LEN ? len : NAME_LEN), ref);
	snprintf(tag, NAME_LEN + 1, "%s", colon ? colon + 1 : DEFAULT_TAG);
	if (len > NAME_LEN || (colon && strlen(colon + 1) > NAME_LEN) || !valid_name(repo) || !valid_name(tag))
		return err_set("invalid image name '%s': use REPOSITORY[:TAG], each of letters, digits, "
			       "'_', '.' and '-', at most %d long", ref, NAME_LEN);
	return 0;
}

int image_exists(const char *ref)
{
	char path[PATH_MAX];

	return image_file(ref, path, sizeof path) == 0 && file_exists(path);
}

/* Read images/REPO/TAG into img. */
static int image_read(const char *repo, const char *tag, struct image *img)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(img->repo, sizeof img->repo, "%s", repo);
	snprintf(img->tag, sizeof img->tag, "%s", tag);
	if (path_fmt(path, sizeof path, "%s/images/%s/%s/layers", state_root(), repo, tag) < 0)
		return -1;
	if (stat(path, &st) < 0)
		return err_sys("image %s:%s", repo, tag);
	img->created = st.st_mtime;   /* the list is written once, when the image is made */
	if ((img->nlayers = read_layers(path, img->layers, MAX_LAYERS)) < 0)
		return err_wrap("image %s:%s", repo, tag);
	return 0;
}

/* The names in dir that are valid names, sorted (*out malloc'd); -1 on error. */
static int list_names(const char *dir, struct dirent ***out)
{
	int n = scandir(dir, out, NULL, alphasort);

	if (n < 0)
		return errno == ENOENT ? (*out = NULL, 0) : err_sys("read %s", dir);
	for (int i = 0; i < n; i++)
		if (!valid_name((*out)[i]->d_name)) {
			free((*out)[i]);
			(*out)[i--] = (*out)[--n];
		}
	return n;
}

static int newest_first(const void *a, const void *b)
{
	const struct image *x = a, *y = b;

	return (y->created > x->created) - (y->created < x->created);
}

int image_list(struct image **out)
{
	char dir[PATH_MAX];
	struct dirent **repos = NULL, **tags = NULL;
	int nrepos, ntags, n = 0, cap = 0;
	struct image *list = NULL, *grown;

	if (path_fmt(dir, sizeof dir, "%s/images", state_root()) < 0 || (nrepos = list_names(dir, &repos)) < 0)
		return -1;
	for (int r = 0; r < nrepos; r++) {
		if (path_fmt(dir, sizeof dir, "%s/images/%s", state_root(), repos[r]->d_name) < 0 ||
		    (ntags = list_names(dir, &tags)) < 0)
			ntags = 0;
		for (int t = 0; t < ntags; t++) {
			if (n == cap && (grown = realloc(list, (cap * 2 + 8) * sizeof *list))) {
				list = grown;
				cap = cap * 2 + 8;
			}
			/* Anything but a directory is not a tag (chapters 3-8 kept
			 * a file images/NAME/layers). */
			if (n < cap && (tags[t]->d_type == DT_DIR || tags[t]->d_type == DT_UNKNOWN)) {
				if (image_read(repos[r]->d_name, tags[t]->d_name, &list[n]) == 0)
					n++;
				else
					report_error(0);
			}
			free(tags[t]);
		}
		free(tags);
		free(repos[r]);
	}
	free(repos);
	if (n > 1)   /* qsort's array may not be NULL, even for none */
		qsort(list, n, sizeof *list, newest_first);
	*out = list;
	return n;
}

/* Making and removing images, one at a time: each sees the others whole. */
static int images_lock(void)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof path, "%s/images", state_root()) < 0 || mkdir_p(path, 0755) < 0 ||
	    path_fmt(path, sizeof path, "%s/images/.lock", state_root()) < 0)
		return -1;
	return lock_take(path);
}

/* rmdir images/REPO/TAG and images/REPO where they are empty. */
static void remove_empty_dirs(const char *repo, const char *tag)
{
	char dir[PATH_MAX];

	if (path_fmt(dir, sizeof dir, "%s/images/%s/%s", state_root(), repo, tag) == 0)
		rmdir(dir);
	if (path_fmt(dir, sizeof dir, "%s/images/%s", state_root(), repo) == 0)
		rmdir(dir);
}

int image_publish(const char *ref, const char *tmp, const char *id, const char *base)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], file[PATH_MAX], layer[PATH_MAX] = "";
	char list[(MAX_LAYERS + 1) * (LAYER_ID_LEN + 1) + 1];
	struct image below = { .nlayers = 0 };
	int lock = -1, rc = -1;
	size_t len;

	if (image_ref(ref, repo, tag) < 0 || (lock = images_lock()) < 0 || image_file(ref, file, sizeof file) < 0)
		goto done;
	if (file_exists(file)) {
		err_set("image %s:%s already exists: choose another name or tag", repo, tag);
		goto done;
	}
	if (base) {
		char brepo[NAME_LEN + 1], btag[NAME_LEN + 1];
		if (image_ref(base, brepo, btag) < 0 || image_read(brepo, btag, &below) < 0)
			goto done;
	}
	if (below.nlayers >= MAX_LAYERS) {
		err_set("image %s has %d layers, the most this runtime stacks", base, below.nlayers);
		goto done;
	}
	len = snprintf(list, sizeof list, "%s\n", id);
	for (int i = 0; i < below.nlayers; i++)
		len += snprintf(list + len, sizeof list - len, "%s\n", below.layers[i]);
	if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), id) < 0)
		goto done;
	if (rename(tmp, layer) < 0) {
		err_sys("rename %s to %s", tmp, layer);
		layer[0] = '\0';
		goto done;
	}
	/* The list last: until it exists, the image does not. */
	*strrchr(file, '/') = '\0';
	if (mkdir_p(file, 0755) < 0)
		goto done;
	strcat(file, "/layers");
	rc = write_file_durable(file, list, len);
done:
	if (rc < 0) {
		ERR_KEEP;   /* the step that failed is the one to report */
		remove_tree(layer[0] ? layer : tmp);
		if (lock >= 0)
			remove_empty_dirs(repo, tag);
	}
	lock_release(lock);
	return rc;
}

/* Whether stack (top first) is base with more layers on top. */
static int built_on(const struct image *stack, const struct image *base)
{
	int extra = stack->nlayers - base->nlayers;

	if (extra <= 0)
		return 0;
	for (int i = 0; i < base->nlayers; i++)
		if (strcmp(stack->layers[extra + i], base->layers[i]) != 0)
			return 0;
	return 1;
}

static int has_layer(const struct image *img, const char *id)
{
	for (int i = 0; i < img->nlayers; i++)
		if (!strcmp(img->layers[i], id))
			return 1;
	return 0;
}

int image_remove(const char *ref, char freed[][LAYER_ID_LEN + 1])
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1], file[PATH_MAX], layer[PATH_MAX];
	struct image img, *all = NULL;
	int lock = -1, n = -1, nall = 0;

	if (image_ref(ref, repo, tag) < 0 || image_file(ref, file, sizeof file) < 0)
		return -1;
	if ((lock = images_lock()) < 0)
		return -1;
	if (!file_exists(file)) {
		err_set("no such image: %s", ref);
		goto done;
	}
//> ch09 final
	//- if (image_read(repo, tag, &img) < 0 || (nall = image_list(&all)) < 0)
	//- 	goto done;
//<
//> final
	/* Unreadable, it still goes: the layers it named, unknown now, stay. */
	if (image_read(repo, tag, &img) < 0) {
		warn("%s: removing it, and none of its layers", err_msg());
		memset(&img, 0, sizeof img);
	}
	if ((nall = image_list(&all)) < 0)
		goto done;
//<
	for (int i = 0; img.nlayers && i < nall; i++)
		if (built_on(&all[i], &img)) {
			err_set("image %s is the base of image %s:%s: remove that one first", ref, all[i].repo,
				all[i].tag);
			goto done;
		}
	if (unlink(file) < 0) {
		err_sys("remove %s", file);
		goto done;
	}
	remove_empty_dirs(repo, tag);
	n = 0;
	for (int l = 0; l < img.nlayers; l++) {
		int shared = 0;
		for (int i = 0; i < nall && !shared; i++)
			shared = (strcmp(all[i].repo, repo) || strcmp(all[i].tag, tag)) && has_layer(&all[i], img.layers[l]);
		if (shared)
			continue;
		if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), img.layers[l]) < 0 ||
		    remove_tree(layer) < 0) {
			n = err_wrap("image %s: its layer %s", ref, img.layers[l]);
			break;
		}
		snprintf(freed[n++], LAYER_ID_LEN + 1, "%s", img.layers[l]);
	}
done:
	free(all);
	lock_release(lock);
	return n;
}
//<
//> final

int image_tag(const char *source, const char *target)
{
	char srepo[NAME_LEN + 1], stag[NAME_LEN + 1], trepo[NAME_LEN + 1], ttag[NAME_LEN + 1], file[PATH_MAX];
	char list[MAX_LAYERS * (LAYER_ID_LEN + 1) + 1];
	struct image img, there;
	int lock, rc = -1;
	size_t len = 0;

	if (image_ref(source, srepo, stag) < 0 || image_ref(target, trepo, ttag) < 0 ||
	    image_file(target, file, sizeof file) < 0 || (lock = images_lock()) < 0)
		return -1;
	if (!image_exists(source)) {
		err_set("no such image: %s", source);
		goto done;
	}
	if (image_read(srepo, stag, &img) < 0)
		goto done;
	if (image_read(trepo, ttag, &there) == 0) {
		/* Moved, the other stack's layers would belong to no image. */
		int same = there.nlayers == img.nlayers;
		for (int i = 0; same && i < img.nlayers; i++)
			same = !strcmp(there.layers[i], img.layers[i]);
		rc = same ? 0 : err_set("image %s:%s exists, with other layers: rmi it first", trepo, ttag);
		goto done;
	}
	for (int i = 0; i < img.nlayers; i++)
		len += snprintf(list + len, sizeof list - len, "%s\n", img.layers[i]);
	/* The list is the image: written whole (a new file, renamed in). */
	*strrchr(file, '/') = '\0';
	if (mkdir_p(file, 0755) < 0)
		goto done;
	strcat(file, "/layers");
	if ((rc = write_file_durable(file, list, len)) < 0)
		remove_empty_dirs(trepo, ttag);
done:
	lock_release(lock);
	return rc;
}
//<
