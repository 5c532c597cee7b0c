/* tui/view_items.c: the Tables module: the Tables root (every table with
 * its layout, loaded at start: the list also finds the library tables that
 * were not named) and any table's items, read with Scan page by page as
 * you scroll (the generic view for tables of no known layout, and for raw
 * browsing of any table, :table). */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/nodelist.h"
#include "tui/tree.h"
#include "tui/text.h"
#include "model/pager.h"
#include "model/tables.h"
#include "model/item.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 200

struct items {
	char *table;
	struct pager *pager;
	json_t *items;          /* array of raw items */
};

/* A short one-line preview of an attribute value. */
static void preview(const json_t *av, char *buf, size_t len)
{
	const char *t = ddb_av_type(av);
	const json_t *v = t ? json_object_get(av, t) : NULL;
	if (!t)
		snprintf(buf, len, "?");
	else if (!strcmp(t, "S") || !strcmp(t, "N"))
		snprintf(buf, len, "%s", json_string_value(v) ? json_string_value(v) : "");
	else if (!strcmp(t, "BOOL"))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else if (!strcmp(t, "NULL"))
		snprintf(buf, len, "NULL");
	else if (!strcmp(t, "M"))
		snprintf(buf, len, "{%zu}", json_object_size(v));
	else if (!strcmp(t, "L") || !strcmp(t, "SS") || !strcmp(t, "NS") || !strcmp(t, "BS"))
		snprintf(buf, len, "[%zu]", json_array_size(v));
	else
		snprintf(buf, len, "<%s>", t);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void items_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct items *it = v->priv;
	const json_t *item = json_array_get(it->items, i);
	size_t used = 0;
	buf[0] = '\0';
	/* key-like attributes first, then the rest in name order */
	static const char *const first[] = {"PK", "SK", "id", "parent_id", NULL};
	for (int k = 0; first[k]; k++) {
		const json_t *av = json_object_get(item, first[k]);
		if (!av)
			continue;
		char pv[256];
		preview(av, pv, sizeof pv);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "  " : "", pv);
		if (used >= len)
			return;
	}
	/* the other attributes in name order: servers return them in any order */
	size_t nk = json_object_size(item), k = 0;
	const char **keys = util_xcalloc(nk, sizeof *keys);
	const char *key;
	json_t *av;
	json_object_foreach((json_t *)item, key, av)
		keys[k++] = key;
	qsort(keys, k, sizeof *keys, cmp_str);
	for (size_t j = 0; j < k && used < len; j++) {
		bool skip = false;
		for (int f = 0; first[f]; f++)
			skip |= !strcmp(keys[j], first[f]);
		if (skip)
			continue;
		char pv[128];
		preview(json_object_get(item, keys[j]), pv, sizeof pv);
		used += (size_t)snprintf(buf + used, len - used, "  %s=%s", keys[j], pv);
	}
	free(keys);
	*role = ROLE_NORMAL;
}

static void page_loaded(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct items *it = v->priv;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, it->table, err);
		v->more_available = !pager_done(p);
		return;
	}
	json_array_extend(it->items, (json_t *)items);
	v->more_available = !pager_done(p);
	snprintf(v->progress, sizeof v->progress, "%ld items, %ld page%s%s", pager_items(p),
	         pager_pages(p), pager_pages(p) == 1 ? "" : "s", v->more_available ? ", more" : "");
	view_set_rows(v, json_array_size(it->items));
}

static void items_more(struct view *v)
{
	struct items *it = v->priv;
	if (pager_next(it->pager, page_loaded, v))
		v->loading = true;
}

static void items_reload(struct view *v)
{
	struct items *it = v->priv;
	pager_free(it->pager);
	json_array_clear(it->items);
	it->pager = tables_scan_pager(v->ui->s, it->table, PAGE, 0, 1);
	v->cursor = v->top = 0;
	v->loading = false;
	view_set_rows(v, 0);
	items_more(v);
}

static void items_cancel(struct view *v)
{
	struct items *it = v->priv;
	pager_cancel(it->pager);
}

static const json_t *items_item(struct view *v, size_t i)
{
	struct items *it = v->priv;
	return json_array_get(it->items, i);
}

/* For y: the partition key of a generic item, as the usual names go (the
 * key schema is not read for a raw table). */
static const char *items_id(struct view *v, size_t i)
{
	struct items *it = v->priv;
	const json_t *item = json_array_get(it->items, i);
	const char *id = ddb_item_s(item, "PK");
	return id ? id : ddb_item_s(item, "id");
}

static void items_destroy(struct view *v)
{
	struct items *it = v->priv;
	pager_free(it->pager);
	json_decref(it->items);
	free(it->table);
	free(it);
}

static const struct view_ops items_ops = {
	.name = "items",
	.row = items_row,
	.more = items_more,
	.reload = items_reload,
	.cancel = items_cancel,
	.item = items_item,
	.id = items_id,
	.destroy = items_destroy,
};

static struct view *items_view_new(struct ui *ui, const char *table)
{
	struct items *it = util_xcalloc(1, sizeof *it);
	it->table = util_xstrdup(table);
	it->items = json_array();
	struct view *v = view_new(ui, &items_ops, it, "items of %s (Scan)", table);
	items_reload(v);
	return v;
}

/* ---- the Tables module: its root, :table ------------------------------------------ */

struct table_node {
	char *name;
	char *layout;            /* "chainlit, as named" */
};

static void free_table_node(void *d)
{
	struct table_node *tn = d;
	free(tn->name);
	free(tn->layout);
	free(tn);
}

