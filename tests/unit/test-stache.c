/* Unit tests for model/stache.c: decoding every item kind of SCHEMAS.md
 * Part A (the sample items are copied from there), problems instead of
 * failures, key escaping and key agreement, Python-compatible JSON text,
 * newest-first sorting across time formats, and the namespace tree with
 * orphans, cycles and very deep chains. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsontext.h"
#include "model/stache.h"

/* ---- sample items (SCHEMAS.md A.1, A.3, A.4) ------------------------------------- */

static const char ns_sample_root[] =
	"{\"id\": {\"S\": \"engineering\"}, \"name\": {\"S\": \"Engineering\"},"
	" \"description\": {\"S\": \"Everything engineering\"}, \"parent_id\": {\"S\": \"__ROOT__\"},"
	" \"metadata\": {\"S\": \"{\\\"icon\\\": \\\"wrench\\\", \\\"color\\\": \\\"#3366ff\\\"}\"},"
	" \"filter_keys\": {\"S\": \"[\\\"source\\\", \\\"team\\\"]\"},"
	" \"created_at\": {\"S\": \"2026-07-19T15:24:15.120394+00:00\"},"
	" \"updated_at\": {\"S\": \"2026-07-19T15:24:15.120394+00:00\"}}";

static const char ns_sample_child[] =
	"{\"id\": {\"S\": \"engineering/backend/db\"}, \"name\": {\"S\": \"Databases & Storage\"},"
	" \"description\": {\"S\": \"\"}, \"parent_id\": {\"S\": \"engineering/backend\"},"
	" \"metadata\": {\"S\": \"{\\\"owner\\\": \\\"dba\\\"}\"},"
	" \"filter_keys\": {\"S\": \"[\\\"engine\\\", \\\"version\\\"]\"},"
	" \"created_at\": {\"S\": \"2026-07-19T15:24:15.231825+00:00\"},"
	" \"updated_at\": {\"S\": \"2026-07-20T08:02:11.362200+00:00\"}}";

static const char doc_sample[] =
	"{\"PK\": {\"S\": \"DOC#research/papers#7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11\"},"
	" \"SK\": {\"S\": \"METADATA\"},"
	" \"GSI1PK\": {\"S\": \"NAMESPACE#research/papers\"},"
	" \"GSI1SK\": {\"S\": \"CREATED#2026-07-19T15:30:02.608007+00:00\"},"
	" \"GSI2PK\": {\"S\": \"FILENAME#research/papers#/home/ana/kb/papers/attention.pdf\"},"
	" \"GSI2SK\": {\"S\": \"CREATED#2026-07-19T15:30:02.608007+00:00\"},"
	" \"doc_id\": {\"S\": \"7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11\"},"
	" \"filename\": {\"S\": \"attention.pdf\"}, \"namespace\": {\"S\": \"research/papers\"},"
	" \"chunk_count\": {\"N\": \"3\"},"
	" \"chunk_ids\": {\"L\": [{\"S\": \"0b1f7c2e-5d43-4f0a-9a51-3e2d7c8b9a01\"},"
	"                     {\"S\": \"5e9a1c44-2b7d-4c6e-8f10-6a3b2c1d0e02\"},"
	"                     {\"S\": \"c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e03\"}]},"
	" \"created_at\": {\"S\": \"2026-07-19T15:30:02.608007+00:00\"},"
	" \"status\": {\"S\": \"active\"},"
	" \"source_path\": {\"S\": \"/home/ana/kb/papers/attention.pdf\"},"
	" \"content_hash\": {\"S\": \"88e04d8cc3a1b7ba3c3811f9ce4fdfc56c5fabb26ee1195df4d158cdc2aede0d\"},"
	" \"summary\": {\"S\": \"Introduces the Transformer architecture...\"},"
	" \"summary_embedding_id\": {\"S\": \"0c541ae0-8b7e-4196-add4-35b2d09f599d\"},"
	" \"headings\": {\"L\": [{\"S\": \"Introduction\"}, {\"S\": \"Model Architecture\"}]},"
	" \"metadata\": {\"M\": {\"source\": {\"S\": \"cli\"}, \"author\": {\"S\": \"ana\"}, \"score\": {\"N\": \"0.87\"},"
	"                    \"nested\": {\"M\": {\"pages\": {\"N\": \"15\"}, \"lang\": {\"S\": \"en\"}}}}},"
	" \"file_type\": {\"S\": \"pdf\"}, \"file_size\": {\"N\": \"411612\"},"
	" \"blob_key\": {\"S\": \"originals/research/papers/7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11/attention.pdf\"},"
	" \"content_type\": {\"S\": \"application/pdf\"}}";

static const char trash_sample[] =
	"{\"PK\": {\"S\": \"TRASH#engineering/frontend#schema.sql#1795422296703\"}, \"SK\": {\"S\": \"ENTRY\"},"
	" \"doc_id\": {\"S\": \"43fa94b1-0247-44c1-815f-27ed28d8079c\"}, \"namespace\": {\"S\": \"engineering/frontend\"},"
	" \"filename\": {\"S\": \"schema.sql\"}, \"deleted_at\": {\"S\": \"2026-11-23T08:24:56.703618+00:00\"},"
	" \"deleted_at_ms\": {\"N\": \"1795422296703\"}, \"deleted_by\": {\"NULL\": true},"
	" \"delete_reason\": {\"S\": \"user_initiated\"}, \"chunk_count\": {\"N\": \"22\"},"
	" \"purge_after\": {\"S\": \"2026-12-23T08:24:56.703618+00:00\"},"
	" \"GSI1PK\": {\"S\": \"TRASH\"}, \"GSI1SK\": {\"S\": \"2026-11-23T08:24:56.703618+00:00\"}}";

static const char reservation_sample[] =
	"{\"PK\": {\"S\": \"HASH#engineering/frontend#bb9f2b52dd963b44ccdc3cb9850fc345f5e30f3720fbb4054824520594539dc8#schema.sql\"},"
	" \"SK\": {\"S\": \"RESERVATION\"}, \"identifier_type\": {\"S\": \"fingerprint\"},"
	" \"doc_id\": {\"S\": \"43fa94b1-0247-44c1-815f-27ed28d8079c\"}, \"namespace\": {\"S\": \"engineering/frontend\"},"
	" \"content_hash\": {\"S\": \"bb9f2b52dd963b44ccdc3cb9850fc345f5e30f3720fbb4054824520594539dc8\"},"
	" \"filename\": {\"S\": \"schema.sql\"}, \"reserved_at\": {\"S\": \"2026-11-23T08:24:56.491851+00:00\"},"
	" \"status\": {\"S\": \"complete\"}, \"file_size\": {\"N\": \"1886038\"},"
	" \"chunk_count\": {\"N\": \"22\"}, \"ingested_at\": {\"S\": \"2026-11-23T08:24:56.497399+00:00\"}}";

