/* tools/markers.c: chapter markers in a source file, cut for every chapter. */
#include "fuzz.h"

#include "markers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *out, err[256];

	for (int ch = 1; ch <= 9; ch++)
		for (int starter = 0; starter < 2; starter++)
			if (markers_filter(s, ch, starter, &out, err, sizeof err) == 0) {
				FUZZ_ASSERT(strlen(out) <= strlen(s) + 64 * 1024);
				free(out);
			}
	free(s);
	return 0;
}
