//> final
/* `inspect`: containers, images and networks as docker's JSON, written
 * with json-c; --format picks fields out of it ({{.State.Pid}}). */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/template.h"
#include "error.h"
#include "file.h"
#include "container/record.h"
#include "container/restart.h"
#include "image/image.h"
#include "image/layer.h"
#include "net/network.h"

static const char usage[] =
	"Usage: mydocker inspect [OPTIONS] NAME|ID...\n"
	"\n"
	"Print containers, images and networks as a JSON array (a container is\n"
	"looked for first, then an image, then a network).\n"
	"\n"
	"Options:\n"
	"  -f, --format T   each object as the template T instead: {{.State.Pid}},\n"
	"                   {{.NetworkSettings.IPAddress}}, {{json .Config}},\n"
	"                   {{index .Config.Labels \"K\"}}\n"
	"      --type T     only objects of type T: container, image or network\n"
	"  -h, --help       print this help\n";

enum kind { ANY, CONTAINER, IMAGE, NETWORK };

/* RFC 3339 in UTC, as docker writes its times; a time never reached is
 * Go's zero time. */
static json_object *time_json(const struct timespec *t)
{
	char text[64];
	struct tm tm;
	size_t n;

	if (!t->tv_sec || !gmtime_r(&t->tv_sec, &tm) || !(n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm)))
		return json_object_new_string("0001-01-01T00:00:00Z");
	snprintf(text + n, sizeof text - n, ".%09ldZ", t->tv_nsec);
	return json_object_new_string(text);
}

static void add(json_object *o, const char *key, json_object *value)
{
	json_object_object_add(o, key, value);
}

static void add_str(json_object *o, const char *key, const char *value)
{
	add(o, key, json_object_new_string(value));
}

/* "K=V" lines (labels) as an object. */
static json_object *labels_json(const char *lines)
{
	json_object *o = json_object_new_object();

	for (const char *l = lines; *l;) {
		size_t n = strcspn(l, "\n"), k = strcspn(l, "=");
		char key[256];
		snprintf(key, sizeof key, "%.*s", (int)(k < n ? k : n), l);
		add(o, key, json_object_new_string_len(k < n ? l + k + 1 : "", k < n ? (int)(n - k - 1) : 0));
		l += n + (l[n] == '\n');
	}
	return o;
}

/* The NUL-ended words of a record (its args, its env) as an array. */
static json_object *words_json(const char *words, int n)
{
	json_object *list = json_object_new_array();

	for (int i = 0; i < n; i++, words += strlen(words) + 1)
		json_object_array_add(list, json_object_new_string(words));
	return list;
}

/* The image's ID, its top layer's, for the ref a container was run from. */
static void image_id(const char *ref, char *out, size_t size)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1];
	struct image *list;
	int n;

	snprintf(out, size, "%s", "");
	if (image_ref(ref, repo, tag) < 0 || (n = image_list(&list)) < 0)
		return;
	for (int i = 0; i < n; i++)
		if (!strcmp(list[i].repo, repo) && !strcmp(list[i].tag, tag) && list[i].nlayers)
			snprintf(out, size, "%s", list[i].layers[0]);
	free(list);
}

