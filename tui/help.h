/* tui/help.h: the help screen's text (pure, no curses): every key binding
 * from the same table the keyboard uses, then every ':' command from the
 * module table. */
#ifndef DDTREE_TUI_HELP_H
#define DDTREE_TUI_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/lines.h"
#include "tui/keys.h"
#include "tui/module.h"

/* Append the help's lines, wrapped at `width` columns (0: not wrapped);
 * writes are marked off when read_only. */
void help_build(struct lines *l, const struct keymap *km, bool read_only,
                const struct module *const *mods, size_t n, int width);

#endif
