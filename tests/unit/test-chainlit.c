/* Unit tests for model/chainlit.c and model/feedback.c: decoding every sample
 * item of SCHEMAS.md Part B, problems for missing and mistyped attributes,
 * stub steps, ordering by parsed time, the conversation tree (nesting,
 * orphans, cycles, elements), flattening into rows, and the feedback
 * UpdateItem requests compared field by field with SCHEMAS.md B.5. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/chainlit.h"
#include "model/feedback.h"
#include "model/jsontext.h"

/* ---- the samples of SCHEMAS.md Part B, verbatim ------------------------------ */

static const char *const SAMPLE_USER =
	"{\"PK\": {\"S\": \"USER#alice@example.com\"}, \"SK\": {\"S\": \"USER\"},"
	" \"id\": {\"S\": \"alice@example.com\"}, \"identifier\": {\"S\": \"alice@example.com\"},"
	" \"metadata\": {\"M\": {\"role\": {\"S\": \"admin\"}, \"provider\": {\"S\": \"credentials\"}, \"image\": {\"NULL\": true}}},"
	" \"createdAt\": {\"S\": \"2026-04-24T13:02:11.573594Z\"}}";

static const char *const SAMPLE_THREAD =
	"{\"PK\": {\"S\": \"THREAD#b1905f2f-75a9-44e2-a4c3-4872d5a8f624\"}, \"SK\": {\"S\": \"THREAD\"},"
	" \"UserThreadPK\": {\"S\": \"USER#bob@example.com\"},"
	" \"UserThreadSK\": {\"S\": \"TS#2026-04-24T13:05:55.243614Z\"},"
	" \"id\": {\"S\": \"b1905f2f-75a9-44e2-a4c3-4872d5a8f624\"},"
	" \"createdAt\": {\"S\": \"2026-04-24T13:05:55.243614Z\"},"
	" \"name\": {\"S\": \"Translate 'bonjour tout le monde' to English\"},"
	" \"userId\": {\"S\": \"bob@example.com\"}, \"userIdentifier\": {\"S\": \"bob@example.com\"},"
	" \"tags\": {\"L\": [{\"S\": \"Analyst\"}]},"
	" \"metadata\": {\"M\": {\"id\": {\"S\": \"1111a263-e8a8-44dc-9bfb-62f537fd146b\"}, \"env\": {\"M\": {}},"
	"                    \"chat_profile\": {\"S\": \"Analyst\"}, \"client_type\": {\"S\": \"webapp\"},"
	"                    \"chat_settings\": {\"M\": {\"model\": {\"S\": \"gpt-4o\"}, \"temperature\": {\"N\": \"0.5\"}}}}}}";

static const char *const SAMPLE_MESSAGE =
	"{\"PK\": {\"S\": \"THREAD#d8beae48-2232-401a-8966-6f7c1fded61a\"},"
	" \"SK\": {\"S\": \"STEP#88c02169-56b3-4e7b-8e6e-514dc2940dce\"},"
	" \"id\": {\"S\": \"88c02169-56b3-4e7b-8e6e-514dc2940dce\"},"
	" \"threadId\": {\"S\": \"d8beae48-2232-401a-8966-6f7c1fded61a\"},"
	" \"parentId\": {\"NULL\": true}, \"createdAt\": {\"S\": \"2026-04-24T12:55:55.610225Z\"},"
	" \"command\": {\"NULL\": true}, \"modes\": {\"NULL\": true},"
	" \"start\": {\"S\": \"2026-04-24T12:55:55.610225Z\"}, \"end\": {\"S\": \"2026-04-24T12:55:57.612631Z\"},"
	" \"output\": {\"S\": \"Rotate them with the key-rotation runbook: ...\"},"
	" \"name\": {\"S\": \"Assistant\"}, \"type\": {\"S\": \"assistant_message\"}, \"language\": {\"NULL\": true},"
	" \"streaming\": {\"BOOL\": false}, \"isError\": {\"BOOL\": false}, \"waitForAnswer\": {\"BOOL\": false},"
	" \"metadata\": {\"M\": {}}, \"tags\": {\"NULL\": true},"
	" \"feedback\": {\"M\": {"
	"    \"forId\": {\"S\": \"88c02169-56b3-4e7b-8e6e-514dc2940dce\"},"
	"    \"value\": {\"N\": \"1\"},"
	"    \"threadId\": {\"S\": \"d8beae48-2232-401a-8966-6f7c1fded61a\"},"
	"    \"id\": {\"S\": \"THREAD#d8beae48-2232-401a-8966-6f7c1fded61a::STEP#88c02169-56b3-4e7b-8e6e-514dc2940dce\"},"
	"    \"comment\": {\"S\": \"Great answer\"}}}}";

static const char *const SAMPLE_LLM =
	"{\"PK\": {\"S\": \"THREAD#4e0994d8-919a-44d4-84c8-002919d15942\"},"
	" \"SK\": {\"S\": \"STEP#b8e8ebe4-da63-4119-922e-7983d1171aed\"},"
	" \"id\": {\"S\": \"b8e8ebe4-da63-4119-922e-7983d1171aed\"}, \"threadId\": {\"S\": \"4e0994d8-919a-44d4-84c8-002919d15942\"},"
	" \"parentId\": {\"S\": \"ae3d0537-71c8-48ce-bc2d-33a001763755\"}, \"name\": {\"S\": \"gpt-4o\"}, \"type\": {\"S\": \"llm\"},"
	" \"streaming\": {\"BOOL\": false}, \"metadata\": {\"M\": {}}, \"tags\": {\"NULL\": true},"
	" \"input\": {\"S\": \"[\\n    {\\n        \\\"role\\\": \\\"user\\\",\\n        \\\"content\\\": \\\"Summarise the Q3 incident report\\\"\\n    }\\n]\"},"
	" \"isError\": {\"BOOL\": false}, \"output\": {\"S\": \"The Q3 incident was ...\"},"
	" \"createdAt\": {\"S\": \"2026-04-24T12:54:54.755682Z\"},"
	" \"start\": {\"S\": \"2026-04-24T12:54:54.755663Z\"}, \"end\": {\"S\": \"2026-04-24T12:54:57.012345Z\"},"
	" \"language\": {\"S\": \"json\"}, \"defaultOpen\": {\"BOOL\": false}, \"autoCollapse\": {\"BOOL\": false},"
	" \"showInput\": {\"S\": \"json\"},"
	" \"generation\": {\"M\": {\"promptId\": {\"NULL\": true}, \"provider\": {\"S\": \"openai\"}, \"model\": {\"S\": \"gpt-4o\"},"
	"    \"error\": {\"NULL\": true},"
	"    \"settings\": {\"M\": {\"temperature\": {\"N\": \"0.7\"}, \"max_tokens\": {\"N\": \"1024\"}}},"
	"    \"variables\": {\"M\": {}}, \"tags\": {\"L\": []}, \"metadata\": {\"M\": {}}, \"tools\": {\"NULL\": true},"
	"    \"tokenCount\": {\"N\": \"398\"}, \"inputTokenCount\": {\"N\": \"162\"}, \"outputTokenCount\": {\"N\": \"179\"},"
	"    \"ttFirstToken\": {\"N\": \"706.1\"}, \"tokenThroughputInSeconds\": {\"N\": \"13.69\"}, \"duration\": {\"N\": \"2.202\"},"
	"    \"messages\": {\"L\": [{\"M\": {\"role\": {\"S\": \"user\"}, \"content\": {\"S\": \"Summarise the Q3 incident report\"}}}]},"
	"    \"messageCompletion\": {\"M\": {\"role\": {\"S\": \"assistant\"}, \"content\": {\"S\": \"The Q3 incident was ...\"}}},"
	"    \"type\": {\"S\": \"CHAT\"}}}}";

