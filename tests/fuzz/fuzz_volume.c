/* fs/volume.c: -v specs. What it accepts is absolute, without "..". */
#include "fuzz.h"

#include "fs/volume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	struct volume v;

	if (volume_parse(s, &v) == 0) {
		FUZZ_ASSERT(v.host[0] == '/' && v.ctr[0] == '/' && strcmp(v.ctr, "/"));
		FUZZ_ASSERT(!strstr(v.host, "/../") && !strstr(v.ctr, "/../"));
		free((char *)v.host);   /* the copy both point into */
	}
	free(s);
	return 0;
}
