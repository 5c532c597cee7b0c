/* Integration tests of model/search.c against DynamoDB Local, on the demo
 * tables plus planted items: a user's thread names as Chainlit searches
 * them (case, no match, a user with no threads, filtered pages that come
 * back short or empty while more follow, pausing at `want` and going on,
 * a table without the UserThread index); step contents across the table
 * (parallel segments, the field that matched, thread names filled in from
 * the THREAD items, a missing THREAD item, --type, --with-feedback, ignoring
 * case, a user's threads read by Query and by Scan, the item counts,
 * cancelling mid-scan with search_cancel and with Esc's
 * ddb_client_cancel_reads, freeing from a callback); documents by prefix in
 * a namespace (with the pre-0.2.0 key form) and across namespaces;
 * hostile text (quotes, backslashes, escapes) searched for and found.
 * DDTREE_TEST_ENDPOINT names the server (tests/harness/run-test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsontext.h"
#include "model/search.h"
#include "model/session.h"
#include "tests/integration/it-demo.h"

static struct it_demo demo;
static struct session *s;
static const char *chainlit, *documents;

/* The planted data: a token the demo data does not hold. */
#define TOKEN "xyzzy"
#define USER "searcher@example.com"
#define OTHER "other@example.com"
#define N_THREADS 30            /* of USER; the matching names are the 2 oldest */
#define T_MAIN "10000000-0000-4000-8000-000000000001"   /* USER's, with steps */
#define T_OTHER "20000000-0000-4000-8000-000000000002"  /* OTHER's */
#define T_GONE "30000000-0000-4000-8000-000000000003"   /* steps, no THREAD item */
#define HOSTILE_NAME "needle " TOKEN " \x1b]52;c;SE9TVElMRQ==\x07 \xe2\x80\xae said \"q\" \\ 100%"

static json_t *S(const char *v)
{
	return ddb_av_s(v);
}

static void put_all(const char *table, json_t *items)
{
	json_t *writes = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		json_array_append_new(writes, json_pack("{s:{s:O}}", "PutRequest", "Item", it));
	struct ddb_result *r = ddb_batch_write_sync(s->ddb, table, writes);
	if (r) {
		fprintf(stderr, "BatchWriteItem: %s\n", r->err.message ? r->err.message : "?");
		ddb_result_free(r);
		abort();
	}
	json_decref(writes);
	json_decref(items);
}

static json_t *thread_item(const char *id, const char *user, const char *name, int minute)
{
	char pk[80], ts[64];
	snprintf(pk, sizeof pk, "THREAD#%s", id);
	snprintf(ts, sizeof ts, "2026-05-01T10:%02d:00.000000Z", minute);
	json_t *t = json_pack("{s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK", S("THREAD"), "id", S(id),
	                      "createdAt", S(ts), "metadata", json_pack("{s:{}}", "M"));
	if (name)
		json_object_set_new(t, "name", S(name));
	if (user) {
		char upk[80], usk[80];
		snprintf(upk, sizeof upk, "USER#%s", user);
		snprintf(usk, sizeof usk, "TS#%s", ts);
		json_object_set_new(t, "UserThreadPK", S(upk));
		json_object_set_new(t, "UserThreadSK", S(usk));
		json_object_set_new(t, "userId", S(user));
		json_object_set_new(t, "userIdentifier", S(user));
	}
	return t;
}

static json_t *step_item(const char *thread, const char *id, const char *type, const char *name,
                         const char *input, const char *output, int vote)
{
	char pk[80], sk[80];
	snprintf(pk, sizeof pk, "THREAD#%s", thread);
	snprintf(sk, sizeof sk, "STEP#%s", id);
	json_t *st = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK", S(sk), "id",
	                       S(id), "threadId", S(thread), "type", S(type), "name", S(name),
	                       "output", S(output), "createdAt", S("2026-05-01T10:00:01.5Z"));
	if (input)
		json_object_set_new(st, "input", S(input));
	if (vote >= 0) {
		char fid[200];
		snprintf(fid, sizeof fid, "THREAD#%s::STEP#%s", thread, id);
		json_object_set_new(st, "feedback",
		                    json_pack("{s:{s:o,s:o,s:o,s:o,s:o}}", "M", "forId", S(id), "value",
		                              ddb_av_n(vote ? "1" : "0"), "threadId", S(thread), "id",
		                              S(fid), "comment", ddb_av_null()));
	}
	return st;
}

