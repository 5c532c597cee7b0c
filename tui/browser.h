/* tui/browser.h: the ncurses browser. */
#ifndef DDTREE_TUI_BROWSER_H
#define DDTREE_TUI_BROWSER_H

#include "model/session.h"

/* Run until the user quits; returns an exit status. */
int browser_run(struct session *s);

#endif
