/* tui/nodelist.c: see nodelist.h. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/nodelist.h"
#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 8

struct nodelist {
	struct tnode *node;          /* NULL once freed */
	const struct nodelist_spec *spec;
	size_t *map;                 /* row - 1 -> index of the child (hidden ones left out) */
	size_t nmap;
	int need[MAX_COLS];          /* the columns' widest cells */
};

/* The node list in the list pane (the tree's watch has one taker). */
static struct view *current;

static const struct view_ops nodelist_ops;

static struct tnode *row_kid(struct nodelist *nl, size_t i)
{
	if (!nl->node || i == 0 || i - 1 >= nl->nmap || nl->map[i - 1] >= nl->node->nkids)
		return NULL;
	return nl->node->kids[nl->map[i - 1]];
}

static void cells_of(struct view *v, struct nodelist *nl, const struct tnode *k,
                     char (*cell)[NODELIST_CELL], bool *ok)
{
	for (size_t c = 0; c < nl->spec->ncols; c++)
		cell[c][0] = '\0';
	*ok = nl->spec->cells(v->ui, k, cell);
}

/* The rows again from the node's children, the columns fitted to the pane. */
static void rebuild(struct view *v)
{
	struct nodelist *nl = v->priv;
	struct tnode *keep = row_kid(nl, view_selected(v));
	size_t n = nl->node ? nl->node->nkids : 0;
	nl->map = util_xrealloc(nl->map, (n ? n : 1) * sizeof *nl->map);
	nl->nmap = 0;
	int *need = nl->need;
	memset(nl->need, 0, sizeof nl->need);
	static char cell[MAX_COLS][NODELIST_CELL];
	for (size_t i = 0; i < n; i++) {
		struct tnode *k = nl->node->kids[i];
		if (!k || k->hidden)
			continue;
		nl->map[nl->nmap++] = i;
		bool ok;
		cells_of(v, nl, k, cell, &ok);
		if (!ok)
			continue;
		for (size_t c = 0; c < nl->spec->ncols; c++) {
			char *s = text_sanitize_line(cell[c]);
			int wd = text_width(s);
			free(s);
			if (wd > need[c])
				need[c] = wd;
		}
	}
	view_set_rows(v, nl->nmap + 1);
	v->loading = nl->node && nl->node->loading;
	if (keep && !v->filter)
		for (size_t r = 1; r <= nl->nmap; r++)
			if (row_kid(nl, r) == keep) {
				v->cursor = r;
				break;
			}
	if (v->cursor == 0 && !v->filter && v->nrows > 1)
		v->cursor = 1;
}

static void sync(struct ui *ui, bool gone)
{
	(void)ui;
	if (!current)
		return;
	struct nodelist *nl = current->priv;
	if (gone)
		nl->node = NULL;
	rebuild(current);
}

static void nl_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct nodelist *nl = v->priv;
	static char cell[MAX_COLS][NODELIST_CELL];
	*role = ROLE_NORMAL;
	/* fitted to the pane as it is now (zoom, focus, resize) */
	int w[MAX_COLS];
	columns_fit(nl->spec->cols, nl->spec->ncols, nl->need, ui_list_width(v->ui), w);
	if (i == 0) {
		columns_header(buf, len, nl->spec->cols, nl->spec->ncols, w);
		*role = ROLE_DIM;
		return;
	}
	struct tnode *k = row_kid(nl, i);
	if (!k) {
		snprintf(buf, len, "%s", "");
		return;
	}
	bool ok;
	cells_of(v, nl, k, cell, &ok);
	*role = k->role;
	if (!ok) {
		char *s = text_sanitize_line(k->label);
		snprintf(buf, len, "%s", s);
		free(s);
		return;
	}
	const char *cp[MAX_COLS];
	char *san[MAX_COLS];
	for (size_t c = 0; c < nl->spec->ncols; c++)
		cp[c] = san[c] = text_sanitize_line(cell[c]);
	columns_row(buf, len, nl->spec->cols, nl->spec->ncols, w, cp);
	for (size_t c = 0; c < nl->spec->ncols; c++)
		free(san[c]);
}

static void nl_select(struct view *v, size_t i)
{
	struct nodelist *nl = v->priv;
	if (i == 0 && !v->filter && v->nrows > 1) {
		/* the header is not a row to be on */
		v->cursor = 1;
		i = 1;
	}
	struct tnode *k = row_kid(nl, i);
	if (k && k->ops)
		tree_point_at(v->ui, k);
}

