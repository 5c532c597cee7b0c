/* Integration tests of the Chainlit model against DynamoDB Local: the demo
 * data read back through every repository (users, a user's threads page by
 * page, BatchGet of full threads, conversations, threads with no user, all
 * feedback, search across empty pages), feedback writes checked with GetItem
 * against Chainlit's exact shape, two writers on one step, writes to steps
 * that do not exist, the read-only refusal, and the integrity check; the
 * items Chainlit's feedback calls leave where there was no step (the stub
 * step of upsert_feedback, the stray item of delete_feedback), planted with
 * the libraries' own requests and named for what they are.
 * DDTREE_TEST_ENDPOINT names the server (tests/harness/run-test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/chainlit.h"
#include "model/check.h"
#include "model/demo.h"
#include "model/feedback.h"
#include "model/session.h"
#include "model/strays.h"
#include "tests/integration/it-demo.h"

static struct it_demo demo;
/* the fixture's session and table names, as the tests call them */
static struct session *s;
static struct demo_names names;
static const char *table;

static int setup(void **st)
{
	(void)st;
	it_credentials("AKIDITCHAINLIT", "it-secret", "us-east-1");
	if (it_demo_open(&demo, "it-chainlit", false) != 0)
		return -1;
	s = demo.s;
	names = demo.names;
	s->chainlit_table = strdup(names.chainlit);
	table = s->chainlit_table;
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	it_demo_close(&demo);
	return 0;
}

/* ---- helpers ------------------------------------------------------------------- */

static void collect(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	(void)err;
	json_array_extend(ud, (json_t *)items);
}

/* Every item a pager gives. */
static json_t *drain(struct pager *p)
{
	json_t *items = json_array();
	struct ddb_error err;
	if (pager_drain_sync(p, 0, collect, items, &err) != 0)
		fail_msg("drain: %s", err.message ? err.message : "?");
	pager_free(p);
	return items;
}

struct page_wait {
	bool done;
	json_t *items;
	bool failed;
};

static void page_cb(struct pager *p, const json_t *items, const struct ddb_error *err, void *ud)
{
	(void)p;
	struct page_wait *w = ud;
	w->done = true;
	w->failed = err != NULL;
	w->items = err ? NULL : json_incref((json_t *)items);
}

/* One page, asynchronously, waiting on the client. */
static json_t *next_page(struct pager *p)
{
	struct page_wait w = {0};
	assert_true(pager_next(p, page_cb, &w));
	while (!w.done)
		ddb_client_wait(s->ddb, 1000);
	assert_false(w.failed);
	return w.items;
}

static json_t *get_step(const char *tid, const char *sid)
{
	json_t *item = NULL;
	struct ddb_error err;
	if (cl_get_item_sync(s, table, cl_step_key(tid, sid), &item, &err) != 0)
		fail_msg("GetItem: %s", err.message ? err.message : "?");
	return item;
}

/* The id of the first index item of `user` whose name is `name`. */
static char *thread_named(const char *user, const char *name)
{
	json_t *items = drain(cl_user_threads_pager(s, table, user, NULL, 0));
	char *id = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		if (!id && ddb_item_s(it, "name") && !strcmp(ddb_item_s(it, "name"), name))
			id = strdup(ddb_item_s(it, "id"));
	json_decref(items);
	if (!id)
		fail_msg("no thread named %s", name);
	return id;
}

/* The n-th newest thread of alice and its assistant reply. */
static void alice_reply(size_t n, char **tid, char **sid)
{
	json_t *items = drain(cl_user_threads_pager(s, table, "alice@example.com", NULL, 0));
	*tid = strdup(ddb_item_s(json_array_get(items, n), "id"));
	json_decref(items);
	struct cl_conversation *c = NULL;
	struct ddb_error err;
	assert_int_equal(cl_conversation_load_sync(s, table, *tid, &c, &err), 0);
	*sid = NULL;
	for (size_t i = 0; i < c->n_steps; i++)
		if (!strcmp(c->steps[i].type, "assistant_message"))
			*sid = strdup(c->steps[i].id);
	assert_non_null(*sid);
	cl_conversation_free(c);
}

/* The stored feedback is exactly Chainlit's shape (B.5). */
static void assert_stored_feedback(const json_t *item, const char *tid, const char *sid,
                                   const char *value, const char *comment)
{
	const json_t *av = json_object_get(item, "feedback");
	assert_non_null(av);
	assert_int_equal(json_object_size(av), 1);
	const json_t *m = json_object_get(av, "M");
	assert_non_null(m);
	assert_int_equal(json_object_size(m), 5);
	assert_string_equal(ddb_av_type(json_object_get(m, "forId")), "S");
	assert_string_equal(ddb_item_s(m, "forId"), sid);
	assert_string_equal(ddb_av_type(json_object_get(m, "value")), "N");
	assert_string_equal(ddb_av_get_n(json_object_get(m, "value")), value);
	assert_string_equal(ddb_av_type(json_object_get(m, "threadId")), "S");
	assert_string_equal(ddb_item_s(m, "threadId"), tid);
	char want[256];
	snprintf(want, sizeof want, "THREAD#%s::STEP#%s", tid, sid);
	assert_string_equal(ddb_item_s(m, "id"), want);
	const json_t *c = json_object_get(m, "comment");
	if (comment) {
		assert_string_equal(ddb_av_type(c), "S");
		assert_string_equal(ddb_av_get_s(c), comment);
	} else {
		assert_string_equal(ddb_av_type(c), "NULL");
	}
}

/* The item without its feedback (to show nothing else changed). */
static json_t *without_feedback(const json_t *item)
{
	json_t *c = json_deep_copy(item);
	json_object_del(c, "feedback");
	return c;
}

/* ---- reads ---------------------------------------------------------------------- */