static const char *const SAMPLE_ELEMENT =
	"{\"PK\": {\"S\": \"THREAD#4e0994d8-919a-44d4-84c8-002919d15942\"},"
	" \"SK\": {\"S\": \"ELEMENT#b26541dd-7fee-44e2-a402-93064f690009\"},"
	" \"id\": {\"S\": \"b26541dd-7fee-44e2-a402-93064f690009\"}, \"threadId\": {\"S\": \"4e0994d8-919a-44d4-84c8-002919d15942\"},"
	" \"type\": {\"S\": \"image\"}, \"name\": {\"S\": \"diagram.png\"}, \"display\": {\"S\": \"inline\"},"
	" \"url\": {\"S\": \"https://my-bucket.s3.amazonaws.com/bob@example.com/4e0994d8-919a-44d4-84c8-002919d15942/b26541dd-7fee-44e2-a402-93064f690009\"},"
	" \"objectKey\": {\"S\": \"bob@example.com/4e0994d8-919a-44d4-84c8-002919d15942/b26541dd-7fee-44e2-a402-93064f690009\"},"
	" \"chainlitKey\": {\"NULL\": true}, \"size\": {\"S\": \"medium\"}, \"props\": {\"NULL\": true},"
	" \"page\": {\"NULL\": true}, \"autoPlay\": {\"NULL\": true}, \"playerConfig\": {\"NULL\": true},"
	" \"language\": {\"NULL\": true}, \"forId\": {\"S\": \"00690b94-d411-4bfd-bdc8-611492374ef6\"},"
	" \"mime\": {\"S\": \"image/png\"}}";

/* ---- helpers ------------------------------------------------------------------ */

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("bad JSON in test: %s (line %d)", e.text, e.line);
	return j;
}

static bool has_problem(const struct problems *p, const char *attr, const char *text_part)
{
	for (size_t i = 0; i < p->n; i++) {
		bool a = attr ? p->v[i].attr && !strcmp(p->v[i].attr, attr) : !p->v[i].attr;
		if (a && (!text_part || (p->v[i].text && strstr(p->v[i].text, text_part))))
			return true;
	}
	return false;
}

static void assert_no_problems(const struct problems *p)
{
	if (p->n) {
		char *t = problems_join(p);
		fail_msg("unexpected problems: %s", t);
	}
}

/* A minimal step item. */
static json_t *mkstep(const char *tid, const char *sid, const char *parent, const char *created)
{
	char pk[128], sk[128];
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	snprintf(sk, sizeof sk, "STEP#%s", sid);
	json_t *it = json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}",
	                       "PK", "S", pk, "SK", "S", sk, "id", "S", sid, "threadId", "S", tid,
	                       "name", "S", sid, "type", "S", "run", "output", "S", "");
	json_object_set_new(it, "parentId", parent ? ddb_av_s(parent) : ddb_av_null());
	if (created)
		json_object_set_new(it, "createdAt", ddb_av_s(created));
	return it;
}

static json_t *mkelement(const char *tid, const char *eid, const char *for_id)
{
	char pk[128], sk[128];
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	snprintf(sk, sizeof sk, "ELEMENT#%s", eid);
	return json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}",
	                 "PK", "S", pk, "SK", "S", sk, "id", "S", eid, "threadId", "S", tid,
	                 "type", "S", "file", "name", "S", eid, "objectKey", "S", "k",
	                 "forId", "S", for_id, "mime", "S", "text/plain");
}

static json_t *mkthread(const char *tid)
{
	char pk[128];
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	return json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:{}}}", "PK", "S", pk,
	                 "SK", "S", "THREAD", "id", "S", tid, "createdAt", "S", "2026-01-01T00:00:00Z",
	                 "UserThreadSK", "S", "TS#2026-01-01T00:00:00Z", "metadata", "M");
}

/* ---- decoding the samples ------------------------------------------------------------ */

static void test_user_sample(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_USER);
	assert_int_equal(cl_item_kind(it), CL_ITEM_USER);
	struct cl_user u;
	cl_user_decode(&u, it);
	assert_string_equal(u.identifier, "alice@example.com");
	assert_string_equal(u.id, "alice@example.com");
	assert_string_equal(u.created_at, "2026-04-24T13:02:11.573594Z");
	assert_non_null(u.metadata);
	assert_string_equal(ddb_item_s(u.metadata, "role"), "admin");
	assert_no_problems(&u.problems);
	cl_user_clear(&u);
	/* get_user needs metadata; an id that is not the identifier is wrong too */
	json_object_del(it, "metadata");
	json_object_set_new(it, "id", ddb_av_s("7f3c-uuid"));
	cl_user_decode(&u, it);
	assert_true(has_problem(&u.problems, "metadata", "missing"));
	assert_true(has_problem(&u.problems, "id", "differs"));
	assert_string_equal(u.identifier, "alice@example.com");
	cl_user_clear(&u);
	json_decref(it);
}

/* users --json: a number in the metadata map keeps its stored digits
 * (issue 11: N 0.35 came out as 0.34999999999999998, 38 digits as a string) */
static void test_user_json_numbers(void **st)
{
	(void)st;
	json_t *it = parse(
		"{\"PK\": {\"S\": \"USER#n@example.com\"}, \"SK\": {\"S\": \"USER\"},"
		" \"id\": {\"S\": \"n@example.com\"}, \"identifier\": {\"S\": \"n@example.com\"},"
		" \"createdAt\": {\"S\": \"2026-04-24T13:02:11.573594Z\"},"
		" \"metadata\": {\"M\": {\"score\": {\"N\": \"0.35\"},"
		" \"big\": {\"N\": \"12345678901234567890123456789012345678\"},"
		" \"tiny\": {\"N\": \"1E-130\"},"
		" \"max\": {\"N\": \"9.9999999999999999999999999999999999999E+125\"},"
		" \"z\": {\"N\": \"-0\"}, \"tenth\": {\"N\": \"0.1\"}, \"h\": {\"N\": \"100\"},"
		" \"one\": {\"N\": \"1.0\"}, \"pct\": {\"N\": \"99.9\"},"
		" \"l\": {\"L\": [{\"N\": \"0.35\"}]}}}}");
	struct cl_user u;
	cl_user_decode(&u, it);
	assert_no_problems(&u.problems);
	json_t *o = cl_user_json(&u);
	char *line = jsontext_dumps(o, JT_COMPACT | JT_ENSURE_ASCII);
	assert_string_equal(line,
		"{\"identifier\":\"n@example.com\",\"id\":\"n@example.com\","
		"\"createdAt\":\"2026-04-24T13:02:11.573594Z\","
		"\"metadata\":{\"score\":0.35,\"big\":12345678901234567890123456789012345678,"
		"\"tiny\":1E-130,\"max\":9.9999999999999999999999999999999999999E+125,\"z\":-0,"
		"\"tenth\":0.1,\"h\":100,\"one\":1.0,\"pct\":99.9,\"l\":[0.35]},\"problems\":[]}");
	free(line);
	json_decref(o);
	cl_user_clear(&u);
	/* no metadata: null, and the problem */
	json_object_del(it, "metadata");
	cl_user_decode(&u, it);
	o = cl_user_json(&u);
	line = jsontext_dumps(o, JT_COMPACT);
	assert_non_null(strstr(line, "\"metadata\":null,\"problems\":[\"metadata: missing\"]"));
	free(line);
	json_decref(o);
	cl_user_clear(&u);
	json_decref(it);
}

