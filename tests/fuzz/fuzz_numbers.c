/* common/parse.c: sizes, CPU counts, integers, CPU lists, names, times;
 * and container/logger.c: --log-opt, the time at the top of a log line. */
#include "fuzz.h"

#include "parse.h"
#include "container/logger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	int64_t n;
	cpu_set_t set;
	struct log_opts log = { 0 };

	if (parse_size(s, &n) == 0)
		FUZZ_ASSERT(n >= 0);
	if (parse_cpus(s, &n) == 0)
		FUZZ_ASSERT(n > 0);
	if (parse_int(s, -1000, 1000, &n) == 0)
		FUZZ_ASSERT(n >= -1000 && n <= 1000);
	parse_cpu_list(s, &set);
	if (valid_name(s))
		FUZZ_ASSERT(!strchr(s, '/') && strlen(s) <= NAME_LEN && strcmp(s, ".") && strcmp(s, ".."));
	parse_time(s, 1764876000LL * 1000000000, &n);
	/* A time read off a log line is the one log_stamp writes. */
	if (size >= LOG_STAMP_LEN && log_stamp_read(s, &n) == 0) {
		struct timespec t = { n / 1000000000, n % 1000000000 };
		char again[LOG_STAMP_LEN + 1];
		log_stamp(&t, again);
		FUZZ_ASSERT(!memcmp(again, s, LOG_STAMP_LEN));
	}
	if (log_opt(&log, s) == 0)
		FUZZ_ASSERT(log.max_size > 0 || (log.max_files >= 1 && log.max_files <= MAX_LOG_FILES));
	free(s);
	return 0;
}
