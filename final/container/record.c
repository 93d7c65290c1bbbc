//> ch06
#include "container/record.h"

#include <dirent.h>
#include <errno.h>
//> final
#include <fcntl.h>
#include <unistd.h>
//<
#include <inttypes.h>
//> ch08
#include <arpa/inet.h>
//<
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "error.h"
#include "file.h"
#include "image/image.h"
#include "lock.h"
#include "parse.h"
#include "container/process.h"
//> final
#include "container/claims.h"
#include "container/restart.h"
//<

static const char *const status_names[] = { "created", "running", "exited" };

int record_path(char *out, size_t size, const char *id, const char *file)
{
	return path_fmt(out, size, "%s/containers/%s%s%s", state_root(), id, file ? "/" : "", file ? file : "");
}

/* One "key=value" line. '\' and newlines in the value are escaped, so that
 * a command with a newline in it is still one line. */
__attribute__((format(printf, 5, 6)))
static size_t put(char *out, size_t size, size_t len, const char *key, const char *fmt, ...)
{
	char value[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	len += snprintf(out + len, len < size ? size - len : 0, "%s=", key);
	for (const char *v = value; *v && len + 2 < size; v++) {
		if (*v == '\\' || *v == '\n')
			out[len++] = '\\';
		out[len++] = *v == '\n' ? 'n' : *v;
	}
	if (len < size)
		out[len++] = '\n';
	return len;
}

//> ch08
/* net=none|host|bridge NAME; for a bridge network its subnet and bridge;
 * while it holds them, ip, veth and one port=HOST:CTR/PROTO per -p. */
static size_t format_endpoint(const struct endpoint *e, char *out, size_t size, size_t len)
{
	static const char *const modes[] = { "", "none", "host", "bridge" };
	char text[64];

	if (e->mode == NET_DEFAULT)
		return len;
	len = put(out, size, len, "net", "%s%s%s", modes[e->mode], e->network[0] ? " " : "", e->network);
	/* The subnet and bridge are known once an address is taken. */
	if (e->subnet.prefix) {
		subnet_format(&e->subnet, text, sizeof text);
		len = put(out, size, len, "subnet", "%s", text);
	}
	if (e->bridge[0])
		len = put(out, size, len, "bridge", "%s", e->bridge);
	if (e->ip) {
		ipv4_format(e->ip, text, sizeof text);
		len = put(out, size, len, "ip", "%s", text);
	}
	if (e->veth[0])
		len = put(out, size, len, "veth", "%s", e->veth);
	for (int i = 0; i < e->nports; i++) {
		port_format(&e->ports[i], text, sizeof text);
		len = put(out, size, len, "port", "%s", text);
	}
	return len;
}

//<
int record_format(const struct record *r, char *out, size_t size)
{
	const struct limits *l = &r->limits;
	size_t len = 0;

	len = put(out, size, len, "id", "%s", r->id);
	len = put(out, size, len, "name", "%s", r->name);
	len = put(out, size, len, "image", "%s", r->image);
	len = put(out, size, len, "command", "%s", r->command);
	len = put(out, size, len, "hostname", "%s", r->hostname);
	len = put(out, size, len, "status", "%s", status_names[r->status]);
	len = put(out, size, len, "created", "%lld.%09ld", (long long)r->created.tv_sec, r->created.tv_nsec);
	len = put(out, size, len, "finished", "%lld.%09ld", (long long)r->finished.tv_sec, r->finished.tv_nsec);
	len = put(out, size, len, "pid", "%d %llu", (int)r->pid, r->pid_start);
	len = put(out, size, len, "monitor", "%d %llu", (int)r->monitor, r->monitor_start);
	len = put(out, size, len, "exit_code", "%d", r->exit_code);
	len = put(out, size, len, "autoremove", "%d", r->autoremove);
	len = put(out, size, len, "memory", "%" PRId64, l->memory);
	len = put(out, size, len, "millicpus", "%" PRId64, l->millicpus);
	len = put(out, size, len, "cpu_shares", "%" PRId64, l->cpu_shares);
	len = put(out, size, len, "cpuset", "%s", r->cpuset);
	len = put(out, size, len, "pids_limit", "%" PRId64, l->pids);
	for (const char *v = r->volumes; *v; ) {
		int n = strcspn(v, "\n");
		len = put(out, size, len, "volume", "%.*s", n, v);
		v += n + (v[n] == '\n');
	}
	for (int ctl = 0; ctl < CTL_COUNT; ctl++)
		if (r->cgroup.dir[ctl][0])
			len = put(out, size, len, "cgroup", "%s %s", controller_name(ctl), r->cgroup.dir[ctl]);
//> ch08
	len = format_endpoint(&r->ep, out, size, len);
//<
//> final
	len = put(out, size, len, "caps", "%016" PRIx64, r->caps);
	len = put(out, size, len, "privileged", "%d", r->privileged);
	len = put(out, size, len, "no_new_privs", "%d", r->no_new_privs);
	if (r->workdir[0])
		len = put(out, size, len, "workdir", "%s", r->workdir);
	if (r->user[0])
		len = put(out, size, len, "user", "%s", r->user);
	if (r->stop_signal)
		len = put(out, size, len, "stop_signal", "%d", r->stop_signal);
	if (r->stop_timeout >= 0)
		len = put(out, size, len, "stop_timeout", "%d", r->stop_timeout);
	for (const char *v = r->labels; *v; ) {
		int n = strcspn(v, "\n");
		len = put(out, size, len, "label", "%.*s", n, v);
		v += n + (v[n] == '\n');
	}
	const char *word = r->args;
	for (int i = 0; i < r->nargs; i++, word += strlen(word) + 1)
		len = put(out, size, len, "arg", "%s", word);
	word = r->env;
	for (int i = 0; i < r->nenv; i++, word += strlen(word) + 1)
		len = put(out, size, len, "env", "%s", word);
	word = r->run;
	for (int i = 0; i < r->nrun; i++, word += strlen(word) + 1)
		len = put(out, size, len, "run", "%s", word);
	if (r->started.tv_sec || r->started.tv_nsec)
		len = put(out, size, len, "started", "%lld.%09ld", (long long)r->started.tv_sec, r->started.tv_nsec);
	if (r->restart_kind)
		len = put(out, size, len, "restart", "%d %d", r->restart_kind, r->restart_max);
	len = put(out, size, len, "restart_count", "%d", r->restart_count);
	len = put(out, size, len, "restarting", "%d", r->restarting);
	len = put(out, size, len, "stopped", "%d", r->stopped);
	/* Last: a record cut short (a disk that lost its tail) lacks it. */
	len = put(out, size, len, "end", "%s", "");
//<
	if (len >= size)
		return err_set("container %s: record too long", r->id);
	out[len] = '\0';
	return 0;
}

/* Undo put()'s escapes in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++)
		*w++ = *s == '\\' && s[1] ? (*++s == 'n' ? '\n' : *s) : *s;
	*w = '\0';
}

static int copy(char *dst, size_t size, const char *value)
{
	return snprintf(dst, size, "%s", value) < (int)size ? 0 : -1;
}

static int number(const char *value, int64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoll(value, &end, 10);
	return errno || end == value || *end ? -1 : 0;
}

static int timestamp(const char *value, struct timespec *ts)
{
	long long sec;
	long nsec;

	if (sscanf(value, "%lld.%ld", &sec, &nsec) != 2 || nsec < 0 || nsec > 999999999)
		return -1;
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
	return 0;
}

static int process(const char *value, pid_t *pid, unsigned long long *start)
{
	int p;

	if (sscanf(value, "%d %llu", &p, start) != 2)
		return -1;
	*pid = p;
	return 0;
}

//> ch08
/* One of format_endpoint's lines back; 1 when key is not one of them. */
static int parse_endpoint(const char *key, char *value, struct endpoint *e)
{
	struct in_addr in;

	if (!strcmp(key, "net")) {
		/* "bridge NAME", or a mode alone: "none", "host". */
		char *name = strchr(value, ' ');
		if (name) {
			*name++ = '\0';
			return strcmp(value, "bridge") ? -1 : endpoint_set_net(e, name);
		}
		return strcmp(value, "none") && strcmp(value, "host") ? -1 : endpoint_set_net(e, value);
	}
	if (!strcmp(key, "subnet"))
		return subnet_parse(value, &e->subnet);
	if (!strcmp(key, "bridge"))
		return copy(e->bridge, sizeof e->bridge, value);
	if (!strcmp(key, "veth"))
		return copy(e->veth, sizeof e->veth, value);
	if (!strcmp(key, "ip")) {
		if (inet_pton(AF_INET, value, &in) != 1)
			return -1;
		e->ip = ntohl(in.s_addr);
		return 0;
	}
	if (!strcmp(key, "port"))
		return endpoint_add_port(e, value);
	return 1;
}

//<
//> final
/* word after the n words, each ended by a NUL, in buf; -1 when it does not fit. */
static int add_word(char *buf, size_t size, int *n, const char *word)
{
	size_t used = 0, len = strlen(word) + 1;

	for (int i = 0; i < *n; i++)
		used += strlen(buf + used) + 1;
	if (len > size - used)
		return -1;
	memcpy(buf + used, word, len);
	++*n;
	return 0;
}

//<
/* One line of the record into r; -1 when its value does not fit its key. */
static int parse_line(char *key, char *value, struct record *r)
{
	int64_t n;
	struct limits *l = &r->limits;

	if (!strcmp(key, "id"))
		return copy(r->id, sizeof r->id, value);
	if (!strcmp(key, "name"))
		return copy(r->name, sizeof r->name, value);
	if (!strcmp(key, "image"))
		return copy(r->image, sizeof r->image, value);
	if (!strcmp(key, "command"))
		return copy(r->command, sizeof r->command, value);
	if (!strcmp(key, "hostname"))
		return copy(r->hostname, sizeof r->hostname, value);
	if (!strcmp(key, "cpuset"))
		return copy(r->cpuset, sizeof r->cpuset, value);
	if (!strcmp(key, "status")) {
		for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
			if (!strcmp(value, status_names[i]))
				return r->status = i, 0;
		return -1;
	}
	if (!strcmp(key, "created"))
		return timestamp(value, &r->created);
	if (!strcmp(key, "finished"))
		return timestamp(value, &r->finished);
	if (!strcmp(key, "pid"))
		return process(value, &r->pid, &r->pid_start);
	if (!strcmp(key, "monitor"))
		return process(value, &r->monitor, &r->monitor_start);
	if (!strcmp(key, "volume")) {
		size_t len = strlen(r->volumes);
		if (!*value || strchr(value, '\n'))
			return -1;   /* one HOST:CTR[:ro], never nothing (the list is a line each) */
		return snprintf(r->volumes + len, sizeof r->volumes - len, "%s%s", len ? "\n" : "", value) <
		       (int)(sizeof r->volumes - len) ? 0 : -1;
	}
//> ch08
	int net = parse_endpoint(key, value, &r->ep);
	if (net <= 0)
		return net;
//<
//> final
	if (!strcmp(key, "caps")) {
		char *end;
		errno = 0;
		r->caps = strtoull(value, &end, 16);
		return errno || end == value || *end ? -1 : 0;
	}
	if (!strcmp(key, "privileged") || !strcmp(key, "no_new_privs")) {
		int *flag = key[0] == 'p' ? &r->privileged : &r->no_new_privs;
		if (strcmp(value, "0") && strcmp(value, "1"))
			return -1;
		*flag = value[0] == '1';
		return 0;
	}
	if (!strcmp(key, "workdir"))
		return value[0] == '/' ? copy(r->workdir, sizeof r->workdir, value) : -1;
	if (!strcmp(key, "user"))
		return copy(r->user, sizeof r->user, value);
	if (!strcmp(key, "label")) {
		size_t len = strlen(r->labels);
		if (!*value || *value == '=' || strchr(value, '\n'))
			return -1;
		return snprintf(r->labels + len, sizeof r->labels - len, "%s%s", len ? "\n" : "", value) <
		       (int)(sizeof r->labels - len) ? 0 : -1;
	}
	if (!strcmp(key, "arg"))
		return add_word(r->args, sizeof r->args, &r->nargs, value);
	if (!strcmp(key, "env"))
		return strchr(value, '=') ? add_word(r->env, sizeof r->env, &r->nenv, value) : -1;
	if (!strcmp(key, "run"))
		return add_word(r->run, sizeof r->run, &r->nrun, value);
	if (!strcmp(key, "started"))
		return timestamp(value, &r->started);
	if (!strcmp(key, "restart"))
		return sscanf(value, "%d %d", &r->restart_kind, &r->restart_max) == 2 && r->restart_kind > 0 &&
		       r->restart_kind <= RESTART_UNLESS_STOPPED && r->restart_max >= 0 ? 0 : -1;
	if (!strcmp(key, "restart_count")) {
		if (number(value, &n) < 0 || n < 0 || n > INT_MAX)
			return -1;
		r->restart_count = n;
		return 0;
	}
	if (!strcmp(key, "restarting") || !strcmp(key, "stopped")) {
		if (strcmp(value, "0") && strcmp(value, "1"))
			return -1;
		*(key[0] == 'r' ? &r->restarting : &r->stopped) = value[0] == '1';
		return 0;
	}
	if (!strcmp(key, "stop_signal") || !strcmp(key, "stop_timeout")) {
		int stop_signal = !strcmp(key, "stop_signal");
		if (number(value, &n) < 0 || n < !!stop_signal || n > (stop_signal ? 64 : 3600))
			return -1;
		*(stop_signal ? &r->stop_signal : &r->stop_timeout) = n;
		return 0;
	}
//<
	if (!strcmp(key, "cgroup")) {
		char *path = strchr(value, ' ');
		if (!path)
			return -1;
		*path++ = '\0';
		for (int ctl = 0; ctl < CTL_COUNT; ctl++)
			if (!strcmp(value, controller_name(ctl)))
				return copy(r->cgroup.dir[ctl], sizeof r->cgroup.dir[ctl], path);
		return -1;
	}
	struct { const char *key; int64_t *value; } numbers[] = {
		{ "memory", &l->memory }, { "millicpus", &l->millicpus },
		{ "cpu_shares", &l->cpu_shares }, { "pids_limit", &l->pids },
	};
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
		if (!strcmp(key, numbers[i].key))
			return number(value, numbers[i].value);
	if (!strcmp(key, "exit_code") || !strcmp(key, "autoremove")) {
		if (number(value, &n) < 0 || n < INT_MIN || n > INT_MAX)
			return -1;
		*(key[0] == 'e' ? &r->exit_code : &r->autoremove) = n;
		return 0;
	}
	return 0;   /* a key from a newer version: not ours to judge */
}

static int all_hex(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

int record_parse(const char *text, struct record *r)
{
	char *copy_of_text = strdup(text), *save, *line;
	int lineno = 0, rc = 0;
//> final
	int complete = 0;
//<

	memset(r, 0, sizeof *r);
//> final
	r->stop_timeout = -1;
//<
	if (!copy_of_text)
		return err_sys("read record");
	for (line = strtok_r(copy_of_text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		lineno++;
		if (!eq) {
			rc = err_set("corrupt record: line %d has no '='", lineno);
			break;
		}
		*eq = '\0';
		unescape(eq + 1);
//> final
		complete |= !strcmp(line, "end");
//<
		if (parse_line(line, eq + 1, r) < 0) {
			rc = err_set("corrupt record: bad %s on line %d", line, lineno);
			break;
		}
	}
	free(copy_of_text);
	if (rc == 0 && (!all_hex(r->id, ID_LEN) || !r->name[0]))
		rc = err_set("corrupt record: no ID or no name");
//> final
	if (rc == 0 && !complete)
		rc = err_set("corrupt record: cut short");
//<
	r->limits.cpuset = r->cpuset[0] ? r->cpuset : NULL;
//> final
	snprintf(r->ep.id, sizeof r->ep.id, "%s", r->id);
//<
	return rc;
}

int record_write(const struct record *r)
{
	char path[PATH_MAX], text[sizeof(struct record) + 4096];

	if (record_path(path, sizeof path, r->id, "record") < 0 || record_format(r, text, sizeof text) < 0)
		return -1;
	return write_file_atomic(path, text, strlen(text));
}

int record_read(const char *id, struct record *r)
{
	char path[PATH_MAX], text[sizeof(struct record) + 4096];

	if (record_path(path, sizeof path, id, "record") < 0 || read_file(path, text, sizeof text) < 0)
		return err_wrap("container %.*s", SHORT_ID_LEN, id);   /* the cause: read_file's errno */
	if (record_parse(text, r) < 0)
		return err_wrap("container %.*s", SHORT_ID_LEN, id);
	if (strcmp(r->id, id))
		return err_set("container %.*s: its record names %.*s", SHORT_ID_LEN, id, SHORT_ID_LEN, r->id);
	return 0;
}

/* The IDs under containers/, for the walks below. */
static DIR *open_containers(void)
{
	char path[PATH_MAX];
	DIR *d;

	if (record_path(path, sizeof path, "", NULL) < 0)
		return NULL;
	if (!(d = opendir(path)) && errno != ENOENT)
		err_sys("open %s", path);
	return d;
}

static const char *next_id(DIR *d)
{
	struct dirent *e;

	while ((e = readdir(d)))
		if (all_hex(e->d_name, ID_LEN))
			return e->d_name;
	return NULL;
}

int records_lock(void)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof path, "%s/containers", state_root()) < 0 || mkdir_p(path, 0700) < 0 ||
	    path_fmt(path, sizeof path, "%s/containers.lock", state_root()) < 0)
		return -1;
	return lock_take(path);
}