static struct view *table_list(struct ui *ui, struct tnode *n)
{
	struct table_node *tn = n->data;
	return items_view_new(ui, tn->name);
}

static const struct tnode_ops table_ops = {.list = table_list, .free_data = free_table_node};

/* The module's state: its root, and whether its first load (at start)
 * has been asked for. */
struct tables_state {
	struct tnode *root;
	bool started;
};

static struct tables_state *state(struct ui *ui)
{
	return *ui_module_slot(ui, "tables");
}

/* The Tables node owns the load of the table list. */
struct tables_node_load {
	struct tnode_load base;
	struct tables_load *load;
	bool first;              /* the load at start, not a reload */
};

static void tables_cancel(struct tnode_load *l)
{
	struct tables_node_load *c = (struct tables_node_load *)l;
	tables_load_cancel(c->load);
	free(c);
}

static void tables_done(struct table_list *tl, const struct ddb_error *err, void *ud)
{
	struct tables_node_load *c = ud;
	struct ui *ui = c->base.ui;
	struct tnode *node = c->base.node;
	bool first = c->first;
	tnode_load_end(&c->base);
	free(c);
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		char *msg = util_xasprintf("tables: %s", d);
		ui->tables_known = true;
		tree_loaded(ui, node, msg);
		free(msg);
		free(d);
		return;
	}
	/* now that the tables are known, show what the libraries keep */
	char *amb = NULL;
	tables_adopt(ui->s, tl, &amb);
	if (amb)
		ui_message(ui, true, "%s", amb);
	free(amb);
	struct tnode *was = tree_selected(ui);
	ui_add_roots(ui);
	if (node->parent->nkids > 1 && first && !node->loaded) {
		node->expanded = false;   /* the library roots say more */
		node->loaded = true;
		tree_changed(ui);
		/* start on the first library root, unless the user has already
		 * gone somewhere (a root named on the command line): roots
		 * found now go above it, the cursor stays with its node */
		tree_cursor_to(ui, was != node ? was : NULL);
	}
	for (size_t i = 0; i < tl->n; i++) {
		char label[512];
		snprintf(label, sizeof label, "%s  [%s%s]", tl->v[i].name, table_layout_name(tl->v[i].layout),
		         tl->v[i].named ? ", as named" : "");
		struct table_node *tn = util_xcalloc(1, sizeof *tn);
		tn->name = util_xstrdup(tl->v[i].name);
		tn->layout = util_xasprintf("%s%s", table_layout_name(tl->v[i].layout),
		                            tl->v[i].named ? ", as named" : "");
		struct tnode *k = tnode_new(label, &table_ops, tn);
		k->id = util_xstrdup(tl->v[i].name);
		tnode_add(node, k);
	}
	ui->tables_known = true;
	tree_loaded(ui, node, NULL);
}

static void tables_expand(struct ui *ui, struct tnode *n)
{
	struct tables_state *ts = state(ui);
	struct tables_node_load *c = util_xcalloc(1, sizeof *c);
	c->first = !ts->started;
	ts->started = true;
	ui->tables_known = false;
	tnode_load_start(n, &c->base, ui, tables_cancel);
	c->load = tables_load_named(ui->s, tables_done, c);
}

/* The Tables root's list: the tables' layout, their names (what is cut). */
static const struct column table_cols[] = {
	{.title = "layout", .max = 20},
	{.title = "table", .flex = true},
};

static bool table_cells(struct ui *ui, const struct tnode *k, char (*cell)[NODELIST_CELL])
{
	(void)ui;
	if (k->ops != &table_ops)
		return false;
	const struct table_node *tn = k->data;
	snprintf(cell[0], NODELIST_CELL, "%s", tn->layout ? tn->layout : "");
	snprintf(cell[1], NODELIST_CELL, "%s", tn->name);
	return true;
}

static const struct nodelist_spec table_spec = {table_cols, 2, table_cells};

static struct view *tables_list(struct ui *ui, struct tnode *n)
{
	return nodelist_new(ui, n, &table_spec, false);
}

static const struct tnode_ops tables_root_ops = {.expand = tables_expand, .list = tables_list};

static void tables_init(struct ui *ui)
{
	*ui_module_slot(ui, "tables") = util_xcalloc(1, sizeof(struct tables_state));
}

static void tables_destroy(struct ui *ui)
{
	free(state(ui));
	*ui_module_slot(ui, "tables") = NULL;
}

static void tables_roots(struct ui *ui)
{
	struct tables_state *ts = state(ui);
	if (ts->root)
		return;
	struct tnode *tables = tnode_new("Tables", &tables_root_ops, NULL);
	ts->root = tables;
	tree_add_last_root(ui, tables);
	/* Load the table list at once: it also finds the Stache and Chainlit
	 * tables that were not named (their roots appear when it arrives). */
	tree_expand(ui, tables);
	if (tables->parent->nkids > 1)
		tables->expanded = false;
}

static void table_command(struct ui *ui, const char *cmd, const char *arg)
{
	if (!*arg) {
		ui_message(ui, true, ":%s NAME", cmd);
		return;
	}
	ui_show_list(ui, items_view_new(ui, arg));
	ui->focus = 1;
}

static const struct module_command tables_commands[] = {
	{"table", "NAME", "the raw items of any table (a Scan)", false, table_command},
	{NULL, NULL, NULL, false, NULL},
};

const struct module tables_module = {
	.name = "tables",
	.commands = tables_commands,
	.init = tables_init,
	.destroy = tables_destroy,
	.roots = tables_roots,
};
