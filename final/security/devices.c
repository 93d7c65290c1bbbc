//> final
#include "security/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "error.h"
#include "file.h"

#define RWM (DEV_READ | DEV_WRITE | DEV_MKNOD)

/* Docker's defaults: any node may be made; these may be used. */
static const struct device_rule defaults[] = {
	{ 'c', -1, -1, DEV_MKNOD }, { 'b', -1, -1, DEV_MKNOD },
	{ 'c', 1, 3, RWM },  /* null */    { 'c', 1, 5, RWM },  /* zero */
	{ 'c', 1, 7, RWM },  /* full */    { 'c', 1, 8, RWM },  /* random */
	{ 'c', 1, 9, RWM },  /* urandom */ { 'c', 5, 0, RWM },  /* tty */
	{ 'c', 5, 1, RWM },  /* console */ { 'c', 5, 2, RWM },  /* ptmx */
	{ 'c', 136, -1, RWM },  /* its own pts (devpts newinstance) */
};
#define NDEFAULTS (sizeof defaults / sizeof *defaults)

/* spec, in copy (which d points into). */
static int parse_device(const char *spec, char *copy, struct device *d)
{
	char *perms = NULL, *colon;
	struct stat st;

	d->host = copy;
	d->ctr = copy;
	if ((colon = strchr(copy, ':'))) {
		*colon = '\0';
		d->ctr = colon + 1;
		if ((colon = strchr(d->ctr, ':'))) {
			*colon = '\0';
			perms = colon + 1;
		} else if (d->ctr[0] != '/') {
			perms = (char *)d->ctr;   /* HOST:rwm */
			d->ctr = d->host;
		}
	}
	if (d->host[0] != '/' || d->ctr[0] != '/')
		return err_set("--device %s: expected HOST[:CONTAINER][:rwm], absolute paths", spec);
	d->rule.access = perms ? 0 : RWM;
	for (const char *p = perms; p && *p; p++) {
		const char *at = strchr("rwm", *p);
		if (!at)
			return err_set("--device %s: permissions are letters of rwm", spec);
		d->rule.access |= (unsigned[]){ DEV_READ, DEV_WRITE, DEV_MKNOD }[at - "rwm"];
	}
	if (perms && !d->rule.access)
		return err_set("--device %s: permissions are letters of rwm", spec);
	if (stat(d->host, &st) < 0)
		return err_sys("--device %s", d->host);
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return err_set("--device %s: not a device", d->host);
	d->rule.type = S_ISCHR(st.st_mode) ? 'c' : 'b';
	d->rule.major = major(st.st_rdev);
	d->rule.minor = minor(st.st_rdev);
	d->mode = st.st_mode;
	return 0;
}

int devices_parse(const char *spec, struct device *d)
{
	char *copy = strdup(spec);

	if (!copy)
		return err_sys("--device %s", spec);
	if (parse_device(spec, copy, d) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

/* "c 1:3 rwm", as the v1 files take it. */
static void rule_text(const struct device_rule *r, char *out, size_t size)
{
	char major[16] = "*", minor[16] = "*", access[4], *a = access;

	if (r->major >= 0)
		snprintf(major, sizeof major, "%d", r->major);
	if (r->minor >= 0)
		snprintf(minor, sizeof minor, "%d", r->minor);
	if (r->access & DEV_READ)
		*a++ = 'r';
	if (r->access & DEV_WRITE)
		*a++ = 'w';
	if (r->access & DEV_MKNOD)
		*a++ = 'm';
	*a = '\0';
	snprintf(out, size, "%c %s:%s %s", r->type, major, minor, access);
}

static int limit_v1(const char *dir, const struct device *devs, int n)
{
	char path[4200], rule[64];

	/* Deny everything, then allow the list: the kernel keeps the rules. */
	if (path_fmt(path, sizeof path, "%s/devices.deny", dir) < 0 || write_file(path, "a") < 0 ||
	    path_fmt(path, sizeof path, "%s/devices.allow", dir) < 0)
		return -1;
	for (size_t i = 0; i < NDEFAULTS + (size_t)n; i++) {
		rule_text(i < NDEFAULTS ? &defaults[i] : &devs[i - NDEFAULTS].rule, rule, sizeof rule);
		if (write_file(path, rule) < 0)
			return err_wrap("allow %s", rule);
	}
	return 0;
}

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/* The program, by hand (linux/bpf.h has the instruction set; no compiler
 * or library is needed for twenty instructions a rule). Its input is
 * struct bpf_cgroup_dev_ctx: access_type (type in the low 16 bits, access
 * in the high ones), major, minor. It returns 1 (allow) at the first rule
 * that matches, 0 (deny) after the last:
 *
 *   r2 = type, r3 = access, r4 = major, r5 = minor
 *   per rule:  if r2 != TYPE goto next; if r4 != MAJOR goto next;
 *              if r5 != MINOR goto next; r1 = r3 & ~ACCESS;
 *              if r1 != 0 goto next; r0 = 1; exit
 *   next:      ...
 *   r0 = 0; exit */
int devices_program(const struct device_rule *rules, int n, struct bpf_insn *out, int size)
{
	int len = 0;

	/* The instruction first: its jump offset is counted from len. */
#define EMIT(insn) do { struct bpf_insn next = (insn); if (len == size) return -1; out[len++] = next; } while (0)
	EMIT(INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0));   /* access_type */
	EMIT(INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0));
	EMIT(INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff));     /* type */
	EMIT(INSN(BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16));         /* access */
	EMIT(INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0));   /* major */
	EMIT(INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0));   /* minor */
	for (int i = 0; i < n; i++) {
		const struct device_rule *r = &rules[i];
		/* The rule's tests, then three to check the access and two to
		 * allow: a failed test jumps to the next rule, at start + rule_len. */
		int start = len, rule_len = (r->type != 'a') + (r->major >= 0) + (r->minor >= 0) + 5;
#define NEXT (start + rule_len - len - 1)

		if (r->type != 'a')
			EMIT(INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, NEXT,
				  r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK));
		if (r->major >= 0)
			EMIT(INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, NEXT, r->major));
		if (r->minor >= 0)
			EMIT(INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, NEXT, r->minor));
		/* Every access asked for must be one the rule allows. */
		EMIT(INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
		EMIT(INSN(BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, ~r->access & RWM));
		EMIT(INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_1, 0, NEXT, 0));
		EMIT(INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1));
		EMIT(INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
#undef NEXT
	}
	EMIT(INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0));
	EMIT(INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
#undef EMIT
	return len;
}