/* NetworkSettings: its address, gateway and ports, under its network's name. */
static json_object *network_settings_json(const struct endpoint *e)
{
	json_object *settings = json_object_new_object(), *ports = json_object_new_object();
	json_object *networks = json_object_new_object();
	char ip[32] = "", gateway[32] = "", key[32], host[16];

	for (int i = 0; i < e->nports; i++) {
		json_object *binding = json_object_new_object(), *list = json_object_new_array();
		snprintf(key, sizeof key, "%d/%s", e->ports[i].ctr, e->ports[i].proto);
		snprintf(host, sizeof host, "%d", e->ports[i].host);
		add_str(binding, "HostIp", "0.0.0.0");
		add_str(binding, "HostPort", host);
		json_object_array_add(list, binding);
		add(ports, key, list);
	}
	if (e->ip) {
		ipv4_format(e->ip, ip, sizeof ip);
		ipv4_format(subnet_gateway(&e->subnet), gateway, sizeof gateway);
		json_object *net = json_object_new_object();
		add_str(net, "IPAddress", ip);
		add(net, "IPPrefixLen", json_object_new_int(e->subnet.prefix));
		add_str(net, "Gateway", gateway);
		add(networks, e->network, net);
	}
	add_str(settings, "Bridge", e->bridge);
	add_str(settings, "IPAddress", ip);
	add(settings, "IPPrefixLen", json_object_new_int(e->ip ? e->subnet.prefix : 0));
	add_str(settings, "Gateway", gateway);
	add(settings, "Ports", ports);
	add(settings, "Networks", networks);
	return settings;
}

static const char *network_mode(const struct endpoint *e)
{
	static const char *const modes[] = { "default", "none", "host" };

	return e->mode == NET_BRIDGE ? e->network : modes[e->mode];
}

static json_object *container_json(const struct record *r)
{
	json_object *o = json_object_new_object(), *state = json_object_new_object();
	json_object *config = json_object_new_object(), *host = json_object_new_object();
	json_object *mounts = json_object_new_array(), *binds = json_object_new_array();
	json_object *graph = json_object_new_object(), *data = json_object_new_object();
	json_object *cgroups = json_object_new_object();
	const char *status = record_state(r);
	int running = !strcmp(status, "running") || !strcmp(status, "paused");
	char path[4096], name[NAME_LEN + 2], id[LAYER_ID_LEN + 1], signame[16];

	add_str(o, "Id", r->id);
	add(o, "Created", time_json(&r->created));
	add_str(o, "Path", r->nargs ? r->args : "");
	add(o, "Args", r->nargs ? words_json(r->args + strlen(r->args) + 1, r->nargs - 1) : json_object_new_array());

	add_str(state, "Status", status);
	add(state, "Running", json_object_new_boolean(running));
	add(state, "Paused", json_object_new_boolean(!strcmp(status, "paused")));
	add(state, "Restarting", json_object_new_boolean(!strcmp(status, "restarting")));
	add(state, "Dead", json_object_new_boolean(r->status == STATUS_RUNNING && !running));
	add(state, "Pid", json_object_new_int(running ? r->pid : 0));
	add(state, "ExitCode", json_object_new_int(r->status == STATUS_EXITED ? r->exit_code : 0));
	add(state, "StartedAt", time_json(r->started.tv_sec ? &r->started :
					  r->status == STATUS_CREATED ? &(struct timespec){ 0 } : &r->created));
	add(state, "FinishedAt", time_json(r->status == STATUS_EXITED ? &r->finished : &(struct timespec){ 0 }));
	add(o, "State", state);

	image_id(r->image, id, sizeof id);
	add_str(o, "Image", id);
	snprintf(name, sizeof name, "/%s", r->name);
	add_str(o, "Name", name);
	add(o, "LogPath", record_path(path, sizeof path, r->id, "log") == 0 && file_exists(path) ?
			  json_object_new_string(path) : json_object_new_string(""));
	add(o, "RestartCount", json_object_new_int(r->restart_count));

	for (const char *v = r->volumes; *v;) {
		size_t n = strcspn(v, "\n");
		char spec[4096], *ctr, *mode;
		snprintf(spec, sizeof spec, "%.*s", (int)n, v);
		json_object_array_add(binds, json_object_new_string(spec));
		if ((ctr = strchr(spec, ':'))) {
			*ctr++ = '\0';
			if ((mode = strchr(ctr, ':')))
				*mode++ = '\0';
			json_object *m = json_object_new_object();
			add_str(m, "Type", "bind");
			add_str(m, "Source", spec);
			add_str(m, "Destination", ctr);
			add_str(m, "Mode", mode ? mode : "");
			add(m, "RW", json_object_new_boolean(!mode || strcmp(mode, "ro")));
			json_object_array_add(mounts, m);
		}
		v += n + (v[n] == '\n');
	}
	add(host, "Binds", binds);
	add_str(host, "NetworkMode", network_mode(&r->ep));
	add(host, "AutoRemove", json_object_new_boolean(r->autoremove));
	json_object *policy = json_object_new_object();
	add_str(policy, "Name", restart_name(r->restart_kind));
	add(policy, "MaximumRetryCount", json_object_new_int(r->restart_max));
	add(host, "RestartPolicy", policy);
	add(host, "Privileged", json_object_new_boolean(r->privileged));
	add(host, "Memory", json_object_new_int64(r->limits.memory));
	add(host, "NanoCpus", json_object_new_int64(r->limits.millicpus * 1000000));
	add(host, "CpuShares", json_object_new_int64(r->limits.cpu_shares));
	add_str(host, "CpusetCpus", r->cpuset);
	add(host, "PidsLimit", json_object_new_int64(r->limits.pids));
	add(o, "HostConfig", host);

	record_path(path, sizeof path, r->id, NULL);
	add_str(graph, "Name", "overlay");
	for (const char *dirs[] = { "UpperDir", "upper", "WorkDir", "work", "MergedDir", "merged" }, **d = dirs;
	     d < dirs + 6; d += 2) {
		char dir[4200];
		snprintf(dir, sizeof dir, "%s/%s", path, d[1]);
		add_str(data, d[0], dir);
	}
	add(graph, "Data", data);
	add(o, "GraphDriver", graph);
	add(o, "Mounts", mounts);

	add_str(config, "Hostname", r->hostname);
	add_str(config, "User", r->user);
	add(config, "Env", words_json(r->env, r->nenv));
	add(config, "Cmd", words_json(r->args, r->nargs));
	add_str(config, "Image", r->image);
	add_str(config, "WorkingDir", r->workdir);
	add(config, "Labels", labels_json(r->labels));
	const char *abbrev = sigabbrev_np(r->stop_signal ? r->stop_signal : SIGTERM);
	snprintf(signame, sizeof signame, "SIG%s", abbrev ? abbrev : "?");
	add_str(config, "StopSignal", signame);
	if (r->stop_timeout >= 0)
		add(config, "StopTimeout", json_object_new_int(r->stop_timeout));
	add(o, "Config", config);

	add(o, "NetworkSettings", network_settings_json(&r->ep));
	for (int ctl = 0; ctl < CTL_COUNT; ctl++)
		if (r->cgroup.dir[ctl][0])
			add_str(cgroups, controller_name(ctl), r->cgroup.dir[ctl]);
	add(o, "CgroupPaths", cgroups);
	return o;
}