static json_t *doc_item(const char *ns, const char *gsi1pk, const char *id, const char *filename,
                        const char *source_path, const char *summary, int day)
{
	char pk[200], created[64], g1sk[80], g2pk[300];
	snprintf(pk, sizeof pk, "DOC#%s#%s", ns, id);
	snprintf(created, sizeof created, "2026-06-%02dT08:00:00.000000+00:00", day);
	snprintf(g1sk, sizeof g1sk, "CREATED#%s", created);
	snprintf(g2pk, sizeof g2pk, "FILENAME#%s#%s", ns, source_path ? source_path : filename);
	json_t *d = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "PK", S(pk), "SK",
	                      S("METADATA"), "GSI1PK", S(gsi1pk), "GSI1SK", S(g1sk), "GSI2PK", S(g2pk),
	                      "GSI2SK", S(g1sk), "doc_id", S(id), "namespace", S(ns), "filename",
	                      S(filename), "created_at", S(created), "status", S("active"),
	                      "chunk_count", ddb_av_n("1"));
	if (source_path)
		json_object_set_new(d, "source_path", S(source_path));
	if (summary)
		json_object_set_new(d, "summary", S(summary));
	return d;
}

static int setup(void **st)
{
	(void)st;
	it_credentials("AKIDITSEARCH", "it-secret", "us-east-1");
	if (it_demo_open(&demo, "it-search", false) != 0)
		return -1;
	s = demo.s;
	chainlit = demo.names.chainlit;
	documents = demo.names.documents;

	json_t *items = json_array();
	/* USER's threads, newest first by minute: only the two oldest match */
	for (int i = 0; i < N_THREADS; i++) {
		char id[64], name[64];
		snprintf(id, sizeof id, "%08d-0000-4000-8000-00000000aaaa", i);
		if (i == 0)
			snprintf(name, sizeof name, "Oldest: " TOKEN " report");
		else if (i == 1)
			snprintf(name, sizeof name, "Second: the " TOKEN " plan");
		else if (i == 2)
			snprintf(name, sizeof name, "Third: the XYZZY plan");   /* case */
		else
			snprintf(name, sizeof name, "Plain thread %d", i);
		json_array_append_new(items, thread_item(id, USER, name, 10 + i));
	}
	json_array_append_new(items, thread_item(T_MAIN, USER, "Main thread", 55));
	json_array_append_new(items, thread_item(T_OTHER, OTHER, HOSTILE_NAME, 56));
	put_all(chainlit, items);

	items = json_array();
	json_array_append_new(items, step_item(T_MAIN, "s-input", "tool", "lookup",
	                                       "find the " TOKEN " here", "nothing", -1));
	json_array_append_new(items, step_item(T_MAIN, "s-output", "assistant_message", "Assistant",
	                                       NULL, "a " TOKEN " in the output", 0));
	json_array_append_new(items, step_item(T_MAIN, "s-name", "llm", TOKEN "-namer",
	                                       "also " TOKEN " in the input", "out", 1));
	json_array_append_new(items, step_item(T_MAIN, "s-quoted", "run", "run",
	                                       "{\"q\": \"say \\\"" TOKEN "\\\" \\\\ now 100%\"}",
	                                       "", -1));
	json_array_append_new(items, step_item(T_MAIN, "s-upper", "run", "run", "UPPER XYZZY",
	                                       "", -1));
	json_array_append_new(items, step_item(T_MAIN, "s-none", "run", "run", "no token", "", -1));
	json_array_append_new(items, step_item(T_OTHER, "s-other", "assistant_message", "Assistant",
	                                       NULL, "elsewhere " TOKEN "\n\tafter\x1b[2J", 1));
	json_array_append_new(items, step_item(T_GONE, "s-gone", "tool", "lookup", TOKEN, "", -1));
	put_all(chainlit, items);

	items = json_array();
	json_array_append_new(items, doc_item("kb/" TOKEN, "NAMESPACE#kb/" TOKEN, "d1",
	                                      TOKEN "-report.pdf", NULL, "A report.", 1));
	json_array_append_new(items, doc_item("kb/" TOKEN, "NAMESPACE#kb/" TOKEN, "d2",
	                                      "report-" TOKEN ".pdf", NULL, "Another.", 2));
	json_array_append_new(items, doc_item("kb/" TOKEN, "NAMESPACE#kb/" TOKEN, "d3", "notes.md",
	                                      TOKEN "/notes.md", NULL, 3));
	json_array_append_new(items, doc_item("kb/" TOKEN, "NAMESPACE#kb/" TOKEN, "d4", "plain.md",
	                                      NULL, "Mentions " TOKEN " in passing.", 4));
	/* a namespace with '#': the 0.2.0 escaped key and an old raw key */
	json_array_append_new(items, doc_item("c#" TOKEN, "NAMESPACE#c%23" TOKEN, "d5",
	                                      TOKEN "-new.md", NULL, NULL, 5));
	json_array_append_new(items, doc_item("c#" TOKEN, "NAMESPACE#c#" TOKEN, "d6",
	                                      TOKEN "-old.md", NULL, NULL, 6));
	put_all(documents, items);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	it_demo_close(&demo);
	return 0;
}

