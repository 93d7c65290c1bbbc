//> ch08
/* Unit tests: container/record.c (records: round trips, corrupt input, lookup
 * by name, ID and prefix, unique names and ports) and container/env.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "seed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "container/env.h"
#include "error.h"
#include "exec.h"
#include "file.h"
#include "container/record.h"
#include "temp_root.h"

static void random_hex(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = "0123456789abcdef"[rand() % 16];
	out[n] = '\0';
}

/* Any of the four modes; a bridge one with an address, veth and ports. */
static void random_endpoint(struct endpoint *e)
{
	char net[32], port[32];

	e->mode = rand() % 4;
	if (e->mode != NET_BRIDGE)
		return;
	snprintf(e->network, sizeof e->network, "net%d", rand());
	e->subnet.prefix = 8 + rand() % 23;
	e->subnet.base = ((uint32_t)rand() << 8) & ~(subnet_size(&e->subnet) - 1);
	subnet_format(&e->subnet, net, sizeof net);
	snprintf(e->bridge, sizeof e->bridge, "mdk-%x", rand() % 0xffff);
	e->ip = e->subnet.base + 2;
	snprintf(e->veth, sizeof e->veth, "veth%08x", (unsigned)rand());
	for (int i = 0, n = rand() % 4; i < n; i++) {
		snprintf(port, sizeof port, "%d:%d/%s", 1 + i * 1000 + rand() % 1000, 1 + rand() % 65535,
			 rand() % 2 ? "tcp" : "udp");
		assert_int_equal(endpoint_add_port(e, port), 0);
	}
}

static void random_record(struct record *r)
{
	memset(r, 0, sizeof *r);
	random_hex(r->id, ID_LEN);
	snprintf(r->name, sizeof r->name, "n%d", rand());
	snprintf(r->image, sizeof r->image, "img%d", rand());
	/* A newline and a backslash must survive the one-line-per-key format. */
	snprintf(r->command, sizeof r->command, "sh -c 'echo %d\n\\n%d'", rand(), rand());
	snprintf(r->hostname, sizeof r->hostname, "h%d", rand());
	r->status = STATUS_EXITED;
	r->created = (struct timespec){ rand(), rand() % 1000000000 };
	r->finished = (struct timespec){ rand(), rand() % 1000000000 };
	r->pid = 1 + rand() % 4000000;
	r->pid_start = rand();
	r->monitor = 1 + rand() % 4000000;
	r->monitor_start = rand();
	r->exit_code = rand() % 256;
	r->autoremove = rand() % 2;
	r->limits.memory = (int64_t)rand() << 10;
	r->limits.millicpus = 10 + rand() % 4000;
	r->limits.cpu_shares = 2 + rand() % 1000;
	r->limits.pids = 1 + rand() % 1000;
	snprintf(r->cpuset, sizeof r->cpuset, "0-%d", rand() % 8);
	r->limits.cpuset = r->cpuset;
	snprintf(r->volumes, sizeof r->volumes, "/h%d:/c%d:ro\n/h a%d:/c b", rand(), rand(), rand());
	snprintf(r->cgroup.dir[CTL_MEMORY], sizeof r->cgroup.dir[0], "/sys/fs/cgroup/memory/mydocker/%s", r->id);
	snprintf(r->cgroup.dir[CTL_PIDS], sizeof r->cgroup.dir[0], "/sys/fs/cgroup/pids/mydocker/%s", r->id);
	random_endpoint(&r->ep);
//> final
	/* -w, -u, --stop-signal and --stop-timeout, or their defaults. */
	if (rand() % 2) {
		snprintf(r->workdir, sizeof r->workdir, "/w%d/x y", rand());
		snprintf(r->user, sizeof r->user, "u%d:%d", rand(), rand());
	}
	r->stop_signal = rand() % 2 ? 1 + rand() % 64 : 0;
	r->stop_timeout = rand() % 2 ? rand() % 3601 : -1;
	/* The command's words and its environment, an empty word, a newline
	 * and a backslash among them. */
	char words[4][64];
	snprintf(words[0], sizeof words[0], "sh%d", rand());
	snprintf(words[1], sizeof words[1], "%s", "");
	snprintf(words[2], sizeof words[2], "a\n\\b %d", rand());
	snprintf(words[3], sizeof words[3], "K%d=v\n%d", rand(), rand());
	memset(r->command, 0, sizeof r->command);   /* what parse's copy leaves: zeros after the text */
	record_set_command(r, 1 + rand() % 3, (char *[]){ words[0], words[1], words[2] });
	record_set_env(r, 1 + rand() % 2, (char *[]){ words[3], "PATH=/bin" });
	/* run's words for start, the start time and --restart's state. */
	memset(r->run, 0, sizeof r->run);
	assert_int_equal(record_set_run(r, 1 + rand() % 3, (char *[]){ words[2], words[1], words[0] }), 0);
	r->started = rand() % 2 ? (struct timespec){ rand(), rand() % 1000000000 } : (struct timespec){ 0 };
	r->restart_kind = rand() % 4;
	r->restart_max = r->restart_kind ? rand() % 100 : 0;
	r->restart_count = rand() % 1000;
	r->restarting = rand() % 2;
	r->stopped = rand() % 2;
//<
}