static void test_users(void **st)
{
	(void)st;
	json_t *items = drain(cl_users_pager(s, table, 2));   /* small pages too */
	struct cl_users u = {0};
	cl_users_add(&u, items);
	assert_int_equal(u.n, 5);
	const char *want[] = {"alice@example.com", "bob@example.com", "claire.dupont@example.fr",
	                      "dave-bot", "kenji@example.jp"};
	for (size_t w = 0; w < 5; w++) {
		bool found = false;
		for (size_t i = 0; i < u.n; i++)
			if (!strcmp(u.v[i].identifier, want[w])) {
				found = true;
				assert_string_equal(u.v[i].id, want[w]);
				assert_non_null(u.v[i].metadata);
				assert_int_equal(u.v[i].problems.n, 0);
			}
		assert_true(found);
	}
	cl_users_free(&u);
	json_decref(items);
}

static void test_user_threads_pages(void **st)
{
	(void)st;
	json_t *all = drain(cl_user_threads_pager(s, table, "alice@example.com", NULL, 1000));
	assert_true(json_array_size(all) >= 60);

	struct pager *p = cl_user_threads_pager(s, table, "alice@example.com", NULL, 20);
	json_t *paged = json_array();
	int pages = 0;
	char *cursor = NULL;
	while (!pager_done(p)) {
		json_t *page = next_page(p);
		assert_true(json_array_size(page) <= 20);
		json_array_extend(paged, page);
		json_decref(page);
		pages++;
		if (pages == 1)
			cursor = pager_cursor(p);
	}
	pager_free(p);
	assert_true(pages >= 3);
	assert_true(json_equal(paged, all));

	/* newest first by UserThreadSK */
	for (size_t i = 1; i < json_array_size(all); i++)
		assert_true(strcmp(ddb_item_s(json_array_get(all, i - 1), "UserThreadSK"),
		                   ddb_item_s(json_array_get(all, i), "UserThreadSK")) > 0);

	/* a cursor resumes where the first page ended, in a new pager */
	assert_non_null(cursor);
	struct pager *q = cl_user_threads_pager(s, table, "alice@example.com", NULL, 20);
	assert_true(pager_resume(q, cursor));
	json_t *second = next_page(q);
	assert_true(json_equal(json_array_get(second, 0), json_array_get(all, 20)));
	json_decref(second);
	pager_free(q);
	free(cursor);
	json_decref(paged);
	json_decref(all);
}

/* cl_thread_pages: each page of a user's threads comes twice, as decoded
 * from its index page and then complete, in the same order; the unowned
 * threads come complete at once; freeing it from its callback stops it. */
struct tp_wait {
	int index_stages, complete_stages, threads;
	bool done, free_in_index_stage;
	struct cl_thread_pages *tp;
	char first_id[128];
	json_t *index_ids;
};

static void tp_cb(const struct cl_threads *page, bool complete, const struct ddb_error *err, void *ud)
{
	struct tp_wait *w = ud;
	assert_null(err);
	if (!complete) {
		w->index_stages++;
		json_array_clear(w->index_ids);
		for (size_t i = 0; i < page->n; i++) {
			assert_true(page->v[i].from_index);
			json_array_append_new(w->index_ids, json_string(page->v[i].id));
		}
		if (w->free_in_index_stage) {
			cl_thread_pages_free(w->tp);
			w->tp = NULL;
			w->done = true;
		}
		return;
	}
	w->complete_stages++;
	w->done = true;
	for (size_t i = 0; i < page->n; i++) {
		assert_false(page->v[i].from_index);
		assert_non_null(page->v[i].created_at);
		if (json_array_size(w->index_ids))
			assert_string_equal(page->v[i].id, json_string_value(json_array_get(w->index_ids, i)));
	}
	if (json_array_size(w->index_ids))
		assert_int_equal(page->n, json_array_size(w->index_ids));
	if (!w->threads && page->n)
		snprintf(w->first_id, sizeof w->first_id, "%s", page->v[0].id);
	w->threads += (int)page->n;
	json_array_clear(w->index_ids);
}

static void test_thread_pages(void **st)
{
	(void)st;
	json_t *all = drain(cl_user_threads_pager(s, table, "alice@example.com", NULL, 1000));
	struct tp_wait w = {.index_ids = json_array()};
	w.tp = cl_user_thread_pages(s, table, "alice@example.com", 25);
	while (!cl_thread_pages_done(w.tp)) {
		w.done = false;
		assert_true(cl_thread_pages_next(w.tp, tp_cb, &w));
		assert_false(cl_thread_pages_next(w.tp, tp_cb, &w));   /* one at a time */
		while (!w.done)
			ddb_client_wait(s->ddb, 1000);
	}
	assert_int_equal(w.threads, (int)json_array_size(all));
	/* (a last page can be empty: complete at once) */
	assert_true(w.index_stages <= w.complete_stages && w.complete_stages <= w.index_stages + 1);
	assert_true(w.complete_stages >= 3);
	assert_string_equal(w.first_id, ddb_item_s(json_array_get(all, 0), "id"));
	cl_thread_pages_free(w.tp);

	/* freed while its BatchGetItem runs: nothing more comes */
	struct tp_wait f = {.index_ids = json_array(), .free_in_index_stage = true};
	f.tp = cl_user_thread_pages(s, table, "alice@example.com", 25);
	assert_true(cl_thread_pages_next(f.tp, tp_cb, &f));
	while (!f.done)
		ddb_client_wait(s->ddb, 1000);
	ddb_client_drain(s->ddb);
	assert_int_equal(f.index_stages, 1);
	assert_int_equal(f.complete_stages, 0);

	/* freed with its Query in flight: no callback at all */
	struct tp_wait g = {.index_ids = json_array()};
	g.tp = cl_user_thread_pages(s, table, "alice@example.com", 25);
	assert_true(cl_thread_pages_next(g.tp, tp_cb, &g));
	cl_thread_pages_free(g.tp);
	ddb_client_drain(s->ddb);
	assert_int_equal(g.index_stages + g.complete_stages, 0);

	/* the threads with no user are THREAD items already: complete at once */
	struct tp_wait u = {.index_ids = json_array()};
	u.tp = cl_unowned_thread_pages(s, table, 50);
	while (!cl_thread_pages_done(u.tp)) {
		u.done = false;
		assert_true(cl_thread_pages_next(u.tp, tp_cb, &u));
		while (!u.done)
			ddb_client_wait(s->ddb, 1000);
	}
	assert_int_equal(u.index_stages, 0);
	assert_true(u.threads > 0);
	cl_thread_pages_free(u.tp);
	json_decref(w.index_ids);
	json_decref(f.index_ids);
	json_decref(g.index_ids);
	json_decref(u.index_ids);
	json_decref(all);
}