static const char cleanup_sample[] =
	"{\"PK\": {\"S\": \"CLEANUP#971669a5-d2b1-44e4-8b27-9233f3019552\"}, \"SK\": {\"S\": \"JOB\"},"
	" \"cleanup_job_id\": {\"S\": \"971669a5-d2b1-44e4-8b27-9233f3019552\"},"
	" \"doc_id\": {\"S\": \"6ddb872b-e948-4c17-b48b-cec2a805ac9b\"}, \"namespace\": {\"S\": \"research\"},"
	" \"filename\": {\"S\": \"rag-survey.pdf\"}, \"deleted_at_ms\": {\"N\": \"1795422339990\"},"
	" \"chunk_ids\": {\"L\": [{\"S\": \"79e0077b-794c-4020-b4c9-5a7d46be9faa\"}]},"
	" \"created_at\": {\"S\": \"2026-11-23T08:25:40.001234+00:00\"}, \"deleted_by\": {\"NULL\": true},"
	" \"status\": {\"S\": \"pending\"}, \"retry_count\": {\"N\": \"0\"}, \"max_retries\": {\"N\": \"10\"}}";

/* ---- helpers ----------------------------------------------------------------------- */

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, 0, &e);
	if (!v)
		fail_msg("bad test JSON: %s (line %d col %d)", e.text, e.line, e.column);
	return v;
}

/* True when some problem is about `attr` and its text contains `needle`. */
static bool has_problem(const struct problems *p, const char *attr, const char *needle)
{
	for (size_t i = 0; i < p->n; i++) {
		bool attr_ok = attr ? (p->v[i].attr && !strcmp(p->v[i].attr, attr)) : !p->v[i].attr;
		if (attr_ok && (!needle || (p->v[i].text && strstr(p->v[i].text, needle))))
			return true;
	}
	return false;
}

static void expect_no_problems(const struct problems *p)
{
	if (p->n) {
		char *j = problems_join(p);
		fail_msg("unexpected problems: %s", j);
	}
}

static void decode_ns(const char *text, struct stache_ns *out)
{
	json_t *it = load(text);
	stache_ns_decode(it, out);
	json_decref(it);   /* the entity holds its own reference */
}

static void decode_row(const char *text, struct stache_row *out)
{
	json_t *it = load(text);
	stache_row_decode(it, out);
	json_decref(it);
}

/* A modified copy of a sample: set (or, with value NULL, remove) one attribute. */
static void decode_row_with(const char *text, const char *attr, const char *value_json,
                            struct stache_row *out)
{
	json_t *it = load(text);
	if (value_json)
		json_object_set_new(it, attr, load(value_json));
	else
		json_object_del(it, attr);
	stache_row_decode(it, out);
	json_decref(it);
}

static void decode_ns_with(const char *text, const char *attr, const char *value_json,
                           struct stache_ns *out)
{
	json_t *it = load(text);
	if (value_json)
		json_object_set_new(it, attr, load(value_json));
	else
		json_object_del(it, attr);
	stache_ns_decode(it, out);
	json_decref(it);
}

/* ---- namespaces ---------------------------------------------------------------------- */

static void test_ns_samples(void **st)
{
	(void)st;
	struct stache_ns a, b;
	decode_ns(ns_sample_root, &a);
	expect_no_problems(&a.problems);
	assert_string_equal(a.id, "engineering");
	assert_string_equal(a.name, "Engineering");
	assert_string_equal(a.description, "Everything engineering");
	assert_true(a.is_root);
	assert_true(a.created_ok);
	assert_true(json_is_object(a.metadata));
	assert_string_equal(json_string_value(json_object_get(a.metadata, "color")), "#3366ff");
	assert_int_equal(json_array_size(a.filter_keys), 2);
	assert_string_equal(json_string_value(json_array_get(a.filter_keys, 1)), "team");
	assert_string_equal(a.metadata_text, "{\"icon\": \"wrench\", \"color\": \"#3366ff\"}");

	decode_ns(ns_sample_child, &b);
	expect_no_problems(&b.problems);
	assert_false(b.is_root);
	assert_string_equal(b.parent_id, "engineering/backend");
	assert_string_equal(b.description, "");
	assert_string_equal(b.updated_at, "2026-07-20T08:02:11.362200+00:00");
	stache_ns_clear(&a);
	stache_ns_clear(&b);
	assert_null(a.raw);
}

static void test_ns_metadata_map(void **st)
{
	(void)st;
	struct stache_ns ns;
	decode_ns_with(ns_sample_root, "metadata", "{\"M\": {\"icon\": {\"S\": \"wrench\"}}}", &ns);
	assert_int_equal(ns.problems.n, 1);
	assert_true(has_problem(&ns.problems, "metadata", "is M, expected S"));
	assert_null(ns.metadata);
	assert_null(ns.metadata_text);
	/* the rest still decodes and the raw item keeps the Map visible */
	assert_string_equal(ns.name, "Engineering");
	assert_true(json_is_object(json_object_get(json_object_get(ns.raw, "metadata"), "M")));
	stache_ns_clear(&ns);
}

static void test_ns_metadata_invalid_json(void **st)
{
	(void)st;
	struct stache_ns ns;
	decode_ns_with(ns_sample_root, "metadata", "{\"S\": \"{'source': 'csv'}\"}", &ns);
	assert_true(has_problem(&ns.problems, "metadata", "not valid JSON"));
	assert_null(ns.metadata);
	assert_string_equal(ns.metadata_text, "{'source': 'csv'}");   /* the text is kept */
	assert_true(json_is_array(ns.filter_keys));
	stache_ns_clear(&ns);
}

static void test_ns_wrong_json_types(void **st)
{
	(void)st;
	struct stache_ns ns;
	decode_ns_with(ns_sample_root, "metadata", "{\"S\": \"[1, 2]\"}", &ns);
	assert_true(has_problem(&ns.problems, "metadata", "an array, expected an object"));
	assert_null(ns.metadata);
	stache_ns_clear(&ns);

	decode_ns_with(ns_sample_root, "filter_keys", "{\"S\": \"{\\\"a\\\": 1}\"}", &ns);
	assert_true(has_problem(&ns.problems, "filter_keys", "expected an array"));
	assert_null(ns.filter_keys);
	stache_ns_clear(&ns);

	decode_ns_with(ns_sample_root, "filter_keys", "{\"S\": \"[\\\"a\\\", 3]\"}", &ns);
	assert_true(has_problem(&ns.problems, "filter_keys", "element 1 is a number"));
	stache_ns_clear(&ns);

	/* an integer too large for C but fine for Python is not a problem */
	decode_ns_with(ns_sample_root, "metadata", "{\"S\": \"{\\\"n\\\": 123456789012345678901234567890}\"}", &ns);
	expect_no_problems(&ns.problems);
	assert_non_null(ns.metadata);
	stache_ns_clear(&ns);
}

