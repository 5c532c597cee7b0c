/* tui/msgview.h: views of whole messages, wrapped to the width: the
 * message log (:messages, M) as an overlay, and one message (an error
 * node's, in the list pane). */
#ifndef DDTREE_TUI_MSGVIEW_H
#define DDTREE_TUI_MSGVIEW_H

#include "tui/ui.h"

/* The message log, newest last, the cursor on the newest. */
struct view *msgview_log(struct ui *ui);
/* One text (raw: sanitised here), wrapped, in `role`. */
struct view *msgview_text(struct ui *ui, const char *title, const char *text, enum color_role role);

#endif
