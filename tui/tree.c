/* tui/tree.c: the tree pane. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/tree.h"
#include "tui/msgview.h"
#include "tui/text.h"

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
	/* the widest visible row, in columns, measured when asked (tree_width)
	 * after the rows changed: exact when below width_enough, else a lower
	 * bound (the measure stopped there) */
	int width, width_enough;
	bool width_valid;
	size_t prev;                 /* the flat row of the cursor at the last select */
	json_t *problem_ids;         /* id -> its first problem (tree_note_problem) */
	struct tnode *all_of;        /* G: the node whose children load every page */
	struct tnode *watched;       /* tree_watch: the list pane shows its children */
	void (*watch)(struct ui *ui, bool gone);
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
	if (live_tree && live_tree->all_of == n)
		live_tree->all_of = NULL;
	if (live_tree && live_tree->watched == n) {
		void (*fn)(struct ui *, bool) = live_tree->watch;
		live_tree->watched = NULL;
		live_tree->watch = NULL;
		fn(live_tree->view->ui, true);
	}
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
	free(n->problem_mark);
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

/* n and its ancestors (below the invisible root) carry `problem` unless
 * they carry one already. */
static void mark_up(struct tnode *n, const char *problem)
{
	for (; n && n->parent; n = n->parent) {
		if (n->problem_mark)
			continue;   /* an ancestor may still have none (added apart) */
		n->problem_mark = util_xstrdup(problem);
	}
}

void tnode_add(struct tnode *parent, struct tnode *child)
{
	struct tnode **k = util_xrealloc(parent->kids, (parent->nkids + 1) * sizeof *k);
	parent->kids = k;
	child->parent = parent;
	parent->kids[parent->nkids++] = child;
	/* a problem known before the node came: marked now (O(depth)) */
	if (live_tree && live_tree->problem_ids && child->id && !child->problem_mark) {
		const char *p = json_string_value(json_object_get(live_tree->problem_ids, child->id));
		if (p)
			child->problem_mark = util_xstrdup(p);
	}
	if (child->problem_mark)
		mark_up(parent, child->problem_mark);
}

static void mark_ids(struct tnode *n, const char *id, const char *problem)
{
	if (n->id && !strcmp(n->id, id))
		mark_up(n, problem);
	for (size_t i = 0; i < n->nkids; i++)
		mark_ids(n->kids[i], id, problem);
}

void tree_note_problem(struct ui *ui, const char *id, const char *problem)
{
	struct tree *t = ui->tree->priv;
	if (!id || !*id || !problem)
		return;
	if (!t->problem_ids)
		t->problem_ids = json_object();
	if (json_object_get(t->problem_ids, id))
		return;   /* the first problem of it stays */
	json_object_set_new(t->problem_ids, id, json_string(problem));
	mark_ids(t->root, id, problem);
	tree_changed(ui);
}

