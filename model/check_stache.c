/* model/check_stache.c: the Stache part of `ddtree check`.
 *
 * Kinds of finding (stable ids):
 *   namespace-invalid        a namespace item the library cannot read as is
 *                            (missing name, metadata not JSON text, ...)
 *   namespace-orphan         its parent_id names no namespace
 *   namespace-cycle          it is on a parent cycle (one finding per member)
 *   <row>-invalid            a document-table row with missing, mistyped or
 *                            inconsistent attributes (<row>: document,
 *                            reservation, trash, cleanup-job, unknown-row)
 *   <row>-key-mismatch       PK or a GSI key disagrees with the attributes
 *   document-unregistered-namespace
 *                            documents whose namespace is not in the registry,
 *                            one finding per namespace (the key is that of
 *                            its newest document)
 * A session without one of the tables skips that table's checks, and the
 * registry comparison, silently.  Rows are checked page by page, so memory
 * stays flat however large the documents table is. */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/check.h"
#include "model/pager.h"
#include "model/stache.h"
#include "model/timefmt.h"

#include <stdlib.h>
#include <string.h>

struct ctx {
	struct session *s;
	struct findings *out;
	check_progress_fn progress;
	void *ud;
	const struct stache_tree *tree;   /* NULL: no registry to compare with */
	json_t *unregistered;             /* namespace -> {"n", "key", "when"} */
	long null_ns;                     /* documents with a NULL namespace */
	json_t *null_key;
	int64_t null_when;
};

static void progress_ns(long items, void *ud)
{
	struct ctx *c = ud;
	if (c->progress)
		c->progress("namespaces", items, c->ud);
}

static void check_namespaces(struct ctx *c, const struct stache_ns_list *l,
                             const struct stache_tree *t)
{
	const char *table = c->s->namespace_table;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->v[i].problems.n)
			continue;
		json_t *key = stache_item_key(l->v[i].raw);
		char *why = problems_join(&l->v[i].problems);
		findings_add(c->out, table, key, "namespace-invalid", "%s", why);
		free(why);
		json_decref(key);
	}
	/* how many namespaces hang below each orphan / cycle */
	size_t *below = util_xcalloc(l->n + 1, sizeof *below);          /* by orphan index */
	size_t *below_cy = util_xcalloc(t->n_cycles + 1, sizeof *below_cy); /* by cycle number */
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct stache_tree_row *row = &t->rows[r];
		if (row->place == STACHE_IN_ORPHAN && row->depth > 0)
			below[row->group]++;
		else if (row->place == STACHE_IN_CYCLE && !row->on_cycle)
			below_cy[row->group]++;
	}
	for (size_t k = 0; k < t->orphans.n; k++) {
		const struct stache_ns *ns = &l->v[t->orphans.v[k]];
		if (!ns->parent_id)
			continue;   /* a missing parent_id is already namespace-invalid */
		json_t *key = stache_item_key(ns->raw);
		size_t n = below[t->orphans.v[k]];   /* "%.0zu" prints nothing for 0 */
		findings_add(c->out, table, key, "namespace-orphan",
		             "parent \"%s\" does not exist; the library hides this namespace%s%.0zu%s",
		             ns->parent_id, n ? " and the " : "", n, n ? " below it" : "");
		json_decref(key);
	}
	for (size_t cy = 0; cy < t->n_cycles; cy++) {
		const struct stache_idx_list *m = &t->cycles[cy];
		char *chain = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&chain, &len);
		if (!f)
			abort();
		for (size_t k = 0; k <= m->n; k++) {
			const char *id = l->v[m->v[k % m->n]].id;
			fprintf(f, "%s\"%s\"", k ? " -> " : "", id ? id : "?");
		}
		fclose(f);
		for (size_t k = 0; k < m->n; k++) {
			json_t *key = stache_item_key(l->v[m->v[k]].raw);
			size_t n = below_cy[cy];
			findings_add(c->out, table, key, "namespace-cycle",
			             "on a parent cycle (%s, each followed by its parent); the library "
			             "hides the cycle%s%.0zu%s, and its path lookup never ends",
			             chain, n ? " and the " : "", n, n ? " below it" : "");
			json_decref(key);
		}
		free(chain);
	}
	free(below);
	free(below_cy);
}

static void note_unregistered(struct ctx *c, const struct stache_row *r)
{
	if (r->namespace_null) {
		if (!c->null_ns || (r->when_ok && r->when_us > c->null_when)) {
			json_decref(c->null_key);
			c->null_key = stache_item_key(r->raw);
			c->null_when = r->when_us;
		}
		c->null_ns++;
		return;
	}
	if (!r->namespace_ || stache_tree_find(c->tree, r->namespace_) != STACHE_NONE)
		return;
	json_t *e = json_object_get(c->unregistered, r->namespace_);
	if (!e) {
		e = json_pack("{s:I,s:o,s:I}", "n", (json_int_t)0, "key", stache_item_key(r->raw),
		              "when", (json_int_t)r->when_us);
		json_object_set_new(c->unregistered, r->namespace_, e);
	} else if (r->when_ok && r->when_us > json_integer_value(json_object_get(e, "when"))) {
		json_object_set_new(e, "key", stache_item_key(r->raw));
		json_object_set_new(e, "when", json_integer(r->when_us));
	}
	json_object_set_new(e, "n", json_integer(json_integer_value(json_object_get(e, "n")) + 1));
}