static int limit_v2(const char *dir, const struct device *devs, int n)
{
	struct device_rule rules[NDEFAULTS + MAX_DEVICES];
	struct bpf_insn prog[(NDEFAULTS + MAX_DEVICES) * 8 + 8];
	char log[4096] = "";
	union bpf_attr attr;
	int len, fd, cg, rc;

	memcpy(rules, defaults, sizeof defaults);
	for (int i = 0; i < n; i++)
		rules[NDEFAULTS + i] = devs[i].rule;
	if ((len = devices_program(rules, NDEFAULTS + n, prog, sizeof prog / sizeof *prog)) < 0)
		return err_set("the device program is too long");
	memset(&attr, 0, sizeof attr);
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uintptr_t)prog;
	attr.insn_cnt = len;
	attr.license = (uintptr_t)"GPL";
	fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
	if (fd < 0 && errno != ENOSYS && errno != EPERM) {
		/* Again with the verifier's log, to say why (with it on, a
		 * program longer than the log would fail for that alone). */
		attr.log_buf = (uintptr_t)log;
		attr.log_size = sizeof log;
		attr.log_level = 1;
		fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
	}
	if (fd < 0) {
		/* The verifier's verdict is the log's last line. */
		char *end = log + strlen(log), *last;
		while (end > log && end[-1] == '\n')
			*--end = '\0';
		last = strrchr(log, '\n');
		return err_sys("load the device program%s%.200s", *log ? ": " : "", last ? last + 1 : log);
	}
	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		close(fd);
		return err_sys("open %s", dir);
	}
	memset(&attr, 0, sizeof attr);
	attr.target_fd = cg;
	attr.attach_bpf_fd = fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	/* ALLOW_MULTI: a program the host put on a parent (systemd's) still runs. */
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	rc = syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr);
	close(cg);
	close(fd);   /* the cgroup holds the program now, until it is removed */
	return rc < 0 ? err_sys("attach the device program to %s", dir) : 0;
}

int devices_limit(const struct cgroup *cg, const struct device *devs, int n)
{
	if (!cg->dir[CTL_DEVICES][0])
		return err_set("no devices cgroup to limit the container's devices with");
	return cg->v2[CTL_DEVICES] ? limit_v2(cg->dir[CTL_DEVICES], devs, n) : limit_v1(cg->dir[CTL_DEVICES], devs, n);
}

int devices_create(const struct device *devs, int n)
{
	for (int i = 0; i < n; i++) {
		const struct device *d = &devs[i];
		char parent[4096];

		snprintf(parent, sizeof parent, "%s", d->ctr);
		*strrchr(parent, '/') = '\0';
		if (*parent && mkdir_p(parent, 0755) < 0)
			return -1;
		/* An image's file of that name gives way, as in docker. */
		if (unlink(d->ctr) < 0 && errno != ENOENT)
			return err_sys("--device: remove %s", d->ctr);
		if (mknod(d->ctr, d->mode, makedev(d->rule.major, d->rule.minor)) < 0 ||
		    chmod(d->ctr, d->mode & 07777) < 0)
			return err_sys("--device: mknod %s", d->ctr);
	}
	return 0;
}
