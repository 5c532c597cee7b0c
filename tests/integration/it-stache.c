/* Integration tests of model/stache.c against DynamoDB Local, on the demo
 * data (model/demo_stache.c): namespace roots, children, the tree with its
 * orphan and cycle, documents newest first with every status, paging and
 * resuming, lookups by filename and path, trash, reservations, cleanup jobs,
 * document counts, table detection, and `check` finding exactly the broken
 * states the demo plants.  DDTREE_TEST_ENDPOINT names the server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/check.h"
#include "model/demo.h"
#include "model/session.h"
#include "model/stache.h"
#include "tests/integration/it-demo.h"

static struct it_demo demo;
/* the fixture's session, table names and prefix, as the tests call them */
static struct session *s;
static struct demo_names names;
static const char *prefix;
static char extra_table[160];

static void set_tables(const char *ns, const char *docs)
{
	free(s->namespace_table);
	free(s->documents_table);
	s->namespace_table = ns ? strdup(ns) : NULL;
	s->documents_table = docs ? strdup(docs) : NULL;
}

static void use_demo_tables(void)
{
	set_tables(names.namespaces, names.documents);
}

static void delete_table(const char *t)
{
	it_delete_table(s->ddb, t);
}

static int setup(void **st)
{
	(void)st;
	it_credentials("AKIDITSTACHE", "it-stache-secret", "us-east-1");
	if (it_demo_open(&demo, "it-stache", true) != 0)
		return -1;
	s = demo.s;
	names = demo.names;
	prefix = demo.prefix;
	use_demo_tables();
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	if (!s)
		return 0;
	if (*extra_table)
		delete_table(extra_table);
	it_demo_close(&demo);
	return 0;
}

static void expect_ok(int rc, struct ddb_error *e)
{
	if (rc != 0) {
		fail_msg("read failed: %s: %s", e->code ? e->code : "-", e->message ? e->message : "-");
	}
}

static void load_ns(struct pager *p, struct stache_ns_list *l)
{
	struct ddb_error e;
	assert_non_null(p);
	expect_ok(stache_ns_drain_sync(p, l, NULL, NULL, &e), &e);
	pager_free(p);
}

static void load_rows(struct pager *p, struct stache_row_list *l)
{
	struct ddb_error e;
	assert_non_null(p);
	expect_ok(stache_rows_drain_sync(p, l, NULL, NULL, &e), &e);
	pager_free(p);
}

static int cmp_ns_ptr(const void *a, const void *b)
{
	return stache_ns_cmp_name(a, b);
}

/* The ids of a list, sorted the library's way, joined by spaces. */
static char *ids_by_name(struct stache_ns_list *l)
{
	qsort(l->v, l->n, sizeof *l->v, cmp_ns_ptr);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t i = 0; i < l->n; i++)
		fprintf(f, "%s%s", i ? " " : "", l->v[i].id);
	fclose(f);
	return out;
}

/* ---- namespaces ------------------------------------------------------------------- */

static void test_roots_and_children(void **st)
{
	(void)st;
	struct stache_ns_list l = {0};
	load_ns(stache_ns_roots_pager(s, 0), &l);
	char *ids = ids_by_name(&l);
	assert_string_equal(ids, "engineering imports personal research scratch");
	free(ids);
	stache_ns_list_free(&l);

	load_ns(stache_ns_children_pager(s, "engineering", 0), &l);
	ids = ids_by_name(&l);
	/* by name: Backend, C# Notes, Frontend */
	assert_string_equal(ids, "engineering/backend engineering/c# engineering/frontend");
	free(ids);
	stache_ns_list_free(&l);

	load_ns(stache_ns_children_pager(s, "engineering/backend", 0), &l);
	ids = ids_by_name(&l);
	assert_string_equal(ids, "engineering/backend/api engineering/backend/db");
	free(ids);
	stache_ns_list_free(&l);

	load_ns(stache_ns_children_pager(s, "personal", 0), &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].id, "personal/recettes-\xc3\xa9t\xc3\xa9");
	assert_string_equal(l.v[0].name, "Recettes d'\xc3\xa9t\xc3\xa9 \xf0\x9f\x8d\x93");
	/* written the json.dumps way: ASCII only, the emoji as a surrogate pair */
	assert_non_null(strstr(l.v[0].metadata_text, "\"\\u00e9toiles\": 5"));
	assert_non_null(strstr(l.v[0].metadata_text, "\"\\ud83c\\udf53\""));
	assert_string_equal(json_string_value(json_array_get(json_object_get(l.v[0].metadata, "tags"), 1)),
	                    "\xf0\x9f\x8d\x93");
	stache_ns_list_free(&l);

	load_ns(stache_ns_children_pager(s, "no-such-namespace", 0), &l);
	assert_int_equal(l.n, 0);
	stache_ns_list_free(&l);
}

