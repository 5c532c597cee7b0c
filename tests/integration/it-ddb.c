/* Integration tests of aws/ddb against DynamoDB Local: every operation, lossless
 * attribute values, conditional failures with the current item, paging past
 * 1 MB, parallel Scan, batches, async completion on the fd, cancel, trace
 * redaction.  DDTREE_TEST_ENDPOINT names the server (tests/harness/run-test). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "aws/ddb.h"
#include "tests/integration/it-common.h"

static struct it_client ic;
static ddb_client *client;
static char table[64];
static char trace_path[] = "/tmp/ddtree-it-trace-XXXXXX";

static struct ddb_result *call(const char *op, const char *fmt_json, ...)
{
	va_list ap;
	va_start(ap, fmt_json);
	json_error_t e;
	json_t *req = json_vpack_ex(&e, 0, fmt_json, ap);
	va_end(ap);
	if (!req)
		fail_msg("bad pack: %s", e.text);
	return ddb_call_sync(client, op, req);
}

static void expect_ok(struct ddb_result *r)
{
	if (r->err.kind != DDB_OK)
		fail_msg("%s failed: %s: %s", r->op, r->err.code ? r->err.code : "-",
		         r->err.message ? r->err.message : "-");
}

static int setup(void **st)
{
	(void)st;
	const char *ep = it_endpoint();
	if (!ep)
		return -1;
	int fd = mkstemp(trace_path);
	if (fd >= 0)
		close(fd);
	it_credentials("AKIDITDDB", "it-secret-do-not-log", NULL);
	char *err = NULL;
	if (it_client_open(&ic, ep, (struct ddb_client_opts){.trace_path = trace_path, .retry_seed = 7},
	                   &err) != 0) {
		fprintf(stderr, "client: %s\n", err);
		free(err);
		return -1;
	}
	client = ic.c;
	it_unique_name(table, sizeof table, "it-ddb");
	return it_create_pk_sk_table(client, table);
}

static int teardown(void **st)
{
	(void)st;
	it_delete_table(client, table);
	it_client_close(&ic);
	unlink(trace_path);
	return 0;
}

static void test_list_and_describe(void **st)
{
	(void)st;
	struct ddb_result *r = call("ListTables", "{s:i}", "Limit", 100);
	expect_ok(r);
	bool found = false;
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(r->body, "TableNames"), i, n)
		found |= !strcmp(json_string_value(n), table);
	assert_true(found);
	assert_int_equal(r->attempts, 1);
	ddb_result_free(r);
	r = call("DescribeTable", "{s:s}", "TableName", table);
	expect_ok(r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r->body, "Table"), "TableName")), table);
	ddb_result_free(r);
}

static const char *lossless_item =
	"{\"PK\":{\"S\":\"L#1\"},\"SK\":{\"S\":\"x\"},"
	"\"big\":{\"N\":\"12345678901234567890123456789012345678\"},"
	"\"tiny\":{\"N\":\"-1.5E-120\"},"
	"\"bin\":{\"B\":\"AAEC/w==\"},"
	"\"ss\":{\"SS\":[\"a\",\"b\"]},\"ns\":{\"NS\":[\"1\",\"2.5\"]},\"bs\":{\"BS\":[\"AQ==\"]},"
	"\"nul\":{\"NULL\":true},\"t\":{\"BOOL\":true},\"empty\":{\"S\":\"\"},"
	"\"nulbyte\":{\"S\":\"a\\u0000b\"},\"uni\":{\"S\":\"日本 🍳 \\u001b[31m\"},"
	"\"deep\":{\"M\":{\"l\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"x\":{\"S\":\"y\"}}},{\"L\":[]}]}}}}";

static void test_lossless_roundtrip(void **st)
{
	(void)st;
	json_error_t e;
	json_t *item = json_loads(lossless_item, JSON_ALLOW_NUL, &e);
	assert_non_null(item);
	struct ddb_result *r = call("PutItem", "{s:s,s:O}", "TableName", table, "Item", item);
	expect_ok(r);
	ddb_result_free(r);
	r = call("GetItem", "{s:s,s:{s:{s:s},s:{s:s}},s:b}", "TableName", table, "Key",
	         "PK", "S", "L#1", "SK", "S", "x", "ConsistentRead", 1);
	expect_ok(r);
	json_t *got = json_object_get(r->body, "Item");
	assert_non_null(got);
	assert_string_equal(ddb_av_get_n(json_object_get(got, "big")),
	                    "12345678901234567890123456789012345678");
	assert_string_equal(json_string_value(json_object_get(json_object_get(got, "bin"), "B")), "AAEC/w==");
	json_t *nb = json_object_get(json_object_get(got, "nulbyte"), "S");
	assert_int_equal(json_string_length(nb), 3);
	assert_memory_equal(json_string_value(nb), "a\0b", 3);
	assert_true(json_equal(json_object_get(got, "deep"), json_object_get(item, "deep")));
	assert_true(json_equal(json_object_get(got, "uni"), json_object_get(item, "uni")));
	assert_int_equal(json_array_size(json_object_get(json_object_get(got, "ss"), "SS")), 2);
	assert_string_equal(ddb_av_type(json_object_get(got, "nul")), "NULL");
	ddb_result_free(r);
	json_decref(item);
}

static void test_get_missing_item(void **st)
{
	(void)st;
	struct ddb_result *r = call("GetItem", "{s:s,s:{s:{s:s},s:{s:s}}}", "TableName", table,
	                            "Key", "PK", "S", "nope", "SK", "S", "nope");
	expect_ok(r);
	assert_null(json_object_get(r->body, "Item"));
	ddb_result_free(r);
}

static void test_conditional_failure_returns_current_item(void **st)
{
	(void)st;
	struct ddb_result *r = call("PutItem", "{s:s,s:{s:{s:s},s:{s:s},s:{s:s}}}", "TableName", table,
	                            "Item", "PK", "S", "C#1", "SK", "S", "x", "v", "S", "theirs");
	expect_ok(r);
	ddb_result_free(r);
	struct ddb_expr e;
	ddb_expr_init(&e);
	char upd[64], cond[64];
	snprintf(upd, sizeof upd, "SET %s = %s", ddb_expr_name(&e, "v"), ddb_expr_value(&e, ddb_av_s("mine")));
	snprintf(cond, sizeof cond, "%s = %s", ddb_expr_name(&e, "v"), ddb_expr_value(&e, ddb_av_s("what I saw")));
	json_t *req = json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:s,s:s,s:s}", "TableName", table,
	                        "Key", "PK", "S", "C#1", "SK", "S", "x", "UpdateExpression", upd,
	                        "ConditionExpression", cond,
	                        "ReturnValuesOnConditionCheckFailure", "ALL_OLD");
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	r = ddb_call_sync(client, "UpdateItem", req);
	assert_int_equal(r->err.kind, DDB_ERR_SERVICE);
	assert_string_equal(r->err.code, "ConditionalCheckFailedException");
	assert_int_equal(r->err.http_status, 400);
	assert_int_equal(r->attempts, 1);   /* never retried */
	assert_string_equal(ddb_item_s(json_object_get(r->body, "Item"), "v"), "theirs");
	ddb_result_free(r);
}

