/* tui/view_stache.c: the Stache module: the namespace tree (one level at a
 * time through parent_id-index; orphans and cycles from a full Scan), the
 * documents of a namespace newest first, the trash, its ':' commands. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/columns.h"
#include "tui/nodelist.h"
#include "tui/tree.h"
#include "tui/text.h"
#include "model/stache.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_PAGE 200

/* The module's state: its roots while they are in the tree. */
struct st_state {
	struct tnode *root, *problems, *trash;
};

/* The data of a namespace node. */
struct ns_data {
	char *name;               /* the display name (relabelled with the count) */
	char *note;               /* a problem the label shows, or NULL */
	struct view *docs;        /* the list of its documents while one is shown */
};

static void docs_unlink(struct view *v);

static void ns_data_free(void *p)
{
	struct ns_data *nd = p;
	if (nd->docs)
		docs_unlink(nd->docs);
	free(nd->name);
	free(nd->note);
	free(nd);
}

/* ---- documents (the list pane) ---------------------------------------------- */

struct docs {
	char *ns;                 /* NULL: the trash (or a document by id) */
	char *doc_id;             /* :document ID: that document, wherever it is */
	char *name;               /* :document NAME: the documents of that file name */
	struct stache_ns_list nss;   /* ... looked up in each namespace (GSI2) */
	size_t ns_next;
	bool ns_listed;
	bool scanning;            /* ... then, when none was found, a Scan by filename */
	int need[6];              /* the columns' widest cells (docs_measure) */
	struct pager *pager;
	bool raw_next;            /* then read rows filed under the pre-0.2.0 raw key */
	struct stache_row_list rows;
	/* the namespace node whose list this is, to show the count once every
	 * page is in; the node and the view unlink each other when either goes */
	struct tnode *node;
};

static void docs_unlink(struct view *v)
{
	struct docs *d = v->priv;
	d->node = NULL;
}

/* The columns of a documents list: created, status, file name (the text
 * that is cut), source path or short doc id (what tells same-name
 * documents apart), chunks. */
static const struct column doc_cols[] = {
	{.title = ""},
	{.title = ""},
	{.title = "", .flex = true},
	{.title = "", .max = 8},
	{.title = "", .right = true},
	{.title = "", .max = 48, .optional = true},
};
#define DOC_NCOLS 6

static void docs_cells(const struct stache_row *r, char (*cell)[512])
{
	char when[32] = "?";
	if (r->when_ok)
		time_format(r->when_us, when, sizeof when);
	when[16] = '\0';
	snprintf(cell[0], 512, "%s", when);
	snprintf(cell[1], 512, "%s", r->kind == STACHE_ROW_DOCUMENT ? stache_status_name(r->status)
	                             : stache_row_kind_name(r->kind));
	const char *name = r->filename ? r->filename : r->source_path ? r->source_path : r->doc_id;
	snprintf(cell[2], 512, "%s", name ? name : "?");
	snprintf(cell[3], 512, "%.8s", r->doc_id ? r->doc_id : "");
	cell[4][0] = '\0';
	if (r->chunk_count >= 0)
		snprintf(cell[4], 512, "%lld", r->chunk_count);
	/* the trash and the other rows: their namespace; documents: the path */
	if (r->kind != STACHE_ROW_DOCUMENT && r->namespace_)
		snprintf(cell[5], 512, "%s", r->namespace_);
	else if (r->source_path && r->filename)
		snprintf(cell[5], 512, "%s", r->source_path);
	else
		cell[5][0] = '\0';
}

/* The widths the rows need (names may be wide or hold escapes). */
static void docs_measure(struct docs *d)
{
	static char cell[DOC_NCOLS][512];
	memset(d->need, 0, sizeof d->need);
	for (size_t k = 0; k < d->rows.n; k++) {
		docs_cells(&d->rows.v[k], cell);
		for (size_t c = 0; c < DOC_NCOLS; c++) {
			char *t = text_sanitize_line(cell[c]);
			int wd = text_width(t);
			free(t);
			if (wd > d->need[c])
				d->need[c] = wd;
		}
	}
}

