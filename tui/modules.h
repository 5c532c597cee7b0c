/* tui/modules.h: the list of the browser's modules (tui/module.h), which
 * the command line hands to the browser. */
#ifndef DDTREE_TUI_MODULES_H
#define DDTREE_TUI_MODULES_H

#include <stddef.h>

#include "tui/module.h"

/* Every module, in the order of the header's fields and of :help; *n gets
 * their number. */
const struct module *const *modules_all(size_t *n);

#endif
