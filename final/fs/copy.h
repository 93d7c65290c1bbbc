//> final
/* Copies of files and trees from one directory to another, for `cp`.
 *
 * Each name below the starting point is opened by itself, relative to its
 * parent's descriptor, and no symlink is ever followed: a container that
 * changes a tree while it is copied (a directory swapped for a link to
 * /etc) cannot send a read or a write outside the two trees. A symlink is
 * copied as a symlink; what it points to is not looked at. */
#ifndef MYDOCKER_COPY_H
#define MYDOCKER_COPY_H

#define COPY_OWNERS 1        /* keep each file's owner (cp -a); else ours */
#define COPY_FOLLOW_TOP 2    /* the first name, if a symlink, is what it points to (cp -L) */

/* sname in sdir as dname in ddir: a file, a link, a device or fifo, or a
 * directory with all it holds. What is there already under dname is
 * replaced (a directory is merged into). */
int copy_entry(int sdir, const char *sname, int ddir, const char *dname, int flags);
/* What the directory sdir holds, into the directory ddir. */
int copy_contents(int sdir, int ddir, int flags);

#endif
