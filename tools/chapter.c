/* chapter: write one chapter's sources (or its starter) from final/.
 *
 *   chapter [--starter] N SRC DST
 *
 * Every .c and .h file of SRC is filtered through its markers (markers.h)
 * for chapter N and written to DST when something is left of it; sources in
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

int main(int argc, char **argv)
{
	int starter = argc > 1 && !strcmp(argv[1], "--starter");
	char path[4096], err[256];
	struct dirent *e;
	DIR *d;
	int ch, rc = 0;

	argv += starter;
	argc -= starter;
	if (argc != 4 || (ch = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: chapter [--starter] N SRC DST\n");
		return 2;
	}
	const char *src = argv[2], *dst = argv[3];
	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "chapter: mkdir %s: %s\n", dst, strerror(errno));
		return 1;
	}
	if (!(d = opendir(src))) {
		fprintf(stderr, "chapter: %s: %s\n", src, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		char *text, *out;
		if (!is_source(e->d_name))
			continue;
		snprintf(path, sizeof path, "%s/%s", src, e->d_name);
		if (!(text = slurp(path))) {
			fprintf(stderr, "chapter: read %s: %s\n", path, strerror(errno));
			rc = 1;
			continue;
		}
		if (markers_filter(text, ch, starter, &out, err, sizeof err) < 0) {
			fprintf(stderr, "%s: %s\n", path, err);
			rc = 1;
		} else {
			snprintf(path, sizeof path, "%s/%s", dst, e->d_name);
			if (blank(out)) {
				if (remove(path) < 0 && errno != ENOENT)
					rc = 1;
			} else if (update(path, out) < 0) {
				rc = 1;
			}
			free(out);
		}
		free(text);
	}
	closedir(d);
	/* Sources that final/ no longer has. */
	if ((d = opendir(dst))) {
		while ((e = readdir(d))) {
			snprintf(path, sizeof path, "%s/%s", src, e->d_name);
			if (is_source(e->d_name) && access(path, F_OK) < 0) {
				snprintf(path, sizeof path, "%s/%s", dst, e->d_name);
				remove(path);
			}
		}
		closedir(d);
	}
	return rc;
}
