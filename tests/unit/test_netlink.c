//> ch08
/* Unit tests: net/netlink.c, requests built as the kernel will parse
 * them (with the kernel's own RTA_* macros), never sent but once. */
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
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/veth.h>

#include "net/netlink.h"

/* The attribute of type in the len bytes at first, or NULL. */
static struct rtattr *find(struct rtattr *first, int len, int type)
{
	for (struct rtattr *a = first; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

static void nested_request(void **state)
{
	(void)state;
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC, .ifi_index = rand() % 1000 }, peer = { 0 };
	char name[16], kind[16];
	uint32_t pid = 1 + rand() % 100000, value;
	struct nl_request r;

	snprintf(name, sizeof name, "veth%08x", (unsigned)rand());
	snprintf(kind, sizeof kind, "k%d", rand() % 1000);
	nl_start(&r, RTM_NEWLINK, NLM_F_CREATE, &link, sizeof link);
	nl_put_str(&r, IFLA_IFNAME, name);
	struct rtattr *info = nl_begin(&r, IFLA_LINKINFO);
	nl_put_str(&r, IFLA_INFO_KIND, kind);
	struct rtattr *data = nl_begin(&r, IFLA_INFO_DATA);
	nl_append(&r, &peer, sizeof peer);
	nl_put(&r, IFLA_NET_NS_PID, &pid, sizeof pid);
	nl_end(&r, data);
	nl_end(&r, info);
	assert_false(r.overflow);

	assert_int_equal(r.hdr.nlmsg_type, RTM_NEWLINK);
	assert_int_equal(r.hdr.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
	struct ifinfomsg *head = NLMSG_DATA(&r.hdr);
	assert_int_equal(head->ifi_index, link.ifi_index);
	/* The attributes after the fixed struct, as rtnetlink walks them. */
	struct rtattr *attrs = (struct rtattr *)((char *)head + NLMSG_ALIGN(sizeof *head));
	int len = r.hdr.nlmsg_len - NLMSG_LENGTH(sizeof *head);
	struct rtattr *a = find(attrs, len, IFLA_IFNAME);
	assert_non_null(a);
	assert_string_equal(RTA_DATA(a), name);
	/* The nest covers exactly its children, and ends the message. */
	a = find(attrs, len, IFLA_LINKINFO);
	assert_non_null(a);
	assert_ptr_equal((char *)a + RTA_ALIGN(a->rta_len), (char *)&r.hdr + r.hdr.nlmsg_len);
	struct rtattr *k = find(RTA_DATA(a), RTA_PAYLOAD(a), IFLA_INFO_KIND);
	assert_non_null(k);
	assert_string_equal(RTA_DATA(k), kind);
	struct rtattr *d = find(RTA_DATA(a), RTA_PAYLOAD(a), IFLA_INFO_DATA);
	assert_non_null(d);
	/* Inside: the raw ifinfomsg, then the attribute. */
	struct rtattr *p = (struct rtattr *)((char *)RTA_DATA(d) + NLMSG_ALIGN(sizeof peer));
	p = find(p, RTA_PAYLOAD(d) - NLMSG_ALIGN(sizeof peer), IFLA_NET_NS_PID);
	assert_non_null(p);
	memcpy(&value, RTA_DATA(p), sizeof value);
	assert_int_equal(value, pid);
}

static void overflow_refused(void **state)
{
	(void)state;
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC };
	char big[200];
	struct nl_request r;

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	nl_start(&r, RTM_NEWLINK, 0, &link, sizeof link);
	for (int i = 0; i < 10; i++)
		nl_put_str(&r, IFLA_IFALIAS, big);
	assert_true(r.overflow);
	/* Never sent half: refused before any socket is made. */
	errno = 0;
	assert_int_equal(nl_send(&r), -1);
	assert_int_equal(errno, EMSGSIZE);
}

static void kernel_answers(void **state)
{
	(void)state;
	struct ifinfomsg link = { .ifi_family = AF_UNSPEC };
	char name[16];
	struct nl_request r;

	/* Deleting a device that does not exist: the kernel's ENODEV comes
	 * back as errno (no root needed to be told no). */
	snprintf(name, sizeof name, "nx%08x", (unsigned)rand());
	nl_start(&r, RTM_DELLINK, 0, &link, sizeof link);
	nl_put_str(&r, IFLA_IFNAME, name);
	assert_int_equal(nl_send(&r), -1);
	assert_true(errno == ENODEV || errno == EPERM);
}

int main(void)
{
	seed_random();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_request),
		cmocka_unit_test(overflow_refused),
		cmocka_unit_test(kernel_answers),
	};
	return report_seed(cmocka_run_group_tests(tests, NULL, NULL));
}
