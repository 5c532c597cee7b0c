/* tui/tree.c: the tree pane. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tree {
	struct tnode *root;          /* invisible; its children are the roots */
	struct tnode **flat;         /* visible nodes in order */
	int *depth;
	size_t nflat;
	struct tnode *shown;         /* node whose list is in the list pane */
	struct tnode *last;          /* the root that stays last (Tables): others go before it */
	json_t *item;                /* tree_item's answer: the item of item_of */
	const struct tnode *item_of;
	struct view *view;           /* the tree view */
	/* The node under the cursor was freed: until the cursor moves or the
	 * load that freed it reports (tree_loaded), the cursor keeps its index
	 * (a page of nodes replaces a "more..." node at the same place) instead
	 * of following a node. */
	bool cursor_gone;
	size_t gone_cursor;          /* v->cursor when it was freed */
};

/* The tree pane, for tnode_free: the node under the cursor, the one whose
 * list is shown and the one whose item is parsed may go. */
static struct tree *live_tree;

static unsigned long free_visits;

unsigned long tnode_free_visits(void)
{
	return free_visits;
}

struct tnode *tnode_new(const char *label, const struct tnode_ops *ops, void *data)
{
	struct tnode *n = util_xcalloc(1, sizeof *n);
	n->flat_index = (size_t)-1;
	n->label = util_xstrdup(label ? label : "");
	n->ops = ops;
	n->data = data;
	n->expandable = ops && ops->expand;
	return n;
}

/* Cancel what n has in flight: its answer will never come. */
static void tnode_cancel_load(struct tnode *n)
{
	struct tnode_load *l = n->load;
	if (!l)
		return;
	n->load = NULL;
	l->cancel(l);
}

static void tnode_free(struct tnode *n)
{
	if (!n)
		return;
	free_visits++;
	tnode_cancel_load(n);
	tnode_clear(n);
	if (live_tree && n->flat_index < live_tree->nflat && live_tree->flat[n->flat_index] == n) {
		/* its line goes: until the tree is laid out again (tree_changed)
		 * the line has no node */
		live_tree->flat[n->flat_index] = NULL;
		/* the node under the cursor goes: the cursor keeps its place */
		if (view_selected(live_tree->view) == n->flat_index) {
			live_tree->cursor_gone = true;
			live_tree->gone_cursor = live_tree->view->cursor;
		}
	}
	if (live_tree && live_tree->shown == n)
		live_tree->shown = NULL;   /* a new node may get this address */
	if (live_tree && live_tree->item_of == n) {
		json_decref(live_tree->item);
		live_tree->item = NULL;
		live_tree->item_of = NULL;
	}
	if (n->ops && n->ops->free_data && n->data)
		n->ops->free_data(n->data);
	free(n->item_text);
	free(n->label);
	free(n->id);
	free(n->problems);
	free(n);
}

void tnode_set_item(struct tnode *n, const json_t *item)
{
	free(n->item_text);
	/* JSON_ENCODE_ANY | exact text: strings may hold NUL (kept as \u0000) */
	n->item_text = item ? json_dumps(item, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	if (live_tree && live_tree->item_of == n) {
		json_decref(live_tree->item);
		live_tree->item = NULL;
		live_tree->item_of = NULL;
	}
}

json_t *tnode_item(const struct tnode *n)
{
	return n && n->item_text ? json_loads(n->item_text, JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL)
	                         : NULL;
}

void tnode_add(struct tnode *parent, struct tnode *child)
{
	struct tnode **k = util_xrealloc(parent->kids, (parent->nkids + 1) * sizeof *k);
	parent->kids = k;
	child->parent = parent;
	parent->kids[parent->nkids++] = child;
}

void tnode_clear(struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		free_visits++;
		tnode_free(n->kids[i]);
	}
	free(n->kids);
	n->kids = NULL;
	n->nkids = 0;
}

void tnode_delete(struct tnode *n)
{
	struct tnode *p = n->parent;
	if (p)
		for (size_t i = 0; i < p->nkids; i++)
			if (p->kids[i] == n) {
				memmove(&p->kids[i], &p->kids[i + 1], (p->nkids - i - 1) * sizeof *p->kids);
				p->nkids--;
				break;
			}
	tnode_free(n);
}

void tnode_load_start(struct tnode *n, struct tnode_load *l, struct ui *ui,
                      void (*cancel)(struct tnode_load *l))
{
	tnode_cancel_load(n);   /* one at a time (none is expected) */
	l->ui = ui;
	l->node = n;
	l->cancel = cancel;
	n->load = l;
}