static void test_update_and_delete(void **st)
{
	(void)st;
	struct ddb_expr e;
	ddb_expr_init(&e);
	char upd[64];
	snprintf(upd, sizeof upd, "SET %s = %s", ddb_expr_name(&e, "name"), ddb_expr_value(&e, ddb_av_s("reserved word ok")));
	json_t *req = json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:s,s:s}", "TableName", table, "Key",
	                        "PK", "S", "U#1", "SK", "S", "x", "UpdateExpression", upd,
	                        "ReturnValues", "ALL_NEW");
	ddb_expr_apply(&e, req);
	ddb_expr_free(&e);
	struct ddb_result *r = ddb_call_sync(client, "UpdateItem", req);
	expect_ok(r);
	assert_string_equal(ddb_item_s(json_object_get(r->body, "Attributes"), "name"), "reserved word ok");
	ddb_result_free(r);
	r = call("DeleteItem", "{s:s,s:{s:{s:s},s:{s:s}},s:s}", "TableName", table, "Key",
	         "PK", "S", "U#1", "SK", "S", "x", "ReturnValues", "ALL_OLD");
	expect_ok(r);
	assert_non_null(json_object_get(r->body, "Attributes"));
	ddb_result_free(r);
}

static void test_batches(void **st)
{
	(void)st;
	json_t *writes = json_array(), *keys = json_array();
	for (int i = 0; i < 60; i++) {
		char sk[16];
		snprintf(sk, sizeof sk, "%03d", i);
		json_array_append_new(writes, json_pack("{s:{s:{s:{s:s},s:{s:s},s:{s:i}}}}", "PutRequest",
			"Item", "PK", "S", "B#1", "SK", "S", sk, "n", "N", i));
		json_array_append_new(keys, json_pack("{s:{s:s},s:{s:s}}", "PK", "S", "B#1", "SK", "S", sk));
	}
	/* json_pack "i" inside {"N": ...} makes a JSON number; DynamoDB wants a string */
	size_t i;
	json_t *w;
	json_array_foreach(writes, i, w) {
		json_t *n = json_object_get(json_object_get(json_object_get(w, "PutRequest"), "Item"), "n");
		char buf[16];
		snprintf(buf, sizeof buf, "%d", (int)json_integer_value(json_object_get(n, "N")));
		json_object_set_new(n, "N", json_string(buf));
	}
	struct ddb_result *r = ddb_batch_write_sync(client, table, writes);
	assert_null(r);
	json_t *items = NULL;
	r = ddb_batch_get_sync(client, table, keys, NULL, NULL, &items);
	assert_null(r);
	assert_int_equal(json_array_size(items), 60);
	json_decref(items);
	json_decref(writes);
	json_decref(keys);
}

