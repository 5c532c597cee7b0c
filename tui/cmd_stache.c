/* tui/cmd_stache.c: `ddtree namespaces` and `ddtree documents NAMESPACE`.
 * Human-readable by default, one JSON object per line with --json.  The
 * tables come from the session, or are found by their layout. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/cmd.h"
#include "tui/out.h"
#include "tui/text.h"
#include "model/jsontext.h"
#include "model/stache.h"
#include "model/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Document counts cost one small query per namespace: skip them beyond this. */
#define MAX_COUNTED_NAMESPACES 2000

/* ---- shared helpers ---------------------------------------------------------- */

static void progress_cb(long items, void *ud)
{
	cli_progress(ud, items);
}

/* Report a failed read of `table` (exit 3) and clear the error. */
static int fail_ddb(struct session *s, const char *table, struct ddb_error *e)
{
	char *what = util_xasprintf("reading %s", table ? table : "?");
	int rc = cli_ddb_error_at(s, what, e, &(struct cli_where){.table = table});
	free(what);
	ddb_error_clear(e);
	return rc;
}

/* Find the tables; returns -1 on success or the exit code. */
static int resolve(struct session *s, enum stache_table_use ns, enum stache_table_use docs,
                   char **note)
{
	char *msg = NULL;
	*note = NULL;
	switch (stache_resolve_tables(s, ns, docs, &msg)) {
	case STACHE_RESOLVED:
		*note = msg;
		return -1;
	case STACHE_RESOLVE_MISSING: {
		int rc = cli_error(CLI_E_NO_TABLE, NULL, "%s", msg);
		free(msg);
		return rc;
	}
	case STACHE_RESOLVE_AMBIGUOUS: {
		int rc = cli_error(CLI_E_AMBIGUOUS, NULL, "%s", msg);
		free(msg);
		return rc;
	}
	case STACHE_RESOLVE_FAILED:
		break;
	}
	int rc = cli_error(CLI_E_AWS, NULL, "%s", msg ? msg : "listing tables failed");
	free(msg);
	return rc;
}

/* Sanitised text in exactly `cols` terminal columns: padded with spaces,
 * or cut with an ellipsis. */
static void put_padded(const char *s, int cols)
{
	char *m = text_sanitize_line(s ? s : "");
	int w = text_width(m);
	if (w > cols) {
		size_t n = text_fit(m, cols - 1, &w);
		out_write(m, n);
		out_puts("\xe2\x80\xa6");   /* … */
		w++;
	} else {
		out_puts(m);
	}
	for (; w < cols; w++)
		out_putc(' ');
	free(m);
}

static int text_cols(const char *s)
{
	char *m = text_sanitize_line(s ? s : "");
	int w = text_width(m);
	free(m);
	return w;
}

static json_t *problems_json(const struct problems *a, const struct problems *b)
{
	return problems_to_json(a, b);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- namespaces ---------------------------------------------------------------- */

static void print_ns_line(const struct stache_tree *t, const struct stache_tree_row *row,
                          const long *counts)
{
	const struct stache_ns *ns = &t->ns[row->ns];
	/* cycle members sit below their "cycle N:" heading */
	int indent = row->depth + (row->place == STACHE_IN_CYCLE ? 2 : 1);
	for (int d = 0; d < indent; d++)
		out_puts("  ");
	cli_put_text(ns->name ? ns->name : "(no name)");
	out_puts("  (");
	cli_put_text(ns->id ? ns->id : "no id");
	out_putc(')');
	if (counts)
		out_printf("  %ld document%s", counts[row->ns], counts[row->ns] == 1 ? "" : "s");
	if (row->depth == 0 && row->place == STACHE_IN_ORPHAN) {
		if (ns->parent_id) {
			out_puts("  parent \"");
			cli_put_text(ns->parent_id);
			out_puts("\" not found");
		} else {
			out_puts("  no parent_id");
		}
	}
	if (row->on_cycle) {
		out_puts("  parent ");
		cli_put_text(ns->parent_id);
	}
	if (ns->problems.n) {
		char *why = problems_join(&ns->problems);
		out_puts("  ! ");
		cli_put_text(why);
		free(why);
	}
	out_putc('\n');
}

static void print_ns_json(const struct stache_tree *t, const struct stache_tree_row *row,
                          const long *counts)
{
	cli_print_json(stache_ns_json(t, row, counts));
}

static long *count_documents(struct session *s, const struct stache_ns_list *l)
{
	if (!s->documents_table || !l->n || l->n > MAX_COUNTED_NAMESPACES)
		return NULL;
	const char **ids = util_xcalloc(l->n, sizeof *ids);
	long *counts = util_xcalloc(l->n, sizeof *counts), *part = util_xcalloc(l->n, sizeof *part);
	size_t *where = util_xcalloc(l->n, sizeof *where);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id) {
			where[n] = i;
			ids[n++] = l->v[i].id;
		}
	struct ddb_error e;
	if (stache_count_docs_sync(s, ids, n, part, &e) != 0) {
		char *d = ddb_error_describe(&e, &s->conf, 0);
		cli_warn("document counts left out: %s", d);
		free(d);
		ddb_error_clear(&e);
		free(counts);
		counts = NULL;
	} else {
		for (size_t k = 0; k < n; k++)
			counts[where[k]] = part[k];
	}
	free(ids);
	free(part);
	free(where);
	return counts;
}

