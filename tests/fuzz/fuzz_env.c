/* container/env.c: -e specs, one a line, and /proc/PID/environ blocks. */
#include "fuzz.h"

#include "container/env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct env e;
	char *s = fuzz_text(data, size), *save;

	memset(&e, 0, sizeof e);
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		env_set(&e, line);
	env_add_block(&e, (const char *)data, size && data[size - 1] == '\0' ? size : 0);
	for (int i = 0; i < e.n; i++) {
		FUZZ_ASSERT(strchr(e.vars[i], '=') && e.vars[i][0] != '=');
		free(e.vars[i]);
	}
	FUZZ_ASSERT(e.n <= MAX_ENV);
	free(s);
	return 0;
}