static void test_tree(void **st)
{
	(void)st;
	struct stache_ns_list l = {0};
	load_ns(stache_ns_scan_pager(s, 5), &l);   /* several pages */
	assert_int_equal(l.n, 17);
	struct stache_tree t;
	stache_tree_build(l.v, l.n, &t);
	assert_int_equal(t.n_rows, 17);
	assert_int_equal(t.roots.n, 5);
	assert_int_equal(t.orphans.n, 1);
	assert_string_equal(l.v[t.orphans.v[0]].id, "archive/2024");
	size_t q4 = stache_tree_find(&t, "archive/2024/q4");
	assert_int_equal(t.place[q4], STACHE_IN_ORPHAN);
	assert_int_equal(t.n_cycles, 1);
	assert_int_equal(t.cycles[0].n, 2);
	assert_string_equal(l.v[t.cycles[0].v[0]].id, "projects/alpha");
	assert_string_equal(l.v[t.cycles[0].v[1]].id, "projects/beta");
	/* everything else is in the tree, three levels deep */
	size_t in_tree = 0;
	int deepest = 0;
	for (size_t r = 0; r < t.n_rows; r++)
		if (t.rows[r].place == STACHE_IN_TREE) {
			in_tree++;
			if (t.rows[r].depth > deepest)
				deepest = t.rows[r].depth;
		}
	assert_int_equal(in_tree, 13);
	assert_int_equal(deepest, 2);
	char *p = stache_tree_path(&t, stache_tree_find(&t, "engineering/backend/db"));
	assert_string_equal(p, "Engineering > Backend > Databases & Storage");
	free(p);
	p = stache_tree_path(&t, stache_tree_find(&t, "projects/beta"));
	assert_string_equal(p, "\xe2\x86\xbb > Alpha > Beta");
	free(p);
	/* exactly the two hand-edited namespaces have problems */
	for (size_t i = 0; i < l.n; i++) {
		bool broken = !strcmp(l.v[i].id, "scratch") || !strcmp(l.v[i].id, "imports");
		assert_int_equal(l.v[i].problems.n > 0, broken);
	}
	stache_tree_free(&t);
	stache_ns_list_free(&l);
}

static void test_ns_get(void **st)
{
	(void)st;
	struct stache_ns ns;
	struct ddb_error e;
	assert_int_equal(stache_ns_get_sync(s, "engineering/c#", &ns, &e), 1);
	assert_string_equal(ns.name, "C# Notes");
	stache_ns_clear(&ns);
	assert_int_equal(stache_ns_get_sync(s, "archive", &ns, &e), 0);
}

/* ---- documents --------------------------------------------------------------------- */

static void test_documents_every_status(void **st)
{
	(void)st;
	struct stache_row_list l = {0};
	load_rows(stache_docs_pager(s, "research/papers", false, 0), &l);
	assert_int_equal(l.n, 7);
	/* the index already answers newest first */
	for (size_t i = 1; i < l.n; i++)
		assert_true(l.v[i - 1].when_us >= l.v[i].when_us);
	stache_rows_sort_newest(l.v, l.n);
	assert_string_equal(l.v[0].filename, "gpt3.pdf");
	assert_string_equal(l.v[6].filename, "word2vec.pdf");
	unsigned seen = 0;
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].kind, STACHE_ROW_DOCUMENT);
		assert_int_equal(l.v[i].problems.n, 0);
		assert_int_equal(l.v[i].key_problems.n, 0);
		seen |= 1u << l.v[i].status;
		if (i)
			assert_true(l.v[i - 1].when_us > l.v[i].when_us);
		if (l.v[i].status == STACHE_ST_PURGED)
			assert_int_equal(l.v[i].n_chunk_ids, -1);
	}
	unsigned want = 1u << STACHE_ST_ACTIVE | 1u << STACHE_ST_LEGACY | 1u << STACHE_ST_DELETING |
	                1u << STACHE_ST_PURGING | 1u << STACHE_ST_PURGED;
	assert_int_equal(seen, want);
	stache_row_list_free(&l);

	/* escaped keys, plus the pre-0.2.0 row under the raw key */
	load_rows(stache_docs_pager(s, "engineering/c#", false, 0), &l);
	assert_int_equal(l.n, 2);
	for (size_t i = 0; i < l.n; i++)
		assert_false(l.v[i].legacy_keys);
	stache_row_list_free(&l);
	load_rows(stache_docs_pager(s, "engineering/c#", true, 0), &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].filename, "linq.md");
	assert_true(l.v[0].legacy_keys);
	assert_int_equal(l.v[0].key_problems.n, 0);
	stache_row_list_free(&l);
}

