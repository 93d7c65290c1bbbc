#include "markers.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

enum kind { TEXT, OPEN, CLOSE, STUB, OLD };

struct line {
	const char *start;
	size_t len;          /* without the newline */
	enum kind kind;
	int from, until;     /* OPEN: chapter range, until 0 = for good */
	const char *body;    /* STUB, OLD: text after "//| " or "//- " */
	size_t indent;       /* STUB, OLD: leading blanks */
};

struct frame {
	int open;            /* index of the OPEN line, -1 for the file itself */
	int show;            /* its text lines are emitted */
	int stub;            /* its //| lines are emitted instead */
	int old;             /* it or a region around it has an end chapter */
};

int chapter_number(const char *name)
{
	if (strncmp(name, "ch", 2) || !isdigit((unsigned char)name[2]) || !isdigit((unsigned char)name[3]))
		return -1;
	if (name[4] != '\0' && name[4] != '-' && name[4] != ' ' && name[4] != '\n')
		return -1;
	return (name[2] - '0') * 10 + (name[3] - '0');
}

/* "chNN" or "final" in a marker. */
static int marker_chapter(const char *name)
{
	return strcmp(name, "final") ? chapter_number(name) : MARKERS_FINAL;
}

static int error(char *err, size_t size, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, size, "line %d: ", line + 1);

	va_start(ap, fmt);
	vsnprintf(err + n, size - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int blank(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->start[i] != ' ' && l->start[i] != '\t')
			return 0;
	return 1;
}

/* Classify one line; -1 for a malformed marker. */
static int classify(struct line *l)
{
	const char *p = l->start, *end = l->start + l->len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	l->kind = TEXT;
	if (end - p < 3 || p[0] != '/' || p[1] != '/' || !strchr("><|-", p[2]))
		return 0;
	if (p[2] == '|' || p[2] == '-') {
		l->kind = p[2] == '|' ? STUB : OLD;
		l->indent = p - l->start;
		l->body = p + 3 + (p + 3 < end && p[3] == ' ');
		return 0;
	}
	if (p[2] == '<') {
		l->kind = CLOSE;
		return 0;
	}
	/* "//> chAA" or "//> chAA chBB" */
	char buf[32] = "";
	size_t n = end - (p + 3) < 31 ? (size_t)(end - (p + 3)) : 31;
	memcpy(buf, p + 3, n);
	char a[8] = "", b[8] = "", extra[8] = "";
	int fields = sscanf(buf, "%7s %7s %7s", a, b, extra);
	l->kind = OPEN;
	l->from = marker_chapter(a);
	l->until = fields >= 2 ? marker_chapter(b) : 0;
	if (fields < 1 || fields > 2 || l->from < 1 || l->until < 0 || (fields == 2 && l->until <= l->from))
		return -1;
	return 0;
}

int markers_filter(const char *text, int ch, int starter, char **out, char *err, size_t errsize)
{
	size_t nlines = 0, cap = 64, outlen = 0;
	struct line *lines = malloc(cap * sizeof *lines);
	char *has_stub = NULL, *buf = NULL;
	struct frame stack[MAX_DEPTH + 1];
	int depth = 0, rc = -1;

	/* Split into lines and classify them. */
	for (const char *p = text; lines && *p; ) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (nlines == cap && !(lines = realloc(lines, (cap *= 2) * sizeof *lines)))
			break;
		lines[nlines] = (struct line){ .start = p, .len = len };
		if (classify(&lines[nlines]) < 0) {
			error(err, errsize, nlines, "bad marker '%.*s': expected //> chNN [chMM] with MM > NN, or //> final", (int)len, p);
			goto done;
		}
		nlines++;
		p += len + (nl != NULL);
	}
	if (!lines || !(has_stub = calloc(nlines + 1, 1)) || !(buf = malloc(strlen(text) + 2))) {
		snprintf(err, errsize, "out of memory");
		goto done;
	}

	/* Pass 1: check nesting and that superseded lines are comments; note
	 * which regions carry stubs of their own. */
	int open[MAX_DEPTH], old[MAX_DEPTH + 1] = { 0 };
	for (size_t i = 0; i < nlines; i++) {
		if (lines[i].kind == OPEN) {
			if (depth == MAX_DEPTH) {
				error(err, errsize, i, "regions nested too deep");
				goto done;
			}
			old[depth + 1] = old[depth] || lines[i].until;
			open[depth++] = i;
		} else if (lines[i].kind == CLOSE) {
			if (depth == 0) {
				error(err, errsize, i, "//< closes no region");
				goto done;
			}
			depth--;
		} else if (lines[i].kind == STUB) {
			if (depth == 0) {
				error(err, errsize, i, "//| outside any region");
				goto done;
			}
			has_stub[open[depth - 1]] = 1;
		} else if (lines[i].kind == OLD && !old[depth]) {
			error(err, errsize, i, "//- outside a region that a later chapter replaces");
			goto done;
		} else if (lines[i].kind == TEXT && old[depth] && !blank(&lines[i])) {
			error(err, errsize, i, "a line that a later chapter replaces is written '//- ' and the line, "
			      "so that final/ compiles as it stands");
			goto done;
		}
	}
	if (depth > 1 || (depth == 1 && open[0] != 0)) {
		error(err, errsize, open[depth - 1], "region is never closed (only one opened on line 1 may run to the end)");
		goto done;
	}

	/* Pass 2: emit. */
	depth = 0;
	stack[0] = (struct frame){ .open = -1, .show = 1 };
	for (size_t i = 0; i < nlines; i++) {
		struct line *l = &lines[i];
		struct frame *top = &stack[depth];
		if (l->kind == OPEN) {
			int in = top->show && l->from <= ch && (l->until == 0 || ch < l->until);
			int stub = in && starter && l->from == ch && has_stub[i];
			stack[++depth] = (struct frame){ .open = i, .show = in && !stub, .stub = stub };
		} else if (l->kind == CLOSE) {
			depth--;
		} else if ((l->kind == STUB && top->stub) || (l->kind == OLD && top->show)) {
			memcpy(buf + outlen, l->start, l->indent);
			outlen += l->indent;
			size_t n = l->start + l->len - l->body;
			memcpy(buf + outlen, l->body, n);
			outlen += n;
			buf[outlen++] = '\n';
		} else if (l->kind == TEXT && top->show) {
			memcpy(buf + outlen, l->start, l->len);
			outlen += l->len;
			buf[outlen++] = '\n';
		}
	}
	buf[outlen] = '\0';
	*out = buf;
	buf = NULL;
	rc = 0;
done:
	free(lines);
	free(has_stub);
	free(buf);
	return rc;
}