/* ---- running a search --------------------------------------------------------- */

struct run {
	json_t *matches;            /* search_match_json of each */
	long batches, empty_pages_before_first, progress_calls;
	bool seen_match;
	long last_matches;
	int done_calls;
	enum ddb_error_kind done_kind;
	char *done_message;
	struct search_progress last;
	/* what the callbacks do */
	long cancel_after_pages;    /* search_cancel once pr.pages reaches it */
	long free_after_pages;      /* search_free from the callback */
	struct search *x;
	bool freed;
	bool after_stop;            /* a callback came after done */
};

static void r_batch(const struct search_match *v, size_t n, void *ud)
{
	struct run *r = ud;
	if (r->done_calls)
		r->after_stop = true;
	r->batches++;
	r->seen_match = true;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(r->matches, search_match_json(&v[i]));
}

static void r_progress(const struct search_progress *p, void *ud)
{
	struct run *r = ud;
	if (r->done_calls || r->freed)
		r->after_stop = true;
	r->progress_calls++;
	r->last = *p;
	if (!r->seen_match && p->matches == 0)
		r->empty_pages_before_first = p->pages;
	if (r->cancel_after_pages && p->pages >= r->cancel_after_pages && r->x) {
		r->cancel_after_pages = 0;
		search_cancel(r->x);
	}
	if (r->free_after_pages && p->pages >= r->free_after_pages && r->x) {
		r->free_after_pages = 0;
		search_free(r->x);
		r->x = NULL;
		r->freed = true;
	}
}

static void r_done(const struct search_progress *p, const struct ddb_error *err, void *ud)
{
	struct run *r = ud;
	if (r->done_calls || r->freed)
		r->after_stop = true;
	r->done_calls++;
	r->last = *p;
	r->done_kind = err ? err->kind : DDB_OK;
	free(r->done_message);
	r->done_message = err && err->message ? strdup(err->message) : NULL;
}

static const struct search_cbs cbs = {.batch = r_batch, .progress = r_progress, .done = r_done};

static void run_init(struct run *r)
{
	memset(r, 0, sizeof *r);
	r->matches = json_array();
}

static void run_free(struct run *r)
{
	json_decref(r->matches);
	free(r->done_message);
}

