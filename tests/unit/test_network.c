//> ch08
/* Unit tests: net/ports.c (-p specs, clashes), net/endpoint.c (--net
 * and -p as options) and net/firewall.c (rules as argv). Nothing here
 * touches a device or a rule of the host. */
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

#include "net/endpoint.h"
#include "error.h"
#include "net/firewall.h"
#include "net/ports.h"

static void port_specs(void **state)
{
	(void)state;
	struct port_map p;
	char spec[32], back[32];

	for (int i = 0; i < 200; i++) {
		int host = 1 + rand() % 65535, ctr = 1 + rand() % 65535, form = rand() % 3;
		const char *proto = form == 2 ? "udp" : "tcp";
		snprintf(spec, sizeof spec, "%d:%d%s", host, ctr, form == 0 ? "" : form == 1 ? "/tcp" : "/udp");
		assert_int_equal(port_parse(spec, &p), 0);
		assert_int_equal(p.host, host);
		assert_int_equal(p.ctr, ctr);
		assert_string_equal(p.proto, proto);
		/* The record's form, which always names the protocol, reads back the same. */
		port_format(&p, back, sizeof back);
		snprintf(spec, sizeof spec, "%d:%d/%s", host, ctr, proto);
		assert_string_equal(back, spec);
	}
}

static void bad_port_specs(void **state)
{
	(void)state;
	static const char *const bad[] = { "0:80", "65536:80", "80:0", "80:99999", "80", "80:", ":80", "a:b",
					   "80:80/sctp", "80:80/", "80:80/tcp/x", "-1:80", " 80:80", "80:80 ",
					   "80::80", "", "1.2.3.4:80:80" };
	struct port_map p;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(port_parse(bad[i], &p), -1);
		char want[64];
		snprintf(want, sizeof want, "-p %s", bad[i]);
		assert_non_null(strstr(err_msg(), want));
	}
}

static void clashes(void **state)
{
	(void)state;
	struct port_map a[3], b[2];
	int port = 1 + rand() % 60000;
	char spec[32];

	snprintf(spec, sizeof spec, "%d:80", port);
	assert_int_equal(port_parse(spec, &a[0]), 0);
	snprintf(spec, sizeof spec, "%d:80/udp", port + 1);
	assert_int_equal(port_parse(spec, &a[1]), 0);
	snprintf(spec, sizeof spec, "%d:81", port + 2);
	assert_int_equal(port_parse(spec, &a[2]), 0);
	/* Same number, other protocol: no clash. */
	snprintf(spec, sizeof spec, "%d:80/udp", port);
	assert_int_equal(port_parse(spec, &b[0]), 0);
	assert_null(ports_clash(a, 3, b, 1));
	/* The container port does not matter, the host port does. */
	snprintf(spec, sizeof spec, "%d:%d/tcp", port + 2, 1 + rand() % 65535);
	assert_int_equal(port_parse(spec, &b[1]), 0);
	assert_ptr_equal(ports_clash(a, 3, b, 2), &a[2]);
	assert_null(ports_clash(a, 0, b, 2));
}

static void net_options(void **state)
{
	(void)state;
	struct endpoint e;
	char name[32], spec[32];

	memset(&e, 0, sizeof e);
	assert_int_equal(endpoint_check(&e), 0);
	assert_int_equal(endpoint_set_net(&e, "none"), 0);
	assert_int_equal(e.mode, NET_NONE);
	assert_int_equal(endpoint_set_net(&e, "host"), 0);
	assert_int_equal(e.mode, NET_HOST);
	snprintf(name, sizeof name, "n%d", rand());
	assert_int_equal(endpoint_set_net(&e, name), 0);
	assert_int_equal(e.mode, NET_BRIDGE);
	assert_string_equal(e.network, name);
	assert_int_equal(endpoint_set_net(&e, "../etc"), -1);
	assert_int_equal(endpoint_set_net(&e, ""), -1);

	/* -p: the same host port twice is refused, and there is a limit. */
	int base = 1 + rand() % 1000;
	for (int i = 0; i < MAX_PORTS; i++) {
		snprintf(spec, sizeof spec, "%d:%d", base + i, 1 + rand() % 65535);
		assert_int_equal(endpoint_add_port(&e, spec), 0);
	}
	snprintf(spec, sizeof spec, "%d:1", base);
	assert_int_equal(endpoint_add_port(&e, spec), -1);
	e.nports = 1;
	assert_int_equal(endpoint_add_port(&e, spec), -1);
	assert_non_null(strstr(err_msg(), "given twice"));
	snprintf(spec, sizeof spec, "%d:1/udp", base);
	assert_int_equal(endpoint_add_port(&e, spec), 0);

	/* -p needs a bridge network. */
	assert_int_equal(endpoint_check(&e), 0);
	assert_int_equal(endpoint_set_net(&e, "host"), 0);
	assert_int_equal(endpoint_check(&e), -1);
	assert_non_null(strstr(err_msg(), "needs --net"));
	assert_int_equal(endpoint_set_net(&e, "none"), 0);
	assert_int_equal(endpoint_check(&e), -1);
}

static void rules_as_argv(void **state)
{
	(void)state;
	struct rule r;
	int port = rand() % 65536;
	char want[16];

	rule_init(&r, "nat", "OUTPUT");
	rule_args(&r, "-p", "tcp", "--dport", NULL);
	rule_arg(&r, "%d", port);
	rule_args(&r, "-m", "comment", "--comment", NULL);
	rule_arg(&r, "mydocker container c%d", port);
	assert_int_equal(r.argc, 8);
	assert_string_equal(r.table, "nat");
	assert_string_equal(r.chain, "OUTPUT");
	snprintf(want, sizeof want, "%d", port);
	assert_string_equal(r.argv[3], want);
	assert_string_equal(r.argv[6], "--comment");
	assert_non_null(strstr(r.argv[7], "mydocker container c"));
	assert_null(r.argv[8]);
	assert_int_equal(r.too_long, 0);

	/* Overflow is flagged, and then no iptables runs at all. */
	for (int i = 0; i < RULE_MAX_ARGS; i++)
		rule_arg(&r, "x%d", i);
	assert_int_equal(r.too_long, 1);
	assert_int_equal(rule_add(&r), -1);
	assert_non_null(strstr(err_msg(), "too long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(port_specs),
		cmocka_unit_test(bad_port_specs),
		cmocka_unit_test(clashes),
		cmocka_unit_test(net_options),
		cmocka_unit_test(rules_as_argv),
	};

	seed_random();
	return report_seed(cmocka_run_group_tests(tests, NULL, NULL));
}