//> ch06 final
//- /* Every other record: a name, or a port, that one of them has. */
//- static int clashes(const struct record *r)
//- {
//- 	struct record other;
//- 	DIR *d = open_containers();
//- 	int rc = 0;
//-
//- 	for (const char *id; d && rc == 0 && (id = next_id(d)); ) {
//- 		if (record_read(id, &other) < 0)
//- 			continue;
//- 		if (!strcmp(other.name, r->name))
//- 			rc = err_set("the name '%s' is already in use by container %.*s: remove it or choose another",
//- 				     r->name, SHORT_ID_LEN, id);
//<
//> ch08 final
//- 		/* A container holds its ports until it has exited (or been
//- 		 * removed, if its runtime was killed). */
//- 		const struct port_map *p = ports_clash(r->ep.ports, r->ep.nports, other.ep.ports, other.ep.nports);
//- 		if (rc == 0 && p)
//- 			rc = err_set("port %d/%s is already mapped by container %s", p->host, p->proto, other.name);
//<
//> ch06 final
//- 	}
//- 	if (d)
//- 		closedir(d);
//- 	return rc;
//- }
//-
//<
int record_create(struct record *r)
{
	char tmp[PATH_MAX], path[PATH_MAX], text[sizeof(struct record) + 4096];
	int lock, rc = -1;

	if ((lock = records_lock()) < 0)
		return -1;
//> ch06 final
	//- if (clashes(r) < 0)
//<
//> final
	/* The index, not every record: as fast with 1000 containers as with none. */
	if (claims_take(r) < 0)
//<
		goto done;
	/* Made whole in containers/.new, then renamed into place: a crash
	 * leaves no directory without its record. Under the lock only one is
	 * made at a time; one that is there is a killed runtime's. */
	if (record_path(tmp, sizeof tmp, ".new", NULL) < 0 || remove_tree(tmp) < 0 ||
	    record_path(path, sizeof path, r->id, NULL) < 0 || record_format(r, text, sizeof text) < 0)
		goto done;
	if (mkdir(tmp, 0700) < 0) {
		err_sys("mkdir %s", tmp);
		goto done;
	}
	if (record_path(tmp, sizeof tmp, ".new", "record") < 0 || write_file_atomic(tmp, text, strlen(text)) < 0 ||
	    record_path(tmp, sizeof tmp, ".new", NULL) < 0)
		goto fail;
	if (rename(tmp, path) < 0) {
		err_sys("rename %s to %s", tmp, path);
		goto fail;
	}
	rc = 0;
	goto done;
fail: {
	ERR_KEEP;   /* what failed above is the error to report */
	if (record_path(tmp, sizeof tmp, ".new", NULL) == 0)
		remove_tree(tmp);
}
done:
	lock_release(lock);
	return rc;
}

