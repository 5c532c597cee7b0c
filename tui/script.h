/* tui/script.h: the scripted mode. */
#ifndef DDTREE_TUI_SCRIPT_H
#define DDTREE_TUI_SCRIPT_H

#include <stdio.h>

#include "tui/ui.h"

/* What the script drives (the driver's own functions). */
struct script_driver {
	void (*key)(struct ui *ui, int ch);                 /* a key, as typed */
	void (*command)(struct ui *ui, char *line);         /* a ':' line (without ':') */
	void (*tick)(struct ui *ui);                        /* after network answers */
	void (*start_commands)(struct ui *ui);              /* the -c commands that can run */
};

/* Run the script in f until its end or until the user (script) quits.
 * Each line waits until nothing is loading (at most DDTREE_SCRIPT_WAIT
 * seconds).  Lines: keys ("jj<Enter>"), ":command", ":system CMD",
 * ":resize COLSxROWS", "# comment". */
void script_run(struct ui *ui, FILE *f, const struct script_driver *d);

#endif
