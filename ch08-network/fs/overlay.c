#include "fs/overlay.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

/* overlayfs splits its options on ',' and lowerdir on ':'. */
static int plain_path(const char *path)
{
	return strpbrk(path, ",:") ? err_set("overlayfs cannot use the path %s (it has ',' or ':')", path) : 0;
}

/* "lowerdir=L1:L2:..." (top first) into opts; returns its length. */
static int lowerdir(char *opts, size_t size, char layers[][4096], int n)
{
	size_t len = snprintf(opts, size, "lowerdir=");

	for (int i = 0; i < n && len < size; i++) {
		if (plain_path(layers[i]) < 0)
			return -1;
		len += snprintf(opts + len, size - len, "%s%s", i ? ":" : "", layers[i]);
	}
	return len < size ? (int)len : err_set("overlay options too long (%d layers)", n);
}

/* The lab of chapter 4 (ch04-overlay/README.md, "Lab"): lowerdir,
 * overlay_prepare, overlay_mount and mount_failed; plain_path is given. */
int overlay_prepare(const char *dir, char layers[][4096], int n, char *opts, size_t size)
{
	static const char *const subdirs[] = { "upper", "work", "merged" };
	char path[4096];
	int len;

	for (size_t i = 0; i < 3; i++)
		if (path_fmt(path, sizeof path, "%s/%s", dir, subdirs[i]) < 0 || mkdir_p(path, 0755) < 0)
			return -1;
	if (plain_path(dir) < 0 || (len = lowerdir(opts, size, layers, n)) < 0)
		return -1;
	if (path_fmt(opts + len, size - len, ",upperdir=%s/upper,workdir=%s/work", dir, dir) < 0)
		return err_set("overlay options too long (%d layers)", n);
	return 0;
}

/* Why an overlay mount failed. overlayfs gives its reasons for EINVAL (an
 * upper dir on an overlay, a layer it cannot use) only in the kernel log. */
static int mount_failed(const char *what)
{
	if (errno == ENODEV)
		return err_set("overlayfs is not available on this kernel (try: modprobe overlay)");
	if (errno == EINVAL)
		return err_set("%s: %s (overlayfs says why in the kernel log: dmesg | tail)", what, strerror(errno));
	return err_sys("%s", what);
}

int overlay_mount(const char *opts, const char *merged)
{
	char what[4200];

	/* Mounted here, in the container's private mount namespace: the host
	 * never sees it, and it goes away by itself with the namespace. */
	if (mount("overlay", merged, "overlay", 0, opts) < 0) {
		snprintf(what, sizeof what, "mount overlay on %s", merged);
		return mount_failed(what);
	}
	return 0;
}