//> final
int record_reopen(struct record *r, int by_policy)
{
	struct record old;
	int lock, rc = -1;

	if ((lock = records_lock()) < 0)
		return -1;
	if (record_read(r->id, &old) < 0)
		goto done;
	if (by_policy && old.stopped) {
		rc = 1;
		goto done;
	}
	/* Its monitor is alive: it runs, or waits to run it again. Ours
	 * (by_policy) is this process. */
	if (!strcmp(record_state(&old), "running") || !strcmp(record_state(&old), "paused") ||
	    (!by_policy && process_alive(old.monitor, old.monitor_start))) {
		rc = err_set("container %s is %s: stop it first", old.name,
			     !strcmp(record_state(&old), "exited") ? "restarting" : record_state(&old));
		goto done;
	}
	memcpy(r->name, old.name, sizeof r->name);   /* rename may have named it anew */
	r->created = old.created;
	r->restart_count = by_policy ? old.restart_count + 1 : 0;
	/* Its name is its own already; its ports, free since it exited, may
	 * have gone to another container meanwhile. */
	if (claims_take(r) == 0 && record_write(r) == 0)
		rc = 0;
done:
	lock_release(lock);
	return rc;
}

int record_mark_stopped(const char *id, struct record *r)
{
	int lock = records_lock(), rc = -1;

	if (lock < 0)
		return -1;
	if (record_read(id, r) == 0) {
		int restarting = r->restarting;
		r->stopped = 1;
		r->restarting = 0;
		rc = record_write(r);
		r->restarting = restarting;   /* as it was: the caller wakes its monitor */
	}
	lock_release(lock);
	return rc;
}

