/* net/ports.c: -p specs. A port map read back from its own text is the same. */
#include "fuzz.h"

#include "net/ports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), text[64];
	struct port_map a, b;

	if (port_parse(s, &a) == 0) {
		FUZZ_ASSERT(a.host >= 1 && a.host <= 65535 && a.ctr >= 1 && a.ctr <= 65535);
		port_format(&a, text, sizeof text);
		FUZZ_ASSERT(port_parse(text, &b) == 0 && a.host == b.host && a.ctr == b.ctr && !strcmp(a.proto, b.proto));
	}
	free(s);
	return 0;
}