static void docs_row(struct view *v, size_t i, char *buf, size_t len, enum color_role *role)
{
	struct docs *d = v->priv;
	if (i >= d->rows.n)
		return;
	const struct stache_row *r = &d->rows.v[i];
	static char cell[DOC_NCOLS][512];
	int w[DOC_NCOLS], need[DOC_NCOLS];
	memcpy(need, d->need, sizeof need);
	if (ui_list_width(v->ui) < 60 && need[0] > 10)
		need[0] = 10;   /* the day: room for the name */
	columns_fit(doc_cols, DOC_NCOLS, need, ui_list_width(v->ui), w);
	docs_cells(r, cell);
	const char *cp[DOC_NCOLS];
	char *san[DOC_NCOLS];
	for (size_t c = 0; c < DOC_NCOLS; c++)
		cp[c] = san[c] = text_sanitize_line(cell[c]);
	columns_row(buf, len, doc_cols, DOC_NCOLS, w, cp);
	for (size_t c = 0; c < DOC_NCOLS; c++)
		free(san[c]);
	*role = r->problems.n || r->key_problems.n ? ROLE_PROBLEM
	      : r->status == STACHE_ST_ACTIVE || r->status == STACHE_ST_LEGACY ? ROLE_NORMAL : ROLE_DIM;
}

static void docs_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct docs *d = v->priv;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, d->ns ? d->ns : "trash", err);
		v->more_available = !pager_done(p);
		return;
	}
	stache_row_list_add_items(&d->rows, items);
	if (!json_array_size(items) && !pager_done(p) && !d->rows.n) {
		/* a filtered Scan (a document by id) can give empty pages: go on */
		if (pager_next(p, docs_page, v))
			v->loading = true;
		return;
	}
	if (pager_done(p) && d->raw_next) {
		/* rows written before 0.2.0 keep their unescaped key: read them too */
		d->raw_next = false;
		pager_free(d->pager);
		d->pager = stache_docs_pager(v->ui->s, d->ns, true, DOC_PAGE);
		p = d->pager;
	}
	v->more_available = !pager_done(p);
	snprintf(v->progress, sizeof v->progress, "%zu rows, %ld page%s%s", d->rows.n, pager_pages(p),
	         pager_pages(p) == 1 ? "" : "s", v->more_available ? ", more" : "");
	docs_measure(d);
	view_set_rows(v, d->rows.n);
	if (!v->more_available && d->node && d->ns) {
		/* the count is known once every page is in; a problem the label
		 * showed (a missing parent, a cycle) stays in it */
		const struct ns_data *nd = d->node->data;
		const char *nm = nd && nd->name ? nd->name : d->node->id ? d->node->id : "";
		free(d->node->label);
		d->node->label = util_xasprintf("%s  (%zu docs%s%s)", nm, d->rows.n,
		                                nd && nd->note ? "; " : "", nd && nd->note ? nd->note : "");
		tree_changed(v->ui);
	}
}

/* :document NAME: the namespaces are listed (a Scan of the namespace
 * table), then each is asked for that file name (a Query of GSI2). */
static void byname_next(struct view *v);

static void byname_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct view *v = ud;
	struct docs *d = v->priv;
	v->loading = false;
	if (err) {
		view_set_ddb_error(v, d->name, err);
		return;
	}
	if (!d->ns_listed)
		stache_ns_list_add_items(&d->nss, items);
	else {
		stache_row_list_add_items(&d->rows, items);
		docs_measure(d);
		view_set_rows(v, d->rows.n);
	}
	if (!pager_done(p)) {
		if (pager_next(p, byname_page, v))
			v->loading = true;
		return;
	}
	d->ns_listed = true;
	byname_next(v);
}