static json_object *image_json(const struct image *img)
{
	json_object *o = json_object_new_object(), *tags = json_object_new_array();
	json_object *rootfs = json_object_new_object(), *layers = json_object_new_array();
	char ref[2 * NAME_LEN + 2], layer[4096];
	long long bytes = 0;

	snprintf(ref, sizeof ref, "%s:%s", img->repo, img->tag);
	json_object_array_add(tags, json_object_new_string(ref));
	add_str(o, "Id", img->layers[0]);
	add(o, "RepoTags", tags);
	add(o, "Created", time_json(&(struct timespec){ img->created, 0 }));
	/* Bottom first, as an image's rootfs lists them. */
	for (int l = img->nlayers - 1; l >= 0; l--) {
		json_object_array_add(layers, json_object_new_string(img->layers[l]));
		if (path_fmt(layer, sizeof layer, "%s/layers/%s", state_root(), img->layers[l]) == 0)
			bytes += layer_size(layer);
	}
	add(o, "Size", json_object_new_int64(bytes));
	add_str(rootfs, "Type", "layers");
	add(rootfs, "Layers", layers);
	add(o, "RootFS", rootfs);
	return o;
}

static json_object *network_json(const struct network *n)
{
	json_object *o = json_object_new_object(), *ipam = json_object_new_object();
	json_object *configs = json_object_new_array(), *config = json_object_new_object();
	json_object *members = json_object_new_object(), *options = json_object_new_object();
	char subnet[32], gateway[32], ip[40];
	struct record *list;
	int count = record_list(&list);

	add_str(o, "Name", n->name);
	add_str(o, "Driver", n->driver);
	subnet_format(&n->subnet, subnet, sizeof subnet);
	ipv4_format(subnet_gateway(&n->subnet), gateway, sizeof gateway);
	add_str(config, "Subnet", subnet);
	add_str(config, "Gateway", gateway);
	json_object_array_add(configs, config);
	add_str(ipam, "Driver", "default");
	add(ipam, "Config", configs);
	add(o, "IPAM", ipam);
	/* Its members: the containers that hold an address in it. */
	for (int i = 0; i < count; i++) {
		const struct endpoint *e = &list[i].ep;
		if (e->mode != NET_BRIDGE || !e->ip || strcmp(e->network, n->name))
			continue;
		json_object *member = json_object_new_object();
		ipv4_format(e->ip, ip, sizeof ip);
		snprintf(ip + strlen(ip), sizeof ip - strlen(ip), "/%d", n->subnet.prefix);
		add_str(member, "Name", list[i].name);
		add_str(member, "IPv4Address", ip);
		add(members, list[i].id, member);
	}
	if (count >= 0)
		free(list);
	add(o, "Containers", members);
	add_str(options, "com.docker.network.bridge.name", n->bridge);
	add(o, "Options", options);
	return o;
}