struct fetch_wait {
	bool done;
	int calls;
	struct cl_threads *threads;
};

static void fetch_cb(struct cl_threads *threads, const struct ddb_error *err, void *ud)
{
	struct fetch_wait *w = ud;
	assert_null(err);
	w->done = true;
	w->calls++;
	w->threads = threads;
}

static void test_batch_get_threads(void **st)
{
	(void)st;
	json_t *index = drain(cl_user_threads_pager(s, table, "alice@example.com", NULL, 0));
	struct cl_threads full;
	struct ddb_error err;
	assert_int_equal(cl_threads_fetch_sync(s, table, index, &full, &err), 0);
	assert_int_equal(full.n, json_array_size(index));
	for (size_t i = 0; i < full.n; i++) {
		const json_t *ix = json_array_get(index, i);
		assert_false(full.v[i].from_index);
		assert_string_equal(full.v[i].id, ddb_item_s(ix, "id"));
		assert_string_equal(full.v[i].name, ddb_item_s(ix, "name"));
		assert_string_equal(full.v[i].user_id, "alice@example.com");
		assert_string_equal(full.v[i].user_identifier, "alice@example.com");
		assert_non_null(full.v[i].metadata);
		/* createdAt is UserThreadSK without TS# */
		assert_string_equal(full.v[i].created_at, ddb_item_s(ix, "UserThreadSK") + 3);
		assert_int_equal(full.v[i].problems.n, 0);
	}
	cl_threads_free(&full);

	/* async, with a page of three and a thread whose item is gone */
	json_t *page = json_array();
	for (size_t i = 0; i < 3; i++)
		json_array_append(page, json_array_get(index, i));
	json_array_append_new(page, json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}",
	                                      "PK", "S", "THREAD#deleted-meanwhile", "SK", "S", "THREAD",
	                                      "UserThreadPK", "S", "USER#alice@example.com",
	                                      "UserThreadSK", "S", "TS#2020-01-01T00:00:00Z",
	                                      "id", "S", "deleted-meanwhile", "name", "S", "gone"));
	struct fetch_wait w = {0};
	struct cl_job *j = cl_threads_fetch(s, table, page, fetch_cb, &w);
	assert_non_null(j);
	assert_false(w.done);   /* never before cl_threads_fetch returns */
	while (!w.done)
		ddb_client_wait(s->ddb, 1000);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.threads->n, 4);
	assert_string_equal(w.threads->v[1].id, ddb_item_s(json_array_get(index, 1), "id"));
	assert_false(w.threads->v[2].from_index);
	assert_true(w.threads->v[3].from_index);
	assert_string_equal(w.threads->v[3].problems.v[0].text, "THREAD item not found");
	cl_threads_free(w.threads);
	free(w.threads);

	/* more than 100 keys (two BatchGetItem requests), a duplicate, and keys
	 * that find nothing */
	json_t *big = json_deep_copy(index);
	json_array_append(big, json_array_get(index, 0));
	for (int i = 0; i < 90; i++) {
		char pk[96], id[32];
		snprintf(id, sizeof id, "not-there-%02d", i);
		snprintf(pk, sizeof pk, "THREAD#%s", id);
		json_array_append_new(big, json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s}}", "PK", "S", pk,
		                                     "SK", "S", "THREAD", "UserThreadSK", "S",
		                                     "TS#2020-01-01T00:00:00Z", "id", "S", id));
	}
	assert_true(json_array_size(big) > 150);
	assert_int_equal(cl_threads_fetch_sync(s, table, big, &full, &err), 0);
	assert_int_equal(full.n, json_array_size(big));
	size_t found = 0, missing = 0;
	for (size_t i = 0; i < full.n; i++) {
		if (full.v[i].from_index)
			missing++;
		else
			found++;
	}
	assert_int_equal(found, json_array_size(index) + 1);
	assert_int_equal(missing, 90);
	assert_string_equal(full.v[json_array_size(index)].id, full.v[0].id);
	cl_threads_free(&full);
	json_decref(big);

	/* a cancelled fetch never calls back */
	struct fetch_wait w2 = {0};
	j = cl_threads_fetch(s, table, page, fetch_cb, &w2);
	cl_job_cancel(j);
	ddb_client_drain(s->ddb);
	assert_int_equal(w2.calls, 0);
	json_decref(page);
	json_decref(index);
}

struct conv_wait {
	bool done;
	struct cl_conversation *c;
};

static void conv_cb(struct cl_conversation *c, const struct ddb_error *err, void *ud)
{
	struct conv_wait *w = ud;
	assert_null(err);
	w->done = true;
	w->c = c;
}

/* ---- a user's threads streamed (the CLI's threads USER) ------------------------ */

#define MANY 2345   /* three index pages of 1000, 24 chunks of 100 */

struct streamed {
	size_t batches, n;
	char **ids, **times;
	bool from_index_seen, full_seen, bad_user;
};

