//> final
/* `port`: a container's -p mappings, as docker prints them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "error.h"
#include "parse.h"
#include "container/record.h"

static const char usage[] =
	"Usage: mydocker port CONTAINER [PORT[/PROTO]]\n"
	"\n"
	"The ports a container publishes (-p): each as 'PORT/PROTO -> 0.0.0.0:HOSTPORT',\n"
	"or for PORT only the host's side.\n";

int cmd_port(int argc, char **argv)
{
	char proto[8] = "tcp";
	int64_t want = 0;
	struct record r;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || argc > 3)
		return report_error((err_set("port: give a container and at most one port (see 'mydocker port --help')"), 1));
	if (argc == 3) {
		char number[16];
		const char *slash = strchr(argv[2], '/');
		snprintf(number, sizeof number, "%.*s", slash ? (int)(slash - argv[2]) : 15, argv[2]);
		if (slash)
			snprintf(proto, sizeof proto, "%s", slash + 1);
		if (parse_int(number, 1, 65535, &want) < 0 || (strcmp(proto, "tcp") && strcmp(proto, "udp")))
			return report_error((err_set("port: '%s' is not PORT[/tcp|/udp]", argv[2]), 1));
	}
	if (record_find(argv[1], &r) < 0)
		return report_error(1);
	int shown = 0;
	for (int i = 0; i < r.ep.nports; i++) {
		const struct port_map *p = &r.ep.ports[i];
		if (want && (p->ctr != want || strcmp(p->proto, proto)))
			continue;
		if (want)
			printf("0.0.0.0:%d\n", p->host);
		else
			printf("%d/%s -> 0.0.0.0:%d\n", p->ctr, p->proto, p->host);
		shown++;
	}
	if (want && !shown)
		return report_error((err_set("port: no public port '%d/%s' published for %s", (int)want, proto, argv[1]), 1));
	return 0;
}
