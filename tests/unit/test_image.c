//> ch09
/* Unit tests: image/image.c (references, publishing, listing and removing
 * images on a temporary $MYDOCKER_ROOT) and image/layer.c (the copy of an
 * upper directory: whiteouts, opaque directories, links, owners, xattrs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "image/image.h"
#include "image/layer.h"
#include "temp_root.h"

static void rand_name(char *out, int len)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
	out[0] = chars[rand() % 62];   /* a letter or digit first */
	for (int i = 1; i < len; i++)
		out[i] = chars[rand() % (sizeof chars - 1)];
	out[len] = '\0';
}

static void references(void **state)
{
	(void)state;
	char ref[2 * NAME_LEN + 2], name[NAME_LEN + 1], tag[NAME_LEN + 1], repo[NAME_LEN + 1], t[NAME_LEN + 1];

	for (int i = 0; i < 200; i++) {
		rand_name(name, 1 + rand() % NAME_LEN);
		rand_name(tag, 1 + rand() % NAME_LEN);
		snprintf(ref, sizeof ref, "%s:%s", name, tag);
		assert_int_equal(image_ref(ref, repo, t), 0);
		assert_string_equal(repo, name);
		assert_string_equal(t, tag);
		assert_int_equal(image_ref(name, repo, t), 0);
		assert_string_equal(repo, name);
		assert_string_equal(t, DEFAULT_TAG);
	}
	/* Too long: one character over, in either part. */
	char longer[NAME_LEN + 2];
	rand_name(longer, NAME_LEN + 1);
	assert_int_equal(image_ref(longer, repo, t), -1);
	rand_name(tag, NAME_LEN);
	snprintf(ref, sizeof ref, "a:%sx", tag);
	assert_int_equal(image_ref(ref, repo, t), -1);
	const char *bad[] = { "", ":", "a:", ":a", "a:b:c", "a/b", "../a", "-a", "a:-b", ".a", "a b", "a:b c", "a\n" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(image_ref(bad[i], repo, t), -1);
		assert_non_null(strstr(err_msg(), "invalid image name"));
	}
}

/* A finished layer holding one file named after the layer; returns its ID. */
static const char *make_layer(char id[LAYER_ID_LEN + 1])
{
	char tmp[PATH_MAX], file[PATH_MAX];

	assert_int_equal(layer_start(id, tmp, sizeof tmp), 0);
	assert_int_equal(path_fmt(file, sizeof file, "%s/%s", tmp, id), 0);
	assert_int_equal(create_file(file, id), 0);
	static char keep[PATH_MAX];
	snprintf(keep, sizeof keep, "%s", tmp);
	return keep;
}

static int layer_there(const char *id)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/layers/%s", root, id);
	return file_exists(path);
}

static void publish_list_remove(void **state)
{
	(void)state;
	char a[LAYER_ID_LEN + 1], b[LAYER_ID_LEN + 1], c[LAYER_ID_LEN + 1], base[NAME_LEN + 1];
	char top[NAME_LEN + 8], other[NAME_LEN + 8], freed[MAX_LAYERS][LAYER_ID_LEN + 1];
	struct image *list;
	const char *tmp;

	rand_name(base, 1 + rand() % 20);
	snprintf(top, sizeof top, "%s:t%d", base, rand() % 1000);
	snprintf(other, sizeof other, "%s:o%d", base, rand() % 1000);
	tmp = make_layer(a);
	assert_int_equal(image_publish(base, tmp, a, NULL), 0);
	assert_false(file_exists(tmp));
	assert_true(layer_there(a));
	assert_true(image_exists(base));
	/* Two images on top of base, sharing its layer. */
	tmp = make_layer(b);
	assert_int_equal(image_publish(top, tmp, b, base), 0);
	tmp = make_layer(c);
	assert_int_equal(image_publish(other, tmp, c, base), 0);
	/* A taken name: refused, and the new layer is gone. */
	char d[LAYER_ID_LEN + 1];
	tmp = make_layer(d);
	assert_int_equal(image_publish(top, tmp, d, base), -1);
	assert_non_null(strstr(err_msg(), "already exists"));
	assert_false(file_exists(tmp));
	assert_false(layer_there(d));

	assert_int_equal(image_list(&list), 3);
	for (int i = 0; i < 3; i++) {
		const struct image *img = &list[i];
		assert_string_equal(img->repo, base);
		if (!strcmp(img->tag, DEFAULT_TAG)) {
			assert_int_equal(img->nlayers, 1);
			assert_string_equal(img->layers[0], a);
		} else {
			assert_int_equal(img->nlayers, 2);
			assert_string_equal(img->layers[1], a);
			assert_string_equal(img->layers[0], !strcmp(img->tag, strchr(top, ':') + 1) ? b : c);
		}
	}
	free(list);

	/* base holds up two images; each removal frees its own layer only. */
	assert_int_equal(image_remove(base, freed), -1);
	assert_non_null(strstr(err_msg(), "base of image"));
	assert_int_equal(image_remove(top, freed), 1);
	assert_string_equal(freed[0], b);
	assert_false(layer_there(b));
	assert_true(layer_there(a));
	assert_int_equal(image_remove(other, freed), 1);
	assert_int_equal(image_remove(base, freed), 1);
	assert_string_equal(freed[0], a);
	assert_false(layer_there(a));
	assert_int_equal(image_remove(base, freed), -1);
	assert_non_null(strstr(err_msg(), "no such image"));
	assert_int_equal(image_list(&list), 0);
	free(list);
}