static void on_batch(const struct cl_threads *b, void *ud)
{
	struct streamed *r = ud;
	assert_true(b->n > 0 && b->n <= 100);
	r->batches++;
	for (size_t i = 0; i < b->n; i++) {
		assert_true(r->n < MANY);
		r->ids[r->n] = strdup(b->v[i].id);
		r->times[r->n] = strdup(b->v[i].created_at ? b->v[i].created_at : "");
		r->n++;
		if (b->v[i].from_index)
			r->from_index_seen = true;
		else
			r->full_seen = true;
		if (!b->v[i].from_index && (!b->v[i].user_id || strcmp(b->v[i].user_id, "uid-stream")))
			r->bad_user = true;
	}
}

static void streamed_free(struct streamed *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ids[i]);
		free(r->times[i]);
	}
	free(r->ids);
	free(r->times);
}

static void test_stream_many_threads(void **st)
{
	(void)st;
	/* threads as update_thread writes them, each a distinct update time */
	json_t *writes = json_array();
	for (int i = 0; i < MANY; i++) {
		char pk[64], id[32], name[64], ts[64];
		snprintf(id, sizeof id, "stream-%05d", i);
		snprintf(pk, sizeof pk, "THREAD#%s", id);
		snprintf(name, sizeof name, "Thread number %d", i);
		snprintf(ts, sizeof ts, "2026-03-01T%02d:%02d:%02d.000000Z", i / 3600, i / 60 % 60, i % 60);
		char uts[80];
		snprintf(uts, sizeof uts, "TS#%s", ts);
		json_array_append_new(writes, json_pack(
			"{s:{s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}}",
			"PutRequest", "Item", "PK", "S", pk, "SK", "S", "THREAD", "id", "S", id,
			"name", "S", name, "createdAt", "S", ts, "userId", "S", "uid-stream",
			"userIdentifier", "S", "stream@example.com", "UserThreadPK", "S",
			"USER#stream@example.com", "UserThreadSK", "S", uts));
	}
	struct ddb_result *wr = ddb_batch_write_sync(s->ddb, table, writes);
	assert_null(wr);
	json_decref(writes);

	for (int index_only = 0; index_only < 2; index_only++) {
		struct streamed r = {.ids = calloc(MANY, sizeof(char *)), .times = calloc(MANY, sizeof(char *))};
		long count = -1;
		struct ddb_error err;
		assert_int_equal(cl_user_threads_stream_sync(s, table, "stream@example.com", index_only,
		                                             on_batch, &r, &count, &err), 0);
		assert_int_equal(count, MANY);
		assert_int_equal(r.n, MANY);
		assert_true(r.batches >= MANY / 100);
		assert_int_equal(r.from_index_seen, index_only);
		assert_int_equal(r.full_seen, !index_only);
		assert_false(r.bad_user);
		/* most recently updated first, each thread once: the last written
		 * (stream-02344) comes first */
		assert_string_equal(r.ids[0], "stream-02344");
		for (size_t i = 0; i < r.n; i++) {
			char want[32];
			snprintf(want, sizeof want, "stream-%05d", (int)(MANY - 1 - i));
			assert_string_equal(r.ids[i], want);
			if (i)
				assert_true(strcmp(r.times[i - 1], r.times[i]) > 0);
		}
		streamed_free(&r);
	}

	/* a user without threads streams nothing, and says so */
	long none = -1;
	struct ddb_error err;
	struct streamed r = {.ids = calloc(1, sizeof(char *)), .times = calloc(1, sizeof(char *))};
	assert_int_equal(cl_user_threads_stream_sync(s, table, "nobody@example.com", false, on_batch,
	                                             &r, &none, &err), 0);
	assert_int_equal(none, 0);
	assert_int_equal(r.batches, 0);
	streamed_free(&r);

	/* leave the demo data as it was for the tests after this one */
	json_t *dels = json_array();
	for (int i = 0; i < MANY; i++) {
		char pk[64];
		snprintf(pk, sizeof pk, "THREAD#stream-%05d", i);
		json_array_append_new(dels, json_pack("{s:{s:{s:{s:s},s:{s:s}}}}", "DeleteRequest", "Key",
		                                      "PK", "S", pk, "SK", "S", "THREAD"));
	}
	assert_null(ddb_batch_write_sync(s->ddb, table, dels));
	json_decref(dels);
}

static void test_conversation_tree(void **st)
{
	(void)st;
	char *tid = thread_named("bob@example.com", "Which step ran first?");
	struct conv_wait w = {0};
	cl_conversation_load(s, table, tid, conv_cb, &w);
	while (!w.done)
		ddb_client_wait(s->ddb, 1000);
	struct cl_conversation *c = w.c;
	assert_non_null(c->thread);
	assert_string_equal(c->thread->name, "Which step ran first?");
	assert_int_equal(c->n_steps, 5);
	assert_int_equal(c->problems.n, 0);
	assert_int_equal(c->n_roots, 2);
	struct cl_node *msg = c->roots[0], *reply = c->roots[1];
	assert_string_equal(msg->step->type, "user_message");
	assert_string_equal(msg->step->output, "Which step ran first?");
	assert_string_equal(reply->step->type, "assistant_message");
	assert_int_equal(msg->n_children, 1);
	struct cl_node *run = msg->children[0];
	assert_string_equal(run->step->type, "run");
	assert_string_equal(run->step->name, "on_message");
	/* ...:56Z runs before ...:56.500000Z although it sorts after it as a string */
	assert_int_equal(run->n_children, 2);
	assert_string_equal(run->children[0]->step->type, "tool");
	assert_true(strcmp(run->children[0]->step->created_at, run->children[1]->step->created_at) > 0);
	assert_string_equal(run->children[1]->step->type, "llm");
	assert_string_equal(ddb_item_s(run->children[1]->step->generation, "type"), "CHAT");
	assert_int_equal(reply->n_elements, 1);
	assert_string_equal(reply->elements[0]->name, "timeline.png");
	assert_true(reply->step->has_feedback);
	assert_int_equal(reply->step->feedback.vote, 1);
	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	assert_int_equal(rows.n, 6);
	cl_rows_free(&rows);
	cl_conversation_free(c);
	free(tid);

	/* the thread with a step without createdAt and an orphan step */
	tid = thread_named("claire.dupont@example.fr", "Analyse les ventes de mars");
	struct ddb_error err;
	assert_int_equal(cl_conversation_load_sync(s, table, tid, &c, &err), 0);
	assert_non_null(c->thread);
	assert_int_equal(c->n_no_created, 1);
	assert_false(c->steps[c->n_steps - 1].created_ok);   /* shown last */
	assert_int_equal(c->n_orphans, 1);
	assert_string_equal(c->orphans[0]->step->type, "retrieval");
	cl_conversation_free(c);
	free(tid);

	/* a thread with nothing in it */
	assert_int_equal(cl_conversation_load_sync(s, table, "no-such-thread", &c, &err), 0);
	assert_null(c->thread);
	assert_int_equal(c->n_steps, 0);
	cl_conversation_free(c);
}

