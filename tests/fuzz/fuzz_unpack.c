/* helper/unpack.c: a layer's tar archive as a registry or a file may hold
 * it. Whatever it holds, nothing lands outside the layer: a directory
 * beside it stays empty. */
#include "fuzz.h"

#include <dirent.h>
#include <sys/mman.h>

#include "file.h"
#include "helper/unpack.h"

static char root[] = "/tmp/mydocker-fuzz-unpack.XXXXXX";

static void remove_root(void)
{
	remove_tree(root);
}

static int empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	FUZZ_ASSERT(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char layer[4200], beside[4200];
	static int made;
	int fd;

	if (!made) {
		FUZZ_ASSERT(mkdtemp(root));
		atexit(remove_root);
		snprintf(layer, sizeof layer, "%s/layer", root);
		snprintf(beside, sizeof beside, "%s/beside", root);
		FUZZ_ASSERT(mkdir(beside, 0755) == 0);
		made = 1;
	}
	FUZZ_ASSERT(mkdir(layer, 0755) == 0);
	FUZZ_ASSERT((fd = memfd_create("archive", MFD_CLOEXEC)) >= 0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size && lseek(fd, 0, SEEK_SET) == 0);
	unpack_layer(fd, layer);
	close(fd);
	FUZZ_ASSERT(empty(beside));
	FUZZ_ASSERT(remove_tree(layer) == 0);
	return 0;
}
