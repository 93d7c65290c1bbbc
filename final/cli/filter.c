//> final
#include "cli/filter.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "parse.h"

static const char *const keys[] = { "id", "name", "label", "status", "exited", "ancestor" };
static const char *const states[] = { "created", "running", "paused", "exited" };

int filter_add(struct filters *f, const char *kv)
{
	size_t key = strcspn(kv, "=");
	int64_t code;

	if (f->n == MAX_FILTERS)
		return err_set("--filter: at most %d", MAX_FILTERS);
	for (size_t i = 0; kv[key] && kv[key + 1] && i < sizeof keys / sizeof *keys; i++) {
		if (strlen(keys[i]) != key || strncmp(kv, keys[i], key))
			continue;
		const char *value = kv + key + 1;
		if (!strcmp(keys[i], "status")) {
			size_t s = 0;
			while (s < sizeof states / sizeof *states && strcmp(value, states[s]))
				s++;
			if (s == sizeof states / sizeof *states)
				return err_set("--filter '%s': a status is created, running, paused or exited", kv);
		}
		if (!strcmp(keys[i], "exited") && parse_int(value, 0, 255, &code) < 0)
			return err_set("--filter '%s': an exit code is 0 to 255", kv);
		if (snprintf(f->value[f->n], sizeof f->value[0], "%s", value) >= (int)sizeof f->value[0])
			return err_set("--filter '%s': too long", kv);
		snprintf(f->key[f->n++], sizeof f->key[0], "%s", keys[i]);
		return 0;
	}
	return err_set("--filter '%s': expected KEY=VALUE, KEY one of id, name, label, status, exited, ancestor", kv);
}

int filter_wants_all(const struct filters *f)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->key[i], "status") || !strcmp(f->key[i], "exited"))
			return 1;
	return 0;
}

/* K or K=V among the record's "K=V" lines. */
static int has_label(const char *labels, const char *want)
{
	size_t key = strcspn(want, "="), wlen = strlen(want);

	for (const char *l = labels; *l; ) {
		size_t n = strcspn(l, "\n");
		if (want[key] ? n == wlen && !strncmp(l, want, n) : n > key && l[key] == '=' && !strncmp(l, want, key))
			return 1;
		l += n + (l[n] == '\n');
	}
	return 0;
}

static const char *with_tag(const char *image, char *out, size_t size)
{
	const char *slash = strrchr(image, '/');

	snprintf(out, size, "%s%s", image, strchr(slash ? slash : image, ':') ? "" : ":latest");
	return out;
}

static int one(const char *key, const char *value, const struct record *r, const char *state)
{
	char code[8];

	if (!strcmp(key, "id"))
		return !strncmp(r->id, value, strlen(value));
	if (!strcmp(key, "name"))
		return strstr(r->name, value) != NULL;
	if (!strcmp(key, "label"))
		return has_label(r->labels, value);
	if (!strcmp(key, "status"))
		return !strcmp(state, value);
	if (!strcmp(key, "exited")) {
		snprintf(code, sizeof code, "%d", r->exit_code);
		return !strcmp(state, "exited") && r->status == STATUS_EXITED && !strcmp(code, value);
	}
	/* ancestor: REPO is REPO:latest, in the filter as in the record. */
	char a[600], b[600];
	return !strcmp(with_tag(value, a, sizeof a), with_tag(r->image, b, sizeof b));
}

int filter_match(const struct filters *f, const struct record *r, const char *state)
{
	for (int i = 0; i < f->n; i++) {
		int any = 0;
		/* Labels, as docker's: every one given. */
		if (!strcmp(f->key[i], "label")) {
			if (!one(f->key[i], f->value[i], r, state))
				return 0;
			continue;
		}
		/* Each key once: its values together, any of them. */
		for (int j = 0; j < i; j++)
			if (!strcmp(f->key[j], f->key[i]))
				goto next;
		for (int j = i; j < f->n; j++)
			any |= !strcmp(f->key[j], f->key[i]) && one(f->key[j], f->value[j], r, state);
		if (!any)
			return 0;
next:;
	}
	return 1;
}
