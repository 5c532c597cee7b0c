/* tui/help.c: the help screen's text. */
#include "ddconfig.h"

#include "tui/help.h"

#include <stdio.h>
#include <stdlib.h>

void help_build(struct lines *l, const struct keymap *km, bool read_only,
                const struct module *const *mods, size_t n)
{
	lines_add(l, "ddtree key bindings (from the same table the keyboard uses; change them in");
	char *cp = uiconf_path();
	char line[512];
	snprintf(line, sizeof line, "%s)", cp ? cp : "$XDG_CONFIG_HOME/ddtree/config");
	free(cp);
	lines_add(l, line);
	lines_add(l, "");
	for (int a = 0; a < ACT_COUNT; a++) {
		char keys[128];
		keymap_keys_for(km, (enum action)a, keys, sizeof keys);
		bool off = action_info[a].writes && read_only;
		snprintf(line, sizeof line, "  %-22s %-18s %s%s", keys[0] ? keys : "(unbound)",
		         action_info[a].name, action_info[a].help, off ? "  [read-only: off]" : "");
		lines_add(l, line);
	}
	lines_add(l, "");
	lines_add(l, "Commands (':'):");
	module_help(l, mods, n);
	lines_add(l, "Esc or q closes this help.");
}