static void byname_next(struct view *v)
{
	struct docs *d = v->priv;
	while (d->ns_next < d->nss.n) {
		const char *ns = d->nss.v[d->ns_next++].id;
		if (!ns)
			continue;
		pager_free(d->pager);   /* from its own callback: freed once it returns */
		d->pager = stache_docs_by_name_pager(v->ui->s, ns, d->name, 0);
		snprintf(v->progress, sizeof v->progress, "%zu of %zu namespaces", d->ns_next, d->nss.n);
		if (d->pager && pager_next(d->pager, byname_page, v)) {
			v->loading = true;
			return;
		}
	}
	if (!d->rows.n && !d->scanning) {
		/* a document ingested with a source path is filed under the path:
		 * its file name is found by a Scan */
		d->scanning = true;
		pager_free(d->pager);
		d->pager = stache_doc_by_filename_pager(v->ui->s, d->name, 0);
		snprintf(v->progress, sizeof v->progress, "not in the file name index: a Scan by file name");
		if (d->pager && pager_next(d->pager, byname_page, v)) {
			v->loading = true;
			return;
		}
	}
	snprintf(v->progress, sizeof v->progress, "%zu document%s in %zu namespaces%s", d->rows.n,
	         d->rows.n == 1 ? "" : "s", d->nss.n, d->scanning ? " (a Scan)" : "");
	if (!d->rows.n)
		view_set_error(v, "no document named %s", d->name);
}

static void docs_more(struct view *v)
{
	struct docs *d = v->priv;
	if (d->pager && pager_next(d->pager, docs_page, v))
		v->loading = true;
}

static void docs_reload(struct view *v)
{
	struct docs *d = v->priv;
	pager_free(d->pager);
	stache_row_list_free(&d->rows);
	if (d->name) {
		stache_ns_list_free(&d->nss);
		d->ns_next = 0;
		d->ns_listed = false;
		d->scanning = false;
		d->pager = v->ui->s->documents_table ? stache_ns_scan_pager(v->ui->s, 0) : NULL;
		v->cursor = v->top = 0;
		view_set_rows(v, 0);
		if (!d->pager) {
			view_set_error(v, "no Stache tables (pass --namespace-table and --documents-table)");
			return;
		}
		if (pager_next(d->pager, byname_page, v))
			v->loading = true;
		return;
	}
	d->pager = d->ns ? stache_docs_pager(v->ui->s, d->ns, false, DOC_PAGE)
	         : d->doc_id ? stache_doc_by_id_pager(v->ui->s, d->doc_id, 0)
	                     : stache_trash_pager(v->ui->s, DOC_PAGE);
	d->raw_next = d->ns && strpbrk(d->ns, "#%") != NULL;
	v->cursor = v->top = 0;
	view_set_rows(v, 0);
	if (!d->pager) {
		view_set_error(v, "no Stache documents table (pass --documents-table)");
		return;
	}
	docs_more(v);
}

static void docs_cancel(struct view *v)
{
	struct docs *d = v->priv;
	if (d->pager)
		pager_cancel(d->pager);
}

static const json_t *docs_item(struct view *v, size_t i)
{
	struct docs *d = v->priv;
	return i < d->rows.n ? d->rows.v[i].raw : NULL;
}

static const char *docs_id(struct view *v, size_t i)
{
	struct docs *d = v->priv;
	return i < d->rows.n ? (d->rows.v[i].doc_id ? d->rows.v[i].doc_id : d->rows.v[i].pk) : NULL;
}

static char *docs_problems(struct view *v, size_t i)
{
	struct docs *d = v->priv;
	if (i >= d->rows.n)
		return NULL;
	const struct stache_row *r = &d->rows.v[i];
	if (!r->problems.n && !r->key_problems.n)
		return NULL;
	char *a = problems_join(&r->problems), *b = problems_join(&r->key_problems);
	char *out = util_xasprintf("%s%s%s", a, *a && *b ? "; " : "", b);
	free(a);
	free(b);
	return out;
}

static void docs_destroy(struct view *v)
{
	struct docs *d = v->priv;
	struct ns_data *nd = d->node ? d->node->data : NULL;
	if (nd && nd->docs == v)
		nd->docs = NULL;
	pager_free(d->pager);
	stache_row_list_free(&d->rows);
	free(d->ns);
	free(d->doc_id);
	free(d->name);
	stache_ns_list_free(&d->nss);
	free(d);
}

static const struct view_ops docs_ops = {
	.name = "documents",
	.row = docs_row,
	.more = docs_more,
	.reload = docs_reload,
	.cancel = docs_cancel,
	.item = docs_item,
	.id = docs_id,
	.problems = docs_problems,
	.destroy = docs_destroy,
};