/* An image by REPO[:TAG], else by a prefix of its ID that no other has. */
static int image_find(const char *ref, struct image *out)
{
	char repo[NAME_LEN + 1], tag[NAME_LEN + 1];
	struct image *list;
	int n, by_id = 0, named = image_ref(ref, repo, tag) == 0;

	if ((n = image_list(&list)) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (named && !strcmp(list[i].repo, repo) && !strcmp(list[i].tag, tag)) {
			*out = list[i];
			free(list);
			return 0;
		}
	for (int i = 0; i < n; i++)
		if (list[i].nlayers && !strncmp(list[i].layers[0], ref, strlen(ref)) && by_id++ == 0)
			*out = list[i];
	free(list);
	return by_id == 1 ? 0 : err_code(ENOENT, "no such image: %s", ref);
}

/* ref as the object it names, looked up in docker's order. */
static json_object *lookup(const char *ref, enum kind kind)
{
	static struct record r;
	struct image img;
	struct network n;

	if (kind == ANY || kind == CONTAINER) {
		if (record_find(ref, &r) == 0)
			return container_json(&r);
		if (err_cause() != ENOENT)
			return NULL;
	}
	if ((kind == ANY || kind == IMAGE) && image_find(ref, &img) == 0)
		return image_json(&img);
	if ((kind == ANY || kind == NETWORK) && network_find(ref, &n) == 0)
		return network_json(&n);
	err_code(ENOENT, "no such object: %s", ref);
	return NULL;
}

/* A value as Go's templates print it: a string as it is, a list as [a b],
 * an object as map[k:v]. */
static size_t render(json_object *v, char *out, size_t size, size_t len)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return len + snprintf(out + len, len < size ? size - len : 0, "<no value>");
	case json_type_string:
		return len + snprintf(out + len, len < size ? size - len : 0, "%s", json_object_get_string(v));
	case json_type_array:
		len += snprintf(out + len, len < size ? size - len : 0, "[");
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				len += snprintf(out + len, len < size ? size - len : 0, " ");
			len = render(json_object_array_get_idx(v, i), out, size, len);
		}
		return len + snprintf(out + len, len < size ? size - len : 0, "]");
	case json_type_object: {
		int first = 1;
		len += snprintf(out + len, len < size ? size - len : 0, "map[");
		json_object_object_foreach(v, key, value) {
			len += snprintf(out + len, len < size ? size - len : 0, "%s%s:", first ? "" : " ", key);
			len = render(value, out, size, len);
			first = 0;
		}
		return len + snprintf(out + len, len < size ? size - len : 0, "]");
	}
	default:   /* numbers and booleans */
		return len + snprintf(out + len, len < size ? size - len : 0, "%s", json_object_to_json_string(v));
	}
}