const char *tree_node_problem(const struct tnode *n)
{
	return n ? n->problem_mark : NULL;
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

/* The columns tree_row's text of a node at depth d takes (the label as it
 * is: a close estimate of its sanitised width, with no copy). */
static int row_width(const struct tnode *n, int d)
{
	size_t len = strlen(n->label);
	int w = text_is_plain(n->label, len, 0) ? (int)len : text_width(n->label);
	return (d > 6 ? 12 + 4 + (d > 9) + (d > 99) : d * 2) + 2 + w;
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
	t->width_valid = false;
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
	const char *bang = n->problem_mark ? "! " : "";
	if (d > 6)
		snprintf(buf, len, "%*s[%d] %s%s%s", 12, "", d, mark, bang, n->label);
	else
		snprintf(buf, len, "%*s%s%s%s", d * 2, "", mark, bang, n->label);
	*role = n->problem_mark && n->role == ROLE_NORMAL ? ROLE_PROBLEM : n->role;
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
	/* an error node: its whole message, wrapped, in the list pane */
	if (!lv && !n->ops && n->role == ROLE_ERROR && n->label)
		lv = msgview_text(ui, "error (R retries, M: every message)", n->label, ROLE_ERROR);
	ui_show_list(ui, lv);
}

static void tree_select(struct view *v, size_t i)
{
	(void)i;
	struct tree *t = v->priv;
	t->cursor_gone = false;   /* the cursor is on a node again */
	show_list_for(v->ui, t, selected_node(v));
	/* fetch ahead: a "more..." node the cursor reached or passed since the
	 * last select, or within a screen below it, loads its page now (its
	 * list op starts the load and returns no view) */
	size_t cur = view_selected(v), prev = t->prev;
	t->prev = cur;
	if (cur == (size_t)-1 || v->filter)
		return;
	size_t rows = v->ui->rows > 4 ? (size_t)v->ui->rows : 24;
	size_t from = prev < cur ? prev : cur;
	struct tnode *more[8];
	size_t nmore = 0;
	for (size_t k = from; k < t->nflat && k <= cur + rows && nmore < 8; k++) {
		struct tnode *n = t->flat[k];
		if (n && n->autoload && n->ops && n->ops->list && n != t->shown)
			more[nmore++] = n;
	}
	/* each may change the tree (t->flat): collected first */
	for (size_t k = 0; k < nmore; k++)
		more[k]->ops->list(v->ui, more[k]);
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
	json_decref(t->problem_ids);
	json_decref(t->item);
	free(t->flat);
	free(t->depth);
	free(t);
}

/* The group of siblings g and G move in: the children of the node under
 * the cursor when it is expanded (a user's threads), else its siblings. */
static struct tnode *group_of(struct tree *t, struct tnode *n)
{
	if (n->expanded && n->nkids)
		return n;
	return n->parent ? n->parent : t->root;
}

/* Its first or last child shown in the pane, or NULL. */
static struct tnode *group_end(const struct tnode *g, bool last)
{
	for (size_t k = 0; k < g->nkids; k++) {
		struct tnode *c = g->kids[last ? g->nkids - 1 - k : k];
		if (!c->hidden)
			return c;
	}
	return NULL;
}

/* Put the cursor on node n (shown in the pane) and show its list. */
static void select_node(struct view *v, const struct tnode *n)
{
	size_t was = view_selected(v);
	if (cursor_to_node(v, n) && view_selected(v) != was)
		tree_select(v, view_selected(v));
}

/* G in the tree: every page of the group's children, the cursor on the
 * last one (tick calls this again after each page, through the view's
 * more op, while v->load_all is on; Esc turns that off).  It ends when the
 * last child is no "more..." node and nothing loads any more (a page is
 * drawn before its items are in; the next "more..." comes after them). */
static void tree_more(struct view *v)
{
	struct tree *t = v->priv;
	struct tnode *g = t->all_of;
	struct tnode *last = g && v->load_all ? group_end(g, true) : NULL;
	if (!last) {
		v->load_all = false;
		t->all_of = NULL;
		v->progress[0] = '\0';
		return;
	}
	size_t n = 0;
	for (size_t k = 0; k < g->nkids; k++)
		n += !g->kids[k]->hidden && !g->kids[k]->autoload;
	snprintf(v->progress, sizeof v->progress, "%.60s, %zu lines", g == t->root ? "the roots" : g->label, n);
	if (last->autoload) {
		select_node(v, last);   /* selecting a "more..." node loads its page */
		return;
	}
	/* a page drawn, its items on the way: its "more..." may follow (the
	 * cursor waits rather than open each page's last line on the way) */
	if (ui_loading(v->ui))
		return;
	select_node(v, last);
	v->load_all = false;
	t->all_of = NULL;
	v->progress[0] = '\0';
}

/* g / G: the first / last of the group (G loading every page); when the
 * cursor is there already, the generic first / last line. */
static bool tree_first_last(struct view *v, bool last)
{
	struct tree *t = v->priv;
	struct tnode *n = selected_node(v);
	if (!n || v->filter)
		return false;
	struct tnode *g = group_of(t, n);
	struct tnode *end = group_end(g, last);
	if (!end || (end == n && !end->autoload))
		return false;
	select_node(v, end);
	if (last && end->autoload) {
		t->all_of = g;
		v->load_all = true;
		tree_more(v);
	}
	return true;
}

/* A move down stops on a "more..." node it would pass: reaching it loads
 * the next page, which then takes its place (paging never skips). */
static size_t tree_stop(struct view *v, size_t from, size_t to)
{
	struct tree *t = v->priv;
	if (v->filter)
		return to;
	for (size_t k = from + 1; k <= to && k < t->nflat; k++)
		if (t->flat[k] && t->flat[k]->autoload)
			return k;
	return to;
}

/* Measured once after each change of the rows, up to the first row as
 * wide as `enough` (with threads open, a few rows; 100,000 short user
 * names are measured once, not at every draw). */
static int tree_width(struct view *v, int enough)
{
	struct tree *t = v->priv;
	if (t->width_valid && (t->width < t->width_enough || t->width >= enough))
		return t->width;
	int w = 0;
	for (size_t i = 0; i < t->nflat && w < enough; i++) {
		if (!t->flat[i])
			continue;   /* freed since the last flatten */
		int rw = row_width(t->flat[i], t->depth[i]);
		if (rw > w)
			w = rw;
	}
	t->width = w;
	t->width_enough = enough;
	t->width_valid = true;
	return w;
}

/* ] [ } in the tree: the next / previous thread with feedback, the next
 * thread without; g G (see tree_first_last). */
static bool tree_action(struct view *v, enum action a)
{
	struct tree *t = v->priv;
	if (a == ACT_FIRST || a == ACT_LAST)
		return tree_first_last(v, a == ACT_LAST);
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
	.more = tree_more,
	.width = tree_width,
	.stop = tree_stop,
	.destroy = tree_destroy,
};

static size_t flat_row(const struct tree *t, const struct tnode *n)
{
	for (size_t i = 0; i < t->nflat; i++)
		if (t->flat[i] == n)
			return i;
	return (size_t)-1;
}

/* The row for the cursor when node n is no longer shown: a filter (:only)
 * hid it: the next sibling shown, else the one before it; its parent was
 * collapsed: that parent (or the nearest ancestor shown). */
static size_t nearest_shown(const struct tree *t, const struct tnode *n)
{
	for (const struct tnode *a = n; a && a != t->root; a = a->parent) {
		const struct tnode *p = a->parent;
		if (a != n) {
			size_t r = flat_row(t, a);
			if (r != (size_t)-1)
				return r;
		}
		if (!p || (p != t->root && !p->expanded))
			continue;
		size_t at = 0;
		while (at < p->nkids && p->kids[at] != a)
			at++;
		const struct tnode *sib = NULL;
		for (size_t k = at + 1; k < p->nkids && !sib; k++)
			if (!p->kids[k]->hidden)
				sib = p->kids[k];
		for (size_t k = at; k-- > 0 && !sib;)
			if (!p->kids[k]->hidden)
				sib = p->kids[k];
		size_t r = sib ? flat_row(t, sib) : (size_t)-1;
		if (r != (size_t)-1)
			return r;
	}
	return (size_t)-1;
}

/* Flatten again, the cursor staying on the same node object wherever it
 * now is (nodes come and go above it as pages load), or near it when it
 * was hidden or collapsed away (nearest_shown); when the node
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
	if (t->watched && t->watch)
		t->watch(ui, false);
	if (by_index) {
		size_t n = v->filter ? v->nf : t->nflat;
		v->cursor = old_cursor < n ? old_cursor : n ? n - 1 : 0;
		t->gone_cursor = v->cursor;
		return;
	}
	bool moved = row == (size_t)-1 && keep;   /* keep is live: a freed node's row is NULL */
	if (moved)
		row = nearest_shown(t, keep);
	if (row != (size_t)-1)
		cursor_to_row(v, row);
	t->prev = view_selected(v);   /* rows moved: the fetch ahead starts from here */
	/* the cursor left a node that went out of sight: the list pane
	 * follows it to its new node */
	static bool in_select;
	if (moved && row != (size_t)-1 && !in_select) {
		in_select = true;
		tree_select(v, view_selected(v));
		in_select = false;
	}
}

/* Put the cursor on n, its ancestors expanded and the filter dropped,
 * scrolled so that n shows with room below it. */
static void cursor_onto(struct ui *ui, struct tnode *n)
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
	t->prev = view_selected(v);
}

void tree_reveal(struct ui *ui, struct tnode *n)
{
	cursor_onto(ui, n);
	ui->focus = 0;
	tree_expand(ui, n);
	tree_select(ui->tree, view_selected(ui->tree));
}

void tree_point_at(struct ui *ui, struct tnode *n)
{
	struct tree *t = ui->tree->priv;
	cursor_onto(ui, n);
	t->shown = n;   /* the list pane is the caller's: it stays */
	t->cursor_gone = false;
}

void tree_watch(struct ui *ui, struct tnode *n, void (*sync)(struct ui *ui, bool gone))
{
	struct tree *t = ui->tree->priv;
	t->watched = n;
	t->watch = n ? sync : NULL;
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