//<
int record_find(const char *ref, struct record *r)
{
	char match[ID_LEN + 1] = "", by_name[ID_LEN + 1] = "";
	int prefixes = 0;
	size_t len = strlen(ref);
	DIR *d;

	memset(r, 0, sizeof *r);
	/* A reference with a '/' (or an empty one) names nothing, and leaves nothing. */
	if (!valid_name(ref) || !(d = open_containers()))
		return err_code(ENOENT, "no such container: %s", ref);
//> final
	/* A name from the index: the walk below reads no record. */
	if (claims_name(ref, by_name) < 0)
		by_name[0] = '\0';
//<
	for (const char *id; (id = next_id(d)); ) {
		if (!strcmp(id, ref)) {
			snprintf(by_name, sizeof by_name, "%s", id);
			break;   /* a full ID beats everything */
		}
//> ch06 final
		//- struct record other;
		//- if (!by_name[0] && record_read(id, &other) == 0 && !strcmp(other.name, ref))
		//- 	snprintf(by_name, sizeof by_name, "%s", id);
//<
		if (!strncmp(id, ref, len) && prefixes++ == 0)
			snprintf(match, sizeof match, "%s", id);
	}
	closedir(d);
	if (by_name[0])
		snprintf(match, sizeof match, "%s", by_name);
	else if (prefixes > 1)
		return err_set("'%s' matches %d containers: give more of the ID", ref, prefixes);
	else if (!prefixes)
		return err_code(ENOENT, "no such container: %s", ref);
	snprintf(r->id, sizeof r->id, "%s", match);
	if (record_read(match, r) < 0) {
		/* Its record gone since the directory was listed: removed just now. */
		if (err_cause() == ENOENT)
			return err_code(ENOENT, "no such container: %s", ref);
		snprintf(r->id, sizeof r->id, "%s", match);
		return -1;
	}
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	if (x->created.tv_sec != y->created.tv_sec)
		return x->created.tv_sec < y->created.tv_sec ? 1 : -1;
	return x->created.tv_nsec < y->created.tv_nsec ? 1 : x->created.tv_nsec > y->created.tv_nsec ? -1 : 0;
}

