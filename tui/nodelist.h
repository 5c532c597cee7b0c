/* tui/nodelist.h: the list pane showing a tree node's children as a table
 * (a header row of column names, then a row per child, the columns fitted
 * to the pane).  Enter on a row opens the child (its own list: a user's
 * threads, a thread's steps), Backspace / h goes back to the parent's list,
 * and the tree follows the list's selection.  Modules make one in their
 * nodes' list ops, saying what the cells of a child are. */
#ifndef DDTREE_TUI_NODELIST_H
#define DDTREE_TUI_NODELIST_H

#include "tui/columns.h"
#include "tui/tree.h"

#define NODELIST_CELL 512

struct nodelist_spec {
	const struct column *cols;
	size_t ncols;
	/* The cells of child k (sanitised by the caller or plain text), or
	 * false: the row shows k's label (notes, errors, "more..."). */
	bool (*cells)(struct ui *ui, const struct tnode *k, char (*cell)[NODELIST_CELL]);
};

/* n's children in the list pane; when n is not loaded and `load`, its
 * children start loading (without expanding it in the tree). */
struct view *nodelist_new(struct ui *ui, struct tnode *n, const struct nodelist_spec *spec, bool load);
/* Put v's cursor on child k when v is a node list. */
void nodelist_point(struct view *v, const struct tnode *k);
/* Back from a child's list (a thread's steps): its parent's list, the
 * cursor on it; false when the parent has none. */
bool nodelist_back_to(struct ui *ui, struct tnode *k);

#endif
