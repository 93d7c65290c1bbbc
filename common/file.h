/* Small-file helpers: the kernel's control files (cgroupfs, procfs) and the
 * runtime's own records are all a few bytes long. */
#ifndef MYDOCKER_FILE_H
#define MYDOCKER_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* snprintf into a path buffer; fails (instead of truncating) when it does not fit. */
int path_fmt(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Read a whole file into buf, NUL-terminated; returns its length. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* Read fd to EOF (or until buf is full) into buf, NUL-terminated; returns
 * the length, or -1 with errno set. */
ssize_t read_fd(int fd, char *buf, size_t size);
/* Write data to an existing file, as `echo data > path` does (control files). */
int write_file(const char *path, const char *data);
/* Create or truncate path and write data, without fsync: for a file nothing
 * reads before we are done with it and no crash needs to find whole. */
int create_file(const char *path, const char *data);
/* Create or replace path so that readers see the old or the new content,
 * never a mix (a temporary file renamed over it). No fsync: for state that
 * a reboot ends anyway (container records, IPAM bitmaps), where a crash
 * loses nothing that would still be true, and fsync would cost every run
 * a disk flush. */
int write_file_atomic(const char *path, const char *data, size_t len);
/* The same, and on the disk before the rename: for what outlives a reboot
 * (images, networks), so that after a crash path holds the old or the new
 * content, never an empty file. */
int write_file_durable(const char *path, const char *data, size_t len);
/* Every byte of data to fd: write(2) again after a short write or EINTR.
 * -1 with errno set on an error. */
int write_all(int fd, const char *data, size_t len);
/* Remove what the two above left of paths matching pattern (a glob(7),
 * a whole directory with DIR and a star): the copies of writers killed before their rename. Only
 * under the lock those writers take, or a live one's copy goes too. */
void remove_half_written(const char *pattern);
/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, mode_t mode);
int file_exists(const char *path);
/* Open path (flags, mode 0640 when created) as descriptor fd, as a shell's
 * `fd>path` does: the redirections of a detached container or an exec. */
int open_onto(int fd, const char *path, int flags);
/* Copy the regular file from into the new file to (mode, less the umask). */
int copy_file(const char *from, const char *to, mode_t mode);
/* rm -rf path, staying on its filesystem; a missing path is fine. */
int remove_tree(const char *path);

#endif