/* Start, wait for done (or for the pause), leave the search in r->x. */
static void run_async(struct run *r, const struct search_opts *o)
{
	char *why = NULL;
	r->x = search_start(s, o, &cbs, r, &why);
	if (!r->x)
		fail_msg("search_start: %s", why ? why : "?");
	while (!r->done_calls && !r->freed && !(r->x && search_get_progress(r->x)->paused))
		ddb_client_wait(s->ddb, 1000);
}

/* Run to the end; returns the matches (borrowed from r). */
static json_t *run(struct run *r, struct search_opts o)
{
	run_init(r);
	run_async(r, &o);
	assert_int_equal(r->done_calls, 1);
	if (r->done_kind != DDB_OK)
		fail_msg("search failed: %s", r->done_message ? r->done_message : "?");
	search_free(r->x);
	r->x = NULL;
	ddb_client_drain(s->ddb);
	assert_false(r->after_stop);
	return r->matches;
}

/* The values of `field` of the matches, sorted, joined with ",". */
static char *values(const json_t *matches, const char *field)
{
	size_t n = json_array_size(matches);
	char **v = calloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const json_t *x = json_object_get(json_array_get(matches, i), field);
		v[i] = json_is_string(x) ? (char *)json_string_value(x) : json_is_null(x) ? "null" : "?";
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[i], v[j]) > 0) {
				char *t = v[i];
				v[i] = v[j];
				v[j] = t;
			}
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *out = calloc(len, 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, v[i]);
	}
	free(v);
	return out;
}

static void expect_values(const json_t *matches, const char *field, const char *want)
{
	char *got = values(matches, field);
	if (strcmp(got, want))
		fail_msg("%s: got \"%s\", want \"%s\"", field, got, want);
	free(got);
}

/* The match whose `field` is `value`. */
static const json_t *match_with(const json_t *matches, const char *field, const char *value)
{
	size_t i;
	json_t *m;
	json_array_foreach(matches, i, m)
		if (!strcmp(json_string_value(json_object_get(m, field)) ?: "", value))
			return m;
	fail_msg("no match with %s = %s", field, value);
	return NULL;
}

static const char *str(const json_t *m, const char *field)
{
	return json_string_value(json_object_get(m, field));
}

/* ---- thread names --------------------------------------------------------------- */

static struct search_opts names(const char *text)
{
	return (struct search_opts){.scope = SEARCH_THREAD_NAMES, .text = text, .table = chainlit,
	                            .user = USER};
}

static void test_names_as_chainlit(void **st)
{
	(void)st;
	struct run r;
	json_t *m = run(&r, names(TOKEN));
	/* case-sensitive like Chainlit's filter: "XYZZY" is not found */
	expect_values(m, "thread_name", "Oldest: xyzzy report,Second: the xyzzy plan");
	/* index order: most recently updated first */
	assert_string_equal(str(json_array_get(m, 0), "thread_name"), "Second: the xyzzy plan");
	const json_t *one = json_array_get(m, 0);
	assert_string_equal(str(one, "kind"), "thread");
	assert_string_equal(str(one, "field"), "name");
	assert_string_equal(str(one, "user"), USER);
	assert_string_equal(str(one, "updated_at"), "2026-05-01T10:11:00.000000Z");
	assert_string_equal(str(json_object_get(one, "key"), "SK"), "THREAD");
	assert_int_equal(r.last.read, N_THREADS + 1);   /* the whole index of the user, once */
	assert_int_equal(r.last.matches, 2);
	assert_true(r.last.done);
	run_free(&r);

	m = run(&r, (struct search_opts){.scope = SEARCH_THREAD_NAMES, .text = "xyZZy",
	                                 .table = chainlit, .user = USER, .ignore_case = true});
	expect_values(m, "thread_name",
	              "Oldest: xyzzy report,Second: the xyzzy plan,Third: the XYZZY plan");
	run_free(&r);
}

