/* tui/lines.c: text as a list of lines, and wrapping text into it. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/lines.h"
#include "tui/text.h"

#include <stdlib.h>
#include <string.h>

void lines_add(struct lines *l, const char *s)
{
	char **v = util_xrealloc(l->v, (l->n + 1) * sizeof *v);
	l->v = v;
	l->v[l->n++] = util_xstrdup(s ? s : "");
}

void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lines_wrap(struct lines *out, const char *text, int width, int indent)
{
	int avail = width - indent;
	if (avail < 10)
		avail = 10;
	char *safe = text_sanitize(text, strlen(text), 1);
	if (!safe)
		return;
	char pad[256];
	int ip = indent < (int)sizeof pad - 1 ? indent : (int)sizeof pad - 1;
	memset(pad, ' ', (size_t)ip);
	pad[ip] = '\0';
	/* tabs become spaces; each source line is wrapped on its own */
	for (char *t = safe; *t; t++)
		if (*t == '\t')
			*t = ' ';
	for (char *line = safe, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *p = line;
		do {
			int used;
			size_t n = text_fit(p, avail, &used);
			if (p[n]) {
				/* break at the last space inside the piece when there is one */
				size_t sp = n;
				while (sp > 0 && p[sp - 1] != ' ')
					sp--;
				if (sp > n / 2)
					n = sp;
				if (n == 0)
					n = 1;
			}
			char *buf = util_xcalloc(1, (size_t)ip + n + 1);
			memcpy(buf, pad, (size_t)ip);
			memcpy(buf + ip, p, n);
			buf[(size_t)ip + n] = '\0';
			lines_add(out, buf);
			free(buf);
			p += n;
		} while (*p);
	}
	free(safe);
}