static void test_unowned_threads(void **st)
{
	(void)st;
	json_t *items = drain(cl_unowned_threads_pager(s, table, NULL, 50));
	struct cl_threads t = {0};
	cl_threads_add(&t, items);
	assert_int_equal(t.n, 4);
	for (size_t i = 0; i < t.n; i++) {
		assert_null(t.v[i].user_thread_pk);
		assert_null(t.v[i].user_id);
		assert_non_null(t.v[i].name);
		assert_int_equal(t.v[i].problems.n, 0);
	}
	cl_threads_free(&t);
	json_decref(items);
	/* with a name filter */
	items = drain(cl_unowned_threads_pager(s, table, "refund", 0));
	size_t n = json_array_size(items);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strstr(ddb_item_s(json_array_get(items, i), "name"), "refund"));
	json_decref(items);
}

static void test_all_feedback(void **st)
{
	(void)st;
	json_t *items = drain(cl_feedback_pager(s, table, 100));
	struct cl_steps fb = {0};
	cl_steps_add(&fb, items);
	/* every step with a feedback attribute, counted the slow way */
	json_t *everything = drain(pager_new(s, "Scan", json_pack("{s:s}", "TableName", table)));
	size_t want = 0, i;
	json_t *it;
	json_array_foreach(everything, i, it)
		if (cl_item_kind(it) == CL_ITEM_STEP && json_object_get(it, "feedback"))
			want++;
	assert_int_equal(fb.n, want);
	assert_true(fb.n >= 60);
	size_t up = 0, down = 0, bad = 0, none_thread = 0, stubs = 0;
	for (i = 0; i < fb.n; i++) {
		assert_true(fb.v[i].has_feedback);
		if (fb.v[i].feedback.vote == 1)
			up++;
		else if (fb.v[i].feedback.vote == 0)
			down++;
		else
			bad++;
		if (!strcmp(fb.v[i].thread_id, "None"))
			none_thread++;
		if (fb.v[i].stub)
			stubs++;
	}
	assert_true(up > 10 && down > 10);
	assert_int_equal(bad, 1);
	assert_int_equal(none_thread, 1);
	assert_int_equal(stubs, 2);
	cl_steps_free(&fb);
	json_decref(everything);
	json_decref(items);
}

static void test_search_across_empty_pages(void **st)
{
	(void)st;
	struct pager *p = cl_user_threads_pager(s, table, "alice@example.com", "Kiwi", 5);
	int pages = 0, empty_before_match = 0;
	size_t matches = 0;
	while (!pager_done(p)) {
		json_t *page = next_page(p);
		pages++;
		if (!json_array_size(page) && !matches && !pager_done(p))
			empty_before_match++;
		size_t i;
		json_t *it;
		json_array_foreach(page, i, it) {
			assert_non_null(strstr(ddb_item_s(it, "name"), "Kiwi"));
			matches++;
		}
		json_decref(page);
	}
	pager_free(p);
	assert_int_equal(matches, 2);
	assert_true(empty_before_match >= 3);
	assert_true(pages > 10);
	/* case-sensitive, like Chainlit's contains() */
	json_t *none = drain(cl_user_threads_pager(s, table, "alice@example.com", "kiwi", 0));
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
}

/* ---- writes --------------------------------------------------------------------- */

static void test_feedback_set_edit_delete(void **st)
{
	(void)st;
	char *tid, *sid;
	alice_reply(0, &tid, &sid);
	json_t *before = get_step(tid, sid);
	assert_non_null(before);

	/* set: conditional on what was there */
	struct fb_request rq = {.table = table, .thread_id = tid, .step_id = sid, .action = FB_SET,
	                        .value = 1, .comment = "Merci 🙏 — très utile",
	                        .seen = json_object_get(before, "feedback")};
	struct fb_result res;
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_OK);
	json_t *now = get_step(tid, sid);
	assert_stored_feedback(now, tid, sid, "1", "Merci 🙏 — très utile");
	assert_true(json_equal(res.item, now));          /* ALL_NEW is what is stored */
	json_t *a = without_feedback(before), *b = without_feedback(now);
	assert_true(json_equal(a, b));                   /* nothing else touched */
	json_decref(a);
	json_decref(b);
	fb_result_clear(&res);

	/* edit: thumbs down, no comment (NULL) */
	rq.value = 0;
	rq.comment = NULL;
	rq.seen = json_object_get(now, "feedback");
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_OK);
	fb_result_clear(&res);
	json_t *edited = get_step(tid, sid);
	assert_stored_feedback(edited, tid, sid, "0", NULL);

	/* the decoder reads it back as written */
	struct cl_step step;
	cl_step_decode(&step, edited);
	assert_int_equal(step.feedback.vote, 0);
	assert_null(step.feedback.comment);
	assert_int_equal(step.problems.n, 0);
	cl_step_clear(&step);

	/* delete */
	struct fb_request del = {.table = table, .thread_id = tid, .step_id = sid,
	                         .action = FB_DELETE, .seen = json_object_get(edited, "feedback")};
	assert_int_equal(fb_write_sync(s, &del, &res), FB_OK);
	fb_result_clear(&res);
	json_t *gone = get_step(tid, sid);
	assert_null(json_object_get(gone, "feedback"));
	a = without_feedback(before);
	assert_true(json_equal(a, gone));
	json_decref(a);

	json_decref(before);
	json_decref(now);
	json_decref(edited);
	json_decref(gone);
	free(tid);
	free(sid);
}

