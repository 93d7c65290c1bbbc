/* security/devices.c: --device specs and security options. */
#include "fuzz.h"

#include "security/devices.h"
#include "security/security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	struct device d;
	static struct security sec;

	if (devices_parse(s, &d) == 0)
		free((char *)d.host);   /* the copy both point into */
	memset(&sec, 0, sizeof sec);
	security_opt(&sec, s);
	security_cap_add(&sec, s);
	security_cap_drop(&sec, s);
	free(s);
	return 0;
}