void tnode_load_end(struct tnode_load *l)
{
	if (l->node && l->node->load == l)
		l->node->load = NULL;
	l->node = NULL;
}

/* Flatten with an explicit stack: trees can be deep. */
static void flatten(struct tree *t)
{
	size_t cap = 64, n = 0;
	struct tnode **flat = util_xcalloc(cap, sizeof *flat);
	int *depth = util_xcalloc(cap, sizeof *depth);
	size_t scap = 64, sn = 0;
	struct frame { struct tnode *node; size_t next; int depth; } *st = util_xcalloc(scap, sizeof *st);
	st[sn++] = (struct frame){t->root, 0, -1};
	while (sn) {
		struct frame *f = &st[sn - 1];
		if (f->next >= f->node->nkids || (f->depth >= 0 && !f->node->expanded)) {
			sn--;
			continue;
		}
		struct tnode *k = f->node->kids[f->next++];
		if (k->hidden)
			continue;
		if (n == cap) {
			cap *= 2;
			flat = util_xrealloc(flat, cap * sizeof *flat);
			depth = util_xrealloc(depth, cap * sizeof *depth);
		}
		flat[n] = k;
		k->flat_index = n;
		depth[n] = f->depth + 1;
		n++;
		if (k->nkids && k->expanded) {
			int d = f->depth + 1;   /* f points into st, which may move */
			if (sn == scap) {
				scap *= 2;
				st = util_xrealloc(st, scap * sizeof *st);
			}
			st[sn++] = (struct frame){k, 0, d};
		}
	}
	free(st);
	free(t->flat);
	free(t->depth);
	t->flat = flat;
	t->depth = depth;
	t->nflat = n;
}

static void tree_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct tree *t = v->priv;
	if (i >= t->nflat || !t->flat[i])
		return;
	struct tnode *n = t->flat[i];
	int d = t->depth[i];
	const char *mark = n->loading ? "~ " : !n->expandable ? "  " : n->expanded ? "- " : "+ ";
	/* deep trees would scroll off the pane: the indent stops at 6 levels and
	 * the depth is written instead */
	if (d > 6)
		snprintf(buf, len, "%*s[%d] %s%s", 12, "", d, mark, n->label);
	else
		snprintf(buf, len, "%*s%s%s", d * 2, "", mark, n->label);
	*role = n->role;
}

static struct tnode *selected_node(struct view *v)
{
	struct tree *t = v->priv;
	size_t i = view_selected(v);
	return i < t->nflat ? t->flat[i] : NULL;
}

static void show_list_for(struct ui *ui, struct tree *t, struct tnode *n)
{
	if (!n || t->shown == n)
		return;
	t->shown = n;
	struct view *lv = n->ops && n->ops->list ? n->ops->list(ui, n) : NULL;
	ui_show_list(ui, lv);
}

static void tree_select(struct view *v, size_t i)
{
	(void)i;
	struct tree *t = v->priv;
	t->cursor_gone = false;   /* the cursor is on a node again */
	show_list_for(v->ui, t, selected_node(v));
	/* fetch ahead: a "more..." node within a screen below the cursor loads
	 * its page now (its list op starts the load and returns no view) */
	size_t cur = view_selected(v);
	if (cur == (size_t)-1 || v->filter)
		return;
	size_t rows = v->ui->rows > 4 ? (size_t)v->ui->rows : 24;
	for (size_t k = cur + 1; k < t->nflat && k <= cur + rows; k++) {
		struct tnode *n = t->flat[k];
		if (n && n->autoload && n->ops && n->ops->list) {
			n->ops->list(v->ui, n);
			break;
		}
	}
}

void tree_expand(struct ui *ui, struct tnode *n)
{
	if (!n->expandable)
		return;
	n->expanded = true;
	if (!n->loaded && !n->loading && n->ops && n->ops->expand) {
		n->loading = true;
		n->ops->expand(ui, n);
	}
	tree_changed(ui);
}

static void tree_enter(struct view *v, size_t i)
{
	(void)i;
	struct tnode *n = selected_node(v);
	if (!n)
		return;
	if (n->expandable && !n->expanded) {
		tree_expand(v->ui, n);
		return;
	}
	if (n->expandable && n->expanded && n->nkids) {
		n->expanded = false;
		tree_changed(v->ui);
		return;
	}
	/* a leaf: focus its list, or show its item */
	if (v->ui->list) {
		v->ui->focus = 1;
	} else if (n->item_text) {
		json_t *item = tnode_item(n);
		ui_show_detail(v->ui, n->id ? n->id : n->label, item, n->problems);
		json_decref(item);
	}
}