/* namespaces --json: numbers in the metadata JSON text come out as stored
 * (issue 11: 99.9 came out as 99.900000000000006; integers beyond 64 bits
 * as 1.2345678901234568e+29) */
static void test_ns_json_numbers(void **st)
{
	(void)st;
	struct stache_ns ns;
	decode_ns_with(ns_sample_root, "metadata",
	               "{\"S\": \"{\\\"score\\\": 99.9, \\\"t\\\": 0.35, \\\"x\\\": 1e-07,"
	               " \\\"big\\\": 12345678901234567890123456789012345678, \\\"tiny\\\": 1E-130,"
	               " \\\"max\\\": 9.9999999999999999999999999999999999999E+125, \\\"z\\\": -0,"
	               " \\\"tenth\\\": 0.1, \\\"h\\\": 100, \\\"one\\\": 1.0,"
	               " \\\"l\\\": [2.50]}\"}", &ns);
	expect_no_problems(&ns.problems);
	struct stache_tree t;
	stache_tree_build(&ns, 1, &t);
	assert_int_equal(t.n_rows, 1);
	long counts[1] = {3};
	json_t *o = stache_ns_json(&t, &t.rows[0], counts);
	char *line = jsontext_dumps(o, JT_COMPACT | JT_ENSURE_ASCII);
	assert_string_equal(line,
		"{\"section\":\"tree\",\"depth\":0,\"id\":\"engineering\",\"name\":\"Engineering\","
		"\"parent_id\":\"__ROOT__\",\"description\":\"Everything engineering\","
		"\"path\":\"Engineering\",\"problems\":[],"
		"\"metadata\":{\"score\":99.9,\"t\":0.35,\"x\":1e-07,"
		"\"big\":12345678901234567890123456789012345678,\"tiny\":1E-130,"
		"\"max\":9.9999999999999999999999999999999999999E+125,\"z\":-0,\"tenth\":0.1,"
		"\"h\":100,\"one\":1.0,\"l\":[2.50]},"
		"\"filter_keys\":[\"source\",\"team\"],\"documents\":3}");
	free(line);
	json_decref(o);
	/* without counts: no "documents" */
	o = stache_ns_json(&t, &t.rows[0], NULL);
	assert_null(json_object_get(o, "documents"));
	json_decref(o);
	stache_tree_free(&t);
	stache_ns_clear(&ns);

	/* a number where an object or a string belongs is still called one */
	decode_ns_with(ns_sample_root, "metadata", "{\"S\": \"99.9\"}", &ns);
	assert_true(has_problem(&ns.problems, "metadata", "holds a number, expected an object"));
	stache_ns_clear(&ns);
	decode_ns_with(ns_sample_root, "filter_keys",
	               "{\"S\": \"[\\\"a\\\", 123456789012345678901234567890]\"}", &ns);
	assert_true(has_problem(&ns.problems, "filter_keys", "element 1 is a number"));
	stache_ns_clear(&ns);
}

static void test_ns_missing_and_mistyped(void **st)
{
	(void)st;
	json_t *it = load(ns_sample_child);
	json_object_del(it, "name");
	json_object_del(it, "description");
	json_object_set_new(it, "parent_id", load("{\"N\": \"7\"}"));
	json_object_set_new(it, "created_at", load("{\"S\": \"yesterday\"}"));
	json_object_set_new(it, "surprise", load("{\"BOOL\": true}"));
	struct stache_ns ns;
	stache_ns_decode(it, &ns);
	json_decref(it);
	assert_true(has_problem(&ns.problems, "name", "missing"));
	assert_true(has_problem(&ns.problems, "parent_id", "is N, expected S"));
	assert_true(has_problem(&ns.problems, "created_at", "not a timestamp"));
	assert_int_equal(ns.problems.n, 3);   /* a missing description is read as "" */
	assert_string_equal(ns.description, "");
	assert_string_equal(ns.id, "engineering/backend/db");
	assert_null(ns.name);
	assert_null(ns.parent_id);
	assert_false(ns.is_root);
	assert_false(ns.created_ok);
	/* unknown attributes stay visible through raw */
	assert_non_null(json_object_get(ns.raw, "surprise"));
	stache_ns_clear(&ns);

	/* not even an object */
	json_t *s = json_string("x");
	stache_ns_decode(s, &ns);
	json_decref(s);
	assert_true(has_problem(&ns.problems, NULL, "not an item"));
	stache_ns_clear(&ns);
}

static void test_ns_unicode_metadata(void **st)
{
	(void)st;
	struct stache_ns ns;
	/* as json.dumps writes it: an emoji as a surrogate pair */
	decode_ns_with(ns_sample_root, "metadata",
	               "{\"S\": \"{\\\"icon\\\": \\\"\\\\ud83c\\\\udf73\\\", \\\"lang\\\": \\\"fran\\\\u00e7ais\\\"}\"}",
	               &ns);
	expect_no_problems(&ns.problems);
	assert_string_equal(json_string_value(json_object_get(ns.metadata, "icon")), "\xf0\x9f\x8d\xb3");
	assert_string_equal(json_string_value(json_object_get(ns.metadata, "lang")), "fran\xc3\xa7" "ais");
	stache_ns_clear(&ns);
}

static void test_ns_cmp_name(void **st)
{
	(void)st;
	struct stache_ns a = {.name = "alpha", .id = "1"}, b = {.name = "Beta", .id = "2"},
	                 c = {.name = "beta", .id = "0"};
	assert_true(stache_ns_cmp_name(&a, &b) < 0);   /* without case: alpha < Beta */
	assert_true(stache_ns_cmp_name(&b, &a) > 0);
	assert_true(stache_ns_cmp_name(&b, &c) < 0);   /* then by byte: "Beta" < "beta" */
	assert_int_equal(stache_ns_cmp_name(&a, &a), 0);
}

/* ---- document-table rows ------------------------------------------------------------ */