struct pages {
	long pages;
	json_t *ids;
};

static void count_page(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	struct pages *pg = ud;
	assert_null(err);
	pg->pages++;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_array_append_new(pg->ids, json_string(ddb_item_s(it, "doc_id")));
}

static void test_paging(void **st)
{
	(void)st;
	struct ddb_error e;
	struct pages one = {0, json_array()}, small = {0, json_array()};
	struct pager *p = stache_docs_pager(s, "research/papers", false, 0);
	expect_ok(pager_drain_sync(p, 0, count_page, &one, &e), &e);
	pager_free(p);
	assert_int_equal(one.pages, 1);
	p = stache_docs_pager(s, "research/papers", false, 2);
	expect_ok(pager_drain_sync(p, 0, count_page, &small, &e), &e);
	assert_true(pager_done(p));
	pager_free(p);
	assert_true(small.pages >= 3);
	assert_true(json_equal(one.ids, small.ids));
	assert_int_equal(json_array_size(small.ids), 7);

	/* stop after the first page, then resume from its cursor elsewhere */
	struct pages head = {0, json_array()}, tail = {0, json_array()};
	p = stache_docs_pager(s, "research/papers", false, 2);
	expect_ok(pager_drain_sync(p, 2, count_page, &head, &e), &e);
	assert_int_equal(head.pages, 1);
	char *cursor = pager_cursor(p);
	assert_non_null(cursor);
	pager_free(p);
	p = stache_docs_pager(s, "research/papers", false, 2);
	assert_true(pager_resume(p, cursor));
	free(cursor);
	expect_ok(pager_drain_sync(p, 0, count_page, &tail, &e), &e);
	pager_free(p);
	assert_int_equal(json_array_size(head.ids) + json_array_size(tail.ids), 7);
	for (size_t i = 0; i < 7; i++) {
		json_t *want = json_array_get(one.ids, i);
		json_t *got = i < 2 ? json_array_get(head.ids, i) : json_array_get(tail.ids, i - 2);
		assert_true(json_equal(want, got));
	}
	json_decref(one.ids);
	json_decref(small.ids);
	json_decref(head.ids);
	json_decref(tail.ids);
}

static void test_documents_by_name(void **st)
{
	(void)st;
	struct stache_row_list l = {0};
	/* two versions share the path key: the purged one is older */
	load_rows(stache_docs_by_name_pager(s, "research/papers", "/home/ana/kb/papers/attention.pdf", 0),
	          &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].status, STACHE_ST_PURGED);
	assert_int_equal(l.v[1].status, STACHE_ST_ACTIVE);
	stache_row_list_free(&l);
	/* filed under the filename (no source path) */
	load_rows(stache_docs_by_name_pager(s, "research/papers", "word2vec.pdf", 0), &l);
	assert_int_equal(l.n, 1);
	stache_row_list_free(&l);
	/* a path with '#' is found through the escaped key */
	load_rows(stache_docs_by_name_pager(s, "personal", "/kb/notes#draft.md", 0), &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].filename, "notes#draft.md");
	stache_row_list_free(&l);
	/* the filename of a document filed under its path finds nothing */
	load_rows(stache_docs_by_name_pager(s, "research/papers", "gpt3.pdf", 0), &l);
	assert_int_equal(l.n, 0);
	stache_row_list_free(&l);
}