static struct view *docs_view_new(struct ui *ui, const char *ns, struct tnode *node)
{
	struct docs *d = util_xcalloc(1, sizeof *d);
	d->ns = ns ? util_xstrdup(ns) : NULL;
	struct view *v = ns ? view_new(ui, &docs_ops, d, "documents of %s (newest first)", ns)
	                    : view_new(ui, &docs_ops, d, "trash (newest first)");
	struct ns_data *nd = node ? node->data : NULL;
	if (nd) {
		/* the node's list is this one now (the one before, if still on
		 * the screen, goes next: it no longer relabels the node) */
		if (nd->docs)
			docs_unlink(nd->docs);
		nd->docs = v;
		d->node = node;
	}
	docs_reload(v);
	return v;
}

/* ---- namespace nodes ------------------------------------------------------------ */

static void ns_expand(struct ui *ui, struct tnode *n);

static struct view *ns_list(struct ui *ui, struct tnode *n)
{
	return docs_view_new(ui, n->id, n);
}

/* data: struct ns_data (for relabelling with counts) */
static const struct tnode_ops ns_ops = {.expand = ns_expand, .list = ns_list, .free_data = ns_data_free};
static const struct tnode_ops ns_leaf_ops = {.list = ns_list, .free_data = ns_data_free};

/* A namespace node; note (may be NULL) is a problem shown in its label,
 * "Archive 2024  (parent archive is missing)", and in the problem colour. */
static struct tnode *ns_node(const struct stache_ns *ns, bool expandable, const char *note)
{
	const char *name = ns->name ? ns->name : ns->id ? ns->id : "?";
	struct ns_data *nd = util_xcalloc(1, sizeof *nd);
	nd->name = util_xstrdup(name);
	nd->note = note ? util_xstrdup(note) : NULL;
	char *label = util_xasprintf("%s%s%s%s", name, note ? "  (" : "", note ? note : "", note ? ")" : "");
	struct tnode *k = tnode_new(label, expandable ? &ns_ops : &ns_leaf_ops, nd);
	free(label);
	k->id = ns->id ? util_xstrdup(ns->id) : NULL;
	tnode_set_item(k, ns->raw);
	if (ns->problems.n) {
		k->problems = problems_join(&ns->problems);
		k->role = ROLE_PROBLEM;
	}
	if (note)
		k->role = ROLE_PROBLEM;
	return k;
}

/* What a namespace node (or the problem node) loads: a Query of its
 * children, or the Scan of every namespace; the node owns it. */
struct ns_load {
	struct tnode_load base;
	struct pager *pager;
	struct stache_ns_list list;
};

static void ns_load_free(struct ns_load *L)
{
	pager_free(L->pager);   /* from its own callback: freed once it returns */
	stache_ns_list_free(&L->list);
	free(L);
}

static void ns_load_cancel(struct tnode_load *l)
{
	ns_load_free((struct ns_load *)l);
}

/* The load is over: the node no longer owns it. */
static void ns_load_end(struct ns_load *L)
{
	tnode_load_end(&L->base);
	ns_load_free(L);
}

static void ns_load_start(struct ui *ui, struct tnode *n, struct pager *p, pager_page_fn page)
{
	struct ns_load *L = util_xcalloc(1, sizeof *L);
	L->pager = p;
	tnode_load_start(n, &L->base, ui, ns_load_cancel);
	pager_next(p, page, L);
}

static int cmp_ns(const void *a, const void *b)
{
	return stache_ns_cmp_name(a, b);
}

static void level_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct ns_load *L = ud;
	struct ui *ui = L->base.ui;
	struct tnode *node = L->base.node;
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		char *msg = util_xasprintf("namespaces: %s", d);
		free(d);
		ns_load_end(L);
		tree_loaded(ui, node, msg);
		free(msg);
		return;
	}
	stache_ns_list_add_items(&L->list, items);
	if (!pager_done(p) && pager_next(p, level_page, L))
		return;
	/* siblings by name, as the library sorts them */
	if (L->list.n > 1)
		qsort(L->list.v, L->list.n, sizeof *L->list.v, cmp_ns);
	for (size_t i = 0; i < L->list.n; i++) {
		const struct stache_ns *ns = &L->list.v[i];
		/* a namespace naming itself as parent would expand forever: shown
		 * as a leaf (the check lists it as a cycle) */
		bool self = ns->id && ns->parent_id && !strcmp(ns->id, ns->parent_id);
		tnode_add(node, ns_node(ns, !self, NULL));
	}
	ns_load_end(L);
	tree_loaded(ui, node, NULL);
}

