/* tui/ui.h: the browser's frame as views and modules see it: two panes (a
 * tree on the left, a list on the right), a detail overlay, a status line
 * with messages and questions, the clipboard, the modules' state.  Calls
 * nothing above it: the driver (tui/browser.c) runs the loop, tui/draw.c
 * draws. */
#ifndef DDTREE_TUI_UI_H
#define DDTREE_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "model/session.h"
#include "tui/actions.h"
#include "tui/keys.h"
#include "tui/lineedit.h"
#include "tui/module.h"
#include "tui/msglog.h"
#include "tui/view.h"

struct ui {
	struct session *s;
	struct keymap km;
	struct uiconf cfg;
	struct view *tree, *list, *detail;  /* panes; detail is an overlay or NULL */
	int focus;                          /* 0 tree, 1 list */
	bool zoom;                          /* z: the focused pane alone (on a narrow
	                                       screen, where that is the default: both) */
	bool color, quit, help;
	size_t help_top;
	char *message;                      /* transient status message (its first line) */
	bool message_error;
	bool message_more;                  /* it had more lines (the log has them) */
	struct msglog log;                  /* every message, error and warning (:messages) */
	char *warning;                      /* --allow-http's warning, until a key */
	int warning_seq;                    /* the last ddb_client_warning taken */
	/* prompt: ':' command line or '/' filter */
	int prompt;                         /* 0, ':' or '/' */
	struct lineedit prompt_edit;        /* its text */
	bool script;                        /* non-interactive (DDTREE_SCRIPT) */
	/* a yes/no question in the status line */
	char *confirm_text;
	void (*confirm_fn)(struct ui *ui, bool yes, void *ud);
	void *confirm_ud;
	const struct module *const *modules; /* the modules (tui/modules.c) and the frame's own commands */
	size_t nmodules;
	void **mstate;                      /* each module's state (ui_module_slot) */
	bool tables_known;                  /* the start-up table list has come (or failed) */
	int rows, cols;
	char *const *start_cmds;            /* -c commands, run once the tables are known */
	size_t n_start_cmds;
};

/* Frame API for views (and view.h's view_*). */
/* Show v in the list pane (the previous list view is freed); NULL leaves
 * the pane empty and the keys to the tree. */
void ui_show_list(struct ui *ui, struct view *v);
/* Open the detail overlay for an item (raw wire JSON), with an optional
 * problem text. */
void ui_show_detail(struct ui *ui, const char *title, const json_t *item, const char *problems);
/* The same with the id y copies given apart (NULL: none). */
void ui_show_detail_id(struct ui *ui, const char *title, const char *id, const json_t *item,
                       const char *problems);
/* A message in the status line, also kept whole in the message log. */
void ui_message(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Ask a yes/no question in the status line; fn runs with the answer. */
void ui_confirm(struct ui *ui, const char *text, void (*fn)(struct ui *ui, bool yes, void *ud),
                void *ud);
/* Replace the overlay (detail slot) with v (NULL closes it). */
void ui_set_overlay(struct ui *ui, struct view *v);
/* Copy text to the terminal's clipboard (OSC 52). */
void ui_copy(struct ui *ui, const char *what, const char *text);

/* Columns of the list pane now (views size their columns with it). */
int ui_list_width(const struct ui *ui);

/* The slot where the module called `name` keeps its state (NULL until its
 * init hook sets it). */
void **ui_module_slot(struct ui *ui, const char *name);
/* Every module makes its state (at start), or frees it (at the end). */
void ui_init_modules(struct ui *ui);
void ui_destroy_modules(struct ui *ui);
/* Every module adds its roots that are not there yet (now that the tables
 * are known). */
void ui_add_roots(struct ui *ui);

/* Below this many columns one pane shows at a time (the focused one; Tab
 * switches, z shows both). */
#define UI_NARROW_COLS 60

/* A screen shorter than this has no header line, and overlays (the detail
 * view, forms) no title line: their rows come first. */
#define UI_SHORT_ROWS 8

static inline bool ui_has_header(const struct ui *ui)
{
	return ui->rows >= UI_SHORT_ROWS;
}

/* The rows a pane (or, overlay, the overlay) has for its lines: the screen
 * less the status line, the header and the title line when they show. */
static inline int ui_view_rows(const struct ui *ui, bool overlay)
{
	bool head = ui_has_header(ui);
	int r = ui->rows - 1 - head - (head || !overlay);
	return r > 1 ? r : 1;
}

/* Where the panes go on the screen (ui->cols wide): the tree from column
 * 0, tree_w wide; a separator; the list from list_x, list_w wide.  A
 * hidden pane has width 0 (then there is no separator). */
struct ui_panes {
	int tree_w, list_x, list_w;
};

/* For the driver and the drawing: the view keys go to (the overlay, else
 * the focused pane); the panes' places now: the tree as wide as its rows
 * need, between a fifth and 3/8 of the screen (more when the list is
 * empty, all of it when there is none), unless one pane is zoomed; the
 * screen's size changed (size taken again, every view laid out again);
 * is anything loading? */
struct view *ui_focused_view(struct ui *ui);
void ui_panes(const struct ui *ui, struct ui_panes *p);
void ui_resized(struct ui *ui, int rows, int cols);
bool ui_loading(struct ui *ui);

#endif