static void test_thread_sample(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_THREAD);
	assert_int_equal(cl_item_kind(it), CL_ITEM_THREAD);
	struct cl_thread t;
	cl_thread_decode(&t, it);
	assert_string_equal(t.id, "b1905f2f-75a9-44e2-a4c3-4872d5a8f624");
	assert_string_equal(t.name, "Translate 'bonjour tout le monde' to English");
	assert_string_equal(t.user_id, "bob@example.com");
	assert_string_equal(t.user_identifier, "bob@example.com");
	assert_string_equal(t.user_thread_pk, "USER#bob@example.com");
	assert_string_equal(t.created_at, "2026-04-24T13:05:55.243614Z");
	assert_int_equal(json_array_size(t.tags), 1);
	assert_string_equal(ddb_item_s(t.metadata, "chat_profile"), "Analyst");
	assert_false(t.from_index);
	assert_no_problems(&t.problems);
	cl_thread_clear(&t);
	json_decref(it);
}

static void test_thread_index_item(void **st)
{
	(void)st;
	json_t *items = json_pack("[{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}},"
	                          "{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}]",
	                          "PK", "S", "THREAD#t1", "SK", "S", "THREAD", "UserThreadPK", "S", "USER#bob",
	                          "UserThreadSK", "S", "TS#2026-04-24T13:05:55.5Z", "id", "S", "t1",
	                          "name", "S", "hello",
	                          "PK", "S", "THREAD#t2", "SK", "S", "THREAD", "UserThreadPK", "S", "USER#bob",
	                          "UserThreadSK", "S", "TS#2026-04-24T13:05:56Z", "id", "S", "t2");
	struct cl_threads l = {0};
	cl_threads_add(&l, items);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].from_index);
	assert_string_equal(l.v[0].created_at, "2026-04-24T13:05:55.5Z");
	assert_no_problems(&l.v[0].problems);
	/* init_http_context's thread: in the index with no name */
	assert_true(l.v[1].from_index);
	assert_null(l.v[1].name);
	assert_true(has_problem(&l.v[1].problems, "name", "list_threads"));
	cl_threads_free(&l);
	json_decref(items);
}

static void test_thread_problems(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_THREAD);
	/* the three user fields disagree */
	json_object_set_new(it, "userIdentifier", ddb_av_s("bob@old.example"));
	json_object_set_new(it, "UserThreadPK", ddb_av_s("USER#carol@example.com"));
	json_object_set_new(it, "tags", ddb_av_s("Analyst"));   /* S, not L */
	json_object_del(it, "metadata");                       /* legal: older versions */
	struct cl_thread t;
	cl_thread_decode(&t, it);
	assert_true(has_problem(&t.problems, "userIdentifier", "differs"));
	assert_true(has_problem(&t.problems, "UserThreadPK", "carol"));
	assert_true(has_problem(&t.problems, "tags", "is S, expected L"));
	assert_false(has_problem(&t.problems, "metadata", NULL));
	assert_null(t.metadata);
	cl_thread_clear(&t);
	/* a thread that never had a user is fine */
	json_t *anon = mkthread("a1");
	json_object_set_new(anon, "name", ddb_av_s("anonymous"));
	cl_thread_decode(&t, anon);
	assert_no_problems(&t.problems);
	cl_thread_clear(&t);
	json_decref(anon);
	json_decref(it);
}

static void test_message_sample(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_MESSAGE);
	assert_int_equal(cl_item_kind(it), CL_ITEM_STEP);
	struct cl_step s;
	cl_step_decode(&s, it);
	assert_string_equal(s.id, "88c02169-56b3-4e7b-8e6e-514dc2940dce");
	assert_string_equal(s.thread_id, "d8beae48-2232-401a-8966-6f7c1fded61a");
	assert_null(s.parent_id);
	assert_string_equal(s.type, "assistant_message");
	assert_string_equal(s.name, "Assistant");
	assert_null(s.input);                /* a message has no input */
	assert_string_equal(s.output, "Rotate them with the key-rotation runbook: ...");
	assert_true(cl_step_is_message(&s));
	assert_int_equal(s.streaming, 0);
	assert_int_equal(s.is_error, 0);
	assert_true(s.created_ok);
	assert_false(s.stub);
	assert_int_equal(cl_step_duration_us(&s), 2002406);
	assert_true(s.has_feedback);
	assert_int_equal(s.feedback.vote, 1);
	assert_string_equal(s.feedback.value, "1");
	assert_string_equal(s.feedback.comment, "Great answer");
	assert_string_equal(s.feedback.for_id, s.id);
	assert_string_equal(s.feedback.thread_id, s.thread_id);
	assert_ptr_equal(s.feedback.av, json_object_get(it, "feedback"));
	assert_no_problems(&s.problems);
	cl_step_clear(&s);
	json_decref(it);
}

static void test_llm_sample(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_LLM);
	struct cl_step s;
	cl_step_decode(&s, it);
	assert_string_equal(s.type, "llm");
	assert_string_equal(s.parent_id, "ae3d0537-71c8-48ce-bc2d-33a001763755");
	assert_non_null(strstr(s.input, "\"role\": \"user\""));
	assert_string_equal(s.language, "json");
	assert_non_null(s.generation);
	assert_string_equal(ddb_item_s(s.generation, "type"), "CHAT");
	assert_false(s.has_feedback);
	assert_false(cl_step_is_message(&s));
	assert_no_problems(&s.problems);
	cl_step_clear(&s);
	json_decref(it);
}

static void test_element_sample(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_ELEMENT);
	assert_int_equal(cl_item_kind(it), CL_ITEM_ELEMENT);
	struct cl_element e;
	cl_element_decode(&e, it);
	assert_string_equal(e.id, "b26541dd-7fee-44e2-a402-93064f690009");
	assert_string_equal(e.type, "image");
	assert_string_equal(e.name, "diagram.png");
	assert_string_equal(e.for_id, "00690b94-d411-4bfd-bdc8-611492374ef6");
	assert_string_equal(e.mime, "image/png");
	assert_string_equal(e.size, "medium");
	assert_null(e.page);
	assert_non_null(e.object_key);
	assert_no_problems(&e.problems);
	cl_element_clear(&e);
	/* without objectKey, get_thread fails when a storage client is set */
	json_object_del(it, "objectKey");
	json_object_set_new(it, "page", ddb_av_s("3"));
	cl_element_decode(&e, it);
	assert_true(has_problem(&e.problems, "objectKey", "missing"));
	assert_true(has_problem(&e.problems, "page", "is S, expected N"));
	cl_element_clear(&e);
	json_decref(it);
}