static void test_doc_sample(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row(doc_sample, &r);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_int_equal(r.kind, STACHE_ROW_DOCUMENT);
	assert_string_equal(stache_row_kind_name(r.kind), "document");
	assert_int_equal(r.status, STACHE_ST_ACTIVE);
	assert_string_equal(stache_status_name(r.status), "active");
	assert_string_equal(r.doc_id, "7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11");
	assert_string_equal(r.namespace_, "research/papers");
	assert_false(r.namespace_null);
	assert_string_equal(r.filename, "attention.pdf");
	assert_string_equal(r.source_path, "/home/ana/kb/papers/attention.pdf");
	assert_string_equal(r.content_type, "application/pdf");
	assert_string_equal(r.file_type, "pdf");
	assert_int_equal(r.chunk_count, 3);
	assert_int_equal(r.n_chunk_ids, 3);
	assert_int_equal(r.file_size, 411612);
	assert_int_equal(json_object_size(r.metadata), 4);
	assert_true(r.when_ok);
	assert_string_equal(r.when, "2026-07-19T15:30:02.608007+00:00");
	assert_false(r.legacy_keys);
	stache_row_clear(&r);
}

static void test_trash_sample(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row(trash_sample, &r);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_int_equal(r.kind, STACHE_ROW_TRASH);
	assert_int_equal(r.status, STACHE_ST_NONE);
	assert_int_equal(r.deleted_at_ms, 1795422296703LL);
	assert_null(r.deleted_by);   /* NULL is allowed here */
	assert_int_equal(r.chunk_count, 22);
	assert_string_equal(r.when, "2026-11-23T08:24:56.703618+00:00");
	stache_row_clear(&r);

	/* a trash entry must sit in the one TRASH partition */
	decode_row_with(trash_sample, "GSI1PK", "{\"S\": \"TRASH#engineering/frontend\"}", &r);
	assert_true(has_problem(&r.key_problems, "GSI1PK", "expected \"TRASH\""));
	stache_row_clear(&r);
}

static void test_reservation_sample(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row(reservation_sample, &r);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_int_equal(r.kind, STACHE_ROW_RES_HASH);
	assert_string_equal(r.status_text, "complete");
	assert_int_equal(r.chunk_count, 22);
	stache_row_clear(&r);

	/* the by-path form; a missing status means complete */
	json_t *it = load(reservation_sample);
	json_object_set_new(it, "PK", load("{\"S\": \"SOURCE#personal#/kb/notes%23draft.md\"}"));
	json_object_set_new(it, "identifier_type", load("{\"S\": \"source_path\"}"));
	json_object_set_new(it, "namespace", load("{\"S\": \"personal\"}"));
	json_object_set_new(it, "source_path", load("{\"S\": \"/kb/notes#draft.md\"}"));
	json_object_del(it, "status");
	stache_row_decode(it, &r);
	json_decref(it);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_int_equal(r.kind, STACHE_ROW_RES_SOURCE);
	stache_row_clear(&r);
}

static void test_cleanup_sample(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row(cleanup_sample, &r);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_int_equal(r.kind, STACHE_ROW_CLEANUP);
	assert_string_equal(stache_row_kind_name(r.kind), "cleanup-job");
	assert_int_equal(r.n_chunk_ids, 1);
	assert_string_equal(r.status_text, "pending");
	stache_row_clear(&r);

	decode_row_with(cleanup_sample, "PK", "{\"S\": \"CLEANUP#another\"}", &r);
	assert_true(has_problem(&r.key_problems, "PK", "expected \"CLEANUP#971669a5"));
	stache_row_clear(&r);
}

static void test_unknown_row(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row("{\"PK\": {\"S\": \"STATS#x\"}, \"SK\": {\"S\": \"DAILY\"}, \"n\": {\"N\": \"1\"}}", &r);
	assert_int_equal(r.kind, STACHE_ROW_UNKNOWN);
	assert_true(has_problem(&r.problems, "SK", "DAILY"));
	assert_string_equal(r.pk, "STATS#x");
	stache_row_clear(&r);

	decode_row("{\"PK\": {\"S\": \"X\"}}", &r);
	assert_int_equal(r.kind, STACHE_ROW_UNKNOWN);
	assert_true(has_problem(&r.problems, "SK", "missing"));
	stache_row_clear(&r);
}

static void test_doc_legacy_status(void **st)
{
	(void)st;
	struct stache_row r;
	decode_row_with(doc_sample, "status", NULL, &r);
	expect_no_problems(&r.problems);
	assert_int_equal(r.status, STACHE_ST_LEGACY);
	assert_string_equal(stache_status_name(r.status), "legacy");
	stache_row_clear(&r);

	decode_row_with(doc_sample, "status", "{\"S\": \"archived\"}", &r);
	assert_int_equal(r.status, STACHE_ST_OTHER);
	assert_true(has_problem(&r.problems, "status", "unknown status \"archived\""));
	stache_row_clear(&r);
}

static void test_doc_null_namespace(void **st)
{
	(void)st;
	json_t *it = load(doc_sample);
	json_object_set_new(it, "namespace", load("{\"NULL\": true}"));
	json_object_set_new(it, "PK", load("{\"S\": \"DOC#None#7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11\"}"));
	json_object_set_new(it, "GSI1PK", load("{\"S\": \"NAMESPACE#None\"}"));
	json_object_set_new(it, "GSI2PK", load("{\"S\": \"FILENAME#None#attention.pdf\"}"));
	struct stache_row r;
	stache_row_decode(it, &r);
	json_decref(it);
	expect_no_problems(&r.problems);
	expect_no_problems(&r.key_problems);
	assert_true(r.namespace_null);
	assert_null(r.namespace_);
	stache_row_clear(&r);

	/* a missing namespace, though, is a problem */
	decode_row_with(doc_sample, "namespace", NULL, &r);
	assert_true(has_problem(&r.problems, "namespace", "missing"));
	assert_false(r.namespace_null);
	stache_row_clear(&r);
}

static void test_doc_mistyped(void **st)
{
	(void)st;
	json_t *it = load(doc_sample);
	json_object_set_new(it, "chunk_count", load("{\"S\": \"3\"}"));
	json_object_del(it, "chunk_ids");
	json_object_set_new(it, "file_size", load("{\"N\": \"1.5\"}"));
	json_object_set_new(it, "metadata", load("{\"S\": \"{}\"}"));
	json_object_set_new(it, "headings", load("{\"L\": [{\"S\": \"a\"}, {\"N\": \"2\"}]}"));
	struct stache_row r;
	stache_row_decode(it, &r);
	json_decref(it);
	assert_true(has_problem(&r.problems, "chunk_count", "is S, expected N"));
	assert_true(has_problem(&r.problems, "chunk_ids", "missing"));
	assert_true(has_problem(&r.problems, "file_size", "not an integer"));
	assert_true(has_problem(&r.problems, "metadata", "is S, expected M"));
	assert_true(has_problem(&r.problems, "headings", "element 1 is N"));
	assert_int_equal(r.chunk_count, -1);
	assert_int_equal(r.n_chunk_ids, -1);
	assert_int_equal(r.file_size, -1);
	assert_null(r.metadata);
	/* the rest is still there */
	assert_string_equal(r.filename, "attention.pdf");
	assert_int_equal(r.status, STACHE_ST_ACTIVE);
	stache_row_clear(&r);
}