static void start_level(struct ui *ui, struct tnode *n, struct pager *p)
{
	if (!p) {
		tree_loaded(ui, n, "no Stache namespace table (pass --namespace-table)");
		return;
	}
	ns_load_start(ui, n, p, level_page);
}

static void ns_expand(struct ui *ui, struct tnode *n)
{
	/* the ancestors on screen guard against a cycle that loops through the
	 * index: a child that is also an ancestor is not expanded again */
	for (struct tnode *a = n->parent; a; a = a->parent)
		if (a->id && n->id && a != n && !strcmp(a->id, n->id)) {
			tree_loaded(ui, n, "this namespace is its own ancestor (a parent cycle)");
			return;
		}
	start_level(ui, n, stache_ns_children_pager(ui->s, n->id, 0));
}

/* ---- orphans and cycles (needs every namespace) ---------------------------------------- */

static void add_unreg_node(struct ui *ui, struct tnode *parent, const struct stache_ns_list *l);

static void problems_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct ns_load *L = ud;
	struct ui *ui = L->base.ui;
	struct tnode *node = L->base.node;
	if (err) {
		char *msg = ddb_error_describe(err, &ui->s->conf, 0);
		ns_load_end(L);
		tree_loaded(ui, node, msg);
		free(msg);
		return;
	}
	stache_ns_list_add_items(&L->list, items);
	if (!pager_done(p) && pager_next(p, problems_page, L))
		return;
	struct stache_tree t;
	stache_tree_build(L->list.v, L->list.n, &t);
	/* orphans and cycle members expand into their children like any
	 * namespace (through parent_id-index: a cycle comes round to its first
	 * member, which ns_expand stops as its own ancestor; a namespace that
	 * is its own parent stays a leaf, as in level_page) */
	for (size_t i = 0; i < t.orphans.n; i++) {
		const struct stache_ns *ns = &L->list.v[t.orphans.v[i]];
		char *note = util_xasprintf("parent %s is missing", ns->parent_id ? ns->parent_id : "not set");
		bool self = ns->id && ns->parent_id && !strcmp(ns->id, ns->parent_id);
		tnode_add(node, ns_node(ns, !self, note));
		free(note);
	}
	for (size_t c = 0; c < t.n_cycles; c++)
		for (size_t i = 0; i < t.cycles[c].n; i++) {
			const struct stache_ns *ns = &L->list.v[t.cycles[c].v[i]];
			char *note = util_xasprintf("cycle %zu: parent %s", c + 1,
			                            ns->parent_id ? ns->parent_id : "?");
			bool self = ns->id && ns->parent_id && !strcmp(ns->id, ns->parent_id);
			tnode_add(node, ns_node(ns, !self, note));
			free(note);
		}
	if (!t.orphans.n && !t.n_cycles) {
		struct tnode *k = tnode_new("(none: every namespace reaches a root)", NULL, NULL);
		k->role = ROLE_DIM;
		tnode_add(node, k);
	}
	add_unreg_node(ui, node, &L->list);
	stache_tree_free(&t);
	ns_load_end(L);
	tree_loaded(ui, node, NULL);
}

/* ---- unregistered namespaces (needs every document) ------------------------------ */

/* The node "Unregistered namespaces" under the problem node: the
 * namespaces that documents name and the registry does not hold, found by
 * a Scan of the documents (SK = METADATA) when it is expanded; each one
 * opens its documents like any namespace.  data: the registered ids (a JSON
 * object used as a set), from the problem node's Scan. */
struct unreg_load {
	struct tnode_load base;
	struct pager *pager;
	json_t *found;            /* namespace -> number of documents */
	long null_ns;             /* documents with a NULL namespace */
};

static void unreg_load_free(struct unreg_load *L)
{
	pager_free(L->pager);   /* from its own callback: freed once it returns */
	json_decref(L->found);
	free(L);
}

