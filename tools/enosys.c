/* enosys SYSCALL COMMAND [ARG...]: run COMMAND as if the kernel had no
 * SYSCALL, which then fails with ENOSYS, as it does on a kernel older than
 * the call. The tests use it to show what the runtime says on such a
 * kernel without booting one. A seccomp filter does it: the kernel runs
 * the filter before every system call of COMMAND and its children.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "enosys: add this architecture's AUDIT_ARCH_*"
#endif

static const struct {
	const char *name;
	long nr;
} calls[] = {
	{ "close_range", SYS_close_range },
	{ "openat2", SYS_openat2 },
	{ "mount_setattr", SYS_mount_setattr },
	{ "pidfd_open", SYS_pidfd_open },
};

int main(int argc, char **argv)
{
	long nr = -1;

	for (size_t i = 0; argc > 2 && i < sizeof calls / sizeof *calls; i++)
		if (!strcmp(argv[1], calls[i].name))
			nr = calls[i].nr;
	if (nr < 0) {
		fprintf(stderr, "usage: enosys close_range|openat2|mount_setattr|pidfd_open COMMAND [ARG...]\n");
		return 2;
	}
	/* The call number is only meaningful for the architecture it was
	 * compiled for: any other lets everything through. */
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof filter / sizeof *filter, .filter = filter };

	/* A filter needs no_new_privs (or CAP_SYS_ADMIN): set it either way. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("enosys: seccomp");
		return 125;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "enosys: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