static void nl_enter(struct view *v, size_t i)
{
	struct nodelist *nl = v->priv;
	struct tnode *k = row_kid(nl, i);
	struct ui *ui = v->ui;
	if (!k)
		return;
	if (k->ops && k->ops->list) {
		/* v is freed by ui_show_list: nothing of it is used after */
		struct view *lv = k->ops->list(ui, k);
		if (lv) {
			ui_show_list(ui, lv);
			tree_point_at(ui, k);
			ui->focus = 1;
		}
		return;
	}
	if (k->expandable) {
		tree_expand(ui, k);
		return;
	}
	if (k->item_text) {
		json_t *item = tnode_item(k);
		ui_show_detail(ui, k->id ? k->id : k->label, item, k->problems);
		json_decref(item);
	}
}

bool nodelist_back_to(struct ui *ui, struct tnode *k)
{
	struct tnode *p = k ? k->parent : NULL;
	if (!p || !p->ops || !p->ops->list)
		return false;
	struct view *lv = p->ops->list(ui, p);
	if (!lv)
		return false;
	ui_show_list(ui, lv);
	nodelist_point(lv, k);
	tree_point_at(ui, k);
	ui->focus = 1;
	return true;
}

static void nl_back(struct view *v, size_t i)
{
	(void)i;
	struct nodelist *nl = v->priv;
	struct ui *ui = v->ui;
	if (!nl->node || !nodelist_back_to(ui, nl->node))
		ui->focus = 0;
}

static const json_t *nl_item(struct view *v, size_t i)
{
	(void)v;
	(void)i;
	return NULL;
}

static const char *nl_id(struct view *v, size_t i)
{
	struct tnode *k = row_kid(v->priv, i);
	return k ? k->id : NULL;
}

static char *nl_problems(struct view *v, size_t i)
{
	struct tnode *k = row_kid(v->priv, i);
	return k && k->problems ? util_xstrdup(k->problems) : NULL;
}

static void nl_more(struct view *v)
{
	/* the last child is "more...": its list op loads the next page */
	struct nodelist *nl = v->priv;
	if (!nl->node || !nl->node->nkids)
		return;
	struct tnode *last = nl->node->kids[nl->node->nkids - 1];
	if (last && last->autoload && last->ops && last->ops->list)
		last->ops->list(v->ui, last);
}

static void nl_reload(struct view *v)
{
	struct nodelist *nl = v->priv;
	struct tnode *n = nl->node;
	if (!n || !n->expandable || n->loading)
		return;
	tnode_clear(n);
	n->loaded = false;
	n->loading = true;
	n->ops->expand(v->ui, n);
	tree_changed(v->ui);
}

static void nl_layout(struct view *v)
{
	rebuild(v);
}

static void nl_destroy(struct view *v)
{
	struct nodelist *nl = v->priv;
	if (current == v) {
		current = NULL;
		tree_watch(v->ui, NULL, NULL);
	}
	free(nl->map);
	free(nl);
}

static const struct view_ops nodelist_ops = {
	.name = "nodes",
	.row = nl_row,
	.enter = nl_enter,
	.back = nl_back,
	.select = nl_select,
	.item = nl_item,
	.id = nl_id,
	.problems = nl_problems,
	.more = nl_more,
	.reload = nl_reload,
	.layout = nl_layout,
	.destroy = nl_destroy,
};

struct view *nodelist_new(struct ui *ui, struct tnode *n, const struct nodelist_spec *spec, bool load)
{
	struct nodelist *nl = util_xcalloc(1, sizeof *nl);
	nl->node = n;
	nl->spec = spec;
	char *label = text_sanitize_line(n->label);
	struct view *v = view_new(ui, &nodelist_ops, nl, "%s", label);
	free(label);
	if (load && n->expandable && !n->loaded && !n->loading && n->ops->expand) {
		n->loading = true;
		n->ops->expand(ui, n);
	}
	if (current && current != v) {
		/* the list it replaces is freed next (ui_show_list): its watch goes now */
		current = NULL;
	}
	current = v;
	tree_watch(ui, n, sync);
	rebuild(v);
	return v;
}

void nodelist_point(struct view *v, const struct tnode *k)
{
	if (!v || v->ops != &nodelist_ops)
		return;
	struct nodelist *nl = v->priv;
	view_set_filter_none(v);
	for (size_t r = 1; r <= nl->nmap; r++)
		if (row_kid(nl, r) == k) {
			v->cursor = r;
			return;
		}
}