static void unreg_load_cancel(struct tnode_load *l)
{
	unreg_load_free((struct unreg_load *)l);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct tnode *unreg_node(const char *id, const char *name, long n, const char *what)
{
	struct stache_ns ns = {.id = id, .name = name};
	char *note = util_xasprintf("%ld document%s, %s", n, n == 1 ? "" : "s", what);
	struct tnode *k = ns_node(&ns, false, note);
	free(note);
	k->problems = util_xasprintf("%ld document%s in namespace \"%s\", %s", n,
	                             n == 1 ? "" : "s", id, what);
	return k;
}

static void unreg_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct unreg_load *L = ud;
	struct ui *ui = L->base.ui;
	struct tnode *node = L->base.node;
	if (err) {
		char *d = ddb_error_describe(err, &ui->s->conf, 0);
		char *msg = util_xasprintf("documents: %s", d);
		free(d);
		tnode_load_end(&L->base);
		unreg_load_free(L);
		tree_loaded(ui, node, msg);
		free(msg);
		return;
	}
	const json_t *registered = node->data;
	struct stache_row_list l = {0};
	stache_row_list_add_items(&l, items);
	for (size_t i = 0; i < l.n; i++) {
		const struct stache_row *r = &l.v[i];
		if (r->kind != STACHE_ROW_DOCUMENT)
			continue;
		if (r->namespace_null) {
			L->null_ns++;
			continue;
		}
		if (!r->namespace_ || json_object_get(registered, r->namespace_))
			continue;
		json_t *c = json_object_get(L->found, r->namespace_);
		json_object_set_new(L->found, r->namespace_,
		                    json_integer(json_integer_value(c) + 1));
	}
	stache_row_list_free(&l);
	if (!pager_done(p) && pager_next(p, unreg_page, L))
		return;
	size_t n = json_object_size(L->found), k = 0;
	const char **names = util_xcalloc(n + 1, sizeof *names);
	const char *name;
	json_t *c;
	json_object_foreach(L->found, name, c)
		names[k++] = name;
	qsort(names, n, sizeof *names, cmp_cstr);
	for (k = 0; k < n; k++)
		tnode_add(node, unreg_node(names[k], names[k],
		                           (long)json_integer_value(json_object_get(L->found, names[k])),
		                           "not in the registry"));
	free(names);
	if (L->null_ns)
		tnode_add(node, unreg_node("None", "None", L->null_ns, "with a NULL namespace"));
	if (!n && !L->null_ns) {
		struct tnode *e = tnode_new("(none: every document's namespace is registered)", NULL, NULL);
		e->role = ROLE_DIM;
		tnode_add(node, e);
	}
	char *label = util_xasprintf("Unregistered namespaces  (%zu)", n + (L->null_ns ? 1 : 0));
	free(node->label);
	node->label = label;
	tnode_load_end(&L->base);
	unreg_load_free(L);
	tree_loaded(ui, node, NULL);
}

static void unreg_expand(struct ui *ui, struct tnode *n)
{
	struct pager *p = stache_all_docs_pager(ui->s, 0);
	if (!p) {
		tree_loaded(ui, n, "no Stache documents table (pass --documents-table)");
		return;
	}
	struct unreg_load *L = util_xcalloc(1, sizeof *L);
	L->pager = p;
	L->found = json_object();
	tnode_load_start(n, &L->base, ui, unreg_load_cancel);
	pager_next(p, unreg_page, L);
}

static void unreg_free_data(void *d)
{
	json_decref(d);
}

static const struct tnode_ops unreg_ops = {.expand = unreg_expand, .free_data = unreg_free_data};

/* The node, under the problem node, with the registered ids. */
static void add_unreg_node(struct ui *ui, struct tnode *parent, const struct stache_ns_list *l)
{
	if (!ui->s->documents_table)
		return;
	json_t *ids = json_object();
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id)
			json_object_set_new(ids, l->v[i].id, json_true());
	struct tnode *u = tnode_new("Unregistered namespaces", &unreg_ops, ids);
	u->expandable = true;
	u->role = ROLE_PROBLEM;
	tnode_add(parent, u);
}

static void problems_expand(struct ui *ui, struct tnode *n)
{
	struct pager *p = stache_ns_scan_pager(ui->s, 0);
	if (!p) {
		tree_loaded(ui, n, "no Stache namespace table");
		return;
	}
	ns_load_start(ui, n, p, problems_page);
}