static void tree_back(struct view *v, size_t i)
{
	(void)i;
	struct tnode *n = selected_node(v);
	struct tree *t = v->priv;
	if (!n)
		return;
	if (n->expanded && n->nkids) {
		n->expanded = false;
		tree_changed(v->ui);
		return;
	}
	/* jump to the parent */
	for (size_t k = 0; k < t->nflat; k++)
		if (t->flat[k] == n->parent) {
			v->cursor = k;   /* no filter in the tree at that moment: best effort */
			tree_select(v, k);
			return;
		}
}

/* Put the cursor on flat row `row` (through the filter when one is on);
 * false when that row is filtered out. */
static bool cursor_to_row(struct view *v, size_t row)
{
	if (!v->filter) {
		v->cursor = row;
		return true;
	}
	for (size_t k = 0; k < v->nf; k++)
		if (v->fmap[k] == row) {
			v->cursor = k;
			return true;
		}
	return false;
}

/* Put the cursor on node n if it is on screen. */
static bool cursor_to_node(struct view *v, const struct tnode *n)
{
	struct tree *t = v->priv;
	for (size_t i = 0; i < t->nflat; i++)
		if (t->flat[i] == n)
			return cursor_to_row(v, i);
	return false;
}

/* R: reload the node under the cursor, which keeps the cursor and stays
 * collapsed when it was: an expanded node reloads its children in place, a
 * collapsed one drops them (they load again when it is next expanded), a
 * leaf reloads what its list shows.  An error or note (a leaf with no list)
 * reloads the node it belongs to, and the cursor goes there. */
static void tree_reload(struct view *v)
{
	struct tree *t = v->priv;
	struct tnode *n = selected_node(v);
	if (!n)
		return;
	if (!n->expandable && !(n->ops && n->ops->list) && n->parent && n->parent != t->root)
		n = n->parent;
	if (n->expandable) {
		tnode_cancel_load(n);
		tnode_clear(n);
		n->loaded = false;
		n->loading = false;
		if (n->expanded)
			tree_expand(v->ui, n);
		else
			tree_changed(v->ui);
		cursor_to_node(v, n);
	}
	/* its list, loaded again */
	t->shown = NULL;
	tree_select(v, view_selected(v));
}

static const json_t *tree_item(struct view *v, size_t i)
{
	struct tree *t = v->priv;
	if (i >= t->nflat || !t->flat[i])
		return NULL;
	/* parsed on demand and kept until another node is asked for */
	if (t->item_of != t->flat[i]) {
		json_decref(t->item);
		t->item = tnode_item(t->flat[i]);
		t->item_of = t->flat[i];
	}
	return t->item;
}

static const char *tree_id(struct view *v, size_t i)
{
	struct tree *t = v->priv;
	return i < t->nflat && t->flat[i] ? t->flat[i]->id : NULL;
}

static char *tree_problems(struct view *v, size_t i)
{
	struct tree *t = v->priv;
	return i < t->nflat && t->flat[i] && t->flat[i]->problems ? util_xstrdup(t->flat[i]->problems)
	                                                           : NULL;
}

static void tree_destroy(struct view *v)
{
	struct tree *t = v->priv;
	live_tree = NULL;
	tnode_free(t->root);
	json_decref(t->item);
	free(t->flat);
	free(t->depth);
	free(t);
}

/* ] [ } in the tree: the next / previous thread with feedback, the next
 * thread without. */
static bool tree_action(struct view *v, enum action a)
{
	struct tree *t = v->priv;
	int want = a == ACT_FB_NEXT || a == ACT_FB_PREV ? 1 : a == ACT_FB_NEXT_NONE ? -1 : 0;
	if (!want || v->filter)
		return false;
	int dir = a == ACT_FB_PREV ? -1 : 1;
	size_t n = t->nflat, cur = view_selected(v);
	if (!n || cur == (size_t)-1)
		return true;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (cur + (dir > 0 ? k : n - k)) % n;
		if (t->flat[i] && t->flat[i]->feedback_mark == want) {
			v->cursor = i;
			tree_select(v, i);
			return true;
		}
	}
	ui_message(v->ui, false, "no loaded thread %s feedback", want > 0 ? "with" : "without");
	return true;
}

