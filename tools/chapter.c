/* chapter: write one chapter's sources (or its starter) from final/.
 *
 *   chapter [--starter] N SRC DST
 *
 * Every .c and .h file under SRC is filtered through its markers (markers.h)
 * for chapter N and written to the same path under DST when something is
 * left of it; a folder the chapter has no file of is not written. Sources in
 * DST that the chapter no longer has are removed. Other files (README.md,
 * the built binary) are left alone. Unchanged files are not rewritten, so
 * make does not rebuild what did not change.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "markers.h"

static int is_source(const char *name)
{
	const char *dot = strrchr(name, '.');
	return name[0] != '.' && dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h"));
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {   /* sources hold no NUL: reads it all */
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\n")] == '\0';
}

/* Write text to path unless it already holds exactly that. */
static int update(const char *path, const char *text)
{
	char *old = slurp(path);
	int same = old && !strcmp(old, text);
	FILE *f;

	free(old);
	if (same)
		return 0;
	if (!(f = fopen(path, "w")) || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "chapter: write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* One source file: filtered into dst, or dst removed when nothing is left. */
static int write_file(const char *from, const char *to, int ch, int starter)
{
	char err[256], *text, *out;
	int rc = 0;

	if (!(text = slurp(from))) {
		fprintf(stderr, "chapter: read %s: %s\n", from, strerror(errno));
		return -1;
	}
	if (markers_filter(text, ch, starter, &out, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", from, err);
		rc = -1;
	} else {
		if (blank(out)) {
			if (remove(to) < 0 && errno != ENOENT)
				rc = -1;
		} else if (update(to, out) < 0) {
			rc = -1;
		}
		free(out);
	}
	free(text);
	return rc;
}

/* What dst holds that src no longer has: sources, and folders of them. */
static void prune(const char *src, const char *dst)
{
	char from[4096], to[4096];
	struct dirent *e;
	DIR *d = opendir(dst);

	if (!d)
		return;
	while ((e = readdir(d))) {
		snprintf(from, sizeof from, "%s/%s", src, e->d_name);
		snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			prune(from, to);
			rmdir(to);   /* only when empty: a chapter's other files stay */
		} else if (is_source(e->d_name) && access(from, F_OK) < 0) {
			remove(to);
		}
	}
	closedir(d);
}

/* Every source under src into dst, folder by folder; a folder that ends up
 * without sources (the chapter has none of its files) is not left behind. */
static int write_dir(const char *src, const char *dst, int ch, int starter)
{
	char from[4096], to[4096];
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "chapter: mkdir %s: %s\n", dst, strerror(errno));
		return -1;
	}
	if (!(d = opendir(src))) {
		fprintf(stderr, "chapter: %s: %s\n", src, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		snprintf(from, sizeof from, "%s/%s", src, e->d_name);
		snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
		if (e->d_type == DT_DIR && e->d_name[0] != '.') {
			if (write_dir(from, to, ch, starter) < 0)
				rc = -1;
			rmdir(to);   /* fails, as it should, when the chapter has files there */
		} else if (is_source(e->d_name) && write_file(from, to, ch, starter) < 0) {
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int starter = argc > 1 && !strcmp(argv[1], "--starter");
	int ch;

	argv += starter;
	argc -= starter;
	if (argc != 4 || (ch = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: chapter [--starter] N SRC DST\n");
		return 2;
	}
	int rc = write_dir(argv[2], argv[3], ch, starter) < 0;
	prune(argv[2], argv[3]);
	return rc;
}