static void test_doc_status_fields(void **st)
{
	(void)st;
	struct stache_row r;
	/* deleting without deleted_at / purge_after */
	decode_row_with(doc_sample, "status", "{\"S\": \"deleting\"}", &r);
	assert_true(has_problem(&r.problems, "deleted_at", "missing (status deleting)"));
	assert_true(has_problem(&r.problems, "purge_after", "missing"));
	stache_row_clear(&r);

	/* a purged tombstone has no chunk_ids, and that is fine */
	json_t *it = load(doc_sample);
	json_object_set_new(it, "status", load("{\"S\": \"purged\"}"));
	json_object_del(it, "chunk_ids");
	json_object_set_new(it, "deleted_at", load("{\"S\": \"2026-07-20T10:00:00+00:00\"}"));
	json_object_set_new(it, "purge_after", load("{\"S\": \"2026-08-19T10:00:00+00:00\"}"));
	json_object_set_new(it, "purge_started_at", load("{\"S\": \"2026-07-21T10:00:00+00:00\"}"));
	json_object_set_new(it, "purge_completed_at", load("{\"S\": \"2026-07-21T10:00:01+00:00\"}"));
	stache_row_decode(it, &r);
	json_decref(it);
	expect_no_problems(&r.problems);
	assert_int_equal(r.status, STACHE_ST_PURGED);
	assert_int_equal(r.n_chunk_ids, -1);
	assert_int_equal(r.chunk_count, 3);   /* kept after the purge */
	stache_row_clear(&r);
}

static void test_doc_huge_chunk_list(void **st)
{
	(void)st;
	json_t *it = load(doc_sample), *l = json_array();
	for (int i = 0; i < 5000; i++)
		json_array_append_new(l, json_pack("{s:s}", "S", "0b1f7c2e-5d43-4f0a-9a51-3e2d7c8b9a01"));
	json_object_set_new(it, "chunk_ids", json_pack("{s:o}", "L", l));
	struct stache_row r;
	stache_row_decode(it, &r);
	assert_int_equal(r.n_chunk_ids, 5000);
	/* counted, not copied: the row shares the item */
	assert_ptr_equal(r.raw, it);
	json_decref(it);
	stache_row_clear(&r);
}

/* ---- keys ------------------------------------------------------------------------------ */

