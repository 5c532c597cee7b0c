/* tui/browser.h: the browser (the ncurses user interface). */
#ifndef DDTREE_TUI_BROWSER_H
#define DDTREE_TUI_BROWSER_H

#include <stddef.h>

#include "model/session.h"
#include "tui/module.h"

/* The frame's own commands (:help, :quit), a module with commands only:
 * the browser adds it after the others. */
extern const struct module browser_module;

/* The browser with these modules (tui/modules.c), until the user quits.
 * `commands` (n of them, may be NULL) are ":" commands run once the panes
 * exist, as if typed (ddtree -c ':user alice@example.com'). */
int browser_run(struct session *s, const struct module *const *modules, size_t nmodules,
                char *const *commands, size_t n);

#endif