struct write_wait {
	int calls;
	enum fb_status status;
};

static void write_cb(struct fb_result *res, void *ud)
{
	struct write_wait *w = ud;
	w->calls++;
	w->status = res->status;
}

static void test_feedback_async(void **st)
{
	(void)st;
	char *tid, *sid;
	alice_reply(2, &tid, &sid);
	json_t *item = get_step(tid, sid);
	struct fb_request rq = {.table = table, .thread_id = tid, .step_id = sid, .action = FB_SET,
	                        .value = 0, .comment = "asynchron geschrieben",
	                        .seen = json_object_get(item, "feedback")};
	struct write_wait w = {0};
	fb_write(s, &rq, write_cb, &w);
	assert_int_equal(w.calls, 0);
	while (!w.calls)
		ddb_client_wait(s->ddb, 1000);
	ddb_client_drain(s->ddb);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.status, FB_OK);
	json_t *now = get_step(tid, sid);
	assert_stored_feedback(now, tid, sid, "0", "asynchron geschrieben");
	json_decref(now);
	json_decref(item);
	free(tid);
	free(sid);
}

static void test_two_writers(void **st)
{
	(void)st;
	char *tid, *sid;
	alice_reply(1, &tid, &sid);
	/* both read the same version */
	json_t *read_a = get_step(tid, sid), *read_b = get_step(tid, sid);
	struct fb_request a = {.table = table, .thread_id = tid, .step_id = sid, .action = FB_SET,
	                       .value = 1, .comment = "A says yes",
	                       .seen = json_object_get(read_a, "feedback")};
	struct fb_request b = {.table = table, .thread_id = tid, .step_id = sid, .action = FB_SET,
	                       .value = 0, .comment = "B says no",
	                       .seen = json_object_get(read_b, "feedback")};
	struct fb_result ra, rb;
	assert_int_equal(fb_write_sync(s, &a, &ra), FB_OK);
	assert_int_equal(fb_write_sync(s, &b, &rb), FB_CONFLICT);
	/* B is shown A's version and its own */
	assert_non_null(rb.item);
	assert_stored_feedback(rb.item, tid, sid, "1", "A says yes");
	json_t *mine = fb_map(tid, sid, 0, "B says no");
	assert_true(json_equal(rb.wanted, mine));
	json_decref(mine);
	/* nothing lost: A's feedback is stored */
	json_t *now = get_step(tid, sid);
	assert_stored_feedback(now, tid, sid, "1", "A says yes");
	/* B overwrites, knowingly: conditional on A's version */
	b.seen = json_object_get(rb.item, "feedback");
	struct fb_result rb2;
	assert_int_equal(fb_write_sync(s, &b, &rb2), FB_OK);
	json_t *final = get_step(tid, sid);
	assert_stored_feedback(final, tid, sid, "0", "B says no");
	/* A, still holding its first read, cannot delete B's feedback blindly */
	struct fb_request del = {.table = table, .thread_id = tid, .step_id = sid,
	                         .action = FB_DELETE, .seen = json_object_get(read_a, "feedback")};
	struct fb_result rd;
	assert_int_equal(fb_write_sync(s, &del, &rd), FB_CONFLICT);
	json_t *still = get_step(tid, sid);
	assert_stored_feedback(still, tid, sid, "0", "B says no");
	fb_result_clear(&ra);
	fb_result_clear(&rb);
	fb_result_clear(&rb2);
	fb_result_clear(&rd);
	json_decref(read_a);
	json_decref(read_b);
	json_decref(now);
	json_decref(final);
	json_decref(still);
	free(tid);
	free(sid);
}

static void test_feedback_missing_step(void **st)
{
	(void)st;
	char *tid = thread_named("bob@example.com", "Which step ran first?");
	struct fb_request rq = {.table = table, .thread_id = tid, .step_id = "no-such-step",
	                        .action = FB_SET, .value = 1, .comment = "ghost"};
	struct fb_result res;
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_NO_STEP);
	assert_null(res.item);
	fb_result_clear(&res);
	json_t *item = get_step(tid, "no-such-step");
	assert_null(item);   /* no stub step was created */
	rq.action = FB_DELETE;
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_NO_STEP);
	fb_result_clear(&res);
	assert_null(get_step(tid, "no-such-step"));
	/* a thread that does not exist either (Chainlit's THREAD#None case) */
	rq.thread_id = "None";
	rq.action = FB_SET;
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_NO_STEP);
	fb_result_clear(&res);
	assert_null(get_step("None", "no-such-step"));
	/* empty ids are refused before any request */
	rq.thread_id = "";
	assert_int_equal(fb_write_sync(s, &rq, &res), FB_INVALID);
	fb_result_clear(&res);
	free(tid);
}

static void test_read_only_refuses_first(void **st)
{
	(void)st;
	/* a dead endpoint: any request would end in a network error */
	struct session_opts so = {.aws = {.endpoint_url = "http://127.0.0.1:9"}, .read_only = true,
	                          .max_attempts = 1};
	char *err = NULL;
	struct session *ro = session_open(&so, &err);
	assert_non_null(ro);
	struct fb_request rq = {.table = "any", .thread_id = "t", .step_id = "s", .action = FB_SET,
	                        .value = 1};
	struct write_wait w = {0};
	fb_write(ro, &rq, write_cb, &w);
	assert_int_equal(w.calls, 1);   /* at once */
	assert_int_equal(w.status, FB_READ_ONLY);
	struct fb_result res;
	rq.action = FB_DELETE;
	assert_int_equal(fb_write_sync(ro, &rq, &res), FB_READ_ONLY);
	assert_non_null(strstr(res.message, "read-only"));
	assert_int_equal(res.err.kind, DDB_OK);
	fb_result_clear(&res);
	struct demo_names dn;
	demo_table_names("never-", &dn);
	assert_int_equal(demo_fill_chainlit(ro, &dn, &(struct demo_opts){0}, &err), -1);
	assert_non_null(strstr(err, "read-only"));
	free(err);
	struct ddb_stats stats;
	ddb_client_stats(ro->ddb, &stats);
	assert_int_equal(stats.calls, 0);
	assert_int_equal(ddb_client_pending(ro->ddb), 0);
	session_close(ro);
}

