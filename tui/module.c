/* tui/module.c: the frame's side of the module table: finding a ':'
 * command, whether a -c command can run yet, the commands' help. */
#include "ddconfig.h"

#include "tui/module.h"
#include "tui/lines.h"
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

const struct module_command *module_command_find(const struct module *const *mods, size_t n,
                                                 const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

bool module_command_ready(const struct ui *ui, const char *line)
{
	size_t w = strcspn(line, " ");
	for (size_t i = 0; i < ui->nmodules; i++) {
		const struct module *m = ui->modules[i];
		for (const struct module_command *c = m->commands; c && c->name; c++)
			if (strlen(c->name) == w && !strncmp(line, c->name, w))
				return !c->needs_tables || ui->tables_known || !m->ready || m->ready(ui);
	}
	return true;
}

void module_help(struct lines *out, const struct module *const *mods, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++) {
			if (!c->help)
				continue;
			char head[64], line[256];
			snprintf(head, sizeof head, ":%s%s%s", c->name, *c->args ? " " : "", c->args);
			snprintf(line, sizeof line, "  %-28s %s", head, c->help);
			lines_add(out, line);
		}
}
