/* tui/view_stache.c: the stache part of the browser (tree roots, lists, commands). */
#include "ddconfig.h"

#include "tui/tree.h"

void stache_tree_roots(struct ui *ui)
{
	(void)ui;
}

bool stache_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)ui;
	(void)cmd;
	(void)arg;
	return false;
}