static void at(char *out, const char *dir, const char *rel)
{
	assert_int_equal(path_fmt(out, PATH_MAX, "%s/%s", dir, rel), 0);
}

/* An upper directory as overlayfs leaves it, copied: what must stay, stays. */
static void copy_keeps_what_overlay_means(void **state)
{
	(void)state;
	char from[PATH_MAX], to[PATH_MAX], p[PATH_MAX], q[PATH_MAX], data[64], buf[64];
	struct stat st, st2;
	uid_t uid = 1000 + rand() % 60000;
	time_t when = 1000000000 + rand() % 100000000;

	at(from, root, "upper");
	at(to, root, "layer");
	snprintf(data, sizeof data, "%d", rand());
	at(p, from, "etc/deep/file");
	assert_int_equal(mkdir_p(p, 0755), 0);
	rmdir(p);
	assert_int_equal(create_file(p, data), 0);
	assert_int_equal(chown(p, uid, uid), 0);
	assert_int_equal(chmod(p, 04751), 0);
	assert_int_equal(utimensat(AT_FDCWD, p, (struct timespec[]){ { when, 0 }, { when, 0 } }, 0), 0);
	at(q, from, "etc/hardlink");
	assert_int_equal(link(p, q), 0);
	at(p, from, "etc/symlink");
	assert_int_equal(symlink("deep/file", p), 0);
	at(p, from, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	/* A whiteout: a deleted lower file. */
	at(p, from, "etc/gone");
	assert_int_equal(mknod(p, S_IFCHR | 0, makedev(0, 0)), 0);
	/* An opaque directory, with overlay's bookkeeping beside the mark. */
	at(p, from, "opaque");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(setxattr(p, "trusted.overlay.opaque", "y", 1, 0), 0);
	assert_int_equal(setxattr(p, "trusted.overlay.impure", "y", 1, 0), 0);
	assert_int_equal(setxattr(p, "user.note", data, strlen(data), 0), 0);

	assert_int_equal(mkdir(to, 0755), 0);
	assert_int_equal(layer_copy(from, to), 0);

	at(p, to, "etc/deep/file");
	assert_int_equal(read_file(p, buf, sizeof buf), (ssize_t)strlen(data));
	assert_string_equal(buf, data);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_uid, uid);
	assert_int_equal(st.st_mode & 07777, 04751);
	assert_int_equal(st.st_mtime, when);
	at(q, to, "etc/hardlink");
	assert_int_equal(lstat(q, &st2), 0);
	assert_int_equal(st2.st_ino, st.st_ino);
	at(p, to, "etc/symlink");
	assert_int_equal(readlink(p, buf, sizeof buf), 9);
	assert_memory_equal(buf, "deep/file", 9);
	at(p, to, "fifo");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	at(p, to, "etc/gone");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
	at(p, to, "opaque");
	assert_int_equal(lgetxattr(p, "trusted.overlay.opaque", buf, sizeof buf), 1);
	assert_int_equal(buf[0], 'y');
	assert_int_equal(lgetxattr(p, "trusted.overlay.impure", buf, sizeof buf), -1);
	assert_int_equal(lgetxattr(p, "user.note", buf, sizeof buf), (ssize_t)strlen(data));
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	/* What a file holds is counted, once per name. */
	assert_int_equal(layer_size(to), 2 * (long long)strlen(data) + 9);
}

int main(void)
{
	seed_random();
#define T(f) cmocka_unit_test_setup_teardown(f, make_root, remove_root)
	const struct CMUnitTest tests[] = {
		T(references),
		T(publish_list_remove),
		T(copy_keeps_what_overlay_means),
	};
	return report_seed(cmocka_run_group_tests_name("image", tests, NULL, NULL));
}