static int format_field(const char *func, const char *name, const char *arg, void *ctx, char *out, size_t size)
{
	json_object *v = ctx;
	char path[128];

	/* .A.B: member B of member A. */
	snprintf(path, sizeof path, "%s", name);
	for (char *part = strtok(path, "."); part; part = strtok(NULL, "."))
		if (!json_object_is_type(v, json_type_object) || !json_object_object_get_ex(v, part, &v))
			return -1;
	if (func && !strcmp(func, "json")) {
		if (arg)
			return -1;
		snprintf(out, size, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		return 0;
	}
	if (func && !strcmp(func, "index")) {
		/* A key it lacks is the empty value, as in a Go map. */
		if (!arg || !json_object_is_type(v, json_type_object))
			return -1;
		out[0] = '\0';
		if (json_object_object_get_ex(v, arg, &v))
			render(v, out, size, 0);
		return 0;
	}
	if (arg)
		return -1;
	render(v, out, size, 0);
	return 0;
}

static int inspect(int argc, char **argv, enum kind kind)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' }, { "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	static const char *const kinds[] = { [CONTAINER] = "container", [IMAGE] = "image", [NETWORK] = "network" };
	const char *format = NULL;
	int opt, rc = 0;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:f:h", options, NULL)) != -1) {
		switch (opt) {
		case 'f': format = optarg; break;
		case 't':
			for (kind = CONTAINER; kind <= NETWORK && strcmp(optarg, kinds[kind]); kind++)
				;
			if (kind > NETWORK)
				return report_error((err_set("inspect: --type '%s': container, image or network", optarg), 1));
			break;
		case 'h': fputs(usage, stdout); return 0;
		case ':':
			return report_error((err_set("inspect: option '%s' needs a value", argv[optind - 1]), 1));
		default:
			return report_error((err_set("inspect: unknown option '%s' (see 'mydocker inspect --help')",
						     argv[optind - 1]), 1));
		}
	}
	if (optind == argc)
		return report_error((err_set("inspect: give at least one name or ID (see 'mydocker inspect --help')"), 1));

	json_object *all = json_object_new_array();
	if (!all)
		return report_error((err_sys("inspect"), 1));
	for (int i = optind; i < argc; i++) {
		json_object *o = lookup(argv[i], kind);
		if (!o) {
			rc = report_error(1);
			continue;
		}
		if (!format) {
			json_object_array_add(all, o);
			continue;
		}
		/* A template that fails for one fails for all: it is said once. */
		char *line = malloc(65536);
		int failed = !line || template_render(format, format_field, o, line, 65536) < 0;
		if (failed)
			rc = report_error((line ? err_wrap("inspect") : err_sys("inspect"), 1));
		else
			printf("%s\n", line);
		free(line);
		json_object_put(o);
		if (failed)
			break;
	}
	/* docker prints the array, [] too, even when some were not found. */
	if (!format)
		printf("%s\n", json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(all);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	return inspect(argc, argv, ANY);
}

int cmd_container_inspect(int argc, char **argv)
{
	return inspect(argc, argv, CONTAINER);
}

int cmd_image_inspect(int argc, char **argv)
{
	return inspect(argc, argv, IMAGE);
}

int cmd_network_inspect(int argc, char **argv)
{
	return inspect(argc, argv, NETWORK);
}