static const struct view_ops tree_ops = {
	.action = tree_action,
	.name = "tree",
	.row = tree_row,
	.enter = tree_enter,
	.back = tree_back,
	.reload = tree_reload,
	.item = tree_item,
	.id = tree_id,
	.problems = tree_problems,
	.select = tree_select,
	.destroy = tree_destroy,
};

/* Flatten again, the cursor staying on the same node object wherever it
 * now is (nodes come and go above it as pages load), or on its nearest
 * visible ancestor when it was hidden or collapsed away; when the node
 * under it was freed, the cursor keeps its index (see cursor_gone). */
void tree_changed(struct ui *ui)
{
	struct view *v = ui->tree;
	struct tree *t = v->priv;
	if (t->cursor_gone && v->cursor != t->gone_cursor)
		t->cursor_gone = false;   /* moved since: the node there now is the one to keep */
	bool by_index = t->cursor_gone;
	size_t old_cursor = v->cursor;
	struct tnode *keep = by_index ? NULL : selected_node(v);
	flatten(t);
	bool loading = false;
	size_t row = (size_t)-1;
	for (size_t i = 0; i < t->nflat; i++) {
		loading |= t->flat[i]->loading;
		if (t->flat[i] == keep)
			row = i;
	}
	v->loading = loading;
	view_set_rows(v, t->nflat);
	if (by_index) {
		size_t n = v->filter ? v->nf : t->nflat;
		v->cursor = old_cursor < n ? old_cursor : n ? n - 1 : 0;
		t->gone_cursor = v->cursor;
		return;
	}
	if (row == (size_t)-1 && keep)
		for (const struct tnode *a = keep->parent; a && a != t->root && row == (size_t)-1;
		     a = a->parent)
			for (size_t i = 0; i < t->nflat; i++)
				if (t->flat[i] == a) {
					row = i;
					break;
				}
	if (row != (size_t)-1)
		cursor_to_row(v, row);
}

void tree_reveal(struct ui *ui, struct tnode *n)
{
	struct view *v = ui->tree;
	struct tree *t = v->priv;
	for (struct tnode *a = n->parent; a && a != t->root; a = a->parent)
		tree_expand(ui, a);
	view_set_filter_none(v);
	tree_changed(ui);
	for (size_t i = 0; i < t->nflat; i++)
		if (t->flat[i] == n) {
			v->cursor = i;
			break;
		}
	view_reveal_cursor(v);
	ui->focus = 0;
	tree_expand(ui, n);
	tree_select(v, view_selected(v));
}

void tree_loaded(struct ui *ui, struct tnode *n, const char *err)
{
	n->loading = false;
	n->loaded = true;
	if (err) {
		struct tnode *e = tnode_new(err, NULL, NULL);
		e->role = ROLE_ERROR;
		tnode_add(n, e);
		ui_message(ui, true, "%s", err);
	}
	tree_changed(ui);
	struct tree *t = ui->tree->priv;
	if (t->cursor_gone) {
		/* the load that freed the node under the cursor has put its nodes
		 * in: from now on the cursor follows the node it is on, whose list
		 * the list pane shows (the freed node's is gone) */
		t->cursor_gone = false;
		if (!t->shown)
			tree_select(ui->tree, view_selected(ui->tree));
	}
}

void tree_add_root(struct ui *ui, struct tnode *root)
{
	struct tree *t = ui->tree->priv;
	tnode_add(t->root, root);
	root->role = ROLE_TITLE;
	/* keep the last root last */
	struct tnode **k = t->root->kids;
	size_t n = t->root->nkids;
	if (t->last && n > 1 && k[n - 2] == t->last) {
		k[n - 2] = root;
		k[n - 1] = t->last;
	}
	tree_changed(ui);
}

void tree_add_last_root(struct ui *ui, struct tnode *root)
{
	struct tree *t = ui->tree->priv;
	tree_add_root(ui, root);
	t->last = root;
}

struct tnode *tree_selected(struct ui *ui)
{
	return selected_node(ui->tree);
}

void tree_cursor_to(struct ui *ui, const struct tnode *n)
{
	struct tree *t = ui->tree->priv;
	size_t at = 0;
	for (size_t i = 0; n && i < t->nflat; i++)
		if (t->flat[i] == n)
			at = i;
	ui->tree->cursor = at;
	tree_select(ui->tree, at);
}

struct view *tree_view_new(struct ui *ui)
{
	struct tree *t = util_xcalloc(1, sizeof *t);
	t->root = tnode_new("", NULL, NULL);
	live_tree = t;
	ui->tree = view_new(ui, &tree_ops, t, "ddtree");
	t->view = ui->tree;
	return ui->tree;
}
