/* net/ipam.c: CIDRs, as network create takes them. A subnet read back
 * from its own text is the same subnet. */
#include "fuzz.h"

#include "net/ipam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), text[40];
	struct subnet a, b;

	if (subnet_parse(s, &a) == 0) {
		subnet_format(&a, text, sizeof text);
		FUZZ_ASSERT(subnet_parse(text, &b) == 0 && a.base == b.base && a.prefix == b.prefix);
		FUZZ_ASSERT((a.base & (subnet_size(&a) - 1)) == 0);   /* no host bits */
	}
	free(s);
	return 0;
}
