//> ch08
/* iptables rules, added and removed exactly. Each rule is a table, a chain
 * and the rule's own arguments, built once and used for every operation on
 * it: adding, checking it is there, and deleting that very rule again. */
#ifndef MYDOCKER_FIREWALL_H
#define MYDOCKER_FIREWALL_H

#include <stddef.h>

#define RULE_MAX_ARGS 32

struct rule {
	const char *table;           /* "nat" or "filter" */
	const char *chain;           /* "POSTROUTING", "FORWARD"... */
	int argc;
	char *argv[RULE_MAX_ARGS];   /* the match and target, "-j" included */
	char text[1024];             /* what argv points into */
	size_t used;
	int too_long;                /* a bug: then no operation runs */
};

void rule_init(struct rule *r, const char *table, const char *chain);
/* Append arguments (each a plain string), up to a NULL. */
void rule_args(struct rule *r, ...);
/* Append one argument, printf-style. */
__attribute__((format(printf, 2, 3))) void rule_arg(struct rule *r, const char *fmt, ...);

/* Add it: nat rules at the end of their chain (-A), filter rules at the
 * top (-I), so that a DROP someone else put in FORWARD cannot hide them. */
int rule_add(const struct rule *r);
/* -D; a rule someone already deleted by hand is not an error. */
int rule_delete(const struct rule *r);
//> final
/* Delete every rule of table whose comment is comment: for an owner whose
 * rules can no longer be built exactly (its record is lost). */
int rules_delete_commented(const char *table, const char *comment);
//<

#endif