static void expect_str(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_key_escape(void **st)
{
	(void)st;
	expect_str(stache_key_escape("engineering/c#"), "engineering/c%23");
	expect_str(stache_key_escape("100%"), "100%25");
	/* '%' first: an already escaped-looking value is escaped again */
	expect_str(stache_key_escape("a%23b"), "a%2523b");
	expect_str(stache_key_escape("%#%#"), "%25%23%25%23");
	expect_str(stache_key_escape("/ é 🍓"), "/ é 🍓");
	expect_str(stache_key_escape(""), "");
	expect_str(stache_key_doc_pk("engineering/c#", "7c0e"), "DOC#engineering/c%23#7c0e");
	expect_str(stache_key_doc_pk(NULL, "7c0e"), "DOC#None#7c0e");
	expect_str(stache_key_ns_gsi1pk("engineering/c#"), "NAMESPACE#engineering/c%23");
	expect_str(stache_key_ns_gsi1pk_raw("engineering/c#"), "NAMESPACE#engineering/c#");
	expect_str(stache_key_file_gsi2pk("personal", "/kb/notes#draft.md"),
	           "FILENAME#personal#/kb/notes%23draft.md");
	expect_str(stache_key_file_gsi2pk_raw("a#b", "c#d"), "FILENAME#a#b#c#d");
}

/* A document in namespace engineering/c# with the given key attributes. */
static void decode_csharp_doc(const char *pk, const char *g1, const char *g2, const char *g2sk,
                              struct stache_row *r)
{
	json_t *it = load(doc_sample);
	json_object_set_new(it, "namespace", json_pack("{s:s}", "S", "engineering/c#"));
	json_object_set_new(it, "source_path", json_pack("{s:s}", "S", "/kb/c#/async.md"));
	json_object_set_new(it, "PK", json_pack("{s:s}", "S", pk));
	json_object_set_new(it, "GSI1PK", json_pack("{s:s}", "S", g1));
	json_object_set_new(it, "GSI2PK", json_pack("{s:s}", "S", g2));
	if (g2sk)
		json_object_set_new(it, "GSI2SK", json_pack("{s:s}", "S", g2sk));
	stache_row_decode(it, r);
	json_decref(it);
}

static void test_key_agreement(void **st)
{
	(void)st;
	const char *id = "7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11";
	char pk_esc[128], pk_raw[128];
	snprintf(pk_esc, sizeof pk_esc, "DOC#engineering/c%%23#%s", id);
	snprintf(pk_raw, sizeof pk_raw, "DOC#engineering/c##%s", id);
	struct stache_row r;

	/* 0.2.0+: escaped */
	decode_csharp_doc(pk_esc, "NAMESPACE#engineering/c%23",
	                  "FILENAME#engineering/c%23#/kb/c%23/async.md", NULL, &r);
	expect_no_problems(&r.key_problems);
	assert_false(r.legacy_keys);
	stache_row_clear(&r);

	/* before 0.2.0: raw keys still agree, flagged as legacy */
	decode_csharp_doc(pk_raw, "NAMESPACE#engineering/c#", "FILENAME#engineering/c##/kb/c#/async.md",
	                  NULL, &r);
	expect_no_problems(&r.key_problems);
	assert_true(r.legacy_keys);
	stache_row_clear(&r);

	/* filed under the filename (a rename, or before 0.1.3) */
	decode_csharp_doc(pk_esc, "NAMESPACE#engineering/c%23", "FILENAME#engineering/c%23#attention.pdf",
	                  NULL, &r);
	expect_no_problems(&r.key_problems);
	stache_row_clear(&r);

	/* a mixed GSI2PK (escaped namespace, raw path) agrees with nothing */
	decode_csharp_doc(pk_esc, "NAMESPACE#engineering/c%23",
	                  "FILENAME#engineering/c%23#/kb/c#/async.md", NULL, &r);
	assert_true(has_problem(&r.key_problems, "GSI2PK", "expected \"FILENAME#engineering/c%23#/kb/c%23/async.md\""));
	stache_row_clear(&r);

	/* GSI1PK of another namespace; GSI2SK not CREATED#created_at */
	decode_csharp_doc(pk_esc, "NAMESPACE#engineering/frontend",
	                  "FILENAME#engineering/c%23#/kb/c%23/async.md", "CREATED#2026-01-01T00:00:00+00:00",
	                  &r);
	assert_int_equal(r.key_problems.n, 2);
	assert_true(has_problem(&r.key_problems, "GSI1PK", "expected \"NAMESPACE#engineering/c%23\""));
	assert_true(has_problem(&r.key_problems, "GSI2SK", "CREATED#2026-07-19T15:30:02.608007+00:00"));
	expect_no_problems(&r.problems);   /* key mismatches are listed apart */
	stache_row_clear(&r);

	/* PK with another doc_id */
	decode_csharp_doc("DOC#engineering/c%23#other", "NAMESPACE#engineering/c%23",
	                  "FILENAME#engineering/c%23#/kb/c%23/async.md", NULL, &r);
	assert_true(has_problem(&r.key_problems, "PK", NULL));
	stache_row_clear(&r);

	/* a reservation carries no GSI keys */
	json_t *it = load(reservation_sample);
	json_object_set_new(it, "GSI1PK", json_pack("{s:s}", "S", "NAMESPACE#engineering/frontend"));
	stache_row_decode(it, &r);
	json_decref(it);
	assert_true(has_problem(&r.key_problems, "GSI1PK", "present on a reservation row"));
	stache_row_clear(&r);
}

static void test_item_key(void **st)
{
	(void)st;
	json_t *it = load(doc_sample);
	json_object_set_new(it, "id", json_pack("{s:s}", "S", "spread-in metadata"));
	json_t *k = stache_item_key(it);
	char *s = json_dumps(k, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"PK\":{\"S\":\"DOC#research/papers#7c0e6a52-1d7e-4a8b-9f57-0b3f5a2c9e11\"},"
	                       "\"SK\":{\"S\":\"METADATA\"}}");
	free(s);
	json_decref(k);
	json_decref(it);
	it = load(ns_sample_root);
	k = stache_item_key(it);
	s = json_dumps(k, JSON_COMPACT);
	assert_string_equal(s, "{\"id\":{\"S\":\"engineering\"}}");
	free(s);
	json_decref(k);
	json_decref(it);
}

/* ---- json.dumps ------------------------------------------------------------------------ */

static void expect_dumps(const char *json_in, const char *want)
{
	json_t *v = json_loads(json_in, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	char *got = stache_json_dumps(v);
	assert_string_equal(got, want);
	free(got);
	json_decref(v);
}

static void test_json_dumps(void **st)
{
	(void)st;
	/* separators, key order kept, non-ASCII escaped, emoji as a surrogate pair */
	expect_dumps("{\"icon\":\"\xf0\x9f\x8d\xb3\",\"a\":[1,true,null,false],\"b\":{}}",
	             "{\"icon\": \"\\ud83c\\udf73\", \"a\": [1, true, null, false], \"b\": {}}");
	expect_dumps("\"caf\xc3\xa9 \\\" \\\\ \\n \\t \\u0001 \\u007f /\"",
	             "\"caf\\u00e9 \\\" \\\\ \\n \\t \\u0001 \\u007f /\"");
	expect_dumps("[]", "[]");
	/* floats as Python's repr */
	expect_dumps("0.87", "0.87");
	expect_dumps("1.0", "1.0");
	expect_dumps("-2.5", "-2.5");
	expect_dumps("0.0001", "0.0001");
	expect_dumps("0.00001", "1e-05");
	expect_dumps("1e16", "1e+16");
	expect_dumps("123456.789", "123456.789");
	expect_dumps("1e15", "1000000000000000.0");
	expect_dumps("0.1", "0.1");
	assert_null(stache_json_dumps(NULL));
}

/* ---- sorting ------------------------------------------------------------------------------ */

static void test_sort_newest_mixed_formats(void **st)
{
	(void)st;
	static const char *const times[] = {
		"2026-07-19T15:24:15+00:00",          /* whole second, Stache */
		"not a time",
		"2026-07-19T15:24:15.5Z",             /* Chainlit form, half a second later */
		"2026-07-19T15:24:14.999999+00:00",
		"2026-07-19T17:24:16+02:00",          /* 15:24:16 UTC: the newest */
		"2026-01-02T00:00:00.000001+00:00",
	};
	/* newest first; the unparseable one last */
	static const size_t want[] = {4, 2, 0, 3, 5, 1};
	struct stache_row_list l = {0};
	json_t *items = json_array();
	for (size_t i = 0; i < 6; i++) {
		char pk[32];
		snprintf(pk, sizeof pk, "CLEANUP#%zu", i);
		json_array_append_new(items, json_pack("{s:{s:s},s:{s:s},s:{s:s}}", "PK", "S", pk,
		                                       "SK", "S", "JOB", "created_at", "S", times[i]));
	}
	stache_row_list_add_items(&l, items);
	json_decref(items);
	assert_int_equal(l.n, 6);
	stache_rows_sort_newest(l.v, l.n);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(l.v[i].when, times[want[i]]);
	assert_false(l.v[5].when_ok);
	assert_true(has_problem(&l.v[5].problems, "created_at", "not a timestamp"));
	stache_row_list_free(&l);
	assert_int_equal(l.n, 0);
}

/* ---- tree ---------------------------------------------------------------------------------- */

struct nsdef {
	const char *id, *name, *parent;   /* parent NULL: __ROOT__; "-": no parent_id */
};

static struct stache_ns *make_ns(const struct nsdef *d, size_t n)
{
	struct stache_ns *v = calloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}",
		                       "id", "S", d[i].id, "name", "S", d[i].name, "description", "S", "",
		                       "metadata", "S", "{}", "filter_keys", "S", "[]",
		                       "created_at", "S", "2026-07-19T15:24:15.120394+00:00",
		                       "updated_at", "S", "2026-07-19T15:24:15.120394+00:00");
		if (!d[i].parent)
			json_object_set_new(it, "parent_id", json_pack("{s:s}", "S", "__ROOT__"));
		else if (strcmp(d[i].parent, "-"))
			json_object_set_new(it, "parent_id", json_pack("{s:s}", "S", d[i].parent));
		stache_ns_decode(it, &v[i]);
		json_decref(it);
	}
	return v;
}

