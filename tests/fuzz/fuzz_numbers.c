/* common/parse.c: sizes, CPU counts, integers, CPU lists, names. */
#include "fuzz.h"

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	int64_t n;
	cpu_set_t set;

	if (parse_size(s, &n) == 0)
		FUZZ_ASSERT(n >= 0);
	if (parse_cpus(s, &n) == 0)
		FUZZ_ASSERT(n > 0);
	if (parse_int(s, -1000, 1000, &n) == 0)
		FUZZ_ASSERT(n >= -1000 && n <= 1000);
	parse_cpu_list(s, &set);
	if (valid_name(s))
		FUZZ_ASSERT(!strchr(s, '/') && strlen(s) <= NAME_LEN && strcmp(s, ".") && strcmp(s, ".."));
	free(s);
	return 0;
}