/* ---- check ------------------------------------------------------------------------ */

static size_t count_kind(const struct findings *f, const char *kind)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += !strcmp(f->v[i].kind, kind);
	return n;
}

static void progress_cb(const char *what, long items, void *ud)
{
	(void)what;
	*(long *)ud = items;
}

static void test_check_finds_planted(void **st)
{
	(void)st;
	struct findings f = {0};
	struct ddb_error err;
	long seen = 0;
	assert_int_equal(check_chainlit(s, &f, progress_cb, &seen, &err), 0);
	assert_true(seen > 500);
	static const struct {
		const char *kind;
		size_t n;
	} want[] = {
		{"thread-index-no-name", 1}, {"thread-user-mismatch", 1}, {"step-no-createdAt", 1},
		{"step-stub", 2}, {"step-orphan", 1}, {"element-orphan", 1},
		{"feedback-thread-none", 1}, {"feedback-bad-value", 1},
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (count_kind(&f, want[i].kind) != want[i].n)
			fail_msg("%s: %zu findings, want %zu", want[i].kind, count_kind(&f, want[i].kind),
			         want[i].n);
		total += want[i].n;
	}
	if (f.n != total) {
		for (size_t i = 0; i < f.n; i++)
			fprintf(stderr, "# %s %s %s\n", f.v[i].kind, f.v[i].key, f.v[i].message);
		fail_msg("%zu findings, want exactly %zu", f.n, total);
	}
	for (size_t i = 0; i < f.n; i++) {
		assert_string_equal(f.v[i].table, table);
		assert_non_null(strstr(f.v[i].key, "\"PK\""));
		assert_non_null(f.v[i].message);
		if (!strcmp(f.v[i].kind, "feedback-thread-none"))
			assert_non_null(strstr(f.v[i].key, "THREAD#None"));
	}
	findings_free(&f);

	/* no Chainlit table: nothing to do */
	char *saved = s->chainlit_table;
	s->chainlit_table = NULL;
	assert_int_equal(check_chainlit(s, &f, NULL, NULL, &err), 0);
	assert_int_equal(f.n, 0);
	s->chainlit_table = saved;
}

static void test_table_resolution(void **st)
{
	(void)st;
	char *t = NULL, *several = NULL;
	struct ddb_error err;
	assert_int_equal(cl_table_resolve_sync(s, &t, &several, &err), CL_TABLE_FOUND);
	assert_string_equal(t, table);
	free(t);
	/* without a configured table: detected, unless other Chainlit tables exist */
	char *saved = s->chainlit_table;
	s->chainlit_table = NULL;
	enum cl_table_status st2 = cl_table_resolve_sync(s, &t, &several, &err);
	if (st2 == CL_TABLE_FOUND) {
		assert_string_equal(t, table);
	} else {
		assert_int_equal(st2, CL_TABLE_SEVERAL);
		assert_non_null(strstr(several, table));
	}
	free(t);
	free(several);
	s->chainlit_table = saved;
}

/* ---- what Chainlit's feedback calls leave (SCHEMAS.md B.5) ------------------------- */

/* Python's str.strip(chars): every character of `chars` off both ends. */
static char *py_strip(const char *text, const char *chars)
{
	size_t a = strspn(text, chars), b = strlen(text);
	while (b > a && strchr(chars, text[b - 1]))
		b--;
	return strndup(text + a, b - a);
}

/* delete_feedback(feedback_id), as Chainlit does it: split on "::", strip
 * the prefixes' characters, UpdateItem REMOVE #feedback (no condition). */
static void chainlit_delete_feedback(const char *feedback_id)
{
	const char *sep = strstr(feedback_id, "::");
	assert_non_null(sep);
	char *t = strndup(feedback_id, (size_t)(sep - feedback_id));
	char *tid = py_strip(t, "THREAD#"), *sid = py_strip(sep + 2, "STEP#");
	char *pk = NULL, *sk = NULL;
	assert_true(asprintf(&pk, "THREAD#%s", tid) > 0 && asprintf(&sk, "STEP#%s", sid) > 0);
	struct ddb_result *r = ddb_call_sync(s->ddb, "UpdateItem",
		json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:s,s:{s:s}}", "TableName", table, "Key", "PK", "S",
		          pk, "SK", "S", sk, "UpdateExpression", "REMOVE #feedback",
		          "ExpressionAttributeNames", "#feedback", "feedback"));
	assert_int_equal(r->err.kind, DDB_OK);
	ddb_result_free(r);
	free(t);
	free(tid);
	free(sid);
	free(pk);
	free(sk);
}

/* upsert_feedback: UpdateItem SET #feedback = the whole Map, no condition. */
static void chainlit_upsert_feedback(const char *tid, const char *sid)
{
	char *pk = NULL, *sk = NULL;
	assert_true(asprintf(&pk, "THREAD#%s", tid) > 0 && asprintf(&sk, "STEP#%s", sid) > 0);
	struct ddb_result *r = ddb_call_sync(s->ddb, "UpdateItem",
		json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:s,s:{s:s},s:{s:o}}", "TableName", table, "Key",
		          "PK", "S", pk, "SK", "S", sk, "UpdateExpression", "SET #feedback = :feedback",
		          "ExpressionAttributeNames", "#feedback", "feedback",
		          "ExpressionAttributeValues", ":feedback", fb_map(tid, sid, 1, "ghost")));
	assert_int_equal(r->err.kind, DDB_OK);
	ddb_result_free(r);
	free(pk);
	free(sk);
}