int cmd_namespaces(struct cli *cl, struct session *s)
{
	char *note = NULL;
	int rc = resolve(s, STACHE_TABLE_NEED, STACHE_TABLE_WANT, &note);
	if (rc >= 0)
		return rc;
	if (note) {
		cli_warn("document counts left out: %s", note);
		free(note);
	}
	struct stache_ns_list l = {0};
	struct ddb_error e;
	struct cli_progress pr = {.what = "namespaces"};
	struct pager *p = stache_ns_scan_pager(s, 0);
	int drc = stache_ns_drain_sync(p, &l, progress_cb, &pr, &e);
	cli_progress_end(&pr);
	pager_free(p);
	if (drc != 0) {
		stache_ns_list_free(&l);
		return fail_ddb(s, s->namespace_table, &e);
	}
	long *counts = count_documents(s, &l);
	struct stache_tree t;
	stache_tree_build(l.v, l.n, &t);

	if (cl->json) {
		for (size_t r = 0; r < t.n_rows; r++)
			print_ns_json(&t, &t.rows[r], counts);
	} else if (!t.n_rows) {
		out_puts("no namespaces in ");
		cli_put_text(s->namespace_table);
		out_putc('\n');
	} else {
		out_puts("Namespaces in ");
		cli_put_text(s->namespace_table);
		if (counts) {
			out_puts(" (documents of every status in ");
			cli_put_text(s->documents_table);
			out_putc(')');
		}
		out_puts(":\n");
		size_t r = 0;
		for (; r < t.n_rows && t.rows[r].place == STACHE_IN_TREE; r++)
			print_ns_line(&t, &t.rows[r], counts);
		if (r < t.n_rows && t.rows[r].place == STACHE_IN_ORPHAN)
			out_printf("\nOrphans (parent missing; Stache hides them and everything below them):\n");
		for (; r < t.n_rows && t.rows[r].place == STACHE_IN_ORPHAN; r++)
			print_ns_line(&t, &t.rows[r], counts);
		if (r < t.n_rows)
			out_printf("\nCycles (parents that loop; Stache hides them and its path lookup never "
			           "ends):\n");
		size_t last_cycle = STACHE_NONE;
		for (; r < t.n_rows; r++) {
			if (t.rows[r].group != last_cycle) {
				last_cycle = t.rows[r].group;
				const struct stache_idx_list *cy = &t.cycles[last_cycle];
				out_printf("  cycle %zu: ", last_cycle + 1);
				for (size_t k = 0; k <= cy->n; k++) {
					out_puts(k ? " -> " : "");
					const char *id = t.ns[cy->v[k % cy->n]].id;
					cli_put_text(id ? id : "?");
				}
				out_puts("  (each followed by its parent)\n");
			}
			print_ns_line(&t, &t.rows[r], counts);
		}
	}
	stache_tree_free(&t);
	stache_ns_list_free(&l);
	free(counts);
	return EXIT_OK;
}

/* ---- documents ------------------------------------------------------------------ */

static const char *display_name(const struct stache_row *r)
{
	if (r->filename && *r->filename)
		return r->filename;
	if (r->source_path && *r->source_path) {
		const char *slash = strrchr(r->source_path, '/');
		return slash && slash[1] ? slash + 1 : r->source_path;
	}
	return "(no filename)";
}

static char *type_text(const struct stache_row *r)
{
	return util_xasprintf("%s%s%s%s", r->file_type ? r->file_type : "",
	                      r->file_type && r->content_type ? " " : "",
	                      r->content_type ? r->content_type : "",
	                      !r->file_type && !r->content_type ? "-" : "");
}

