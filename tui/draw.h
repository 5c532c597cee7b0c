/* tui/draw.h: drawing the browser's screen with curses. */
#ifndef DDTREE_TUI_DRAW_H
#define DDTREE_TUI_DRAW_H

#include "tui/ui.h"

/* The colour pairs of the roles (config file, NO_COLOR, monochrome). */
void draw_init_colors(struct ui *ui);
/* Draw everything, at the terminal's size now. */
void draw_screen(struct ui *ui);

#endif
