//> final
/* docker's --format: text with {{.Field}}, {{.Field.Sub}}, {{.Label "key"}},
 * {{json .Field}} and {{index .Field "key"}} in it (the part of Go's
 * templates people script with), and \t, \n for a tab and a newline. */
#ifndef MYDOCKER_TEMPLATE_H
#define MYDOCKER_TEMPLATE_H

#include <stddef.h>

/* The value of field name (its argument arg, or NULL) for ctx into out,
 * through the function func ("json", "index"; NULL: none); -1 when there
 * is no such field, or it does not take that function or argument. */
typedef int (*template_field)(const char *func, const char *name, const char *arg, void *ctx, char *out,
			      size_t size);

/* tmpl with each {{...}} replaced by its value; -1, with the error set,
 * for a template that does not parse or names a field there is not. */
int template_render(const char *tmpl, template_field field, void *ctx, char *out, size_t size);

#endif