static void test_trash_reservations_jobs(void **st)
{
	(void)st;
	struct stache_row_list trash = {0}, res = {0}, jobs = {0}, docs = {0};
	load_rows(stache_trash_pager(s, 1), &trash);
	assert_int_equal(trash.n, 2);
	assert_string_equal(trash.v[0].filename, "bert.pdf");   /* newest first */
	assert_string_equal(trash.v[1].filename, "kahneman.md");
	for (size_t i = 0; i < trash.n; i++) {
		assert_int_equal(trash.v[i].kind, STACHE_ROW_TRASH);
		assert_int_equal(trash.v[i].problems.n, 0);
		assert_int_equal(trash.v[i].key_problems.n, 0);
	}

	load_rows(stache_reservations_pager(s, 7), &res);
	assert_int_equal(res.n, 30);
	size_t pending = 0, by_path = 0;
	for (size_t i = 0; i < res.n; i++) {
		assert_true(res.v[i].kind == STACHE_ROW_RES_HASH || res.v[i].kind == STACHE_ROW_RES_SOURCE);
		assert_int_equal(res.v[i].problems.n, 0);
		assert_int_equal(res.v[i].key_problems.n, 0);
		pending += res.v[i].status_text && !strcmp(res.v[i].status_text, "pending");
		by_path += res.v[i].kind == STACHE_ROW_RES_SOURCE;
	}
	assert_int_equal(pending, 1);
	assert_true(by_path > 0 && by_path < res.n);

	load_rows(stache_cleanup_jobs_pager(s, 0), &jobs);
	assert_int_equal(jobs.n, 1);
	assert_int_equal(jobs.v[0].problems.n, 0);

	/* each trash entry and job belongs to a document in that state */
	load_rows(stache_all_docs_pager(s, 9), &docs);
	assert_int_equal(docs.n, 41);
	size_t matched = 0;
	for (size_t i = 0; i < docs.n; i++) {
		const struct stache_row *d = &docs.v[i];
		assert_int_equal(d->kind, STACHE_ROW_DOCUMENT);
		for (size_t k = 0; k < trash.n; k++)
			if (!strcmp(trash.v[k].doc_id, d->doc_id)) {
				assert_int_equal(d->status, STACHE_ST_DELETING);
				matched++;
			}
		if (!strcmp(jobs.v[0].doc_id, d->doc_id)) {
			assert_int_equal(d->status, STACHE_ST_PURGING);
			assert_string_equal(d->cleanup_job_id, jobs.v[0].cleanup_job_id);
			matched++;
		}
	}
	assert_int_equal(matched, 3);
	stache_row_list_free(&trash);
	stache_row_list_free(&res);
	stache_row_list_free(&jobs);
	stache_row_list_free(&docs);
}

static void test_counts(void **st)
{
	(void)st;
	const char *ids[] = {"research/papers", "engineering/c#", "nope", "default", "None",
	                     "engineering/frontend"};
	long counts[6];
	struct ddb_error e;
	expect_ok(stache_count_docs_sync(s, ids, 6, counts, &e), &e);
	assert_int_equal(counts[0], 7);
	assert_int_equal(counts[1], 3);   /* both key forms */
	assert_int_equal(counts[2], 0);
	assert_int_equal(counts[3], 3);
	assert_int_equal(counts[4], 1);
	assert_int_equal(counts[5], 3);   /* the fourth one's GSI1PK is wrong */
}

/* ---- check --------------------------------------------------------------------------- */

static size_t count_kind(const struct findings *f, const char *kind, const char *key_part)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].kind, kind) && (!key_part || strstr(f->v[i].key, key_part)))
			n++;
	return n;
}

static void dump_findings(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		print_message("# %s %s %s: %s\n", f->v[i].table, f->v[i].kind, f->v[i].key,
		              f->v[i].message);
}

static void progress_count(const char *what, long items, void *ud)
{
	(void)what;
	(void)items;
	(*(int *)ud)++;
}

static void test_check_finds_planted(void **st)
{
	(void)st;
	struct findings f = {0};
	struct ddb_error e;
	int calls = 0;
	expect_ok(check_stache(s, &f, progress_count, &calls, &e), &e);
	if (f.n != 9)
		dump_findings(&f);
	assert_int_equal(f.n, 9);
	assert_true(calls >= 2);
	assert_int_equal(count_kind(&f, "namespace-invalid", "\"scratch\""), 1);
	assert_int_equal(count_kind(&f, "namespace-invalid", "\"imports\""), 1);
	assert_int_equal(count_kind(&f, "namespace-orphan", "\"archive/2024\""), 1);
	assert_int_equal(count_kind(&f, "namespace-cycle", "\"projects/alpha\""), 1);
	assert_int_equal(count_kind(&f, "namespace-cycle", "\"projects/beta\""), 1);
	assert_int_equal(count_kind(&f, "document-key-mismatch", "DOC#engineering/frontend#"), 1);
	assert_int_equal(count_kind(&f, "document-unregistered-namespace", "DOC#default#"), 1);
	assert_int_equal(count_kind(&f, "document-unregistered-namespace", "DOC#old-project#"), 1);
	assert_int_equal(count_kind(&f, "document-unregistered-namespace", "DOC#None#"), 1);
	for (size_t i = 0; i < f.n; i++) {
		bool ns = !strncmp(f.v[i].kind, "namespace-", 10);
		assert_string_equal(f.v[i].table, ns ? names.namespaces : names.documents);
		assert_non_null(f.v[i].message);
	}
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].kind, "document-key-mismatch"))
			assert_non_null(strstr(f.v[i].message, "GSI1PK"));
		else if (strstr(f.v[i].key, "DOC#default#"))
			assert_non_null(strstr(f.v[i].message, "3 documents"));
	findings_free(&f);
}