static void test_names_no_match_and_no_threads(void **st)
{
	(void)st;
	struct run r;
	json_t *m = run(&r, names("no such name anywhere"));
	assert_int_equal(json_array_size(m), 0);
	assert_int_equal(r.last.read, N_THREADS + 1);
	run_free(&r);
	struct search_opts o = names(TOKEN);
	o.user = "nobody-at-all@example.com";
	m = run(&r, o);
	assert_int_equal(json_array_size(m), 0);
	assert_int_equal(r.last.read, 0);   /* how the command line tells "no threads" */
	run_free(&r);
}

/* Limit 4: the matches are in the last of 8 pages; the pages before come
 * back empty with more to follow, and the reading goes on through them. */
static void test_names_empty_pages_while_more_remain(void **st)
{
	(void)st;
	struct run r;
	struct search_opts o = names(TOKEN);
	o.page_limit = 4;
	json_t *m = run(&r, o);
	assert_int_equal(json_array_size(m), 2);
	assert_true(r.last.pages >= 8);
	assert_true(r.empty_pages_before_first >= 7);
	run_free(&r);

	/* a short page: Limit 3 puts the two matches on different pages */
	o.page_limit = 3;
	m = run(&r, o);
	assert_int_equal(json_array_size(m), 2);
	assert_true(r.batches >= 2);
	run_free(&r);
}

/* want: the reading pauses once that many matches are out, and goes on. */
static void test_names_pause_and_more(void **st)
{
	(void)st;
	struct run r;
	run_init(&r);
	struct search_opts o = names(TOKEN);
	o.page_limit = 1;
	o.want = 1;
	run_async(&r, &o);
	assert_int_equal(r.done_calls, 0);
	const struct search_progress *p = search_get_progress(r.x);
	assert_true(p->paused);
	assert_int_equal(p->matches, 1);
	long pages = p->pages;
	/* paused: nothing is read until search_more */
	ddb_client_wait(s->ddb, 200);
	assert_int_equal(search_get_progress(r.x)->pages, pages);
	search_more(r.x, 0);
	while (!r.done_calls)
		ddb_client_wait(s->ddb, 1000);
	assert_int_equal(r.done_kind, DDB_OK);
	assert_int_equal(json_array_size(r.matches), 2);
	assert_true(search_finished(r.x));
	search_free(r.x);
	run_free(&r);
}