static void created_text(const struct stache_row *r, char *buf, int len)
{
	if (r->when_ok)
		time_format(r->when_us, buf, len);
	else
		snprintf(buf, (size_t)len, "%s", r->when ? r->when : "?");
}

static json_t *doc_json(const struct stache_row *r)
{
	json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:o}",
	                      "doc_id", str_or_null(r->doc_id), "namespace", str_or_null(r->namespace_),
	                      "filename", str_or_null(r->filename), "source_path",
	                      str_or_null(r->source_path), "status", stache_status_name(r->status),
	                      "created_at", str_or_null(r->created_at), "content_type",
	                      str_or_null(r->content_type), "file_type", str_or_null(r->file_type),
	                      "pk", str_or_null(r->pk), "summary", str_or_null(r->summary),
	                      "legacy_keys", r->legacy_keys, "problems",
	                      problems_json(&r->problems, &r->key_problems));
	if (r->chunk_count >= 0)
		json_object_set_new(o, "chunk_count", json_integer(r->chunk_count));
	if (r->n_chunk_ids >= 0)
		json_object_set_new(o, "chunk_ids", json_integer(r->n_chunk_ids));
	if (r->file_size >= 0)
		json_object_set_new(o, "file_size", json_integer(r->file_size));
	if (r->deleted_at)
		json_object_set_new(o, "deleted_at", json_string(r->deleted_at));
	return o;
}

/* What is printed of one document, kept instead of its decoded item while
 * the rest is read (the rows are sorted before printing): a parsed item
 * takes about ten times its size in memory, this about its printed size. */
struct doc_line {
	struct stache_row key;   /* only the sort fields; when, pk, sk owned */
	char *json;              /* --json: the whole line */
	char *when, *name, *type, *chunks, *doc_id, *problems;
	const char *status;
};

struct doc_lines {
	struct doc_line *v;
	size_t n, cap;
	bool json;
	struct cli_progress pr;
	long items;
};

static char *dup_or_null(const char *s)
{
	return s ? util_xstrdup(s) : NULL;
}

static void doc_line_set(struct doc_line *d, const struct stache_row *r, bool json)
{
	memset(d, 0, sizeof *d);
	d->key.when_ok = r->when_ok;
	d->key.when_us = r->when_us;
	d->key.when = dup_or_null(r->when);
	d->key.pk = dup_or_null(r->pk);
	d->key.sk = dup_or_null(r->sk);
	if (json) {
		json_t *o = doc_json(r);
		d->json = jsontext_dumps(o, JT_COMPACT | JT_ENSURE_ASCII);
		json_decref(o);
		return;
	}
	char when[64], chunks[24] = "?";
	created_text(r, when, sizeof when);
	d->when = util_xstrdup(when);
	d->status = stache_status_name(r->status);
	d->name = util_xstrdup(display_name(r));
	d->type = type_text(r);
	if (r->chunk_count >= 0)
		snprintf(chunks, sizeof chunks, "%lld", r->chunk_count);
	d->chunks = util_xstrdup(chunks);
	d->doc_id = util_xstrdup(r->doc_id ? r->doc_id : "?");
	if (r->problems.n || r->key_problems.n) {
		char *pa = problems_join(&r->problems), *pb = problems_join(&r->key_problems);
		d->problems = util_xasprintf("%s%s%s", pa, *pa && *pb ? "; " : "", pb);
		free(pa);
		free(pb);
	}
}

static void doc_lines_free(struct doc_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct doc_line *d = &l->v[i];
		free((char *)d->key.when);
		free((char *)d->key.pk);
		free((char *)d->key.sk);
		free(d->json);
		free(d->when);
		free(d->name);
		free(d->type);
		free(d->chunks);
		free(d->doc_id);
		free(d->problems);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void doc_lines_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	struct doc_lines *l = ud;
	(void)p;
	if (err)
		return;
	size_t n = json_array_size(items);
	for (size_t i = 0; i < n; i++) {
		struct stache_row r;
		stache_row_decode(json_array_get(items, i), &r);
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 256;
			l->v = util_xrealloc(l->v, l->cap * sizeof *l->v);
		}
		doc_line_set(&l->v[l->n++], &r, l->json);
		stache_row_clear(&r);
	}
	l->items += (long)n;
	cli_progress(&l->pr, l->items);
}