static void test_step_problems(void **st)
{
	(void)st;
	json_t *it = parse(SAMPLE_MESSAGE);
	json_object_set_new(it, "createdAt", ddb_av_n("1714000000"));
	json_object_del(it, "name");
	json_object_set_new(it, "streaming", ddb_av_s("false"));
	json_t *fb = json_object_get(json_object_get(it, "feedback"), "M");
	json_object_set_new(fb, "value", ddb_av_s("1"));
	json_object_set_new(fb, "threadId", ddb_av_null());
	struct cl_step s;
	cl_step_decode(&s, it);
	assert_true(has_problem(&s.problems, "createdAt", "is N, expected S"));
	assert_false(s.created_ok);
	assert_true(has_problem(&s.problems, "name", "missing"));
	assert_true(has_problem(&s.problems, "streaming", "is S, expected BOOL"));
	assert_true(has_problem(&s.problems, "feedback.value", "is S, expected N"));
	assert_true(has_problem(&s.problems, "feedback.threadId", "NULL"));
	assert_int_equal(s.feedback.vote, -1);
	assert_string_equal(s.id, "88c02169-56b3-4e7b-8e6e-514dc2940dce");   /* still decoded */
	cl_step_clear(&s);

	/* a feedback value that is an N but neither 0 nor 1 */
	json_object_set_new(fb, "value", ddb_av_n("2"));
	cl_step_decode(&s, it);
	assert_int_equal(s.feedback.vote, -1);
	assert_string_equal(s.feedback.value, "2");
	assert_true(has_problem(&s.problems, "feedback.value", "expected 0 or 1"));
	cl_step_clear(&s);

	/* a missing createdAt is a problem, not a failure */
	json_object_del(it, "createdAt");
	cl_step_decode(&s, it);
	assert_true(has_problem(&s.problems, "createdAt", "missing"));
	assert_false(s.created_ok);
	cl_step_clear(&s);
	json_decref(it);
}

static void test_stub_steps(void **st)
{
	(void)st;
	json_t *stub = json_pack("{s:{s:s},s:{s:s},s:o}", "PK", "S", "THREAD#t1", "SK", "S", "STEP#s9",
	                         "feedback", fb_map("t1", "s9", 0, NULL));
	struct cl_step s;
	cl_step_decode(&s, stub);
	assert_true(s.stub);
	assert_string_equal(s.id, "s9");
	assert_string_equal(s.thread_id, "t1");
	assert_true(s.has_feedback);
	assert_int_equal(s.feedback.vote, 0);
	assert_null(s.feedback.comment);
	assert_true(has_problem(&s.problems, NULL, "stub"));
	assert_false(has_problem(&s.problems, "createdAt", NULL));
	cl_step_clear(&s);
	json_decref(stub);
	/* the stray {PK, SK} that Chainlit's delete_feedback leaves */
	json_t *bare = json_pack("{s:{s:s},s:{s:s}}", "PK", "S", "THREAD#-1-TEAM", "SK", "S", "STEP#x");
	cl_step_decode(&s, bare);
	assert_true(s.stub);
	assert_false(s.has_feedback);
	cl_step_clear(&s);
	json_decref(bare);
	/* a real step is not a stub */
	json_t *real = mkstep("t1", "s1", NULL, "2026-01-01T00:00:00Z");
	cl_step_decode(&s, real);
	assert_false(s.stub);
	assert_no_problems(&s.problems);
	cl_step_clear(&s);
	json_decref(real);
}

static void test_prefix_removal(void **st)
{
	(void)st;
	assert_string_equal(cl_strip_prefix("THREAD#DATA-1-TEAM", "THREAD#"), "DATA-1-TEAM");
	assert_string_equal(cl_strip_prefix("STEP#PETS", "STEP#"), "PETS");
	assert_string_equal(cl_strip_prefix("THREAD#", "THREAD#"), "");
	assert_null(cl_strip_prefix("USER#x", "THREAD#"));
	assert_null(cl_strip_prefix(NULL, "THREAD#"));
	/* ids fall back to the key, with the prefix removed, not the letters */
	json_t *it = json_pack("{s:{s:s},s:{s:s},s:o}", "PK", "S", "THREAD#DATA-1-TEAM",
	                       "SK", "S", "STEP#STEP-ESTHER#", "feedback",
	                       fb_map("DATA-1-TEAM", "STEP-ESTHER#", 1, "x"));
	struct cl_step s;
	cl_step_decode(&s, it);
	assert_string_equal(s.thread_id, "DATA-1-TEAM");
	assert_string_equal(s.id, "STEP-ESTHER#");
	assert_false(has_problem(&s.problems, "feedback.id", NULL));
	assert_false(has_problem(&s.problems, "feedback.forId", NULL));
	cl_step_clear(&s);
	json_decref(it);
	json_t *th = json_pack("{s:{s:s},s:{s:s},s:{s:s},s:{s:s}}", "PK", "S", "THREAD#HEAD-DART",
	                       "SK", "S", "THREAD", "createdAt", "S", "2026-01-01T00:00:00Z",
	                       "UserThreadSK", "S", "TS#2026-01-01T00:00:00Z");
	struct cl_thread t;
	cl_thread_decode(&t, th);
	assert_string_equal(t.id, "HEAD-DART");
	assert_true(has_problem(&t.problems, "id", "missing"));
	cl_thread_clear(&t);
	json_decref(th);
	/* keys and the feedback request keep such ids whole */
	json_t *k = cl_step_key("DATA-1-TEAM", "STEP-ESTHER#");
	assert_string_equal(ddb_item_s(k, "PK"), "THREAD#DATA-1-TEAM");
	assert_string_equal(ddb_item_s(k, "SK"), "STEP#STEP-ESTHER#");
	json_decref(k);
	char *id = fb_id("DATA-1-TEAM", "STEP-ESTHER#");
	assert_string_equal(id, "THREAD#DATA-1-TEAM::STEP#STEP-ESTHER#");
	free(id);
	struct fb_request rq = {.table = "t", .thread_id = "THREAD-HEAD", .step_id = "PETS",
	                        .action = FB_DELETE};
	json_t *req = fb_build_request(&rq, NULL);
	assert_non_null(req);
	assert_string_equal(ddb_item_s(json_object_get(req, "Key"), "PK"), "THREAD#THREAD-HEAD");
	assert_string_equal(ddb_item_s(json_object_get(req, "Key"), "SK"), "STEP#PETS");
	json_decref(req);
}