static void free_ns(struct stache_ns *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		stache_ns_clear(&v[i]);
	free(v);
}

/* The display rows as "depth:id" joined by spaces. */
static char *rows_text(const struct stache_tree *t)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	for (size_t r = 0; r < t->n_rows; r++)
		fprintf(f, "%s%d:%s", r ? " " : "", t->rows[r].depth, t->ns[t->rows[r].ns].id);
	fclose(f);
	return out;
}

static void expect_rows(const struct stache_tree *t, const char *want)
{
	char *got = rows_text(t);
	assert_string_equal(got, want);
	free(got);
}

static void expect_path(const struct stache_tree *t, const char *id, const char *want)
{
	size_t i = stache_tree_find(t, id);
	assert_int_not_equal(i, STACHE_NONE);
	char *p = stache_tree_path(t, i);
	assert_string_equal(p, want);
	free(p);
}

static void test_tree_basic(void **st)
{
	(void)st;
	static const struct nsdef d[] = {
		{"research", "Research", NULL},
		{"engineering/backend/db", "databases", "engineering/backend"},
		{"engineering", "Engineering", NULL},
		{"engineering/backend/api", "API", "engineering/backend"},
		{"engineering/backend", "Backend", "engineering"},
		{"engineering/frontend", "frontend", "engineering"},
		{"archive", "archive", NULL},
	};
	struct stache_ns *ns = make_ns(d, 7);
	struct stache_tree t;
	stache_tree_build(ns, 7, &t);
	assert_int_equal(t.roots.n, 3);
	assert_int_equal(t.orphans.n, 0);
	assert_int_equal(t.n_cycles, 0);
	assert_int_equal(t.n_rows, 7);
	/* siblings by name without case: archive, Engineering, Research; API, databases */
	expect_rows(&t, "0:archive 0:engineering 1:engineering/backend 2:engineering/backend/api "
	                "2:engineering/backend/db 1:engineering/frontend 0:research");
	for (size_t r = 0; r < t.n_rows; r++)
		assert_int_equal(t.rows[r].place, STACHE_IN_TREE);
	expect_path(&t, "engineering/backend/api", "Engineering > Backend > API");
	expect_path(&t, "research", "Research");
	assert_int_equal(stache_tree_find(&t, "nope"), STACHE_NONE);
	assert_int_equal(stache_tree_find(&t, NULL), STACHE_NONE);
	size_t n;
	enum stache_path_end end;
	size_t *anc = stache_tree_ancestors(&t, stache_tree_find(&t, "engineering/backend/db"), &n, &end);
	assert_int_equal(n, 3);
	assert_int_equal(end, STACHE_PATH_ROOT);
	assert_string_equal(ns[anc[0]].id, "engineering");
	assert_string_equal(ns[anc[2]].id, "engineering/backend/db");
	free(anc);
	stache_tree_free(&t);
	free_ns(ns, 7);
}

static void test_tree_orphans(void **st)
{
	(void)st;
	static const struct nsdef d[] = {
		{"archive/2024/q4", "Q4", "archive/2024"},
		{"archive/2024", "Archive 2024", "archive"},   /* "archive" is gone */
		{"home", "Home", NULL},
		{"lost", "Lost", "-"},                        /* no parent_id at all */
	};
	struct stache_ns *ns = make_ns(d, 4);
	struct stache_tree t;
	stache_tree_build(ns, 4, &t);
	assert_int_equal(t.roots.n, 1);
	assert_int_equal(t.orphans.n, 2);
	assert_string_equal(ns[t.orphans.v[0]].id, "archive/2024");
	assert_string_equal(ns[t.orphans.v[1]].id, "lost");
	expect_rows(&t, "0:home 0:archive/2024 1:archive/2024/q4 0:lost");
	assert_int_equal(t.rows[1].place, STACHE_IN_ORPHAN);
	assert_int_equal(t.rows[2].place, STACHE_IN_ORPHAN);
	assert_int_equal(t.rows[2].group, stache_tree_find(&t, "archive/2024"));
	assert_true(has_problem(&ns[3].problems, "parent_id", "missing"));
	expect_path(&t, "archive/2024/q4", "\xe2\x80\xa6 > Archive 2024 > Q4");
	stache_tree_free(&t);
	free_ns(ns, 4);
}

static void test_tree_two_cycle(void **st)
{
	(void)st;
	static const struct nsdef d[] = {
		{"projects/beta", "Beta", "projects/alpha"},
		{"projects/alpha", "Alpha", "projects/beta"},
		{"root", "Root", NULL},
	};
	struct stache_ns *ns = make_ns(d, 3);
	struct stache_tree t;
	stache_tree_build(ns, 3, &t);
	assert_int_equal(t.roots.n, 1);
	assert_int_equal(t.orphans.n, 0);
	assert_int_equal(t.n_cycles, 1);
	assert_int_equal(t.cycles[0].n, 2);
	/* from the smallest id, then its parent */
	assert_string_equal(ns[t.cycles[0].v[0]].id, "projects/alpha");
	assert_string_equal(ns[t.cycles[0].v[1]].id, "projects/beta");
	expect_rows(&t, "0:root 0:projects/alpha 0:projects/beta");
	assert_true(t.rows[1].on_cycle && t.rows[2].on_cycle);
	assert_int_equal(t.rows[1].place, STACHE_IN_CYCLE);
	/* neither is the other's child in the display */
	assert_int_equal(t.children[stache_tree_find(&t, "projects/alpha")].n, 0);
	size_t n;
	enum stache_path_end end;
	size_t *anc = stache_tree_ancestors(&t, stache_tree_find(&t, "projects/alpha"), &n, &end);
	assert_int_equal(end, STACHE_PATH_CYCLE);
	assert_int_equal(n, 2);
	free(anc);
	expect_path(&t, "projects/alpha", "\xe2\x86\xbb > Beta > Alpha");
	stache_tree_free(&t);
	free_ns(ns, 3);
}

static void test_tree_self_parent(void **st)
{
	(void)st;
	static const struct nsdef d[] = {{"me", "Me", "me"}, {"kid", "Kid", "me"}};
	struct stache_ns *ns = make_ns(d, 2);
	struct stache_tree t;
	stache_tree_build(ns, 2, &t);
	assert_int_equal(t.n_cycles, 1);
	assert_int_equal(t.cycles[0].n, 1);
	assert_int_equal(t.roots.n, 0);
	expect_rows(&t, "0:me 1:kid");
	assert_true(t.rows[0].on_cycle);
	assert_false(t.rows[1].on_cycle);
	assert_int_equal(t.rows[1].place, STACHE_IN_CYCLE);
	expect_path(&t, "kid", "\xe2\x86\xbb > Me > Kid");
	stache_tree_free(&t);
	free_ns(ns, 2);
}