static void round_trip(void **state)
{
	(void)state;
	static struct record r, back;
	static char text[sizeof(struct record) + 4096];

	for (int i = 0; i < 20; i++) {
		random_record(&r);
//> final
		snprintf(r.ep.id, sizeof r.ep.id, "%s", r.id);   /* the parse names its address's owner */
//<
		assert_int_equal(record_format(&r, text, sizeof text), 0);
		assert_int_equal(record_parse(text, &back), 0);
		back.limits.cpuset = r.limits.cpuset = NULL;   /* pointers into each record */
		assert_memory_equal(&r, &back, sizeof r);
	}
}

static void corrupt(void **state)
{
	(void)state;
	static struct record r;
	static char text[sizeof(struct record) + 4096], bad[sizeof text + 64];

	random_record(&r);
	assert_int_equal(record_format(&r, text, sizeof text), 0);
	const char *breakers[] = { "no equals sign\n", "status=sleeping\n", "pid=x y\n",
				   "exit_code=99999999999\n", "cgroup=memory\n", "created=soon\n",
				   /* found by tests/fuzz/fuzz_record.c: each made a record that did
				    * not read back as it was written */
				   "volume=\n", "volume=/a:/b\\n/c:/d\n",
//> final
				   "restart=9 0\n", "restart_count=-1\n", "restarting=2\n",
//<
	};
	for (size_t i = 0; i < sizeof breakers / sizeof *breakers; i++) {
		snprintf(bad, sizeof bad, "%s%s", text, breakers[i]);
		assert_int_equal(record_parse(bad, &r), -1);
		assert_non_null(strstr(err_msg(), "corrupt record"));
	}
	assert_int_equal(record_parse("name=x\n", &r), -1);   /* no ID */
	/* A key from a newer version is not an error. */
	snprintf(bad, sizeof bad, "%sfuture_key=%d\n", text, rand());
	assert_int_equal(record_parse(bad, &r), 0);
//> final
	/* An environment entry is K=V. */
	snprintf(bad, sizeof bad, "%senv=V%d\n", text, rand());
	assert_int_equal(record_parse(bad, &r), -1);
	/* Cut short anywhere before its end line: corrupt, though every line
	 * left reads. */
	size_t whole = strlen(text), end = strstr(text, "\nend=") - text + 1;
	assert_true(end < whole);
	snprintf(bad, sizeof bad, "%.*s", (int)(rand() % end), text);
	assert_int_equal(record_parse(bad, &r), -1);
	assert_non_null(strstr(err_msg(), "corrupt record"));
//<
}

static void lookup(void **state)
{
	(void)state;
	static struct record a, b, c, found;
	char path[4096];

	random_record(&a);
	random_record(&b);
	random_record(&c);
	a.ep.nports = b.ep.nports = c.ep.nports = 0;   /* ports_held tests those */
	/* a and b share their first 6 hex digits; c starts differently. */
	memcpy(b.id, a.id, 6);
	c.id[0] = a.id[0] == 'f' ? '0' : 'f';
	assert_int_equal(record_create(&a), 0);
	assert_int_equal(record_create(&b), 0);
	assert_int_equal(record_create(&c), 0);

	assert_int_equal(record_find(a.name, &found), 0);
	assert_string_equal(found.id, a.id);
	assert_int_equal(record_find(b.id, &found), 0);
	assert_string_equal(found.name, b.name);
	char prefix[ID_LEN + 1];
	snprintf(prefix, sizeof prefix, "%.*s", 1 + rand() % 10, c.id);
	assert_int_equal(record_find(prefix, &found), 0);
	assert_string_equal(found.id, c.id);
	snprintf(prefix, sizeof prefix, "%.*s", 1 + rand() % 6, a.id);
	assert_int_equal(record_find(prefix, &found), -1);
	assert_non_null(strstr(err_msg(), "matches 2 containers"));
	assert_int_not_equal(err_cause(), ENOENT);   /* an error, not "no such container" */
	assert_int_equal(record_find("nosuch", &found), -1);
	assert_int_equal(err_cause(), ENOENT);
	assert_int_equal(record_find("../etc", &found), -1);
	assert_int_equal(err_cause(), ENOENT);

	/* Names are unique: another container may not take a's. */
	static struct record d;
	random_record(&d);
	snprintf(d.name, sizeof d.name, "%s", a.name);
	assert_int_equal(record_create(&d), -1);
	assert_non_null(strstr(err_msg(), "already in use"));
	assert_int_equal(record_path(path, sizeof path, d.id, NULL), 0);
	assert_false(file_exists(path));

	/* A corrupt record: found by its ID with the ID set, left out of lists. */
	assert_int_equal(record_path(path, sizeof path, c.id, "record"), 0);
	assert_int_equal(write_file_atomic(path, "garbage\n", 8), 0);
	assert_int_equal(record_find(c.id, &found), -1);
	assert_int_not_equal(err_cause(), ENOENT);
	assert_string_equal(found.id, c.id);
	struct record *list;
	a.created.tv_sec = 1;   /* b is newer: rewritten so */
	b.created.tv_sec = 2;
	assert_int_equal(record_write(&a), 0);
	assert_int_equal(record_write(&b), 0);
	assert_int_equal(record_list(&list), 2);
	assert_string_equal(list[0].id, b.id);
	assert_string_equal(list[1].id, a.id);
	free(list);
}

