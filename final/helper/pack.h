//> final
/* A directory tree written as one tar archive (pax, as GNU tar reads it),
 * in-process with libarchive: `export`'s archive of a container's root.
 * Names begin with "./", owners are numbers only, hard links are kept as
 * links, and so are modes, times and extended attributes. Nothing is
 * followed: a symbolic link is archived as the link it is, and the walk
 * stays on the directory's own filesystem. */
#ifndef MYDOCKER_PACK_H
#define MYDOCKER_PACK_H

/* Write dir's tree as a tar archive to fd. */
int pack_tree(const char *dir, int fd);

#endif
