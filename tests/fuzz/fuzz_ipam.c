/* net/ipam.c: a bitmap as the disk may hold it (torn, too long, foreign).
 * The first byte picks the subnet's prefix; every address handed out is a
 * container address of the subnet, never taken twice. */
#include "fuzz.h"

#include <unistd.h>

#include "file.h"
#include "net/ipam.h"

static char root[] = "/tmp/mydocker-fuzz-ipam.XXXXXX";

/* libFuzzer ends with exit(): the temporary root goes with it. */
static void remove_root(void)
{
	remove_tree(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[4096];
	static int made;
	struct subnet s = { .base = 10u << 24 };
	uint32_t ip, prev = 0;

	if (!made) {
		FUZZ_ASSERT(mkdtemp(root));
		atexit(remove_root);
		setenv("MYDOCKER_ROOT", root, 1);
		made = 1;
	}
	if (size < 1)
		return 0;
	s.prefix = 20 + data[0] % 11;   /* /20 to /30: bitmaps of 512 bytes at most */
	snprintf(path, sizeof path, "%s/ipam", root);
	mkdir_p(path, 0700);
	snprintf(path, sizeof path, "%s/ipam/10.0.0.0_%d", root, s.prefix);
	FUZZ_ASSERT(write_file_atomic(path, (const char *)data + 1, size - 1) == 0);
	for (int i = 0; i < 3 && ipam_allocate(&s, &ip) == 0; i++) {
		FUZZ_ASSERT(ip >= s.base + 2 && ip < s.base + subnet_size(&s) - 1 && ip != prev);
		prev = ip;
	}
	ipam_used(&s);
	ipam_remove(&s);
	return 0;
}