/* The list of a node whose children are namespaces (the roots, the
 * orphans): name, id, the problem it has. */
static const struct column ns_cols[] = {
	{.title = "namespace", .flex = true},
	{.title = "id", .max = 40, .optional = true},
	{.title = "problem"},
};

static bool ns_cells(struct ui *ui, const struct tnode *k, char (*cell)[NODELIST_CELL])
{
	(void)ui;
	if (k->ops != &ns_ops && k->ops != &ns_leaf_ops)
		return false;
	const struct ns_data *nd = k->data;
	snprintf(cell[0], NODELIST_CELL, "%s", nd && nd->name ? nd->name : k->label);
	snprintf(cell[1], NODELIST_CELL, "%s", k->id ? k->id : "");
	snprintf(cell[2], NODELIST_CELL, "%s", nd && nd->note ? nd->note : "");
	return true;
}

static const struct nodelist_spec ns_spec = {ns_cols, 3, ns_cells};

static struct view *namespaces_list(struct ui *ui, struct tnode *n)
{
	return nodelist_new(ui, n, &ns_spec, false);
}

static const struct tnode_ops problems_ops = {.expand = problems_expand, .list = namespaces_list};

static struct view *trash_list(struct ui *ui, struct tnode *n)
{
	(void)n;
	return docs_view_new(ui, NULL, NULL);
}

static const struct tnode_ops trash_ops = {.list = trash_list};

static void root_expand(struct ui *ui, struct tnode *n)
{
	start_level(ui, n, stache_ns_roots_pager(ui->s, 0));
}

/* The module's state, in its slot. */
static struct st_state *state(struct ui *ui)
{
	return *ui_module_slot(ui, "stache");
}

static void stache_init(struct ui *ui)
{
	*ui_module_slot(ui, "stache") = util_xcalloc(1, sizeof(struct st_state));
}

static void stache_destroy(struct ui *ui)
{
	free(state(ui));
	*ui_module_slot(ui, "stache") = NULL;
}

/* The Namespaces node goes (a switch of tables, the end). */
static void root_gone(void *d)
{
	struct st_state *st = d;
	st->root = NULL;
}

static const struct tnode_ops root_ops = {.expand = root_expand, .list = namespaces_list,
                                          .free_data = root_gone};

/* The Stache roots go first whenever they are added (a switch of tables
 * adds them again, after the Conversations root; the table list can find
 * the Stache tables after Conversations was added): the roots stay
 * Namespaces, Orphan and cyclic namespaces, Trash, Conversations, Tables. */
static void roots_first(struct ui *ui, struct st_state *st)
{
	struct tnode *top = st->root->parent;
	struct tnode *mine[] = {st->root, st->problems, st->trash};
	size_t at = 0;
	for (size_t m = 0; top && m < sizeof mine / sizeof *mine; m++)
		for (size_t i = at; mine[m] && i < top->nkids; i++)
			if (top->kids[i] == mine[m]) {
				memmove(&top->kids[at + 1], &top->kids[at], (i - at) * sizeof *top->kids);
				top->kids[at++] = mine[m];
				break;
			}
	tree_changed(ui);
}

static void stache_tree_roots(struct ui *ui)
{
	struct st_state *st = state(ui);
	if (st->root || (!ui->s->namespace_table && !ui->s->documents_table))
		return;
	char label[512];
	snprintf(label, sizeof label, "Namespaces  (%s)",
	         ui->s->namespace_table ? ui->s->namespace_table : "no namespace table");
	st->root = tnode_new(label, &root_ops, st);
	tree_add_root(ui, st->root);
	/* the problem nodes live beside the root, below it */
	struct tnode *pr = tnode_new("Orphan and cyclic namespaces", &problems_ops, NULL);
	tree_add_root(ui, pr);
	pr->role = ROLE_PROBLEM;
	st->problems = pr;
	if (ui->s->documents_table) {
		st->trash = tnode_new("Trash", &trash_ops, NULL);
		tree_add_root(ui, st->trash);
	}
	roots_first(ui, st);
}

