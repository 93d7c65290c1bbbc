//> final
#include "pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include "error.h"

static int failed(struct archive *a, const char *what)
{
	const char *why = archive_error_string(a);

	return err_set("%s%s%s", what ? what : "", what ? ": " : "", why ? why : "cannot write the archive");
}

/* One entry, and the file's bytes when it has them. */
static int write_entry(struct archive *disk, struct archive *out, struct archive_entry *e)
{
	char buf[65536];
	ssize_t n;

	if (archive_write_header(out, e) < ARCHIVE_WARN)
		return failed(out, archive_entry_pathname(e));
	if (archive_entry_size(e) > 0)
		while ((n = archive_read_data(disk, buf, sizeof buf)) != 0) {
			if (n < 0)
				return failed(disk, archive_entry_pathname(e));
			if (archive_write_data(out, buf, n) < 0)
				return failed(out, archive_entry_pathname(e));
		}
	return 0;
}

int pack_tree(const char *dir, int fd)
{
	struct archive *disk = archive_read_disk_new(), *out = archive_write_new();
	struct archive_entry_linkresolver *links = archive_entry_linkresolver_new();
	struct archive_entry *e = NULL, *sparse = NULL;
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), rc = -1, r;

	if (!disk || !out || !links) {
		err_set("out of memory");
		goto done;
	}
	/* Names relative to dir, "./x" as `tar -C dir .` writes them. */
	if (chdir(dir) < 0) {
		err_sys("%s", dir);
		goto done;
	}
	archive_write_set_format_pax_restricted(out);
	archive_entry_linkresolver_set_strategy(links, archive_format(out));
	/* Physical: a link is archived, never followed; one filesystem only. */
	archive_read_disk_set_symlink_physical(disk);
	archive_read_disk_set_behavior(disk, ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
	if (archive_write_open_fd(out, fd) != ARCHIVE_OK) {
		failed(out, NULL);
		goto done;
	}
	if (archive_read_disk_open(disk, ".") != ARCHIVE_OK) {
		failed(disk, dir);
		goto done;
	}
	for (;;) {
		e = archive_entry_new();
		if ((r = archive_read_next_header2(disk, e)) == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			failed(disk, NULL);
			goto done;
		}
		archive_read_disk_descend(disk);
		/* A second name of a file already written goes as a hard link. */
		archive_entry_linkify(links, &e, &sparse);
		if (e && write_entry(disk, out, e) < 0)
			goto done;
		archive_entry_free(e);
		e = NULL;
	}
	if (archive_write_close(out) != ARCHIVE_OK) {
		failed(out, NULL);
		goto done;
	}
	rc = 0;
done:
	archive_entry_free(e);
	archive_entry_linkresolver_free(links);
	archive_read_free(disk);
	archive_write_free(out);
	if (cwd >= 0) {   /* the caller's working directory back */
		if (fchdir(cwd) < 0 && rc == 0)
			rc = err_sys("back to the working directory");
		close(cwd);
	}
	return rc;
}