/* 40 items of 40 KB under one key: more than one 1 MB page. */
static void test_query_pages_past_one_megabyte(void **st)
{
	(void)st;
	char *blob = malloc(40001);
	memset(blob, 'x', 40000);
	blob[40000] = 0;
	json_t *writes = json_array();
	for (int i = 0; i < 40; i++) {
		char sk[16];
		snprintf(sk, sizeof sk, "%03d", i);
		json_array_append_new(writes, json_pack("{s:{s:{s:{s:s},s:{s:s},s:{s:s}}}}", "PutRequest",
			"Item", "PK", "S", "P#big", "SK", "S", sk, "blob", "S", blob));
	}
	free(blob);
	assert_null(ddb_batch_write_sync(client, table, writes));
	json_decref(writes);

	int pages = 0, count = 0;
	json_t *start = NULL;
	do {
		struct ddb_expr e;
		ddb_expr_init(&e);
		char kc[64];
		snprintf(kc, sizeof kc, "%s = %s", ddb_expr_name(&e, "PK"), ddb_expr_value(&e, ddb_av_s("P#big")));
		json_t *req = json_pack("{s:s,s:s,s:i}", "TableName", table, "KeyConditionExpression", kc,
		                        "Limit", 1000);
		ddb_expr_apply(&e, req);
		ddb_expr_free(&e);
		if (start)
			json_object_set_new(req, "ExclusiveStartKey", start);
		struct ddb_result *r = ddb_call_sync(client, "Query", req);
		expect_ok(r);
		pages++;
		count += (int)json_array_size(json_object_get(r->body, "Items"));
		assert_true(r->bytes_received > 0);
		start = json_incref(json_object_get(r->body, "LastEvaluatedKey"));
		ddb_result_free(r);
	} while (start);
	assert_int_equal(count, 40);
	assert_true(pages >= 2);
}