/* Is the list pane showing the trash? */
static bool trash_shown(struct ui *ui)
{
	if (!ui->list || ui->list->ops != &docs_ops)
		return false;
	const struct docs *d = ui->list->priv;
	return !d->ns && !d->doc_id;
}

/* ---- the module and its commands ------------------------------------------------ */

/* :namespace ID, :documents ID */
static void namespace_command(struct ui *ui, const char *cmd, const char *arg)
{
	if (!*arg) {
		ui_message(ui, true, ":%s NAMESPACE_ID", cmd);
		return;
	}
	ui_show_list(ui, docs_view_new(ui, arg, NULL));
	ui->focus = 1;
}

/* A doc_id (a UUID: 8-4-4-4-12 hex digits) rather than a file name. */
static bool looks_like_id(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	return true;
}

static void document_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	if (!*arg) {
		ui_message(ui, true, ":document FILE_NAME|DOC_ID");
		return;
	}
	struct docs *d = util_xcalloc(1, sizeof *d);
	struct view *v;
	if (looks_like_id(arg)) {
		d->doc_id = util_xstrdup(arg);
		v = view_new(ui, &docs_ops, d, "document %s (Scan by doc_id)", arg);
	} else {
		d->name = util_xstrdup(arg);
		v = view_new(ui, &docs_ops, d, "documents named %s (file name index, each namespace)", arg);
	}
	docs_reload(v);
	ui_show_list(ui, v);
	ui->focus = 1;
}

/* :namespace-table T, :documents-table T */
static void table_command(struct ui *ui, const char *cmd, const char *arg)
{
	/* switch tables: the Stache nodes are rebuilt for the new ones */
	if (!*arg) {
		ui_message(ui, true, ":%s TABLE", cmd);
		return;
	}
	char **table = !strcmp(cmd, "namespace-table") ? &ui->s->namespace_table
	                                             : &ui->s->documents_table;
	free(*table);
	*table = util_xstrdup(arg);
	struct st_state *st = state(ui);
	if (st->root) {
		tnode_delete(st->root);   /* cancels its loads; root_gone clears st->root */
		tnode_delete(st->problems);
		if (st->trash)
			tnode_delete(st->trash);
		st->problems = st->trash = NULL;
	}
	ui_show_list(ui, NULL);
	stache_tree_roots(ui);
	tree_changed(ui);
	ui_message(ui, false, "now using %s", arg);
}

static void trash_command(struct ui *ui, const char *cmd, const char *arg)
{
	(void)cmd;
	(void)arg;
	/* the tree's cursor goes to the Trash node, whose list is the trash */
	struct st_state *st = state(ui);
	if (st->trash)
		tree_reveal(ui, st->trash);
	if (!trash_shown(ui))
		ui_show_list(ui, docs_view_new(ui, NULL, NULL));
	ui->focus = 1;
}

static void stache_header(const struct ui *ui, char *buf, size_t len)
{
	const struct session *s = ui->s;
	snprintf(buf, len, "%s%s%s%s", s->namespace_table ? "  namespaces:" : "",
	         s->namespace_table ? s->namespace_table : "",
	         s->documents_table ? "  documents:" : "", s->documents_table ? s->documents_table : "");
}

static bool stache_ready(const struct ui *ui)
{
	return ui->s->namespace_table && ui->s->documents_table;
}

static const struct module_command stache_commands[] = {
	{"namespace", "NAMESPACE_ID", "the documents of a namespace, newest first", true,
	 namespace_command},
	{"documents", "NAMESPACE_ID", "the same as :namespace", true, namespace_command},
	{"document", "FILE_NAME|DOC_ID", "documents by file name or path in every namespace (the file name index), or by id (a Scan)", true, document_command},
	{"trash", "", "the trash, newest first", true, trash_command},
	{"namespace-table", "TABLE", "switch to another Stache namespace table", false, table_command},
	{"documents-table", "TABLE", "switch to another Stache documents table", false, table_command},
	{NULL, NULL, NULL, false, NULL},
};

const struct module stache_module = {
	.name = "stache",
	.commands = stache_commands,
	.init = stache_init,
	.destroy = stache_destroy,
	.roots = stache_tree_roots,
	.header = stache_header,
	.ready = stache_ready,
};
