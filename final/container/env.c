//> ch07
#include "container/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

//> ch07
/* The index of K (of klen bytes) in e, or -1. */
static int find(const struct env *e, const char *key, size_t klen)
{
	for (int i = 0; i < e->n; i++)
		if (!strncmp(e->vars[i], key, klen) && e->vars[i][klen] == '=')
			return i;
	return -1;
}

/* Add or replace "K=V"; e takes kv, which is malloc'd. */
static int put(struct env *e, char *kv)
{
	int i = find(e, kv, strcspn(kv, "="));

	if (i >= 0) {
		free(e->vars[i]);
		e->vars[i] = kv;
		return 0;
	}
	if (e->n == MAX_ENV) {
		free(kv);
		return err_set("-e: at most %d variables", MAX_ENV);
	}
	e->vars[e->n++] = kv;
	e->vars[e->n] = NULL;
	return 0;
}

int env_set(struct env *e, const char *spec)
{
	const char *value;
	char *kv;

	if (!*spec || *spec == '=')
		return err_set("-e '%s': the variable needs a name (K=V, or K to pass it on)", spec);
	if (strchr(spec, '='))
		kv = strdup(spec);
	else if (!(value = getenv(spec)))
		return 0;   /* docker, too, passes on nothing for a K we do not have */
	else if (asprintf(&kv, "%s=%s", spec, value) < 0)
		kv = NULL;
	if (!kv)
		return err_sys("-e %s", spec);
	return put(e, kv);
}

int env_default(struct env *e, const char *key, const char *value)
{
	char *kv;

	if (find(e, key, strlen(key)) >= 0)
		return 0;
	if (asprintf(&kv, "%s=%s", key, value) < 0)
		return err_sys("environment");
	return put(e, kv);
}

int env_add_block(struct env *e, const char *block, size_t len)
{
	for (const char *p = block; p < block + len; p += strlen(p) + 1)
		if (strchr(p, '=') && env_set(e, p) < 0)
			return -1;
	return 0;
}
//<
//> final

int env_read_file(struct env *e, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[8192];
	int lineno = 0, rc = 0;

	if (!f)
		return err_sys("--env-file %s", path);
	while (rc == 0 && fgets(line, sizeof line, f)) {
		char *kv = line + strspn(line, " \t");
		size_t len = strcspn(kv, "\r\n");
		lineno++;
		if (!kv[len] && !feof(f)) {
			rc = err_set("--env-file %s: line %d is too long", path, lineno);
			break;
		}
		kv[len] = '\0';
		if (!*kv || *kv == '#')
			continue;
		size_t name = strcspn(kv, "=");
		if (strcspn(kv, " \t") < name)
			rc = err_set("--env-file %s: line %d: variable '%.*s' has a blank in its name", path, lineno,
				     (int)name, kv);
		else if (env_set(e, kv) < 0)
			rc = err_wrap("--env-file %s: line %d", path, lineno);
	}
	if (rc == 0 && ferror(f))
		rc = err_sys("--env-file %s", path);
	fclose(f);
	return rc;
}
//<
