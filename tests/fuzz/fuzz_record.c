/* container/record.c: records as the disk may hold them. One that parses
 * formats, and what it formats parses back to a record that formats the
 * same: nothing is lost or changed on the way. */
#include "fuzz.h"

#include "container/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct record a, b;
	static char once[sizeof(struct record) + 4096], twice[sizeof once];
	char *s = fuzz_text(data, size);

	if (record_parse(s, &a) == 0 && record_format(&a, once, sizeof once) == 0) {
		FUZZ_ASSERT(record_parse(once, &b) == 0);
		FUZZ_ASSERT(record_format(&b, twice, sizeof twice) == 0 && !strcmp(once, twice));
	}
	free(s);
	return 0;
}
