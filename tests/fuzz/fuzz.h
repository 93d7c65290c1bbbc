/* What every harness shares: libFuzzer's entry point, and the input as a
 * NUL-terminated string (the parsers take strings). A property a harness
 * checks fails with abort(), which libFuzzer reports as a crash. */
#ifndef MYDOCKER_FUZZ_H
#define MYDOCKER_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of the input, NUL-terminated; NUL bytes inside end it early. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A property that must hold for every input. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) { fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

#endif