int record_list(struct record **out)
{
	AUTO_FREE struct record *list = NULL;
	AUTO_CLOSEDIR DIR *d = open_containers();
	int n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	for (const char *id; (id = next_id(d)); ) {
		if (n == cap) {
			struct record *bigger = realloc(list, (cap = cap ? 2 * cap : 16) * sizeof *list);
			if (!bigger)
				return err_sys("list containers");
			list = bigger;
		}
		if (record_read(id, &list[n]) == 0)
			n++;
		else if (err_cause() != ENOENT)
			warn("%s", err_msg());   /* say which, and go on with the others */
		/* else a directory without its record: a container that another
		 * runtime is making or removing right now. Not ours to report. */
	}
	if (n > 1)   /* qsort's array may not be NULL, even for none */
		qsort(list, n, sizeof *list, newest_first);
	*out = list;
	list = NULL;   /* the caller's now */
	return n;
}

//> final
#define RESERVE_BYTES (2 * (sizeof(struct record) + 4096))   /* a record and its copy */

int record_reserve(const struct record *r)
{
	char path[PATH_MAX];
	int fd;

	if (record_path(path, sizeof path, r->id, "reserve") < 0)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return err_sys("create %s", path);
	/* Blocks of its own, not a sparse file: they are what we get back. */
	errno = posix_fallocate(fd, 0, RESERVE_BYTES);
	close(fd);
	if (errno) {
		err_sys("reserve room for container %.*s's record", SHORT_ID_LEN, r->id);
		unlink(path);
		return -1;
	}
	return 0;
}

