/* tui/ui.h: the browser's frame: two panes (a tree on the left, a list on
 * the right), a detail overlay, a header, a status line, prompts, help.
 * Views plug in through struct view_ops (tig's view_ops); the event loop
 * waits on the keyboard and the network together and never blocks. */
#ifndef DDTREE_TUI_UI_H
#define DDTREE_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "model/session.h"
#include "tui/actions.h"
#include "tui/keys.h"
#include "tui/module.h"

/* Colour roles, one table: id, config name. */
#define COLOR_ROLES(X) \
	X(ROLE_NORMAL, "normal") X(ROLE_HEADER, "header") X(ROLE_SELECTED, "selected") \
	X(ROLE_STATUS, "status") X(ROLE_ERROR, "error") X(ROLE_TITLE, "title") \
	X(ROLE_DIM, "dim") X(ROLE_UP, "up") X(ROLE_DOWN, "down") X(ROLE_PROBLEM, "problem") \
	X(ROLE_MATCH, "match")

enum color_role {
#define ROLE_X_ENUM(id, name) id,
	COLOR_ROLES(ROLE_X_ENUM)
#undef ROLE_X_ENUM
	ROLE_COUNT
};

struct ui;
struct view;

struct view_ops {
	const char *name;
	/* Text of row i (unsanitised is fine: the frame sanitises) and its role. */
	void (*row)(struct view *v, size_t i, char *buf, size_t len, enum color_role *role);
	/* Enter / l on row i; h on row i.  May replace the list pane's view. */
	void (*enter)(struct view *v, size_t i);
	void (*back)(struct view *v, size_t i);
	/* A view-specific action; return true when handled. */
	bool (*action)(struct view *v, enum action a);
	/* The cursor is near the end: fetch more rows if there are any. */
	void (*more)(struct view *v);
	/* R: load again from scratch. */
	void (*reload)(struct view *v);
	/* Raw keys before any binding (text fields, forms); true when used. */
	bool (*key)(struct view *v, int ch);
	/* Esc during a load. */
	void (*cancel)(struct view *v);
	/* The raw item behind row i (borrowed) for the detail view and copying,
	 * and its id; either may be NULL. */
	const json_t *(*item)(struct view *v, size_t i);
	const char *(*id)(struct view *v, size_t i);
	/* Problems of row i, one per line (malloc'd) or NULL. */
	char *(*problems)(struct view *v, size_t i);
	/* The cursor moved to row i (the tree updates the list pane). */
	void (*select)(struct view *v, size_t i);
	void (*destroy)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct ui *ui;
	char title[256];
	size_t nrows;
	size_t cursor, top;
	bool loading;            /* a load is in flight (status line shows it) */
	bool more_available;     /* more pages can be fetched */
	bool load_all;           /* G: keep fetching until every page is in */
	char progress[128];      /* "1,000 items, 1 page" */
	char *error;             /* last load error (sanitised), or NULL */
	char *filter;            /* active filter text, or NULL */
	size_t *fmap;            /* visible row -> row when filtered */
	size_t nf;
	void *priv;
};

struct ui {
	struct session *s;
	struct keymap km;
	struct ui_config cfg;
	struct view *tree, *list, *detail;  /* panes; detail is an overlay or NULL */
	int focus;                          /* 0 tree, 1 list */
	bool color, quit, help;
	size_t help_top;
	char *message;                      /* transient status message */
	bool message_error;
	/* prompt: ':' command line or '/' filter */
	int prompt;                         /* 0, ':' or '/' */
	char prompt_buf[512];
	size_t prompt_len;
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

/* Frame API for views. */
struct view *view_new(struct ui *ui, const struct view_ops *ops, void *priv, const char *title, ...)
	__attribute__((format(printf, 4, 5)));
void view_free(struct view *v);
void view_set_rows(struct view *v, size_t n);   /* after rows changed; keeps the cursor */
void view_set_error(struct view *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void view_set_ddb_error(struct view *v, const char *what, const struct ddb_error *e);
size_t view_selected(const struct view *v);     /* row index under the cursor, or (size_t)-1 */
void view_set_filter_none(struct view *v);      /* drop the filter (no refresh) */
/* After the cursor jumped (tree_reveal, :user): scroll so the selected
 * line is on the screen with what follows it (a third from the top when it
 * would be in the bottom third or off the screen). */
void view_reveal_cursor(struct view *v);
/* Show v in the list pane (the previous list view is freed). */
void ui_show_list(struct ui *ui, struct view *v);
/* Open the detail overlay for an item (raw wire JSON), with an optional
 * problem text. */
void ui_show_detail(struct ui *ui, const char *title, const json_t *item, const char *problems);
/* The same with the id y copies given apart (NULL: none). */
void ui_show_detail_id(struct ui *ui, const char *title, const char *id, const json_t *item,
                       const char *problems);
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

/* The slot where the module called `name` keeps its state (NULL until it
 * sets it). */
void **ui_module_slot(struct ui *ui, const char *name);
/* Every module adds its roots that are not there yet (now that the tables
 * are known). */
void ui_add_roots(struct ui *ui);

/* The frame's own commands (:help, :quit), a module with commands only:
 * the browser adds it after the others. */
extern const struct module ui_frame_module;

/* The browser with these modules (tui/modules.c), until the user quits.
 * `commands` (n of them, may be NULL) are ":" commands run once the panes
 * exist, as if typed (ddtree -c ':user alice@example.com'). */
int ui_run(struct session *s, const struct module *const *modules, size_t nmodules,
           char *const *commands, size_t n);

#endif
