/* mktar OUT ENTRY...: a tar archive of exactly the members the tests name,
 * hostile ones too, which no well-behaved tar would write (pax format).
 *   f:NAME[:MODE[:UID:GID[:XATTR=VALUE]]]   a file holding "NAME\n"
 *   d:NAME        a directory      l:NAME:TARGET   a symbolic link
 *   h:NAME:TARGET a hard link to TARGET
 * OUT ending in .gz is gzip-compressed. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void die(struct archive *a, const char *what)
{
	fprintf(stderr, "mktar: %s: %s\n", what, a ? archive_error_string(a) : "bad entry");
	exit(2);
}

int main(int argc, char **argv)
{
	struct archive *a = archive_write_new();
	size_t len;

	if (argc < 2) {
		fprintf(stderr, "usage: mktar OUT ENTRY...\n");
		return 2;
	}
	archive_write_set_format_pax(a);
	len = strlen(argv[1]);
	if (len > 3 && !strcmp(argv[1] + len - 3, ".gz"))
		archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, argv[1]) != ARCHIVE_OK)
		die(a, argv[1]);
	for (int i = 2; i < argc; i++) {
		char *spec = strdup(argv[i]), *kind = strtok(spec, ":"), *name = strtok(NULL, ":");
		char *f3 = strtok(NULL, ":"), *f4 = strtok(NULL, ":"), *f5 = strtok(NULL, ":"), *f6 = strtok(NULL, "");
		struct archive_entry *e = archive_entry_new();
		char data[4200];

		if (!kind || !name)
			die(NULL, argv[i]);
		archive_entry_set_pathname(e, name);
		archive_entry_set_mtime(e, 1700000000, 0);
		snprintf(data, sizeof data, "%s\n", name);
		switch (kind[0]) {
		case 'f':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, f3 ? strtol(f3, NULL, 8) : 0644);
			if (f4 && f5) {
				archive_entry_set_uid(e, atoi(f4));
				archive_entry_set_gid(e, atoi(f5));
			}
			if (f6 && strchr(f6, '=')) {
				*strchr(f6, '=') = '\0';
				archive_entry_xattr_add_entry(e, f6, f6 + strlen(f6) + 1, strlen(f6 + strlen(f6) + 1));
			}
			archive_entry_set_size(e, strlen(data));
			break;
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			break;
		case 'l':
			if (!f3)
				die(NULL, argv[i]);
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, f3);
			break;
		case 'h':
			if (!f3)
				die(NULL, argv[i]);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_hardlink(e, f3);
			break;
		default:
			die(NULL, argv[i]);
		}
		if (archive_write_header(a, e) != ARCHIVE_OK)
			die(a, argv[i]);
		if (kind[0] == 'f' && archive_write_data(a, data, strlen(data)) < 0)
			die(a, argv[i]);
		archive_entry_free(e);
		free(spec);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		die(a, argv[1]);
	archive_write_free(a);
	return 0;
}
