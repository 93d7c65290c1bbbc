//> ch08
#include "net/firewall.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "exec.h"

void rule_init(struct rule *r, const char *table, const char *chain)
{
	memset(r, 0, sizeof *r);
	r->table = table;
	r->chain = chain;
}

static void add(struct rule *r, const char *fmt, va_list ap)
{
	size_t room = sizeof r->text - r->used;
	int n = vsnprintf(r->text + r->used, room, fmt, ap);

	/* The rules are ours, all of them short: overflowing is a bug. */
	if (n < 0 || (size_t)n >= room || r->argc == RULE_MAX_ARGS - 1) {
		r->too_long = 1;
		return;
	}
	r->argv[r->argc++] = r->text + r->used;
	r->used += n + 1;
}

void rule_arg(struct rule *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, fmt, ap);
	va_end(ap);
}

void rule_args(struct rule *r, ...)
{
	va_list ap;

	va_start(ap, r);
	for (const char *s; (s = va_arg(ap, const char *)); )
		rule_arg(r, "%s", s);
	va_end(ap);
}

/* iptables -w -t TABLE OP CHAIN ARGS...; -w: wait for another iptables
 * (a container starting in parallel) instead of failing. */
static int iptables(const struct rule *r, const char *op, int quiet)
{
	char *argv[RULE_MAX_ARGS + 8] = { "iptables", "-w", "-t", (char *)r->table, (char *)op, (char *)r->chain };
	int argc = 6;

	for (int i = 0; i < r->argc; i++)
		argv[argc++] = r->argv[i];
	argv[argc] = NULL;
	return quiet ? run_argv_quiet(argv) : run_argv(argv);
}

static int change(const struct rule *r, const char *op)
{
	if (r->too_long)
		return err_set("iptables -t %s %s %s: rule too long (a bug)", r->table, op, r->chain);
	int rc = iptables(r, op, 0);

	if (rc == 0)
		return 0;
	if (rc == EXIT_NOT_FOUND)
		return err_set("iptables: command not found (install iptables)");
	/* rc < 0: the message is set already; otherwise iptables printed its own. */
	return rc < 0 ? -1 : err_set("iptables -t %s %s %s failed (exit %d)", r->table, op, r->chain, rc);
}

int rule_add(const struct rule *r)
{
	return change(r, strcmp(r->table, "filter") ? "-A" : "-I");
}

int rule_delete(const struct rule *r)
{
	/* -D at once: a rule that is there, as it nearly always is, goes with
	 * one iptables run. Only when that fails does -C tell a rule someone
	 * already deleted (fine) from a real failure (said by a last -D). */
	if (r->too_long || iptables(r, "-D", 1) == 0 || iptables(r, "-C", 1) != 0)
		return 0;
	return change(r, "-D");
}
//> final

/* One line of iptables -S ("-A CHAIN ARGS...", a comment with blanks in
 * double quotes) as the rule it lists; 0 when it is no -A line. */
static int parse_listed(char *line, const char *table, struct rule *r, char *chain, size_t size)
{
	char *tok, *p = line;

	if (strncmp(line, "-A ", 3))
		return 0;
	p += 3;
	snprintf(chain, size, "%.*s", (int)strcspn(p, " "), p);
	rule_init(r, table, chain);
	p += strcspn(p, " ");
	while (*p == ' ')
		p++;
	while (*p) {
		if (*p == '"') {
			tok = ++p;
			p += strcspn(p, "\"");
		} else {
			tok = p;
			p += strcspn(p, " ");
		}
		rule_arg(r, "%.*s", (int)(p - tok), tok);
		if (*p == '"')
			p++;
		while (*p == ' ')
			p++;
	}
	return 1;
}

int rules_delete_commented(const char *table, const char *comment)
{
	static char listing[1 << 20];
	char *argv[] = { "iptables", "-w", "-t", (char *)table, "-S", NULL }, want[300], chain[64], *line, *next;
	struct rule r;
	int rc = 0;

	if (run_argv_output(argv, listing, sizeof listing) != 0)
		return err_set("iptables -t %s -S failed", table);
	snprintf(want, sizeof want, "--comment \"%s\"", comment);
	for (line = listing; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		/* The closing quote in want: "web" is not "web2". */
		if (strstr(line, want) && parse_listed(line, table, &r, chain, sizeof chain) && rule_delete(&r) < 0)
			rc = -1;
	}
	return rc;
}
//<
