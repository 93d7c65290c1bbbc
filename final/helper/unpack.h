//> final
/* A layer's tar archive (plain, gzip, bzip2, xz or zstd) unpacked into a
 * directory, in-process with libarchive, never by running tar. No member
 * lands outside the directory: absolute names, "..", names that go through
 * a symbolic link, and hard links to any such name are refused (the names
 * by our check, the links on the way by libarchive's SECURE_SYMLINKS,
 * which looks at the directories on disk). Owners (numeric), modes, times
 * and extended attributes are kept. The OCI image spec's whiteouts become overlayfs's:
 * ".wh.NAME" a 0/0 character device NAME, ".wh..wh..opq" the attribute
 * trusted.overlay.opaque=y on its directory. */
#ifndef MYDOCKER_UNPACK_H
#define MYDOCKER_UNPACK_H

/* Unpack the archive read from fd into dir, an empty directory. On error
 * what was unpacked so far stays: the caller removes dir. */
int unpack_layer(int fd, const char *dir);

#endif