static const struct finding *finding_at(const struct findings *f, const char *pk, const char *sk)
{
	char *want = NULL;
	assert_true(asprintf(&want, "{\"PK\":{\"S\":\"%s\"},\"SK\":{\"S\":\"%s\"}}", pk, sk) > 0);
	const struct finding *x = NULL;
	for (size_t i = 0; i < f->n && !x; i++)
		if (f->v[i].key && !strcmp(f->v[i].key, want))
			x = &f->v[i];
	free(want);
	return x;
}

/* The stray item of delete_feedback on the mangled key: check, the
 * conversation and a feedback write say what it is and that get_thread
 * returns None for it (no THREAD item there), not that it fails. */
static void test_stray_items_named(void **st)
{
	(void)st;
	/* Chainlit's feedback id of step s1 of thread DATE-00607b-TEAM: strip
	 * makes the key THREAD#-00607b-TEAM / STEP#s1 */
	chainlit_delete_feedback("THREAD#DATE-00607b-TEAM::STEP#s1");
	json_t *stray = get_step("-00607b-TEAM", "s1");
	assert_non_null(stray);
	assert_int_equal(json_object_size(stray), 2);   /* {PK, SK}: what DynamoDB made */
	/* a stub step in a thread that exists, then its feedback deleted by
	 * delete_feedback with ids strip leaves alone: a stray item there */
	char *tid = thread_named("bob@example.com", "Which step ran first?");
	chainlit_upsert_feedback(tid, "ghost-stub");
	chainlit_upsert_feedback(tid, "ghost-stray");
	char *fid = fb_id(tid, "ghost-stray");
	chainlit_delete_feedback(fid);
	free(fid);
	json_t *stray2 = get_step(tid, "ghost-stray");
	assert_int_equal(json_object_size(stray2), 2);

	struct findings f = {0};
	struct ddb_error err;
	assert_int_equal(check_chainlit(s, &f, NULL, NULL, &err), 0);
	const struct finding *x = finding_at(&f, "THREAD#-00607b-TEAM", "STEP#s1");
	assert_non_null(x);
	assert_string_equal(x->kind, "step-stray");
	assert_non_null(strstr(x->message, "delete_feedback"));
	assert_non_null(strstr(x->message, "get_thread returns None"));
	assert_null(strstr(x->message, "fail"));
	assert_null(strstr(x->message, "a feedback write on a step that did not exist"));
	char *pk = NULL;
	assert_true(asprintf(&pk, "THREAD#%s", tid) > 0);
	x = finding_at(&f, pk, "STEP#ghost-stray");
	assert_non_null(x);
	assert_string_equal(x->kind, "step-stray");
	assert_non_null(strstr(x->message, "get_thread and delete_thread fail"));
	x = finding_at(&f, pk, "STEP#ghost-stub");
	assert_non_null(x);
	assert_string_equal(x->kind, "step-stub");
	assert_non_null(strstr(x->message, "upsert_feedback"));
	assert_non_null(strstr(x->message, "get_thread and delete_thread fail"));
	findings_free(&f);
	free(pk);

	/* the conversation: not found, as get_thread says; nothing says fails */
	struct cl_conversation *c = NULL;
	assert_int_equal(cl_conversation_load_sync(s, table, "-00607b-TEAM", &c, &err), 0);
	assert_null(c->thread);
	assert_int_equal(c->n_steps, 1);
	assert_true(c->steps[0].stub);
	for (size_t i = 0; i < c->problems.n; i++)
		if (c->problems.v[i].text && strstr(c->problems.v[i].text, "fail"))
			fail_msg("the conversation says: %s", c->problems.v[i].text);
	assert_non_null(strstr(c->steps[0].problems.v[0].text, "delete_feedback"));
	cl_conversation_free(c);

	/* a feedback write on them is refused with the same words everywhere */
	char *why = stray_write_refusal(stray);
	assert_non_null(why);
	assert_non_null(strstr(why, "THREAD#-00607b-TEAM / STEP#s1 is a stray item"));
	free(why);
	json_t *stub = get_step(tid, "ghost-stub");
	why = stray_write_refusal(stub);
	assert_non_null(why);
	assert_non_null(strstr(why, "is a stub step"));
	free(why);
	/* and only on them */
	assert_int_equal(cl_conversation_load_sync(s, table, tid, &c, &err), 0);
	size_t real = 0;
	for (size_t i = 0; i < c->n_steps; i++) {
		why = stray_write_refusal(c->steps[i].raw);
		if (c->steps[i].stub) {
			assert_non_null(why);
		} else {
			assert_null(why);
			real++;
		}
		free(why);
	}
	assert_true(real > 0);
	cl_conversation_free(c);
	json_decref(stub);
	json_decref(stray);
	json_decref(stray2);
	free(tid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_user_threads_pages),
		cmocka_unit_test(test_thread_pages),
		cmocka_unit_test(test_batch_get_threads),
		cmocka_unit_test(test_stream_many_threads),
		cmocka_unit_test(test_conversation_tree),
		cmocka_unit_test(test_unowned_threads),
		cmocka_unit_test(test_all_feedback),
		cmocka_unit_test(test_search_across_empty_pages),
		cmocka_unit_test(test_feedback_set_edit_delete),
		cmocka_unit_test(test_feedback_async),
		cmocka_unit_test(test_two_writers),
		cmocka_unit_test(test_feedback_missing_step),
		cmocka_unit_test(test_read_only_refuses_first),
		cmocka_unit_test(test_check_finds_planted),
		cmocka_unit_test(test_table_resolution),
		cmocka_unit_test(test_stray_items_named),   /* last: it adds findings */
	};
	return cmocka_run_group_tests_name("chainlit-integration", tests, setup, teardown);
}
