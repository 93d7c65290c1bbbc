/* rtnetlink, the kernel's interface for network devices and addresses:
 * what `ip` sends, sent without starting `ip` (man 7 netlink, man 7
 * rtnetlink). A request is a header, a fixed struct (ifinfomsg for a link,
 * ifaddrmsg for an address), then attributes: type-length-value records,
 * which nest. */
#ifndef MYDOCKER_NETLINK_H
#define MYDOCKER_NETLINK_H

#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct nl_request {
	struct nlmsghdr hdr;
	char room[1024];
	int overflow;      /* an attribute did not fit: nl_send refuses it */
};

/* A new request of type (RTM_NEWLINK...) with flags besides
 * NLM_F_REQUEST | NLM_F_ACK, and its fixed struct. */
void nl_start(struct nl_request *r, int type, int flags, const void *head, size_t len);
/* Append raw bytes (a nested ifinfomsg), an attribute, a string attribute. */
void nl_append(struct nl_request *r, const void *data, size_t len);
void nl_put(struct nl_request *r, int type, const void *data, size_t len);
void nl_put_str(struct nl_request *r, int type, const char *s);
/* An attribute holding the attributes put until nl_end(r, it). */
struct rtattr *nl_begin(struct nl_request *r, int type);
void nl_end(struct nl_request *r, struct rtattr *nest);
/* Send it in our network namespace and wait for the kernel's answer:
 * 0, or -1 with errno set to the kernel's error (EEXIST, ENODEV...). */
int nl_send(struct nl_request *r);

#endif