static void test_parallel_scan_segments_partition(void **st)
{
	(void)st;
	int total = 0;
	for (int seg = 0; seg < 2; seg++) {
		json_t *start = NULL;
		do {
			json_t *req = json_pack("{s:s,s:i,s:i,s:i,s:s}", "TableName", table, "Segment", seg,
			                        "TotalSegments", 2, "Limit", 1000, "ProjectionExpression", "PK");
			if (start)
				json_object_set_new(req, "ExclusiveStartKey", start);
			struct ddb_result *r = ddb_call_sync(client, "Scan", req);
			expect_ok(r);
			total += (int)json_array_size(json_object_get(r->body, "Items"));
			start = json_incref(json_object_get(r->body, "LastEvaluatedKey"));
			ddb_result_free(r);
		} while (start);
	}
	int whole = 0;
	json_t *start = NULL;
	do {   /* COUNT pages stop at 1 MB too */
		json_t *req = json_pack("{s:s,s:s,s:i}", "TableName", table, "Select", "COUNT", "Limit", 1000);
		if (start)
			json_object_set_new(req, "ExclusiveStartKey", start);
		struct ddb_result *r = ddb_call_sync(client, "Scan", req);
		expect_ok(r);
		whole += (int)json_integer_value(json_object_get(r->body, "Count"));
		start = json_incref(json_object_get(r->body, "LastEvaluatedKey"));
		ddb_result_free(r);
	} while (start);
	assert_true(whole > 0);
	assert_int_equal(total, whole);
}

static int async_done;
static void count_cb(struct ddb_result *r, void *ud)
{
	(void)ud;
	if (r->err.kind == DDB_OK)
		async_done++;
}

static void test_async_completions_on_the_fd(void **st)
{
	(void)st;
	async_done = 0;
	for (int i = 0; i < 20; i++)
		ddb_submit(client, "DescribeTable", json_pack("{s:s}", "TableName", table), count_cb, NULL);
	assert_int_equal(ddb_client_pending(client), 20);
	double deadline = (double)time(NULL) + 30;
	while (async_done < 20 && time(NULL) < deadline) {
		struct pollfd p = {.fd = ddb_client_fd(client), .events = POLLIN};
		if (poll(&p, 1, 1000) > 0)
			ddb_client_dispatch(client);
	}
	assert_int_equal(async_done, 20);
	assert_int_equal(ddb_client_pending(client), 0);
}

static enum ddb_error_kind cancelled_kind;
static void cancel_cb(struct ddb_result *r, void *ud)
{
	(void)ud;
	cancelled_kind = r->err.kind;
}

static void test_cancel(void **st)
{
	(void)st;
	cancelled_kind = (enum ddb_error_kind)-1;
	ddb_call *c = ddb_submit(client, "Scan", json_pack("{s:s,s:i}", "TableName", table, "Limit", 1000),
	                         cancel_cb, NULL);
	ddb_cancel(client, c);
	ddb_client_drain(client);
	/* it either finished first or was cancelled; either way exactly one callback */
	assert_true(cancelled_kind == DDB_ERR_CANCELLED || cancelled_kind == DDB_OK);
}

static int abandoned_calls;
static void abandoned_cb(struct ddb_result *r, void *ud)
{
	(void)r;
	(void)ud;
	abandoned_calls++;
}

/* An abandoned call never calls back, whether it finished first or not:
 * its owner may be freed at once. */
static void test_abandon(void **st)
{
	(void)st;
	abandoned_calls = 0;
	ddb_call *c = ddb_submit(client, "Scan", json_pack("{s:s,s:i}", "TableName", table, "Limit", 1000),
	                         abandoned_cb, NULL);
	ddb_abandon(client, c);
	/* and one that finished before it was abandoned, not yet dispatched */
	c = ddb_submit(client, "DescribeTable", json_pack("{s:s}", "TableName", table), abandoned_cb, NULL);
	struct pollfd pfd = {.fd = ddb_client_fd(client), .events = POLLIN};
	poll(&pfd, 1, 5000);
	ddb_abandon(client, c);
	ddb_client_drain(client);
	assert_int_equal(abandoned_calls, 0);
	assert_int_equal(ddb_client_pending(client), 0);
}

static void test_missing_table_explains_local_scope(void **st)
{
	(void)st;
	struct ddb_result *r = call("DescribeTable", "{s:s}", "TableName", "no-such-table-xyz");
	assert_int_equal(r->err.kind, DDB_ERR_SERVICE);
	assert_string_equal(r->err.code, "ResourceNotFoundException");
	assert_non_null(strstr(r->err.message, "per access key id and region"));
	ddb_result_free(r);
}

