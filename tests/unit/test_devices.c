//> final
/* Unit tests: security/devices.c. The cgroup v2 device program is run
 * here by a small interpreter of the instructions it uses, against random
 * rules and random devices, beside what the rules say in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "error.h"
#include "security/devices.h"

/* The program's answer for one access: 1 allowed, 0 denied; fails the test
 * on an instruction it should not contain or a jump out of it. */
static int run_program(const struct bpf_insn *p, int len, int type, unsigned access, unsigned maj, unsigned min)
{
	uint32_t ctx[3] = { (uint32_t)type | access << 16, maj, min };
	uint64_t r[11] = { 0 };

	for (int pc = 0; pc < len; pc++) {
		const struct bpf_insn *i = &p[pc];
		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			assert_int_equal(i->src_reg, BPF_REG_1);
			assert_true(i->off >= 0 && i->off <= 8 && i->off % 4 == 0);
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU64 | BPF_MOV | BPF_X: r[i->dst_reg] = r[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
		case BPF_ALU64 | BPF_AND | BPF_K: r[i->dst_reg] &= (uint64_t)(int64_t)i->imm; break;
		case BPF_ALU64 | BPF_RSH | BPF_K: r[i->dst_reg] >>= i->imm; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += i->off;
			assert_true(pc < len);
			break;
		case BPF_JMP | BPF_EXIT: return (int)r[0];
		default: fail_msg("instruction %#x at %d", i->code, pc);
		}
	}
	fail_msg("the program runs off its end");
	return -1;
}

/* What the rules say: some rule covers the device and every access asked. */
static int rules_allow(const struct device_rule *rules, int n, char type, unsigned access, int maj, int min)
{
	for (int i = 0; i < n; i++)
		if ((rules[i].type == 'a' || rules[i].type == type) && (rules[i].major < 0 || rules[i].major == maj) &&
		    (rules[i].minor < 0 || rules[i].minor == min) && !(access & ~rules[i].access))
			return 1;
	return 0;
}

static void program_matches_rules(void **state)
{
	(void)state;
	struct device_rule rules[8];
	struct bpf_insn prog[128];

	for (int round = 0; round < 200; round++) {
		int n = rand() % 8, len;
		for (int i = 0; i < n; i++)
			rules[i] = (struct device_rule){ "acb"[rand() % 3], rand() % 3 ? rand() % 4 : -1,
							 rand() % 3 ? rand() % 4 : -1, 1 + rand() % 7 };
		len = devices_program(rules, n, prog, 128);
		assert_true(len > 0);
		for (int q = 0; q < 50; q++) {
			char type = rand() % 2 ? 'c' : 'b';
			unsigned access = 1 + rand() % 7;
			int maj = rand() % 4, min = rand() % 4;
			assert_int_equal(run_program(prog, len, type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK,
						     access, maj, min),
					 rules_allow(rules, n, type, access, maj, min));
		}
	}
	/* Too small a buffer is an error, not an overflow. */
	assert_int_equal(devices_program(rules, 1, prog, 4), -1);
}

static void parse(void **state)
{
	(void)state;
	struct device d;
	struct stat st;
	char spec[128];

	assert_int_equal(stat("/dev/null", &st), 0);
	assert_int_equal(devices_parse("/dev/null", &d), 0);
	assert_string_equal(d.ctr, "/dev/null");
	assert_int_equal(d.rule.type, 'c');
	assert_int_equal(d.rule.major, (int)major(st.st_rdev));
	assert_int_equal(d.rule.minor, (int)minor(st.st_rdev));
	assert_int_equal(d.rule.access, DEV_READ | DEV_WRITE | DEV_MKNOD);
	int n = rand();
	char ctr[64];
	snprintf(ctr, sizeof ctr, "/dev/n%d", n);
	snprintf(spec, sizeof spec, "/dev/null:%s:rw", ctr);
	assert_int_equal(devices_parse(spec, &d), 0);
	assert_string_equal(d.ctr, ctr);
	assert_int_equal(d.rule.access, DEV_READ | DEV_WRITE);
	assert_int_equal(devices_parse("/dev/null:m", &d), 0);
	assert_string_equal(d.ctr, "/dev/null");
	assert_int_equal(d.rule.access, DEV_MKNOD);
	assert_int_equal(devices_parse("/dev/null:/dev/x:rwx", &d), -1);
	assert_int_equal(devices_parse("/etc/passwd", &d), -1);
	assert_non_null(strstr(err_msg(), "not a device"));
	assert_int_equal(devices_parse("dev/null", &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(program_matches_rules),
		cmocka_unit_test(parse),
	};
	seed_random();
	return report_seed(cmocka_run_group_tests(tests, NULL, NULL));
}
