/* tui/view.h: a view (tig's struct view): rows drawn by its ops, a
 * cursor, a filter, loading state; the tree, the lists and the overlays
 * are views.  Views plug in through struct view_ops; the frame
 * (tui/ui.h) shows them.  Calls nothing above it. */
#ifndef DDTREE_TUI_VIEW_H
#define DDTREE_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "aws/ddb.h"
#include "tui/actions.h"

/* Colour roles, one table: id, config name.  The frame's own: the focused
 * pane's title (focus), the other pane's cursor line (inactive). */
#define COLOR_ROLES(X) \
	X(ROLE_NORMAL, "normal") X(ROLE_HEADER, "header") X(ROLE_SELECTED, "selected") \
	X(ROLE_STATUS, "status") X(ROLE_ERROR, "error") X(ROLE_TITLE, "title") \
	X(ROLE_DIM, "dim") X(ROLE_UP, "up") X(ROLE_DOWN, "down") X(ROLE_PROBLEM, "problem") \
	X(ROLE_MATCH, "match") X(ROLE_FOCUS, "focus") X(ROLE_INACTIVE, "inactive")

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
	/* The screen's size changed: lay the rows out again (the frame calls
	 * it on a resize, before the next draw).  May be NULL. */
	void (*layout)(struct view *v);
	/* The columns its widest row needs (sizes the tree pane), or any
	 * number of at least `enough` once a row needs that many (the caller
	 * has no use for more: the view may stop measuring).  May be NULL. */
	int (*width)(struct view *v, int enough);
	/* A move of the cursor down from visible row `from` to `to`: the row
	 * it stops at instead (one that loads more rows when reached, so that
	 * paging never skips them), or `to`.  May be NULL. */
	size_t (*stop)(struct view *v, size_t from, size_t to);
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
	bool room;               /* view_reveal_cursor left blank rows below the
	                            cursor for what is loading (until it is in) */
	char progress[128];      /* "1,000 items, 1 page" */
	char *error;             /* last load error (sanitised), or NULL */
	char *filter;            /* active filter text, or NULL */
	size_t *fmap;            /* visible row -> row when filtered */
	size_t nf;
	void *priv;
};

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
/* Visible rows (those matching the filter, or all) and the row behind
 * visible row i. */
size_t view_count(const struct view *v);
size_t view_row(const struct view *v, size_t i);
/* Text of row i and its role, from the view's ops. */
void view_row_text(struct view *v, size_t i, char *buf, size_t len, enum color_role *role);
/* Filter the rows by f (NULL or "" clears it), keeping the selected row. */
void view_set_filter(struct view *v, const char *f);
/* Scroll so that the cursor is on screen row `row` (a third from the top
 * when that is in the bottom third); more_coming: rows may still load. */
void view_place_cursor(struct view *v, size_t row, bool more_coming);
/* Move the cursor by delta rows (clamped; down, it stops where the view's
 * stop op says); fetches more when near the end. */
void view_move_cursor(struct view *v, long delta);
/* Before drawing in a pane of `body` rows: the cursor is on the screen, and
 * no row is left blank at the bottom while rows above the top are hidden
 * (unless view_reveal_cursor left room for a load still running). */
void view_fit(struct view *v, size_t body);
/* The screen's size changed: the view lays itself out again (its layout op). */
void view_layout(struct view *v);
/* n / N: the next or previous line matching the filter. */
void view_find_match(struct view *v, int dir);

#endif
