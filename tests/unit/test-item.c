/* Unit tests for aws/item.c and the CRC-32 in aws/ddb.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ddb.h"

static void test_crc32_known_values(void **st)
{
	(void)st;
	assert_int_equal(ddb_crc32("", 0), 0);
	assert_int_equal(ddb_crc32("123456789", 9), 0xCBF43926UL);
	/* what DynamoDB Local sent for {"TableNames":[]} */
	assert_int_equal(ddb_crc32("{\"TableNames\":[]}", 17), 1315925753UL);
}

static void test_av_types(void **st)
{
	(void)st;
	json_t *s = ddb_av_s("x"), *n = ddb_av_n("12345678901234567890123456789012345678");
	assert_string_equal(ddb_av_type(s), "S");
	assert_string_equal(ddb_av_get_s(s), "x");
	assert_null(ddb_av_get_n(s));
	/* 38 digits stay exact: numbers are never doubles */
	assert_string_equal(ddb_av_get_n(n), "12345678901234567890123456789012345678");
	json_t *bad = json_pack("{s:s,s:s}", "S", "a", "N", "1");
	assert_null(ddb_av_type(bad));
	json_t *unknown = json_pack("{s:s}", "Q", "a");
	assert_null(ddb_av_type(unknown));
	assert_null(ddb_av_type(NULL));
	json_decref(s);
	json_decref(n);
	json_decref(bad);
	json_decref(unknown);
}

static void test_expr_aliases_every_name_once(void **st)
{
	(void)st;
	struct ddb_expr e;
	ddb_expr_init(&e);
	const char *a = ddb_expr_name(&e, "name");
	const char *b = ddb_expr_name(&e, "feedback");
	const char *a2 = ddb_expr_name(&e, "name");
	assert_string_equal(a, "#n0");
	assert_string_equal(b, "#n1");
	assert_ptr_equal(a, a2);
	const char *v = ddb_expr_value(&e, ddb_av_s("x"));
	assert_string_equal(v, ":v0");
	/* placeholders stay valid while more are added */
	for (int i = 0; i < 100; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "a%d", i);
		ddb_expr_name(&e, nm);
	}
	assert_string_equal(a, "#n0");
	json_t *req = json_object();
	ddb_expr_apply(&e, req);
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(req, "ExpressionAttributeNames"), "#n0")), "name");
	assert_non_null(json_object_get(json_object_get(req, "ExpressionAttributeValues"), ":v0"));
	json_decref(req);
	ddb_expr_free(&e);
}

static void test_expr_omits_empty_maps(void **st)
{
	(void)st;
	struct ddb_expr e;
	ddb_expr_init(&e);
	ddb_expr_name(&e, "id");
	json_t *req = json_object();
	ddb_expr_apply(&e, req);
	assert_non_null(json_object_get(req, "ExpressionAttributeNames"));
	assert_null(json_object_get(req, "ExpressionAttributeValues"));
	json_decref(req);
	ddb_expr_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_known_values),
		cmocka_unit_test(test_av_types),
		cmocka_unit_test(test_expr_aliases_every_name_once),
		cmocka_unit_test(test_expr_omits_empty_maps),
	};
	return cmocka_run_group_tests_name("item", tests, NULL, NULL);
}