int record_write_last(const struct record *r)
{
	char path[PATH_MAX];

	if (record_write(r) == 0)
		return 0;
	if (err_cause() != ENOSPC && err_cause() != EDQUOT)
		return -1;
	if (record_path(path, sizeof path, r->id, "reserve") < 0 || unlink(path) < 0)
		return -1;
	return record_write(r);
}

int record_holds_address(const char *id, uint32_t ip)
{
	struct record r;

	if (!all_hex(id, ID_LEN))
		return 0;
	/* Gone: not held. Unreadable: held until `rm -f` takes it away. */
	if (record_read(id, &r) < 0)
		return err_cause() != ENOENT;
	if (r.ep.ip == ip)
		return 1;
	/* Not in its record yet: held while the runtime that starts it lives. */
	return r.status != STATUS_EXITED && process_alive(r.monitor, r.monitor_start);
}

//<
int record_running(const struct record *r)
{
	return r->status == STATUS_RUNNING && process_alive(r->pid, r->pid_start);
}

//> final
const char *record_state(const struct record *r)
{
	/* Up: its init runs, or it has just ended and its monitor, still
	 * there, is about to record that. */
	if (record_running(r) || (r->status == STATUS_RUNNING && process_alive(r->monitor, r->monitor_start)))
		return cgroup_frozen(&r->cgroup) == 1 ? "paused" : "running";
	/* Exited, and its monitor waits to run it again (--restart). */
	if (r->restarting && process_alive(r->monitor, r->monitor_start))
		return "restarting";
	return r->status == STATUS_CREATED ? "created" : "exited";
}