static int doc_line_cmp(const void *a, const void *b)
{
	const struct doc_line *x = a, *y = b;
	return stache_row_cmp_newest(&x->key, &y->key);
}

static void print_docs_table(const struct doc_lines *l)
{
	int wname = 8, wtype = 4;
	for (size_t i = 0; i < l->n; i++) {
		int w = text_cols(l->v[i].name);
		if (w > wname)
			wname = w;
		if (text_cols(l->v[i].type) > wtype)
			wtype = text_cols(l->v[i].type);
	}
	if (wname > 48)
		wname = 48;
	out_printf("%-19s  %-8s  %-*s  %-*s  %6s  %s\n", "CREATED", "STATUS", wname, "FILENAME", wtype,
	           "TYPE", "CHUNKS", "DOC_ID");
	for (size_t i = 0; i < l->n; i++) {
		const struct doc_line *d = &l->v[i];
		put_padded(d->when, 19);
		out_puts("  ");
		put_padded(d->status, 8);
		out_puts("  ");
		put_padded(d->name, wname);
		out_puts("  ");
		put_padded(d->type, wtype);
		out_printf("  %6s  ", d->chunks);
		cli_put_text(d->doc_id);
		out_putc('\n');
		if (d->problems) {
			out_puts("    ! ");
			cli_put_text(d->problems);
			out_putc('\n');
		}
	}
}

/* Documents under NAMESPACE#<ns>, and under the unescaped pre-0.2.0 key
 * when that differs, newest first. */
static int load_documents(struct session *s, const char *ns, struct doc_lines *l,
                          struct ddb_error *e)
{
	l->pr = (struct cli_progress){.what = "documents"};
	for (int raw = 0; raw < 2; raw++) {
		if (raw) {
			char *a = stache_key_ns_gsi1pk(ns), *b = stache_key_ns_gsi1pk_raw(ns);
			bool same = !strcmp(a, b);
			free(a);
			free(b);
			if (same)
				break;
		}
		struct pager *p = stache_docs_pager(s, ns, raw, 0);
		int rc = p ? pager_drain_sync(p, 0, doc_lines_page, l, e) : -1;
		if (!p) {
			memset(e, 0, sizeof *e);
			e->kind = DDB_ERR_USAGE;
			e->message = util_xstrdup("no documents table given");
		}
		pager_free(p);
		if (rc != 0) {
			cli_progress_end(&l->pr);
			return -1;
		}
	}
	cli_progress_end(&l->pr);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, doc_line_cmp);
	return 0;
}

int cmd_documents(struct cli *cl, struct session *s)
{
	const char *ns = cl->argv[1];
	char *note = NULL;
	int rc = resolve(s, STACHE_TABLE_WANT, STACHE_TABLE_NEED, &note);
	if (rc >= 0)
		return rc;
	free(note);   /* without a registry the namespace is simply not checked */

	struct doc_lines l = {.json = cl->json};
	struct ddb_error e;
	if (load_documents(s, ns, &l, &e) != 0) {
		doc_lines_free(&l);
		return fail_ddb(s, s->documents_table, &e);
	}
	int registered = -1;   /* unknown without a namespace table */
	if (s->namespace_table) {
		struct stache_ns one;
		registered = stache_ns_get_sync(s, ns, &one, &e);
		if (registered < 0) {
			doc_lines_free(&l);
			return fail_ddb(s, s->namespace_table, &e);
		}
		if (registered)
			stache_ns_clear(&one);
	}
	if (!l.n) {
		doc_lines_free(&l);
		if (registered > 0) {
			if (!cl->json) {
				out_puts("no documents in namespace ");
				cli_put_text(ns);
				out_putc('\n');
			}
			return EXIT_OK;
		}
		if (registered == 0)
			return cli_error(CLI_E_NOT_FOUND, &(struct cli_where){.table = s->namespace_table},
			                 "unknown namespace \"%s\": not in %s and no documents in %s", ns,
			                 s->namespace_table, s->documents_table);
		return cli_error(CLI_E_NOT_FOUND, &(struct cli_where){.table = s->documents_table},
		                 "no documents in namespace \"%s\" (%s)", ns, s->documents_table);
	}
	if (registered == 0)
		cli_warn("note: namespace \"%s\" is not in the registry", ns);
	if (cl->json) {
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].json)
				out_line(l.v[i].json);
	} else {
		print_docs_table(&l);
	}
	doc_lines_free(&l);
	return EXIT_OK;
}
