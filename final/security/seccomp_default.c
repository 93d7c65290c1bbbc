//> final
/* The default filter: the meaning of docker's default seccomp profile. An
 * allow list: whatever is not named here fails with EPERM. What is left
 * out is what a container has no business doing to a shared kernel:
 * loading modules and kexec (init_module, kexec_load), rebooting, the
 * kernel keyring (add_key, keyctl, request_key: it is not namespaced),
 * bpf and perf_event_open (the kernel's largest attack surface), new
 * namespaces and mounts (unshare, setns, mount: the first step of most
 * escapes), changing the clock, swapon, quotactl, and the obsolete calls
 * nobody needs (uselib, sysfs, ustat, vm86). A capability given back with
 * --cap-add gives back its calls (the groups below). */
#include "security/seccomp.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* Every container may make these. */
static const char allowed[] =
	"accept accept4 access adjtimex alarm arch_prctl bind brk cachestat capget capset chdir "
	"chmod chown chown32 clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 "
	"clock_gettime clock_gettime64 clock_nanosleep clock_nanosleep_time64 close close_range "
	"connect copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl "
	"epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve "
	"execveat exit exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate "
	"fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl fcntl64 "
	"fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64 "
	"fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait "
	"futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 "
	"geteuid geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid "
	"getpgrp getpid getppid getpriority getrandom getresgid getresgid32 getresuid getresuid32 "
	"getrlimit get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid "
	"gettimeofday getuid getuid32 getxattr inotify_add_watch inotify_init inotify_init1 "
	"inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents "
	"io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill landlock_add_rule "
	"landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat "
	"listen listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise "
	"map_shadow_stack membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat "
	"mlock mlock2 mlockall mmap mmap2 modify_ldt mprotect mq_getsetattr mq_notify mq_open "
	"mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap "
	"msgctl msgget msgrcv msgsnd msync munlock munlockall munmap nanosleep newfstatat _newselect "
	"open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free "
	"pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2 prlimit64 "
	"process_mrelease pselect6 pselect6_time64 ptrace pwrite64 pwritev pwritev2 read readahead "
	"readlink readlinkat readv recv recvfrom recvmmsg recvmmsg_time64 recvmsg remap_file_pages "
	"removexattr rename renameat renameat2 restart_syscall rmdir rseq rt_sigaction "
	"rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait "
	"rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr sched_getparam "
	"sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval "
	"sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam "
	"sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop "
	"semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 "
	"setfsuid setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority "
	"setregid setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 "
	"setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid "
	"setuid32 setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 "
	"sigprocmask sigreturn socket socketcall socketpair splice stat stat64 statfs statfs64 "
	"statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create "
	"timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime "
	"timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime "
	"timerfd_settime64 times tkill truncate truncate64 ugetrlimit umask uname unlink unlinkat "
	"utime utimensat utimensat_time64 utimes vfork vmsplice wait4 waitid waitpid write writev";

/* A container that keeps a capability may make the calls it guards. */
static const struct {
	int cap;
	const char *names;
} with_cap[] = {
	{ CAP_DAC_READ_SEARCH, "open_by_handle_at" },
	{ CAP_SYS_ADMIN, "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie "
			 "mount mount_setattr move_mount name_to_handle_at open_tree perf_event_open "
			 "quotactl quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare" },
	{ CAP_SYS_BOOT, "reboot" },
	{ CAP_SYS_CHROOT, "chroot" },
	{ CAP_SYS_MODULE, "delete_module init_module finit_module" },
	{ CAP_SYS_PACCT, "acct" },
	{ CAP_SYS_PTRACE, "kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev" },
	{ CAP_SYS_RAWIO, "iopl ioperm" },
	{ CAP_SYS_TIME, "settimeofday stime clock_settime clock_settime64" },
	{ CAP_SYS_TTY_CONFIG, "vhangup" },
	{ CAP_SYS_NICE, "get_mempolicy mbind set_mempolicy set_mempolicy_home_node" },
	{ CAP_SYSLOG, "syslog" },
	{ CAP_BPF, "bpf" },
	{ CAP_PERFMON, "perf_event_open" },
};

/* The namespace flags of clone: without CAP_SYS_ADMIN, clone may make
 * threads and processes, not namespaces. */
#define CLONE_NAMESPACES (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
			  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

/* personality(2): Linux, its 32-bit flavour, uname26, and the query. */
static const unsigned personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

/* Allow each space-separated name; a call this architecture lacks is skipped. */
static int allow_names(scmp_filter_ctx ctx, const char *names)
{
	char name[64];

	for (const char *p = names; *p; ) {
		size_t n = strcspn(p, " ");
		int nr, rc;

		snprintf(name, sizeof name, "%.*s", (int)n, p);
		p += n + (p[n] == ' ');
		if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
			continue;
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0)
			return errno = -rc, err_sys("seccomp: allow %s", name);
	}
	return 0;
}

int seccomp_default_rules(scmp_filter_ctx ctx, uint64_t caps)
{
	int rc = 0;

	/* x86-64 runs 32-bit (x86) and x32 programs too: the same rules for them. */
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
		if (rc == 0 || rc == -EEXIST)
			rc = seccomp_arch_add(ctx, SCMP_ARCH_X32);
		if (rc < 0 && rc != -EEXIST)
			return errno = -rc, err_sys("seccomp: add the x86 and x32 architectures");
	}
	if (allow_names(ctx, allowed) < 0)
		return -1;
	for (size_t i = 0; i < sizeof with_cap / sizeof *with_cap; i++)
		if ((caps & (1ULL << with_cap[i].cap)) && allow_names(ctx, with_cap[i].names) < 0)
			return -1;
	for (size_t i = 0; i < sizeof personalities / sizeof *personalities; i++)
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
					   SCMP_A0(SCMP_CMP_EQ, personalities[i]))) < 0)
			break;
	if (rc >= 0 && !(caps & (1ULL << CAP_SYS_ADMIN))) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NAMESPACES, 0));
		/* clone3 passes its flags in memory, where a filter cannot look:
		 * ENOSYS makes the C library fall back to clone. */
		if (rc >= 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	}
	if (rc < 0)
		return errno = -rc, err_sys("seccomp: the default rules");
	return 0;
}