//<
void record_set_command(struct record *r, int argc, char **argv)
{
	size_t len = 0, size = sizeof r->command;

	r->command[0] = '\0';
	/* docker's way: arguments joined by spaces, those with a space quoted. */
	for (int i = 0; i < argc && len < size; i++) {
		int quote = strchr(argv[i], ' ') != NULL;
		len += snprintf(r->command + len, size - len, "%s%s%s%s", i ? " " : "", quote ? "'" : "",
				argv[i], quote ? "'" : "");
	}
//> final
	/* The words themselves, as many as fit whole. */
	r->nargs = 0;
	for (int i = 0; i < argc && add_word(r->args, sizeof r->args, &r->nargs, argv[i]) == 0; i++)
		;
//<
}
//> final

void record_set_env(struct record *r, int n, char **vars)
{
	r->nenv = 0;
	for (int i = 0; i < n && add_word(r->env, sizeof r->env, &r->nenv, vars[i]) == 0; i++)
		;
}

int record_set_run(struct record *r, int n, char **words)
{
	r->nrun = 0;
	/* All or none: start must not run a command with words missing. */
	for (int i = 0; i < n; i++)
		if (add_word(r->run, sizeof r->run, &r->nrun, words[i]) < 0)
			return err_set("run: its words are more than the %zu bytes a record keeps", sizeof r->run);
	return 0;
}
//<
