/* Unit tests: tools/markers.c, the rules that cut final/ into chapters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "markers.h"

static char err[256];
static int n;   /* a random chapter, 2..8, so no rule holds for one number only */

static char *filter(const char *text, int ch, int starter)
{
	static char *out;
	free(out);
	out = NULL;
	assert_int_equal(markers_filter(text, ch, starter, &out, err, sizeof err), 0);
	return out;
}

static void fails(const char *text, const char *why, int line)
{
	char *out = NULL, want[16];
	assert_int_equal(markers_filter(text, 1, 0, &out, err, sizeof err), -1);
	assert_null(out);
	assert_non_null(strstr(err, why));
	snprintf(want, sizeof want, "line %d:", line);
	assert_non_null(strstr(err, want));
}

static void plain_lines_everywhere(void **state)
{
	(void)state;
	assert_string_equal(filter("a\nb\n", 1, 0), "a\nb\n");
	assert_string_equal(filter("a\nb", n, 0), "a\nb\n");
}

static void from_chapter(void **state)
{
	(void)state;
	char text[128];
	snprintf(text, sizeof text, "a\n//> ch%02d\nb\n  //<\nc\n", n);
	assert_string_equal(filter(text, n - 1, 0), "a\nc\n");
	assert_string_equal(filter(text, n, 0), "a\nb\nc\n");
	assert_string_equal(filter(text, n + 1, 0), "a\nb\nc\n");
}

static void until_chapter(void **state)
{
	(void)state;
	char text[128];
	/* The superseded line is a comment in final/: the chapters before n + 1
	 * get it back, indentation kept and "//- " gone. */
	snprintf(text, sizeof text, "//> ch%02d ch%02d\n\t//- old();\n\n//<\n//> ch%02d\n\tnew();\n//<\n",
		 n - 1, n + 1, n + 1);
	assert_string_equal(filter(text, n - 2, 0), "");
	assert_string_equal(filter(text, n - 1, 0), "\told();\n\n");
	assert_string_equal(filter(text, n, 0), "\told();\n\n");
	assert_string_equal(filter(text, n + 1, 0), "\tnew();\n");
	assert_string_equal(filter(text, MARKERS_FINAL, 0), "\tnew();\n");
}

static void final_only(void **state)
{
	(void)state;
	char text[128];
	snprintf(text, sizeof text, "a\n//> final\nb\n//<\n//> ch%02d final\n//- c\n//<\n", n);
	assert_string_equal(filter(text, 9, 0), "a\nc\n");
	assert_string_equal(filter(text, n - 1, 0), "a\n");
	assert_string_equal(filter(text, MARKERS_FINAL, 0), "a\nb\n");
}

static void nested(void **state)
{
	(void)state;
	char text[128];
	/* An inner region of an earlier chapter is still bound by the outer one. */
	snprintf(text, sizeof text, "//> ch%02d\nx\n\t//> ch01\n\ty\n\t//<\n//<\nz\n", n);
	assert_string_equal(filter(text, n - 1, 0), "z\n");
	assert_string_equal(filter(text, n, 0), "x\n\ty\nz\n");
}

static void whole_file(void **state)
{
	(void)state;
	char text[64];
	snprintf(text, sizeof text, "//> ch%02d\nint x;\n", n);
	assert_string_equal(filter(text, n - 1, 0), "");
	assert_string_equal(filter(text, n, 0), "int x;\n");
}

static void errors(void **state)
{
	(void)state;
	fails("a\n//> ch02\nb\n", "never closed", 2);
	fails("a\n//<\n", "closes no region", 2);
	fails("a\nb\n//> chx\n//<\n", "bad marker", 3);
	fails("//> ch03 ch02\n//<\n", "bad marker", 1);
	fails("//> ch03 ch04 ch05\n//<\n", "bad marker", 1);
	fails("x\n//| stub\n", "outside any region", 2);
	/* A superseded line that is not a comment would be a second definition in final/. */
	fails("//> ch02 ch04\n//- a\nb\n//<\n", "written '//- '", 3);
	fails("//> ch02\n//- a\n//<\n", "//- outside", 2);
	fails("//> final ch03\n//<\n", "bad marker", 1);
}

static void starter_replaces_stubbed_regions(void **state)
{
	(void)state;
	char text[256];
	snprintf(text, sizeof text,
		 "int f(void)\n{\n//> ch%02d\n\treturn real();\n\t//| return 0; /* TODO(ch%02d) */\n//<\n}\n"
		 "//> ch%02d\nint scaffold;\n//<\n", n, n, n);
	/* Normally the stub is a comment that never shows. */
	assert_string_equal(filter(text, n, 0), "int f(void)\n{\n\treturn real();\n}\nint scaffold;\n");
	/* In chapter n's starter the stub stands in for the code; scaffolding stays. */
	char want[128];
	snprintf(want, sizeof want, "int f(void)\n{\n\treturn 0; /* TODO(ch%02d) */\n}\nint scaffold;\n", n);
	assert_string_equal(filter(text, n, 1), want);
	/* A later chapter's starter keeps chapter n's real code. */
	assert_string_equal(filter(text, n + 1, 1), "int f(void)\n{\n\treturn real();\n}\nint scaffold;\n");
}

static void chapter_names(void **state)
{
	(void)state;
	char name[32];
	snprintf(name, sizeof name, "ch%02d-anything", n);
	assert_int_equal(chapter_number(name), n);
	assert_int_equal(chapter_number("ch10"), 10);
	assert_int_equal(chapter_number("ch1"), -1);
	assert_int_equal(chapter_number("final"), -1);
	assert_int_equal(chapter_number("ch012"), -1);
}

int main(void)
{
	seed_random();
	n = 2 + rand() % 7;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_lines_everywhere),
		cmocka_unit_test(from_chapter),
		cmocka_unit_test(until_chapter),
		cmocka_unit_test(final_only),
		cmocka_unit_test(nested),
		cmocka_unit_test(whole_file),
		cmocka_unit_test(errors),
		cmocka_unit_test(starter_replaces_stubbed_regions),
		cmocka_unit_test(chapter_names),
	};
	return report_seed(cmocka_run_group_tests_name("markers", tests, NULL, NULL));
}
