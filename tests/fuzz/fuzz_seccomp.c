/* security/seccomp_profile.c: docker's seccomp profile JSON. */
#include "fuzz.h"

#include <seccomp.h>

#include "security/seccomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	scmp_filter_ctx ctx = NULL;

	if (seccomp_profile_rules("fuzz.json", s, size ? data[0] * 0x0101010101ULL : 0, &ctx) == 0 && ctx)
		seccomp_release(ctx);
	free(s);
	return 0;
}
