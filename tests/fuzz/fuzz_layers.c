/* image/image.c: an image's layer list as the disk may hold it. What it
 * returns are layer directories of the store. */
#include "fuzz.h"

#include "file.h"
#include "image/image.h"

static char root[] = "/tmp/mydocker-fuzz-layers.XXXXXX";

/* libFuzzer ends with exit(): the temporary root goes with it. */
static void remove_root(void)
{
	remove_tree(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[4096], layers[MAX_LAYERS][4096];
	static int made;
	int n;

	if (!made) {
		FUZZ_ASSERT(mkdtemp(root));
		atexit(remove_root);
		setenv("MYDOCKER_ROOT", root, 1);
		snprintf(path, sizeof path, "%s/images/fuzz/latest", root);
		FUZZ_ASSERT(mkdir_p(path, 0700) == 0);
		made = 1;
	}
	snprintf(path, sizeof path, "%s/images/fuzz/latest/layers", root);
	FUZZ_ASSERT(write_file_atomic(path, (const char *)data, size) == 0);
	if ((n = image_layers("fuzz", layers, MAX_LAYERS)) > 0)
		for (int i = 0; i < n; i++)
			FUZZ_ASSERT(!strncmp(layers[i], root, strlen(root)) && !strstr(layers[i], "/../"));
	return 0;
}