static void test_check_missing_tables(void **st)
{
	(void)st;
	struct findings f = {0};
	struct ddb_error e;
	/* no registry: the document rows alone, no unregistered-namespace check */
	set_tables(NULL, names.documents);
	expect_ok(check_stache(s, &f, NULL, NULL, &e), &e);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].kind, "document-key-mismatch");
	findings_free(&f);
	/* no documents table */
	set_tables(names.namespaces, NULL);
	expect_ok(check_stache(s, &f, NULL, NULL, &e), &e);
	assert_int_equal(f.n, 5);
	findings_free(&f);
	/* none at all */
	set_tables(NULL, NULL);
	expect_ok(check_stache(s, &f, NULL, NULL, &e), &e);
	assert_int_equal(f.n, 0);
	/* a named table that does not exist is a failed read */
	set_tables("it-stache-no-such-table", NULL);
	assert_int_equal(check_stache(s, &f, NULL, NULL, &e), -1);
	assert_non_null(e.code);
	ddb_error_clear(&e);
	findings_free(&f);
	use_demo_tables();
}

/* ---- table detection -------------------------------------------------------------------- */

static void test_resolve_tables(void **st)
{
	(void)st;
	char *msg = NULL;
	/* the namespace table pairs with the documents table by name, however
	 * many other Stache tables the server holds */
	set_tables(NULL, names.documents);
	assert_int_equal(stache_resolve_tables(s, STACHE_TABLE_NEED, STACHE_TABLE_NEED, &msg),
	                 STACHE_RESOLVED);
	assert_null(msg);
	assert_string_equal(s->namespace_table, names.namespaces);

	/* a second namespace table makes the choice ambiguous */
	snprintf(extra_table, sizeof extra_table, "%sextra-stache-namespaces", prefix);
	json_t *req = json_pack(
		"{s:s,s:s,s:[{s:s,s:s},{s:s,s:s}],s:[{s:s,s:s}],s:[{s:s,s:[{s:s,s:s}],s:{s:s}}]}",
		"TableName", extra_table, "BillingMode", "PAY_PER_REQUEST", "AttributeDefinitions",
		"AttributeName", "id", "AttributeType", "S", "AttributeName", "parent_id",
		"AttributeType", "S", "KeySchema", "AttributeName", "id", "KeyType", "HASH",
		"GlobalSecondaryIndexes", "IndexName", "parent_id-index", "KeySchema", "AttributeName",
		"parent_id", "KeyType", "HASH", "Projection", "ProjectionType", "ALL");
	struct ddb_result *r = ddb_call_sync(s->ddb, "CreateTable", req);
	assert_int_equal(r->err.kind, DDB_OK);
	ddb_result_free(r);
	set_tables(NULL, NULL);
	assert_int_equal(stache_resolve_tables(s, STACHE_TABLE_NEED, STACHE_TABLE_SKIP, &msg),
	                 STACHE_RESOLVE_AMBIGUOUS);
	assert_non_null(msg);
	assert_non_null(strstr(msg, names.namespaces));
	assert_non_null(strstr(msg, extra_table));
	assert_non_null(strstr(msg, "--namespace-table"));
	assert_null(s->namespace_table);
	free(msg);
	/* only wanted: not an error, a note */
	assert_int_equal(stache_resolve_tables(s, STACHE_TABLE_WANT, STACHE_TABLE_SKIP, &msg),
	                 STACHE_RESOLVED);
	assert_non_null(msg);
	free(msg);
	/* a table already named is kept as it is */
	set_tables("given", NULL);
	assert_int_equal(stache_resolve_tables(s, STACHE_TABLE_NEED, STACHE_TABLE_SKIP, &msg),
	                 STACHE_RESOLVED);
	assert_string_equal(s->namespace_table, "given");
	delete_table(extra_table);
	*extra_table = '\0';
	use_demo_tables();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots_and_children),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_ns_get),
		cmocka_unit_test(test_documents_every_status),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_documents_by_name),
		cmocka_unit_test(test_trash_reservations_jobs),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_check_finds_planted),
		cmocka_unit_test(test_check_missing_tables),
		cmocka_unit_test(test_resolve_tables),
	};
	return cmocka_run_group_tests_name("it-stache", tests, setup, teardown);
}