static void test_names_table_without_index(void **st)
{
	(void)st;
	struct run r;
	run_init(&r);
	struct search_opts o = names(TOKEN);
	o.table = documents;   /* PK/SK, GSI1, GSI2: no UserThread */
	run_async(&r, &o);
	assert_int_equal(r.done_calls, 1);
	assert_int_equal(r.done_kind, DDB_ERR_USAGE);
	assert_non_null(strstr(r.done_message, "UserThread"));
	assert_non_null(strstr(r.done_message, documents));
	search_free(r.x);
	run_free(&r);

	/* the same through the synchronous form, and for steps of a user */
	struct ddb_error err;
	o = (struct search_opts){.scope = SEARCH_STEPS, .text = TOKEN, .table = documents,
	                         .user = USER};
	assert_int_equal(search_run_sync(s, &o, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.kind, DDB_ERR_USAGE);
	assert_non_null(strstr(err.message, "UserThread"));
	ddb_error_clear(&err);
	/* documents in a namespace read GSI1 */
	o = (struct search_opts){.scope = SEARCH_DOCUMENTS, .text = TOKEN, .table = chainlit,
	                         .namespace_ = "kb"};
	assert_int_equal(search_run_sync(s, &o, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.kind, DDB_ERR_USAGE);
	assert_non_null(strstr(err.message, "GSI1"));
	ddb_error_clear(&err);
	/* a table that does not exist is the server's error */
	o = names(TOKEN);
	o.table = "no-such-table-at-all";
	assert_int_equal(search_run_sync(s, &o, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.kind, DDB_ERR_SERVICE);
	ddb_error_clear(&err);
	/* refused options come back as usage errors, before any request */
	o = names("");
	assert_int_equal(search_run_sync(s, &o, NULL, NULL, NULL, &err), -1);
	assert_int_equal(err.kind, DDB_ERR_USAGE);
	ddb_error_clear(&err);
}

/* ---- steps ---------------------------------------------------------------------- */

static struct search_opts steps(const char *text)
{
	return (struct search_opts){.scope = SEARCH_STEPS, .text = text, .table = chainlit};
}

static void test_steps_across_the_table(void **st)
{
	(void)st;
	for (int segments = 1; segments <= 3; segments += 2) {
		struct run r;
		struct search_opts o = steps(TOKEN);
		o.segments = segments;
		o.page_limit = 25;   /* many pages, most of them empty after the filter */
		json_t *m = run(&r, o);
		expect_values(m, "step_id", "s-gone,s-input,s-name,s-other,s-output,s-quoted");
		/* the first field that holds it: name, then input, then output */
		assert_string_equal(str(match_with(m, "step_id", "s-name"), "field"), "name");
		assert_string_equal(str(match_with(m, "step_id", "s-input"), "field"), "input");
		assert_string_equal(str(match_with(m, "step_id", "s-output"), "field"), "output");
		assert_string_equal(str(match_with(m, "step_id", "s-input"), "snippet"),
		                    "find the " TOKEN " here");
		/* thread names from the THREAD items, the user with them */
		const json_t *x = match_with(m, "step_id", "s-output");
		assert_string_equal(str(x, "thread_name"), "Main thread");
		assert_string_equal(str(x, "user"), USER);
		assert_string_equal(str(x, "thread_id"), T_MAIN);
		assert_string_equal(str(x, "type"), "assistant_message");
		assert_int_equal(json_integer_value(json_object_get(x, "vote")), 0);
		assert_true(json_is_null(json_object_get(match_with(m, "step_id", "s-input"), "vote")));
		x = match_with(m, "step_id", "s-other");
		assert_string_equal(str(x, "thread_name"), HOSTILE_NAME);
		assert_string_equal(str(x, "user"), OTHER);
		/* whitespace made one space; the escape stays for the caller to sanitise */
		assert_string_equal(str(x, "snippet"), "elsewhere " TOKEN " after\x1b[2J");
		x = match_with(m, "step_id", "s-gone");
		assert_true(json_is_null(json_object_get(x, "thread_name")));
		assert_string_equal(str(x, "thread_id"), T_GONE);
		/* every item read once, as many as the table holds */
		assert_int_equal(r.last.segments, segments);
		assert_true(r.last.total > 0);
		assert_int_equal(r.last.read, r.last.total);
		assert_true(r.last.pages > segments);
		run_free(&r);
	}
}

static void test_steps_filters(void **st)
{
	(void)st;
	struct run r;
	struct search_opts o = steps(TOKEN);
	o.step_type = "tool";
	expect_values(run(&r, o), "step_id", "s-gone,s-input");
	run_free(&r);
	o = steps(TOKEN);
	o.with_feedback = true;
	expect_values(run(&r, o), "step_id", "s-name,s-other,s-output");
	run_free(&r);
	o.step_type = "assistant_message";
	expect_values(run(&r, o), "step_id", "s-other,s-output");
	run_free(&r);
	o = steps("XyZzY");
	o.ignore_case = true;
	expect_values(run(&r, o), "step_id", "s-gone,s-input,s-name,s-other,s-output,s-quoted,s-upper");
	run_free(&r);
	expect_values(run(&r, steps("nothing matches this at all")), "step_id", "");
	run_free(&r);
	/* quotes, a backslash and % are searched as text (the request is JSON) */
	expect_values(run(&r, steps("say \\\"" TOKEN "\\\" \\\\ now 100%")), "step_id", "s-quoted");
	run_free(&r);
}

static void test_steps_of_a_user(void **st)
{
	(void)st;
	const enum search_user_plan plans[] = {SEARCH_PLAN_AUTO, SEARCH_PLAN_QUERY, SEARCH_PLAN_SCAN};
	for (size_t i = 0; i < 3; i++) {
		struct run r;
		struct search_opts o = steps(TOKEN);
		o.user = USER;
		o.user_plan = plans[i];
		o.page_limit = 3;
		json_t *m = run(&r, o);
		expect_values(m, "step_id", "s-input,s-name,s-output,s-quoted");
		expect_values(m, "thread_name", "Main thread,Main thread,Main thread,Main thread");
		expect_values(m, "user", USER "," USER "," USER "," USER);
		assert_int_equal(r.last.threads_total, N_THREADS + 1);
		assert_int_equal(r.last.threads_done, N_THREADS + 1);
		if (plans[i] == SEARCH_PLAN_SCAN)
			assert_int_equal(r.last.read, r.last.total);
		else   /* one Query per thread: only the user's steps are read */
			assert_int_equal(r.last.read, 6);
		run_free(&r);
	}
	/* a user without threads: nothing read but the index */
	struct run r;
	struct search_opts o = steps(TOKEN);
	o.user = "nobody-at-all@example.com";
	assert_int_equal(json_array_size(run(&r, o)), 0);
	assert_int_equal(r.last.threads_total, 0);
	assert_int_equal(r.last.read, 0);
	run_free(&r);
}

static void test_steps_cancel_mid_scan(void **st)
{
	(void)st;
	/* search_cancel from a progress callback: done at once, cancelled */
	struct run r;
	run_init(&r);
	struct search_opts o = steps(TOKEN);
	o.page_limit = 10;
	o.segments = 2;
	r.cancel_after_pages = 2;
	run_async(&r, &o);
	assert_int_equal(r.done_calls, 1);
	assert_int_equal(r.done_kind, DDB_ERR_CANCELLED);
	assert_true(r.last.read < r.last.total);
	ddb_client_drain(s->ddb);   /* what was in flight ends without a callback */
	assert_false(r.after_stop);
	search_free(r.x);
	run_free(&r);

	/* Esc in the browser: every read in flight is cancelled (the key comes
	 * while the search waits for a page, here the first) */
	run_init(&r);
	char *why = NULL;
	r.x = search_start(s, &o, &cbs, &r, &why);
	assert_non_null(r.x);
	ddb_client_cancel_reads(s->ddb);
	while (!r.done_calls)
		ddb_client_wait(s->ddb, 1000);
	assert_int_equal(r.done_calls, 1);
	assert_int_equal(r.done_kind, DDB_ERR_CANCELLED);
	ddb_client_drain(s->ddb);
	assert_false(r.after_stop);
	search_free(r.x);
	run_free(&r);

	/* search_free from inside a callback: no callback after, nothing leaks */
	run_init(&r);
	r.free_after_pages = 3;
	run_async(&r, &o);
	assert_true(r.freed);
	assert_int_equal(r.done_calls, 0);
	ddb_client_drain(s->ddb);
	assert_false(r.after_stop);
	run_free(&r);

	/* search_cancel before any page came back */
	run_init(&r);
	r.x = search_start(s, &o, &cbs, &r, &why);
	assert_non_null(r.x);
	search_cancel(r.x);
	assert_int_equal(r.done_calls, 1);
	assert_int_equal(r.done_kind, DDB_ERR_CANCELLED);
	search_cancel(r.x);   /* twice is once */
	assert_int_equal(r.done_calls, 1);
	ddb_client_drain(s->ddb);
	assert_false(r.after_stop);
	search_free(r.x);
	run_free(&r);
}

/* ---- documents ------------------------------------------------------------------- */

static void test_documents_in_a_namespace(void **st)
{
	(void)st;
	struct run r;
	struct search_opts o = {.scope = SEARCH_DOCUMENTS, .text = TOKEN, .table = documents,
	                        .namespace_ = "kb/" TOKEN};
	json_t *m = run(&r, o);
	/* a prefix of the file name or of the source path, not anywhere */
	expect_values(m, "doc_id", "d1,d3");
	assert_string_equal(str(match_with(m, "doc_id", "d1"), "field"), "filename");
	assert_string_equal(str(match_with(m, "doc_id", "d3"), "field"), "source_path");
	/* newest first, as the namespace's index has them */
	assert_string_equal(str(json_array_get(m, 0), "doc_id"), "d3");
	assert_string_equal(str(json_array_get(m, 0), "namespace"), "kb/" TOKEN);
	assert_string_equal(str(json_array_get(m, 0), "status"), "active");
	run_free(&r);
	o.text = "REPORT-";
	o.ignore_case = true;
	expect_values(run(&r, o), "doc_id", "d2");
	run_free(&r);
	o.text = "report-";
	o.ignore_case = false;
	expect_values(run(&r, o), "doc_id", "d2");
	run_free(&r);
	/* '#' in the namespace: the escaped key and the pre-0.2.0 raw one */
	o = (struct search_opts){.scope = SEARCH_DOCUMENTS, .text = TOKEN, .table = documents,
	                         .namespace_ = "c#" TOKEN, .page_limit = 1};
	expect_values(run(&r, o), "doc_id", "d5,d6");
	run_free(&r);
	o.namespace_ = "no-such-namespace";
	expect_values(run(&r, o), "doc_id", "");
	run_free(&r);
}

static void test_documents_across_namespaces(void **st)
{
	(void)st;
	struct run r;
	struct search_opts o = {.scope = SEARCH_DOCUMENTS, .text = TOKEN, .table = documents,
	                        .page_limit = 7, .segments = 2};
	json_t *m = run(&r, o);
	expect_values(m, "doc_id", "d1,d2,d3,d4,d5,d6");
	assert_string_equal(str(match_with(m, "doc_id", "d4"), "field"), "summary");
	assert_string_equal(str(match_with(m, "doc_id", "d4"), "snippet"),
	                    "Mentions " TOKEN " in passing.");
	assert_string_equal(str(match_with(m, "doc_id", "d2"), "field"), "filename");
	assert_int_equal(r.last.read, r.last.total);
	run_free(&r);
	o.text = "transformer";   /* the demo's summary says "Transformer" */
	expect_values(run(&r, o), "doc_id", "");
	run_free(&r);
	o.ignore_case = true;
	assert_true(json_array_size(run(&r, o)) >= 1);
	run_free(&r);
}

/* ---- hostile text ------------------------------------------------------------------ */

static void test_hostile_names(void **st)
{
	(void)st;
	struct run r;
	struct search_opts o = names(TOKEN);
	o.user = OTHER;
	json_t *m = run(&r, o);
	assert_int_equal(json_array_size(m), 1);
	const json_t *x = json_array_get(m, 0);
	/* the model hands the text over as stored; the JSON line escapes it */
	assert_string_equal(str(x, "thread_name"), HOSTILE_NAME);
	char *line = jsontext_dumps(x, JT_COMPACT | JT_ENSURE_ASCII);
	assert_null(strchr(line, '\x1b'));
	assert_null(strchr(line, '\x07'));
	assert_non_null(strstr(line, "\\u001B]52"));
	assert_non_null(strstr(line, "\\u202E"));
	free(line);
	run_free(&r);
	/* the hostile name's own quotes and backslash, searched for */
	o.text = "said \"q\" \\ 100%";
	assert_int_equal(json_array_size(run(&r, o)), 1);
	run_free(&r);
	o.text = "\x1b]52;c;";
	assert_int_equal(json_array_size(run(&r, o)), 1);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_as_chainlit),
		cmocka_unit_test(test_names_no_match_and_no_threads),
		cmocka_unit_test(test_names_empty_pages_while_more_remain),
		cmocka_unit_test(test_names_pause_and_more),
		cmocka_unit_test(test_names_table_without_index),
		cmocka_unit_test(test_steps_across_the_table),
		cmocka_unit_test(test_steps_filters),
		cmocka_unit_test(test_steps_of_a_user),
		cmocka_unit_test(test_steps_cancel_mid_scan),
		cmocka_unit_test(test_documents_in_a_namespace),
		cmocka_unit_test(test_documents_across_namespaces),
		cmocka_unit_test(test_hostile_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