static void test_validation_error_is_typed(void **st)
{
	(void)st;
	struct ddb_result *r = call("Query", "{s:s,s:s,s:i}", "TableName", table,
	                            "KeyConditionExpression", "PK = :missing", "Limit", 10);
	assert_int_equal(r->err.kind, DDB_ERR_SERVICE);
	assert_string_equal(r->err.code, "ValidationException");
	assert_int_equal(r->attempts, 1);
	ddb_result_free(r);
}

static void test_unknown_operation(void **st)
{
	(void)st;
	struct ddb_result *r = ddb_call_sync(client, "DropEverything", json_object());
	assert_int_equal(r->err.kind, DDB_ERR_USAGE);
	ddb_result_free(r);
}

/* A map key with a NUL and a lone surrogate: jansson refuses both, so the
 * answer is repaired (U+FFFD) instead of losing the whole page. */
static void test_unparseable_text_is_repaired(void **st)
{
	(void)st;
#define REPAIR_BODY "{\"TableName\":\"%s\",\"Item\":{\"PK\":{\"S\":\"R#1\"},\"SK\":{\"S\":\"x\"}," \
	                   "\"m\":{\"M\":{\"a\\u0000b\":{\"S\":\"v\"}}},\"lone\":{\"S\":\"x\\ud800y\"}}}"
	char req[512];
	snprintf(req, sizeof req, REPAIR_BODY, table);
	/* jansson cannot build such a request either: send it with curl */
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "curl -sf -o /dev/null -H 'Content-Type: application/x-amz-json-1.0' "
	         "-H 'X-Amz-Target: DynamoDB_20120810.PutItem' -H 'X-Amz-Date: 20000101T000000Z' "
	         "-H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDITDDB/20000101/us-east-1/dynamodb/aws4_request, "
	         "SignedHeaders=host, Signature=0' --data-binary '%s' %s/", req, getenv("DDTREE_TEST_ENDPOINT"));
	assert_int_equal(system(cmd), 0);
	struct ddb_result *r = call("GetItem", "{s:s,s:{s:{s:s},s:{s:s}}}", "TableName", table, "Key",
	                            "PK", "S", "R#1", "SK", "S", "x");
	expect_ok(r);
	assert_true(r->repaired);
	json_t *item = json_object_get(r->body, "Item");
	assert_string_equal(ddb_item_s(item, "lone"), "x\xef\xbf\xbdy");
	assert_non_null(json_object_get(json_object_get(json_object_get(item, "m"), "M"), "a\xef\xbf\xbd" "b"));
	ddb_result_free(r);
	struct ddb_stats stt;
	ddb_client_stats(client, &stt);
	assert_true(stt.repaired >= 1);
}

static void test_trace_redacts_secrets(void **st)
{
	(void)st;
	FILE *f = fopen(trace_path, "r");
	assert_non_null(f);
	char line[65536];
	bool saw_auth = false, saw_target = false;
	while (fgets(line, sizeof line, f)) {
		assert_null(strstr(line, "it-secret-do-not-log"));
		if (strstr(line, "Authorization:")) {
			saw_auth = true;
			assert_non_null(strstr(line, "[redacted]"));
			assert_null(strstr(line, "Signature="));
		}
		saw_target |= strstr(line, "X-Amz-Target: DynamoDB_20120810.") != NULL;
	}
	fclose(f);
	assert_true(saw_auth);
	assert_true(saw_target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_describe),
		cmocka_unit_test(test_lossless_roundtrip),
		cmocka_unit_test(test_get_missing_item),
		cmocka_unit_test(test_conditional_failure_returns_current_item),
		cmocka_unit_test(test_update_and_delete),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_query_pages_past_one_megabyte),
		cmocka_unit_test(test_parallel_scan_segments_partition),
		cmocka_unit_test(test_async_completions_on_the_fd),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_missing_table_explains_local_scope),
		cmocka_unit_test(test_validation_error_is_typed),
		cmocka_unit_test(test_unknown_operation),
		cmocka_unit_test(test_unparseable_text_is_repaired),
		cmocka_unit_test(test_trace_redacts_secrets),
	};
	return cmocka_run_group_tests_name("it-ddb", tests, setup, teardown);
}
