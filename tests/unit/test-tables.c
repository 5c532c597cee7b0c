/* Unit tests for model/tables.c: layout detection from DescribeTable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "model/tables.h"

static enum table_layout detect(const char *json)
{
	json_error_t e;
	json_t *d = json_loads(json, 0, &e);
	assert_non_null(d);
	enum table_layout l = table_detect_layout(d);
	json_decref(d);
	return l;
}

#define KS2(h, r) "\"KeySchema\":[{\"AttributeName\":\"" h "\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"" r "\",\"KeyType\":\"RANGE\"}]"
#define KS1(h) "\"KeySchema\":[{\"AttributeName\":\"" h "\",\"KeyType\":\"HASH\"}]"

static void test_chainlit(void **st)
{
	(void)st;
	assert_int_equal(detect("{" KS2("PK", "SK") ",\"GlobalSecondaryIndexes\":[{\"IndexName\":\"UserThread\","
	                        KS2("UserThreadPK", "UserThreadSK") "}]}"), LAYOUT_CHAINLIT);
}

static void test_stache_documents(void **st)
{
	(void)st;
	assert_int_equal(detect("{" KS2("PK", "SK") ",\"GlobalSecondaryIndexes\":["
	                        "{\"IndexName\":\"GSI2\"," KS2("GSI2PK", "GSI2SK") "},"
	                        "{\"IndexName\":\"GSI1\"," KS2("GSI1PK", "GSI1SK") "}]}"),
	                 LAYOUT_STACHE_DOCUMENTS);
}

static void test_stache_namespaces(void **st)
{
	(void)st;
	assert_int_equal(detect("{" KS1("id") ",\"GlobalSecondaryIndexes\":[{\"IndexName\":\"parent_id-index\","
	                        KS1("parent_id") "}]}"), LAYOUT_STACHE_NAMESPACES);
}

static void test_lookalikes_are_generic(void **st)
{
	(void)st;
	/* the right index name on the wrong key is not the library's table */
	assert_int_equal(detect("{" KS2("PK", "SK") ",\"GlobalSecondaryIndexes\":[{\"IndexName\":\"UserThread\","
	                        KS2("user", "ts") "}]}"), LAYOUT_GENERIC);
	/* only GSI1: not the documents table (GSI2 is queried too) */
	assert_int_equal(detect("{" KS2("PK", "SK") ",\"GlobalSecondaryIndexes\":[{\"IndexName\":\"GSI1\","
	                        KS2("GSI1PK", "GSI1SK") "}]}"), LAYOUT_GENERIC);
	assert_int_equal(detect("{" KS1("id") "}"), LAYOUT_GENERIC);
	assert_int_equal(detect("{}"), LAYOUT_UNKNOWN);
	assert_int_equal(detect("{\"KeySchema\":\"junk\"}"), LAYOUT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chainlit),
		cmocka_unit_test(test_stache_documents),
		cmocka_unit_test(test_stache_namespaces),
		cmocka_unit_test(test_lookalikes_are_generic),
	};
	return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}