static void test_tree_three_cycle_with_subtree(void **st)
{
	(void)st;
	/* a -> b -> c -> a (each pointing at its parent); d and f hang off the
	 * cycle, e below d; r is an unrelated root */
	static const struct nsdef d[] = {
		{"e", "E", "d"}, {"c", "C", "a"}, {"f", "F", "b"}, {"a", "A", "b"},
		{"d", "D", "a"}, {"r", "R", NULL}, {"b", "B", "c"},
	};
	struct stache_ns *ns = make_ns(d, 7);
	struct stache_tree t;
	stache_tree_build(ns, 7, &t);
	assert_int_equal(t.n_cycles, 1);
	assert_int_equal(t.cycles[0].n, 3);
	assert_string_equal(ns[t.cycles[0].v[0]].id, "a");
	assert_string_equal(ns[t.cycles[0].v[1]].id, "b");
	assert_string_equal(ns[t.cycles[0].v[2]].id, "c");
	assert_int_equal(t.n_rows, 7);
	expect_rows(&t, "0:r 0:a 1:d 2:e 0:b 1:f 0:c");
	for (size_t r = 1; r < t.n_rows; r++) {
		assert_int_equal(t.rows[r].place, STACHE_IN_CYCLE);
		assert_int_equal(t.rows[r].group, 0);
		const char *id = ns[t.rows[r].ns].id;
		assert_int_equal(t.rows[r].on_cycle, !strcmp(id, "a") || !strcmp(id, "b") || !strcmp(id, "c"));
	}
	expect_path(&t, "e", "\xe2\x86\xbb > C > B > A > D > E");
	stache_tree_free(&t);
	free_ns(ns, 7);
}

static void test_tree_deep_chain(void **st)
{
	(void)st;
	enum { N = 10000 };
	/* a chain from a root, a chain below an orphan, and one long cycle */
	static struct nsdef d[3 * N];
	static char ids[3 * N][16];
	for (int i = 0; i < 3 * N; i++) {
		int chain = i / N, k = i % N;
		snprintf(ids[i], sizeof ids[i], "%c%05d", "tuc"[chain], k);
		d[i].id = d[i].name = ids[i];
	}
	for (int k = 0; k < N; k++) {
		d[k].parent = k ? ids[k - 1] : NULL;
		d[N + k].parent = k ? ids[N + k - 1] : "gone";
		d[2 * N + k].parent = ids[2 * N + (k + 1) % N];
	}
	struct stache_ns *ns = make_ns(d, 3 * N);
	struct stache_tree t;
	stache_tree_build(ns, 3 * N, &t);
	assert_int_equal(t.n_rows, 3 * N);
	assert_int_equal(t.roots.n, 1);
	assert_int_equal(t.orphans.n, 1);
	assert_int_equal(t.n_cycles, 1);
	assert_int_equal(t.cycles[0].n, N);
	assert_int_equal(t.rows[N - 1].depth, N - 1);
	assert_string_equal(ns[t.rows[N - 1].ns].id, "t09999");
	assert_int_equal(t.rows[2 * N - 1].depth, N - 1);
	assert_int_equal(t.rows[2 * N - 1].place, STACHE_IN_ORPHAN);
	assert_int_equal(t.rows[2 * N].place, STACHE_IN_CYCLE);
	size_t n;
	enum stache_path_end end;
	size_t *anc = stache_tree_ancestors(&t, stache_tree_find(&t, "t09999"), &n, &end);
	assert_int_equal(n, N);
	assert_int_equal(end, STACHE_PATH_ROOT);
	free(anc);
	anc = stache_tree_ancestors(&t, stache_tree_find(&t, "c00000"), &n, &end);
	assert_int_equal(n, N);
	assert_int_equal(end, STACHE_PATH_CYCLE);
	free(anc);
	char *p = stache_tree_path(&t, stache_tree_find(&t, "u09999"));
	static const char head[] = "\xe2\x80\xa6 > u00000 > u00001 > ";
	assert_true(!strncmp(p, head, sizeof head - 1));
	assert_int_equal(strlen(p), 6 + (size_t)N * 6 + (size_t)(N - 1) * 3);
	free(p);
	stache_tree_free(&t);
	free_ns(ns, 3 * N);
}

static void test_tree_empty(void **st)
{
	(void)st;
	struct stache_tree t;
	stache_tree_build(NULL, 0, &t);
	assert_int_equal(t.n_rows, 0);
	assert_int_equal(stache_tree_find(&t, "x"), STACHE_NONE);
	stache_tree_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ns_samples),
		cmocka_unit_test(test_ns_metadata_map),
		cmocka_unit_test(test_ns_metadata_invalid_json),
		cmocka_unit_test(test_ns_wrong_json_types),
		cmocka_unit_test(test_ns_missing_and_mistyped),
		cmocka_unit_test(test_ns_unicode_metadata),
		cmocka_unit_test(test_ns_json_numbers),
		cmocka_unit_test(test_ns_cmp_name),
		cmocka_unit_test(test_doc_sample),
		cmocka_unit_test(test_trash_sample),
		cmocka_unit_test(test_reservation_sample),
		cmocka_unit_test(test_cleanup_sample),
		cmocka_unit_test(test_unknown_row),
		cmocka_unit_test(test_doc_legacy_status),
		cmocka_unit_test(test_doc_null_namespace),
		cmocka_unit_test(test_doc_mistyped),
		cmocka_unit_test(test_doc_status_fields),
		cmocka_unit_test(test_doc_huge_chunk_list),
		cmocka_unit_test(test_key_escape),
		cmocka_unit_test(test_key_agreement),
		cmocka_unit_test(test_item_key),
		cmocka_unit_test(test_json_dumps),
		cmocka_unit_test(test_sort_newest_mixed_formats),
		cmocka_unit_test(test_tree_basic),
		cmocka_unit_test(test_tree_orphans),
		cmocka_unit_test(test_tree_two_cycle),
		cmocka_unit_test(test_tree_self_parent),
		cmocka_unit_test(test_tree_three_cycle_with_subtree),
		cmocka_unit_test(test_tree_deep_chain),
		cmocka_unit_test(test_tree_empty),
	};
	return cmocka_run_group_tests_name("stache", tests, NULL, NULL);
}