static void check_rows_page(struct pager *p, const json_t *items, const struct ddb_error *err,
                            void *ud)
{
	struct ctx *c = ud;
	if (err)
		return;
	const char *table = c->s->documents_table;
	struct stache_row_list l = {0};
	stache_row_list_add_items(&l, items);
	for (size_t i = 0; i < l.n; i++) {
		const struct stache_row *r = &l.v[i];
		const char *kind = stache_row_kind_name(r->kind);
		char id[64];
		if (r->problems.n) {
			json_t *key = stache_item_key(r->raw);
			char *why = problems_join(&r->problems);
			snprintf(id, sizeof id, "%s-invalid", kind);
			findings_add(c->out, table, key, id, "%s", why);
			free(why);
			json_decref(key);
		}
		if (r->key_problems.n) {
			json_t *key = stache_item_key(r->raw);
			char *why = problems_join(&r->key_problems);
			snprintf(id, sizeof id, "%s-key-mismatch", kind);
			findings_add(c->out, table, key, id, "%s", why);
			free(why);
			json_decref(key);
		}
		if (c->tree && r->kind == STACHE_ROW_DOCUMENT)
			note_unregistered(c, r);
	}
	stache_row_list_free(&l);
	if (c->progress)
		c->progress("document rows", pager_items(p), c->ud);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void report_unregistered(struct ctx *c)
{
	const char *table = c->s->documents_table;
	size_t n = json_object_size(c->unregistered), k = 0;
	const char **names = util_xcalloc(n + 1, sizeof *names);
	const char *name;
	json_t *e;
	json_object_foreach(c->unregistered, name, e)
		names[k++] = name;
	qsort(names, n, sizeof *names, cmp_str);
	for (k = 0; k < n; k++) {
		e = json_object_get(c->unregistered, names[k]);
		long long cnt = json_integer_value(json_object_get(e, "n"));
		findings_add(c->out, table, json_object_get(e, "key"), "document-unregistered-namespace",
		             "%lld document%s in namespace \"%s\", which is not in the registry",
		             cnt, cnt == 1 ? "" : "s", names[k]);
	}
	free(names);
	if (c->null_ns)
		findings_add(c->out, table, c->null_key, "document-unregistered-namespace",
		             "%ld document%s with a NULL namespace (DOC#None# rows from before the "
		             "\"default\" fallback)", c->null_ns, c->null_ns == 1 ? "" : "s");
}

struct check_stache_run {
	struct ctx c;
	struct stache_ns_list nsl;
	struct stache_tree tree;
	bool have_tree;
};

struct check_stache_run *check_stache_begin(struct session *s, struct findings *out,
                                            check_progress_fn progress, void *ud)
{
	struct check_stache_run *r = util_xcalloc(1, sizeof *r);
	r->c = (struct ctx){.s = s, .out = out, .progress = progress, .ud = ud,
	                    .unregistered = json_object()};
	return r;
}

void check_stache_ns_page(struct check_stache_run *r, struct pager *p, const json_t *items)
{
	stache_ns_list_add_items(&r->nsl, items);
	progress_ns(pager_items(p), &r->c);
}

void check_stache_ns_end(struct check_stache_run *r)
{
	stache_tree_build(r->nsl.v, r->nsl.n, &r->tree);
	r->have_tree = true;
	check_namespaces(&r->c, &r->nsl, &r->tree);
	r->c.tree = &r->tree;
}

void check_stache_rows_page(struct check_stache_run *r, struct pager *p, const json_t *items)
{
	check_rows_page(p, items, NULL, &r->c);
}

void check_stache_end(struct check_stache_run *r)
{
	if (r->c.tree)
		report_unregistered(&r->c);
}

void check_stache_free(struct check_stache_run *r)
{
	if (!r)
		return;
	if (r->have_tree)
		stache_tree_free(&r->tree);
	stache_ns_list_free(&r->nsl);
	json_decref(r->c.unregistered);
	json_decref(r->c.null_key);
	free(r);
}

static void ns_page_sync(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	if (!err)
		check_stache_ns_page(ud, p, items);
}

static void rows_page_sync(struct pager *p, const json_t *items, const struct ddb_error *err,
                           void *ud)
{
	if (!err)
		check_stache_rows_page(ud, p, items);
}

int check_stache(struct session *s, struct findings *out, check_progress_fn progress, void *ud,
                 struct ddb_error *err)
{
	memset(err, 0, sizeof *err);
	struct check_stache_run *r = check_stache_begin(s, out, progress, ud);
	int rc = 0;
	if (s->namespace_table) {
		struct pager *p = stache_ns_scan_pager(s, 0);
		rc = pager_drain_sync(p, 0, ns_page_sync, r, err);
		pager_free(p);
		if (rc == 0)
			check_stache_ns_end(r);
	}
	if (rc == 0 && s->documents_table) {
		struct pager *p = stache_rows_scan_pager(s, 0);
		rc = pager_drain_sync(p, 0, rows_page_sync, r, err);
		pager_free(p);
		if (rc == 0)
			check_stache_end(r);
	}
	check_stache_free(r);
	return rc;
}
