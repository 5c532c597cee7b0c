/* tui/help.c: the help screen's text. */
#include "ddconfig.h"

#include "tui/help.h"
#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add a help line "  HEAD  description" whose description starts at
 * column `indent`, wrapped at `width` columns (0: not wrapped): on a
 * screen wide enough the description goes on under itself, else under the
 * head, indented 6. */
static void add_wrapped(struct lines *l, const char *line, int width, int indent)
{
	if (width <= 0 || text_width(line) <= width) {
		lines_add(l, line);
		return;
	}
	size_t cut;
	if (indent + 20 <= width) {
		/* the first line breaks at the last space that fits, past the indent */
		size_t n = text_fit(line, width, NULL);
		cut = n;
		while (cut > (size_t)indent && line[cut - 1] != ' ')
			cut--;
		if (cut <= (size_t)indent)
			cut = n;
	} else {
		indent = 6;
		/* the head alone: up to the first two spaces past its start */
		const char *gap = strstr(line + 2, "  ");
		cut = gap ? (size_t)(gap - line) : strlen(line);
	}
	char *first = strndup(line, cut);
	if (first) {
		size_t e = strlen(first);
		while (e && first[e - 1] == ' ')
			first[--e] = '\0';
		if (text_width(first) > width)
			lines_wrap(l, first, width, 0);
		else
			lines_add(l, first);
		free(first);
	}
	const char *rest = line + cut;
	while (*rest == ' ')
		rest++;
	if (*rest)
		lines_wrap(l, rest, width, indent);
}

void help_build(struct lines *l, const struct keymap *km, bool read_only,
                const struct module *const *mods, size_t n, int width)
{
	char *cp = uiconf_path();
	char line[512];
	snprintf(line, sizeof line, "ddtree key bindings (from the same table the keyboard uses; change "
	         "them in %s)", cp ? cp : "$XDG_CONFIG_HOME/ddtree/config");
	free(cp);
	add_wrapped(l, line, width ? width : 76, 0);
	lines_add(l, "");
	for (int a = 0; a < ACT_COUNT; a++) {
		char keys[128];
		keymap_keys_for(km, (enum action)a, keys, sizeof keys);
		bool off = action_info[a].writes && read_only;
		snprintf(line, sizeof line, "  %-22s %-18s %s%s", keys[0] ? keys : "(unbound)",
		         action_info[a].name, action_info[a].help, off ? "  [read-only: off]" : "");
		add_wrapped(l, line, width, 44);
	}
	lines_add(l, "");
	lines_add(l, "Commands (':'):");
	struct lines cmds = {0};
	module_help(&cmds, mods, n);
	for (size_t i = 0; i < cmds.n; i++)
		add_wrapped(l, cmds.v[i], width, 31);
	lines_free(&cmds);
	lines_add(l, "Esc or q closes this help.");
}