static void test_item_kinds(void **st)
{
	(void)st;
	struct {
		const char *pk, *sk;
		enum cl_kind want;
	} cases[] = {
		{"USER#a", "USER", CL_ITEM_USER}, {"THREAD#t", "THREAD", CL_ITEM_THREAD},
		{"THREAD#t", "STEP#s", CL_ITEM_STEP}, {"THREAD#t", "ELEMENT#e", CL_ITEM_ELEMENT},
		{"THREAD#t", "NOTE#n", CL_ITEM_UNKNOWN}, {"USER#a", "THREAD", CL_ITEM_UNKNOWN},
		{"HASH#x", "STEP#s", CL_ITEM_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *it = json_pack("{s:{s:s},s:{s:s}}", "PK", "S", cases[i].pk, "SK", "S", cases[i].sk);
		assert_int_equal(cl_item_kind(it), cases[i].want);
		json_decref(it);
	}
	json_t *nosk = json_pack("{s:{s:s}}", "PK", "S", "THREAD#t");
	assert_int_equal(cl_item_kind(nosk), CL_ITEM_UNKNOWN);
	json_decref(nosk);
}

/* ---- ordering and the tree ---------------------------------------------------------- */

static void test_order_by_parsed_time(void **st)
{
	(void)st;
	/* string order would put :56.5Z (and :56.500000Z) before :56Z */
	json_t *items = json_array();
	json_array_append_new(items, mkstep("t", "late", NULL, "2026-04-24T12:50:56.500000Z"));
	json_array_append_new(items, mkstep("t", "whole", NULL, "2026-04-24T12:50:56Z"));
	json_array_append_new(items, mkstep("t", "half", NULL, "2026-04-24T12:50:56.25Z"));
	json_array_append_new(items, mkstep("t", "offset", NULL, "2026-04-24T14:50:55+02:00"));
	json_array_append_new(items, mkstep("t", "none", NULL, NULL));
	json_array_append_new(items, mkstep("t", "first", NULL, "2026-04-24T12:50:51.123456Z"));
	json_array_append_new(items, json_pack("{s:{s:s},s:{s:s},s:o}", "PK", "S", "THREAD#t",
	                                       "SK", "S", "STEP#stub", "feedback",
	                                       fb_map("t", "stub", 1, NULL)));
	json_array_append_new(items, mkthread("t"));
	struct cl_conversation *c = cl_conversation_build("t", items);
	assert_int_equal(c->n_steps, 7);
	const char *want[] = {"first", "offset", "whole", "half", "late", "none", "stub"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(c->steps[i].id, want[i]);
	assert_int_equal(c->n_roots, 7);
	assert_string_equal(c->roots[0]->step->id, "first");
	assert_string_equal(c->roots[5]->step->id, "none");
	assert_int_equal(c->n_no_created, 1);   /* the stub is counted apart */
	assert_true(has_problem(&c->problems, NULL, "1 step without a usable createdAt"));
	assert_true(has_problem(&c->problems, NULL, "1 stub step"));
	assert_non_null(c->thread);
	cl_conversation_free(c);
	json_decref(items);
}

static void test_tree_nesting(void **st)
{
	(void)st;
	json_t *items = json_array();
	/* in SK order, as the Query returns them: elements, steps, THREAD */
	json_array_append_new(items, mkelement("t", "e1", "reply"));
	json_array_append_new(items, mkelement("t", "e2", "ghost-step"));
	json_array_append_new(items, mkstep("t", "llm", "run", "2026-01-01T00:00:03Z"));
	json_array_append_new(items, mkstep("t", "msg", NULL, "2026-01-01T00:00:01Z"));
	json_array_append_new(items, mkstep("t", "orph", "missing-parent", "2026-01-01T00:00:02Z"));
	json_array_append_new(items, mkstep("t", "orphkid", "orph", "2026-01-01T00:00:02.5Z"));
	json_array_append_new(items, mkstep("t", "reply", NULL, "2026-01-01T00:00:09Z"));
	json_array_append_new(items, mkstep("t", "run", "msg", "2026-01-01T00:00:01.5Z"));
	json_array_append_new(items, mkstep("t", "tool", "run", "2026-01-01T00:00:02Z"));
	json_array_append_new(items, json_pack("{s:{s:s},s:{s:s}}", "PK", "S", "THREAD#t",
	                                       "SK", "S", "NOTE#1"));
	json_array_append_new(items, mkthread("t"));
	struct cl_conversation *c = cl_conversation_build("t", items);
	assert_non_null(c->thread);
	assert_int_equal(c->n_roots, 2);
	struct cl_node *msg = c->roots[0], *reply = c->roots[1];
	assert_string_equal(msg->step->id, "msg");
	assert_string_equal(reply->step->id, "reply");
	assert_int_equal(msg->n_children, 1);
	struct cl_node *run = msg->children[0];
	assert_string_equal(run->step->id, "run");
	assert_ptr_equal(run->parent, msg);
	assert_int_equal(run->n_children, 2);
	assert_string_equal(run->children[0]->step->id, "tool");
	assert_string_equal(run->children[1]->step->id, "llm");
	assert_int_equal(reply->n_elements, 1);
	assert_string_equal(reply->elements[0]->id, "e1");
	assert_int_equal(c->n_orphans, 1);
	assert_string_equal(c->orphans[0]->step->id, "orph");
	assert_true(c->orphans[0]->orphan);
	assert_int_equal(c->orphans[0]->n_children, 1);
	assert_int_equal(c->n_orphan_elements, 1);
	assert_string_equal(c->orphan_elements[0]->id, "e2");
	assert_int_equal(c->n_unknown, 1);
	assert_true(has_problem(&c->problems, NULL, "parent is missing"));
	assert_true(has_problem(&c->problems, NULL, "element"));
	assert_true(has_problem(&c->problems, NULL, "unknown sort key"));

	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	struct {
		enum cl_row_kind kind;
		int depth;
		const char *id;
	} want[] = {
		{CL_ROW_STEP, 0, "msg"}, {CL_ROW_STEP, 1, "run"}, {CL_ROW_STEP, 2, "tool"},
		{CL_ROW_STEP, 2, "llm"}, {CL_ROW_STEP, 0, "reply"}, {CL_ROW_ELEMENT, 1, "e1"},
		{CL_ROW_SECTION, 0, NULL}, {CL_ROW_STEP, 1, "orph"}, {CL_ROW_STEP, 2, "orphkid"},
		{CL_ROW_SECTION, 0, NULL}, {CL_ROW_ELEMENT, 1, "e2"},
		{CL_ROW_SECTION, 0, NULL}, {CL_ROW_UNKNOWN, 1, NULL},
	};
	assert_int_equal(rows.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < rows.n; i++) {
		assert_int_equal(rows.v[i].kind, want[i].kind);
		assert_int_equal(rows.v[i].depth, want[i].depth);
		if (want[i].kind == CL_ROW_STEP)
			assert_string_equal(rows.v[i].node->step->id, want[i].id);
		if (want[i].kind == CL_ROW_ELEMENT)
			assert_string_equal(rows.v[i].element->id, want[i].id);
	}
	assert_int_equal(rows.v[7].section, CL_SECTION_ORPHANS);
	assert_int_equal(rows.v[10].section, CL_SECTION_ORPHAN_ELEMENTS);
	cl_rows_free(&rows);

	/* collapsing a node hides its subtree */
	run->collapsed = true;
	reply->collapsed = true;
	cl_conversation_rows(c, &rows);
	assert_int_equal(rows.n, sizeof want / sizeof want[0] - 3);
	assert_string_equal(rows.v[1].node->step->id, "run");
	assert_string_equal(rows.v[2].node->step->id, "reply");
	assert_int_equal(rows.v[3].kind, CL_ROW_SECTION);
	cl_rows_free(&rows);
	cl_conversation_free(c);
	json_decref(items);
}

static void test_tree_cycles(void **st)
{
	(void)st;
	json_t *items = json_array();
	json_array_append_new(items, mkstep("t", "a", "b", "2026-01-01T00:00:01Z"));
	json_array_append_new(items, mkstep("t", "b", "c", "2026-01-01T00:00:02Z"));
	json_array_append_new(items, mkstep("t", "c", "a", "2026-01-01T00:00:03Z"));
	json_array_append_new(items, mkstep("t", "kid", "b", "2026-01-01T00:00:04Z"));
	json_array_append_new(items, mkstep("t", "self", "self", "2026-01-01T00:00:05Z"));
	json_array_append_new(items, mkstep("t", "root", NULL, "2026-01-01T00:00:00Z"));
	struct cl_conversation *c = cl_conversation_build("t", items);
	assert_null(c->thread);
	assert_true(has_problem(&c->problems, NULL, "no THREAD item"));
	assert_int_equal(c->n_roots, 1);
	assert_int_equal(c->n_cycles, 4);   /* a, b, c and self */
	assert_string_equal(c->cycles[0]->step->id, "a");
	assert_string_equal(c->cycles[3]->step->id, "self");
	for (size_t i = 0; i < c->n_cycles; i++) {
		assert_true(c->cycles[i]->cycle);
		assert_null(c->cycles[i]->parent);
	}
	/* kid hangs under b, which is on the cycle */
	assert_int_equal(c->cycles[1]->n_children, 1);
	assert_string_equal(c->cycles[1]->children[0]->step->id, "kid");
	assert_true(has_problem(&c->problems, NULL, "cycle"));
	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	assert_int_equal(rows.n, 1 + 1 + 5);   /* root, heading, a b kid c self */
	cl_rows_free(&rows);
	cl_conversation_free(c);
	json_decref(items);

	/* nothing at all */
	json_t *none = json_array();
	c = cl_conversation_build("gone", none);
	assert_null(c->thread);
	assert_int_equal(c->n_steps, 0);
	assert_true(has_problem(&c->problems, NULL, "does not exist"));
	cl_conversation_free(c);
	json_decref(none);
}

static void test_deep_chain(void **st)
{
	(void)st;
	/* a long parent chain: no recursion limits, rows nest all the way */
	enum { DEPTH = 3000 };
	json_t *items = json_array();
	char id[32], parent[32], ts[40];
	for (int i = 0; i < DEPTH; i++) {
		snprintf(id, sizeof id, "s%05d", i);
		snprintf(parent, sizeof parent, "s%05d", i - 1);
		snprintf(ts, sizeof ts, "2026-01-01T%02d:%02d:%02dZ", i / 3600, i / 60 % 60, i % 60);
		json_array_append_new(items, mkstep("t", id, i ? parent : NULL, ts));
	}
	struct cl_conversation *c = cl_conversation_build("t", items);
	assert_int_equal(c->n_roots, 1);
	struct cl_rows rows;
	cl_conversation_rows(c, &rows);
	assert_int_equal(rows.n, DEPTH);
	assert_int_equal(rows.v[DEPTH - 1].depth, DEPTH - 1);
	cl_rows_free(&rows);
	cl_conversation_free(c);
	json_decref(items);
}

/* ---- feedback requests ------------------------------------------------------------ */

/* expr with every #name placeholder replaced by its attribute name. */
static char *resolve_names(const char *expr, const json_t *names)
{
	char *out = calloc(1, strlen(expr) * 4 + 64);
	const char *p = expr;
	while (*p) {
		if (*p == '#') {
			size_t n = 1;
			while (p[n] && (p[n] == '_' || (p[n] >= '0' && p[n] <= '9') ||
			                (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
				n++;
			char ph[32];
			snprintf(ph, sizeof ph, "%.*s", (int)n, p);
			const char *name = json_string_value(json_object_get(names, ph));
			assert_non_null(name);
			strcat(out, name);
			p += n;
		} else {
			strncat(out, p, 1);
			p++;
		}
	}
	return out;
}

/* The value placeholder after "SET feedback = " / "feedback = " in expr. */
static const json_t *value_after(const char *expr, const char *marker, const json_t *values)
{
	const char *p = strstr(expr, marker);
	assert_non_null(p);
	p += strlen(marker);
	char ph[32];
	size_t n = strcspn(p, " )");
	snprintf(ph, sizeof ph, "%.*s", (int)n, p);
	const json_t *v = json_object_get(values, ph);
	assert_non_null(v);
	return v;
}

static void assert_feedback_map(const json_t *av, const char *tid, const char *sid,
                                const char *value, const char *comment)
{
	const json_t *m = json_object_get(av, "M");
	assert_non_null(m);
	assert_int_equal(json_object_size(av), 1);
	assert_int_equal(json_object_size(m), 5);
	/* forId S = step id */
	assert_string_equal(ddb_av_type(json_object_get(m, "forId")), "S");
	assert_string_equal(ddb_item_s(m, "forId"), sid);
	/* value N "0"/"1" */
	assert_string_equal(ddb_av_type(json_object_get(m, "value")), "N");
	assert_string_equal(ddb_av_get_n(json_object_get(m, "value")), value);
	/* threadId S = thread id */
	assert_string_equal(ddb_av_type(json_object_get(m, "threadId")), "S");
	assert_string_equal(ddb_item_s(m, "threadId"), tid);
	/* id S THREAD#t::STEP#s */
	char want[256];
	snprintf(want, sizeof want, "THREAD#%s::STEP#%s", tid, sid);
	assert_string_equal(ddb_av_type(json_object_get(m, "id")), "S");
	assert_string_equal(ddb_item_s(m, "id"), want);
	/* comment S or NULL */
	const json_t *c = json_object_get(m, "comment");
	assert_non_null(c);
	if (comment) {
		assert_string_equal(ddb_av_type(c), "S");
		assert_string_equal(ddb_av_get_s(c), comment);
	} else {
		assert_string_equal(ddb_av_type(c), "NULL");
		assert_true(json_is_true(json_object_get(c, "NULL")));
	}
}

static void assert_common(const json_t *req, const char *tid, const char *sid)
{
	assert_string_equal(json_string_value(json_object_get(req, "TableName")), "tbl");
	const json_t *key = json_object_get(req, "Key");
	assert_int_equal(json_object_size(key), 2);
	char pk[128], sk[128];
	snprintf(pk, sizeof pk, "THREAD#%s", tid);
	snprintf(sk, sizeof sk, "STEP#%s", sid);
	assert_string_equal(ddb_item_s(key, "PK"), pk);
	assert_string_equal(ddb_item_s(key, "SK"), sk);
	assert_string_equal(json_string_value(json_object_get(req, "ReturnValues")), "ALL_NEW");
	assert_string_equal(json_string_value(json_object_get(req, "ReturnValuesOnConditionCheckFailure")),
	                    "ALL_OLD");
	/* every name goes through a placeholder */
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(req, "ExpressionAttributeNames"), k, v)
		assert_true(k[0] == '#');
	assert_null(strstr(json_string_value(json_object_get(req, "UpdateExpression")), "feedback"));
	assert_null(strstr(json_string_value(json_object_get(req, "ConditionExpression")), "(PK)"));
}

static void test_feedback_set_request(void **st)
{
	(void)st;
	const char *tid = "d8beae48-2232-401a-8966-6f7c1fded61a";
	const char *sid = "88c02169-56b3-4e7b-8e6e-514dc2940dce";
	struct fb_request rq = {.table = "tbl", .thread_id = tid, .step_id = sid, .action = FB_SET,
	                        .value = 1, .comment = "Très bien 👍"};
	char *err = NULL;
	json_t *req = fb_build_request(&rq, &err);
	assert_non_null(req);
	assert_null(err);
	assert_common(req, tid, sid);
	const json_t *names = json_object_get(req, "ExpressionAttributeNames");
	const json_t *values = json_object_get(req, "ExpressionAttributeValues");
	char *upd = resolve_names(json_string_value(json_object_get(req, "UpdateExpression")), names);
	assert_int_equal(strncmp(upd, "SET feedback = :", 16), 0);
	assert_null(strchr(upd, ','));   /* one SET, the whole map */
	assert_feedback_map(value_after(upd, "SET feedback = ", values), tid, sid, "1", "Très bien 👍");
	char *cond = resolve_names(json_string_value(json_object_get(req, "ConditionExpression")), names);
	assert_string_equal(cond, "attribute_exists(PK) AND attribute_not_exists(feedback)");
	assert_int_equal(json_object_size(values), 1);
	free(upd);
	free(cond);
	json_decref(req);

	/* thumbs down, no comment: comment NULL; conditional on what was seen */
	json_t *seen = fb_map(tid, sid, 1, "old words");
	rq.value = 0;
	rq.comment = NULL;
	rq.seen = seen;
	req = fb_build_request(&rq, NULL);
	assert_non_null(req);
	assert_common(req, tid, sid);
	names = json_object_get(req, "ExpressionAttributeNames");
	values = json_object_get(req, "ExpressionAttributeValues");
	upd = resolve_names(json_string_value(json_object_get(req, "UpdateExpression")), names);
	assert_feedback_map(value_after(upd, "SET feedback = ", values), tid, sid, "0", NULL);
	cond = resolve_names(json_string_value(json_object_get(req, "ConditionExpression")), names);
	/* conditional on the version seen, field by field (some servers compare
	 * whole maps by key order), plus the number of fields */
	assert_int_equal(strncmp(cond, "attribute_exists(PK) AND size(feedback) = :", 43), 0);
	assert_string_equal(ddb_av_get_n(value_after(cond, "size(feedback) = ", values)), "5");
	const json_t *sm = json_object_get(seen, "M");
	const char *fields[] = {"forId", "value", "threadId", "id", "comment"};
	for (size_t i = 0; i < 5; i++) {
		char pre[64];
		snprintf(pre, sizeof pre, "feedback.%s = ", fields[i]);
		assert_non_null(strstr(cond, pre));
		assert_true(json_equal((json_t *)value_after(cond, pre, values),
		                       json_object_get(sm, fields[i])));
	}
	assert_int_equal(json_object_size(values), 7);
	free(upd);
	free(cond);
	json_decref(req);
	json_decref(seen);
}

static void test_feedback_delete_request(void **st)
{
	(void)st;
	struct fb_request rq = {.table = "tbl", .thread_id = "t-1", .step_id = "s-1",
	                        .action = FB_DELETE};
	json_t *req = fb_build_request(&rq, NULL);
	assert_non_null(req);
	assert_common(req, "t-1", "s-1");
	const json_t *names = json_object_get(req, "ExpressionAttributeNames");
	char *upd = resolve_names(json_string_value(json_object_get(req, "UpdateExpression")), names);
	assert_string_equal(upd, "REMOVE feedback");
	char *cond = resolve_names(json_string_value(json_object_get(req, "ConditionExpression")), names);
	assert_string_equal(cond, "attribute_exists(PK) AND attribute_not_exists(feedback)");
	/* no values at all: an empty ExpressionAttributeValues is refused by DynamoDB */
	assert_null(json_object_get(req, "ExpressionAttributeValues"));
	free(upd);
	free(cond);
	json_decref(req);

	json_t *seen = fb_map("t-1", "s-1", 0, NULL);
	rq.seen = seen;
	req = fb_build_request(&rq, NULL);
	names = json_object_get(req, "ExpressionAttributeNames");
	cond = resolve_names(json_string_value(json_object_get(req, "ConditionExpression")), names);
	const json_t *dvalues = json_object_get(req, "ExpressionAttributeValues");
	assert_int_equal(strncmp(cond, "attribute_exists(PK) AND size(feedback) = :", 43), 0);
	assert_true(json_equal((json_t *)value_after(cond, "feedback.value = ", dvalues),
	                       json_object_get(json_object_get(seen, "M"), "value")));
	/* a NULL field is matched by its type */
	assert_non_null(strstr(cond, "attribute_type(feedback.comment, :"));
	assert_string_equal(ddb_av_get_s(value_after(cond, "attribute_type(feedback.comment, ", dvalues)),
	                    "NULL");
	free(cond);
	json_decref(req);
	json_decref(seen);
}

static void test_feedback_validation(void **st)
{
	(void)st;
	int v = -1;
	assert_int_equal(fb_value_parse("up", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(fb_value_parse("down", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(fb_value_parse("1", &v), -1);
	assert_int_equal(fb_value_parse("UP", &v), -1);
	assert_int_equal(fb_value_parse(NULL, &v), -1);

	struct fb_request bad[] = {
		{.table = "tbl", .thread_id = "", .step_id = "s", .action = FB_SET, .value = 1},
		{.table = "tbl", .thread_id = "t", .step_id = "", .action = FB_SET, .value = 1},
		{.table = "tbl", .thread_id = NULL, .step_id = "s", .action = FB_DELETE},
		{.table = "tbl", .thread_id = "t", .step_id = "s", .action = FB_SET, .value = 2},
		{.table = "", .thread_id = "t", .step_id = "s", .action = FB_SET, .value = 1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = NULL;
		assert_null(fb_build_request(&bad[i], &err));
		assert_non_null(err);
		free(err);
	}
	json_t *junk = json_pack("{s:s,s:s}", "S", "a", "N", "1");   /* not one attribute value */
	struct fb_request rq = {.table = "tbl", .thread_id = "t", .step_id = "s", .action = FB_DELETE,
	                        .seen = junk};
	char *err = NULL;
	assert_null(fb_build_request(&rq, &err));
	free(err);
	json_decref(junk);
	assert_string_equal(fb_status_text(FB_CONFLICT), "the feedback changed since it was read");
}

static void test_feedback_map_roundtrip(void **st)
{
	(void)st;
	/* what we write decodes back without problems on the step it is for */
	json_t *it = mkstep("t9", "s9", NULL, "2026-01-01T00:00:00Z");
	json_object_set_new(it, "feedback", fb_map("t9", "s9", 0, "日本語のコメント"));
	struct cl_step s;
	cl_step_decode(&s, it);
	assert_no_problems(&s.problems);
	assert_int_equal(s.feedback.vote, 0);
	assert_string_equal(s.feedback.comment, "日本語のコメント");
	cl_step_clear(&s);
	/* under the wrong step the map is noticed */
	json_object_set_new(it, "feedback", fb_map("t9", "other", 1, NULL));
	cl_step_decode(&s, it);
	assert_true(has_problem(&s.problems, "feedback.forId", "not this step"));
	assert_true(has_problem(&s.problems, "feedback.id", "expected"));
	cl_step_clear(&s);
	json_decref(it);
}

/* ---- feedback read back and counted ------------------------------------------------ */

/* A feedback map decodes alone as it does on its step. */
static void test_feedback_decode_alone(void **st)
{
	(void)st;
	json_t *av = fb_map("t1", "s1", 1, "fine");
	struct cl_feedback f;
	struct problems p = {0};
	cl_feedback_decode(&f, av, "t1", "s1", &p);
	assert_no_problems(&p);
	assert_int_equal(f.vote, 1);
	assert_string_equal(f.comment, "fine");
	assert_string_equal(f.for_id, "s1");
	assert_ptr_equal(f.av, av);
	/* checked against another step: its problems, as on a step */
	cl_feedback_decode(&f, av, "t1", "s2", &p);
	assert_true(has_problem(&p, "feedback.forId", "not this step"));
	problems_free(&p);
	/* no key to check against, no problem list: only the values */
	cl_feedback_decode(&f, av, NULL, NULL, NULL);
	assert_int_equal(f.vote, 1);
	json_decref(av);
	/* the Slack integration's value 2, a comment stored NULL, not a map */
	av = parse("{\"M\":{\"value\":{\"N\":\"2\"},\"comment\":{\"NULL\":true}}}");
	cl_feedback_decode(&f, av, NULL, NULL, NULL);
	assert_int_equal(f.vote, -1);
	assert_null(f.comment);
	json_decref(av);
	av = ddb_av_s("up");
	cl_feedback_decode(&f, av, NULL, NULL, &p);
	assert_int_equal(f.vote, -1);
	assert_true(has_problem(&p, "feedback", "expected M"));
	problems_free(&p);
	json_decref(av);
}

static void test_feedback_counts(void **st)
{
	(void)st;
	struct fb_counts c;
	fb_counts_of(NULL, &c);
	assert_true(c.up == 0 && c.down == 0 && c.comments == 0);
	json_t *up = fb_map("t", "s", 1, NULL), *down = fb_map("t", "s", 0, "why"),
	       *empty = fb_map("t", "s", 0, "");
	fb_counts_of(up, &c);
	assert_true(c.up == 1 && c.down == 0 && c.comments == 0);
	fb_counts_of(down, &c);
	assert_true(c.up == 0 && c.down == 1 && c.comments == 1);
	fb_counts_of(empty, &c);   /* an empty comment is none */
	assert_true(c.up == 0 && c.down == 1 && c.comments == 0);

	/* a Scan page: steps with feedback under two threads, and one without */
	json_t *items = json_array();
	json_t *a = mkstep("t1", "a", NULL, "2026-01-01T00:00:00Z");
	json_object_set(a, "feedback", up);
	json_t *b = mkstep("t1", "b", NULL, "2026-01-01T00:00:01Z");
	json_object_set(b, "feedback", down);
	json_t *d = mkstep("t2", "d", NULL, "2026-01-01T00:00:02Z");
	json_object_set(d, "feedback", down);
	json_array_append_new(items, a);
	json_array_append_new(items, b);
	json_array_append_new(items, d);
	json_array_append_new(items, mkstep("t2", "e", NULL, "2026-01-01T00:00:03Z"));
	struct fb_tally t;
	fb_tally_init(&t);
	fb_tally_add_steps(&t, items);
	fb_tally_get(&t, "t1", &c);
	assert_true(c.up == 1 && c.down == 1 && c.comments == 1);
	fb_tally_get(&t, "t2", &c);
	assert_true(c.up == 0 && c.down == 1 && c.comments == 1);
	fb_tally_get(&t, "t3", &c);
	assert_true(c.up == 0 && c.down == 0 && c.comments == 0);

	/* writes: up -> down on t1's a; the same again changes nothing; down
	 * removed on t2; never below zero */
	assert_true(fb_tally_change(&t, "t1", up, down));
	fb_tally_get(&t, "t1", &c);
	assert_true(c.up == 0 && c.down == 2 && c.comments == 2);
	assert_false(fb_tally_change(&t, "t1", down, down));
	assert_true(fb_tally_change(&t, "t2", down, NULL));
	fb_tally_get(&t, "t2", &c);
	assert_true(c.up == 0 && c.down == 0 && c.comments == 0);
	assert_true(fb_tally_change(&t, "t2", down, NULL));
	fb_tally_get(&t, "t2", &c);
	assert_true(c.up == 0 && c.down == 0 && c.comments == 0);
	assert_false(fb_tally_change(&t, NULL, NULL, up));
	fb_tally_clear(&t);
	fb_tally_get(&t, "t1", &c);
	assert_true(c.up == 0 && c.down == 0 && c.comments == 0);
	fb_tally_free(&t);
	json_decref(items);
	json_decref(up);
	json_decref(down);
	json_decref(empty);
}

/* The item a write returned replaces its step in place: same node, same
 * rows, the new feedback. */
static void test_conversation_update_step(void **st)
{
	(void)st;
	json_t *items = json_array();
	json_array_append_new(items, mkstep("t", "msg", NULL, "2026-01-01T00:00:01Z"));
	json_array_append_new(items, mkstep("t", "run", "msg", "2026-01-01T00:00:02Z"));
	json_array_append_new(items, mkthread("t"));
	struct cl_conversation *c = cl_conversation_build("t", items);
	struct cl_rows rows = {0};
	cl_conversation_rows(c, &rows);
	size_t nrows = rows.n;
	struct cl_node *run = c->roots[0]->children[0];
	struct cl_step *step = run->step;
	assert_false(step->has_feedback);

	json_t *now = mkstep("t", "run", "msg", "2026-01-01T00:00:02Z");
	json_object_set_new(now, "feedback", fb_map("t", "run", 0, "wrong"));
	assert_true(cl_conversation_update_step(c, now));
	json_decref(now);
	assert_ptr_equal(c->roots[0]->children[0], run);
	assert_ptr_equal(run->step, step);
	assert_true(step->has_feedback);
	assert_int_equal(step->feedback.vote, 0);
	assert_string_equal(step->feedback.comment, "wrong");
	assert_string_equal(step->id, "run");
	assert_no_problems(&step->problems);
	struct cl_rows again = {0};
	cl_conversation_rows(c, &again);
	assert_int_equal(again.n, nrows);
	cl_rows_free(&again);

	/* the feedback removed (a delete's ALL_NEW); the same item twice */
	json_t *gone = mkstep("t", "run", "msg", "2026-01-01T00:00:02Z");
	assert_true(cl_conversation_update_step(c, gone));
	assert_true(cl_conversation_update_step(c, step->raw));
	assert_false(step->has_feedback);
	json_decref(gone);

	/* another thread's step, an element, a THREAD item: not here */
	json_t *other = mkstep("u", "run", NULL, "2026-01-01T00:00:02Z");
	assert_false(cl_conversation_update_step(c, other));
	json_decref(other);
	json_t *th = mkthread("t");
	assert_false(cl_conversation_update_step(c, th));
	json_decref(th);
	cl_rows_free(&rows);
	cl_conversation_free(c);
	json_decref(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_sample),
		cmocka_unit_test(test_user_json_numbers),
		cmocka_unit_test(test_thread_sample),
		cmocka_unit_test(test_thread_index_item),
		cmocka_unit_test(test_thread_problems),
		cmocka_unit_test(test_message_sample),
		cmocka_unit_test(test_llm_sample),
		cmocka_unit_test(test_element_sample),
		cmocka_unit_test(test_step_problems),
		cmocka_unit_test(test_stub_steps),
		cmocka_unit_test(test_prefix_removal),
		cmocka_unit_test(test_item_kinds),
		cmocka_unit_test(test_order_by_parsed_time),
		cmocka_unit_test(test_tree_nesting),
		cmocka_unit_test(test_tree_cycles),
		cmocka_unit_test(test_deep_chain),
		cmocka_unit_test(test_feedback_set_request),
		cmocka_unit_test(test_feedback_delete_request),
		cmocka_unit_test(test_feedback_validation),
		cmocka_unit_test(test_feedback_map_roundtrip),
		cmocka_unit_test(test_feedback_decode_alone),
		cmocka_unit_test(test_feedback_counts),
		cmocka_unit_test(test_conversation_update_step),
	};
	return cmocka_run_group_tests_name("chainlit", tests, NULL, NULL);
}
