//> final
#include "cli/template.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

/* One {{ func .Name "arg" }} from p (after the "{{"): the function, the
 * name and the argument into func (one of funcs, or ""), name and arg, p
 * moved past the "}}". */
static int action(const char **p, char *func, char *name, size_t nsize, char *arg, size_t asize)
{
	static const char *const funcs[] = { "json", "index" };
	const char *s = *p, *end = strstr(s, "}}");
	size_t n = 0, a = 0;

	if (!end)
		return err_set("--format: '{{' without '}}'");
	while (s < end && *s == ' ')
		s++;
	func[0] = '\0';
	for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (!strncmp(s, funcs[i], strlen(funcs[i])) && s[strlen(funcs[i])] == ' ') {
			strcpy(func, funcs[i]);
			for (s += strlen(funcs[i]); s < end && *s == ' '; s++)
				;
		}
	if (*s != '.')
		return err_set("--format: '{{%.*s}}': a field starts with '.' ({{.ID}})", (int)(end - *p), *p);
	for (s++; s < end && (strchr("._", *s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			       (*s >= '0' && *s <= '9')); s++)
		if (n + 1 < nsize)
			name[n++] = *s;
	name[n] = '\0';
	arg[0] = '\0';
	while (s < end && *s == ' ')
		s++;
	if (s < end && *s == '"') {
		for (s++; s < end && *s != '"'; s++)
			if (a + 1 < asize)
				arg[a++] = *s;
		arg[a] = '\0';
		if (s++ == end)
			return err_set("--format: '{{%.*s}}': an argument without its closing '\"'", (int)(end - *p), *p);
		while (s < end && *s == ' ')
			s++;
	}
	if (s != end || !n)
		return err_set("--format: cannot read '{{%.*s}}'", (int)(end - *p), *p);
	*p = end + 2;
	return a ? 1 : 0;
}

int template_render(const char *tmpl, template_field field, void *ctx, char *out, size_t size)
{
	size_t len = 0;

	for (const char *p = tmpl; *p;) {
		char func[8], name[128], arg[256], value[16384];
		if (p[0] == '{' && p[1] == '{') {
			const char *start = p;
			p += 2;
			int has_arg = action(&p, func, name, sizeof name, arg, sizeof arg);
			if (has_arg < 0)
				return -1;
			if (field(func[0] ? func : NULL, name, has_arg ? arg : NULL, ctx, value, sizeof value) < 0)
				return err_set("--format: '%.*s': there is no such field", (int)(p - start), start);
			size_t n = strlen(value);
			if (len + n < size)
				memcpy(out + len, value, n);
			len += n;
			continue;
		}
		char c = *p++;
		if (c == '\\' && (*p == 't' || *p == 'n'))
			c = *p++ == 't' ? '\t' : '\n';
		if (len + 1 < size)
			out[len] = c;
		len++;
	}
	if (len >= size)
		return err_set("--format: the output is too long");
	out[len] = '\0';
	return 0;
}
