/* tui/tree.h: the tree pane: lazily expanded nodes.  Modules (tui/view_*.c)
 * add their root nodes with tree_add_root; a node's ops say how to load
 * its children and what the list pane shows for it. */
#ifndef DDTREE_TUI_TREE_H
#define DDTREE_TUI_TREE_H

#include "tui/ui.h"

struct tnode;

/* A load a node owns: what it has in flight for its children (a page of
 * them, a Scan, the table list).  The node cancels it when it is freed or
 * reloaded, so that an answer never comes for a freed node: the loader's
 * cancel abandons its requests (their callbacks never run) and frees it.
 * Embed it first in the loader's struct; a node owns one load at a time. */
struct tnode_load {
	struct ui *ui;
	struct tnode *node;                     /* the owner */
	void (*cancel)(struct tnode_load *l);   /* abandon what is in flight, free l */
};

struct tnode_ops {
	/* Load the children (asynchronously: call tree_loaded when done). */
	void (*expand)(struct ui *ui, struct tnode *n);
	/* The view the list pane shows when this node is selected, or NULL. */
	struct view *(*list)(struct ui *ui, struct tnode *n);
	void (*free_data)(void *data);
};

struct tnode {
	char *label;
	enum color_role role;
	bool expandable, expanded, loading, loaded;
	bool hidden;        /* left out of the pane (filters such as :only) */
	bool autoload;      /* "more..." nodes: loaded as soon as they come near the cursor */
	int feedback_mark;  /* threads: 1 has feedback, -1 has none, 0 not a thread */
	struct tnode **kids;
	size_t nkids;
	struct tnode *parent;
	const struct tnode_ops *ops;
	void *data;
	char *item_text;    /* raw item (detail / copy) as compact JSON text, or NULL:
	                       text takes about a tenth of the memory of a parsed
	                       tree, and a tree of 100,000 threads keeps one each */
	char *id;           /* for y, or NULL */
	char *problems;     /* shown in the detail view, or NULL */
	char *problem_mark; /* the first problem known of it or below it (a thread's
	                       step, a user's thread, a namespace's document), or
	                       NULL: its row carries "!" (tree_note_problem) */
	struct tnode_load *load;   /* what it has in flight, or NULL */
	size_t flat_index;  /* its line in the pane when last laid out (tree.c) */
};

struct tnode *tnode_new(const char *label, const struct tnode_ops *ops, void *data);
/* Append a child (taken). */
void tnode_add(struct tnode *parent, struct tnode *child);
void tnode_clear(struct tnode *n);         /* drop the children */
void tnode_delete(struct tnode *n);        /* detach from its parent and free */
/* n owns l from now on (l->ui, l->node and l->cancel are set). */
void tnode_load_start(struct tnode *n, struct tnode_load *l, struct ui *ui,
                      void (*cancel)(struct tnode_load *l));
/* l is over: its node no longer owns it (the caller frees l). */
void tnode_load_end(struct tnode_load *l);
/* For tests: the nodes and child slots freeing has visited so far. */
unsigned long tnode_free_visits(void);
/* Keep (a copy of) the raw item of a node, or forget it with NULL. */
void tnode_set_item(struct tnode *n, const json_t *item);
/* The raw item of a node, parsed again (a new reference), or NULL. */
json_t *tnode_item(const struct tnode *n);
/* A problem is known of the item whose node has id `id` (a thread id, a
 * namespace id): that node, now or when it is added, and its ancestors
 * carry the marker "!" in the problem colour, and the status line shows
 * the first problem of the selected row.  tree_node_problem: that text,
 * or NULL. */
void tree_note_problem(struct ui *ui, const char *id, const char *problem);
const char *tree_node_problem(const struct tnode *n);
/* Async loads report here: marks the node loaded and refreshes the pane;
 * err (may be NULL) is shown as an error child and in the status line. */
void tree_loaded(struct ui *ui, struct tnode *n, const char *err);
/* The tree pane (ui->tree), with no root yet. */
struct view *tree_view_new(struct ui *ui);
/* The tree is a view; its root nodes. */
void tree_add_root(struct ui *ui, struct tnode *root);
/* The same for the root that stays last whatever is added after it. */
void tree_add_last_root(struct ui *ui, struct tnode *root);
/* Expand n, starting the load of its children if they are not loaded. */
void tree_expand(struct ui *ui, struct tnode *n);
/* The node under the cursor, or NULL. */
struct tnode *tree_selected(struct ui *ui);
/* Put the cursor on n's line (the first line when n is NULL or not
 * shown) and show its list. */
void tree_cursor_to(struct ui *ui, const struct tnode *n);
/* Refresh after nodes changed (labels, children). */
void tree_changed(struct ui *ui);
/* Select n in the tree pane (its ancestors are expanded, the tree's
 * filter dropped), scrolled into view with room below it, expand it, show
 * its list and give the tree the focus. */
void tree_reveal(struct ui *ui, struct tnode *n);
/* The same without taking the focus, expanding n or replacing the list
 * pane: the tree shows where what the list pane holds comes from (a
 * command put a thread's steps there, and the focus). */
void tree_point_at(struct ui *ui, struct tnode *n);
/* The list pane shows n's children (NULL: no node's): sync(ui, false) runs
 * each time the tree changed (children came or went), sync(ui, true) when
 * n is freed (then the watch is over). */
void tree_watch(struct ui *ui, struct tnode *n, void (*sync)(struct ui *ui, bool gone));

#endif