/* A host port (and protocol) is one container's until it exits. */
static void ports_held(void **state)
{
	(void)state;
	static struct record a, b;
	char spec[160];
	int port = 1 + rand() % 65535;

	random_record(&a);
	random_record(&b);
	memset(&a.ep, 0, sizeof a.ep);
	memset(&b.ep, 0, sizeof b.ep);
	/* As record_new() writes them: the network named, no address yet. */
	a.ep.mode = b.ep.mode = NET_BRIDGE;
	snprintf(a.ep.network, sizeof a.ep.network, "net%d", rand());
	snprintf(b.ep.network, sizeof b.ep.network, "%s", a.ep.network);
	snprintf(spec, sizeof spec, "%d:%d", port, 1 + rand() % 65535);
	assert_int_equal(endpoint_add_port(&a.ep, spec), 0);
	assert_int_equal(record_create(&a), 0);
	/* The same port over udp is another port. */
	snprintf(spec, sizeof spec, "%d:%d/udp", port, 1 + rand() % 65535);
	assert_int_equal(endpoint_add_port(&b.ep, spec), 0);
	snprintf(spec, sizeof spec, "%d:%d/tcp", port, 1 + rand() % 65535);
	assert_int_equal(endpoint_add_port(&b.ep, spec), 0);
	assert_int_equal(record_create(&b), -1);
	snprintf(spec, sizeof spec, "port %d/tcp is already mapped by container %s", port, a.name);
	assert_string_equal(err_msg(), spec);
	/* Once a has exited its record holds no port: b may have it. */
	a.ep.nports = 0;
	assert_int_equal(record_write(&a), 0);
	assert_int_equal(record_create(&b), 0);
}

static void environment(void **state)
{
	(void)state;
	static struct env e;
	char key[32], spec[128], want[32];
	char block[] = "A=1\0B=2\0NOEQUALS\0";

	snprintf(key, sizeof key, "K%d", rand());
	snprintf(spec, sizeof spec, "%s=v%d", key, rand());
	assert_int_equal(env_set(&e, spec), 0);
	assert_int_equal(env_default(&e, key, "default"), 0);   /* set: stays */
	assert_int_equal(env_default(&e, "PATH", DEFAULT_PATH), 0);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.vars[0], spec);
	snprintf(spec, sizeof spec, "%s=w%d", key, rand());
	assert_int_equal(env_set(&e, spec), 0);                  /* replaces */
	assert_int_equal(e.n, 2);
	assert_string_equal(e.vars[0], spec);
	/* A bare K passes on ours, or nothing. */
	snprintf(want, sizeof want, "x%d", rand());
	setenv("MYDOCKER_UNIT_PASS", want, 1);
	unsetenv("MYDOCKER_UNIT_UNSET");
	assert_int_equal(env_set(&e, "MYDOCKER_UNIT_PASS"), 0);
	assert_int_equal(env_set(&e, "MYDOCKER_UNIT_UNSET"), 0);
	assert_int_equal(e.n, 3);
	snprintf(spec, sizeof spec, "MYDOCKER_UNIT_PASS=%s", want);
	assert_string_equal(e.vars[2], spec);
	assert_int_equal(env_add_block(&e, block, sizeof block - 1), 0);
	assert_int_equal(e.n, 5);
	assert_null(e.vars[5]);
	assert_int_equal(env_set(&e, "=x"), -1);
	assert_int_equal(env_set(&e, ""), -1);
}

int main(void)
{
	seed_random();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(corrupt),
		cmocka_unit_test_setup_teardown(lookup, make_root, remove_root),
		cmocka_unit_test_setup_teardown(ports_held, make_root, remove_root),
		cmocka_unit_test(environment),
	};
	return report_seed(cmocka_run_group_tests_name("record", tests, NULL, NULL));
}
