/* tui/view_chainlit.c: the chainlit part of the browser (tree roots, lists, commands). */
#include "ddconfig.h"

#include "tui/tree.h"

void chainlit_tree_roots(struct ui *ui)
{
	(void)ui;
}

bool chainlit_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)ui;
	(void)cmd;
	(void)arg;
	return false;
}
