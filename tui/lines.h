/* tui/lines.h: text as a list of lines (the detail view, the help, the
 * feedback form and conflict view), and wrapping text into it.  Pure. */
#ifndef DDTREE_TUI_LINES_H
#define DDTREE_TUI_LINES_H

#include <stddef.h>

struct lines {
	char **v;
	size_t n;
};

/* Append a copy of s (NULL: an empty line). */
void lines_add(struct lines *l, const char *s);
void lines_free(struct lines *l);

/* Append text, made safe for the terminal, wrapped at width columns
 * (breaking at spaces when it can; each source line on its own), each line
 * prefixed by `indent` spaces. */
void lines_wrap(struct lines *out, const char *text, int width, int indent);

#endif
