//> ch08
#include "net/netlink.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Where the next attribute goes: messages and attributes are 4-byte aligned. */
static char *tail(struct nl_request *r)
{
	return (char *)&r->hdr + NLMSG_ALIGN(r->hdr.nlmsg_len);
}

void nl_start(struct nl_request *r, int type, int flags, const void *head, size_t len)
{
	memset(r, 0, sizeof *r);
	r->hdr.nlmsg_len = NLMSG_LENGTH(0);
	r->hdr.nlmsg_type = type;
	/* NLM_F_ACK: the kernel answers even on success, so we learn the outcome. */
	r->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nl_append(r, head, len);
}

void nl_append(struct nl_request *r, const void *data, size_t len)
{
	if (NLMSG_ALIGN(r->hdr.nlmsg_len) + NLMSG_ALIGN(len) > sizeof r->hdr + sizeof r->room) {
		r->overflow = 1;
		return;
	}
	if (len)
		memcpy(tail(r), data, len);
	r->hdr.nlmsg_len = NLMSG_ALIGN(r->hdr.nlmsg_len) + NLMSG_ALIGN(len);
}

void nl_put(struct nl_request *r, int type, const void *data, size_t len)
{
	/* An attribute is its 4-byte header, then its data: both aligned as
	 * nl_append aligns (RTA_ALIGN and NLMSG_ALIGN are both 4). */
	struct rtattr head = { .rta_len = RTA_LENGTH(len), .rta_type = type };

	nl_append(r, &head, sizeof head);
	nl_append(r, data, len);
}

void nl_put_str(struct nl_request *r, int type, const char *s)
{
	nl_put(r, type, s, strlen(s) + 1);
}

struct rtattr *nl_begin(struct nl_request *r, int type)
{
	struct rtattr *nest = (struct rtattr *)tail(r);

	nl_put(r, type, NULL, 0);
	return nest;
}

void nl_end(struct nl_request *r, struct rtattr *nest)
{
	/* A nest's length covers everything put since nl_begin. */
	if (!r->overflow)
		nest->rta_len = tail(r) - (char *)nest;
}

int nl_send(struct nl_request *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char answer[4096];
	ssize_t n = -1;
	int sock, rc = -1, saved;

	if (r->overflow) {
		errno = EMSGSIZE;
		return -1;
	}
	/* A routing socket acts in the network namespace it was made in: ours. */
	if ((sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
		return -1;
	r->hdr.nlmsg_seq = 1;
	if (sendto(sock, &r->hdr, r->hdr.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) >= 0)
		while ((n = recv(sock, answer, sizeof answer, 0)) < 0 && errno == EINTR)
			;
	/* The answer to an NLM_F_ACK request: an NLMSG_ERROR whose error is 0
	 * (done) or a negative errno. */
	struct nlmsghdr *h = (struct nlmsghdr *)answer;
	if (n < 0)
		;   /* errno says why */
	else if (!NLMSG_OK(h, (size_t)n) || h->nlmsg_type != NLMSG_ERROR ||
		 h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		errno = EPROTO;
	else if (((struct nlmsgerr *)NLMSG_DATA(h))->error)
		errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
	else
		rc = 0;
	saved = errno;
	close(sock);
	errno = saved;
	return rc;
}
