/* Unit tests for model/jsontext.c and item_to_plain (model/item.c): every
 * number reaches the output with the digits that are stored (issue 11):
 * DynamoDB N values of any size as JSON numbers, numbers in JSON text as
 * their source text, doubles with the fewest digits that read back; the
 * writer's layouts (compact, indented, sorted keys, order kept) and its
 * ASCII escaping (C1 and bidi controls never raw). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/item.h"
#include "model/jsontext.h"
#include "model/stache.h"

/* The boundary values of DynamoDB's N and the ones that went wrong. */
#define BIG38 "12345678901234567890123456789012345678"
#define MAX38 "9.9999999999999999999999999999999999999E+125"

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	if (!v)
		fail_msg("bad test JSON: %s: %s", e.text, text);
	return v;
}

static void expect_dump(const json_t *v, size_t flags, const char *want)
{
	char *got = jsontext_dumps(v, flags);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* An N attribute's text through item_to_plain and the writer. */
static void expect_n(const char *n, const char *want)
{
	json_t *av = json_pack("{s:s}", "N", n);
	json_t *plain = item_to_plain(av);
	expect_dump(plain, JT_COMPACT | JT_ENSURE_ASCII, want);
	json_decref(plain);
	json_decref(av);
}

static void test_n_values_keep_their_digits(void **st)
{
	(void)st;
	expect_n(BIG38, BIG38);
	expect_n("-" BIG38, "-" BIG38);
	expect_n("1E-130", "1E-130");
	expect_n(MAX38, MAX38);
	expect_n("-0", "-0");
	expect_n("0.1", "0.1");
	expect_n("0.35", "0.35");
	expect_n("100", "100");
	expect_n("1.0", "1.0");
	expect_n("99.9", "99.9");
	expect_n("9007199254740993", "9007199254740993");   /* 2^53 + 1 */
	expect_n("0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827");
}

static void test_n_texts_made_json_numbers(void **st)
{
	(void)st;
	/* not JSON's grammar, made so with the same value */
	expect_n("+5", "5");
	expect_n(".5", "0.5");
	expect_n("-.5", "-0.5");
	expect_n("+.50", "0.50");
	expect_n("5.", "5");
	expect_n("007", "7");
	expect_n("-00.25e3", "-0.25e3");
	expect_n("1.e+05", "1e+05");
	expect_n("1E+05", "1E+05");
	/* no number at all: the text, as a string */
	expect_n("nan", "\"nan\"");
	expect_n("inf", "\"inf\"");
	expect_n("0x10", "\"0x10\"");
	expect_n("", "\"\"");
	expect_n(" 1", "\" 1\"");
	expect_n("1e", "\"1e\"");
	expect_n(".", "\".\"");
	expect_n("-", "\"-\"");
}

/* A map of every boundary value (the order is the order added). */
static json_t *boundary_map(void)
{
	json_t *m = json_object();
	static const char *const v[][2] = {
		{"big", BIG38}, {"tiny", "1E-130"}, {"max", MAX38}, {"negzero", "-0"},
		{"tenth", "0.1"}, {"t35", "0.35"}, {"hundred", "100"}, {"one", "1.0"},
		{"score", "99.9"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		json_object_set_new(m, v[i][0], json_pack("{s:s}", "N", v[i][1]));
	json_t *av = json_pack("{s:o}", "M", m);
	json_t *list = json_pack("{s:[{s:s},{s:s}]}", "L", "N", "0.35", "S", "0.35");
	json_object_set_new(m, "list", list);
	json_t *set = json_pack("{s:[s,s]}", "NS", "99.9", BIG38);
	json_object_set_new(m, "set", set);
	return av;
}

static void test_plain_tree_layouts(void **st)
{
	(void)st;
	json_t *av = boundary_map();
	json_t *plain = item_to_plain(av);
	expect_dump(plain, JT_COMPACT,
	            "{\"big\":" BIG38 ",\"tiny\":1E-130,\"max\":" MAX38 ",\"negzero\":-0,"
	            "\"tenth\":0.1,\"t35\":0.35,\"hundred\":100,\"one\":1.0,\"score\":99.9,"
	            "\"list\":[0.35,\"0.35\"],\"set\":[99.9," BIG38 "]}");
	expect_dump(plain, JT_COMPACT | JT_SORT_KEYS,
	            "{\"big\":" BIG38 ",\"hundred\":100,\"list\":[0.35,\"0.35\"],\"max\":" MAX38 ","
	            "\"negzero\":-0,\"one\":1.0,\"score\":99.9,\"set\":[99.9," BIG38 "],"
	            "\"t35\":0.35,\"tenth\":0.1,\"tiny\":1E-130}");
	expect_dump(plain, JT_INDENT(2) | JT_SORT_KEYS,
	            "{\n"
	            "  \"big\": " BIG38 ",\n"
	            "  \"hundred\": 100,\n"
	            "  \"list\": [\n"
	            "    0.35,\n"
	            "    \"0.35\"\n"
	            "  ],\n"
	            "  \"max\": " MAX38 ",\n"
	            "  \"negzero\": -0,\n"
	            "  \"one\": 1.0,\n"
	            "  \"score\": 99.9,\n"
	            "  \"set\": [\n"
	            "    99.9,\n"
	            "    " BIG38 "\n"
	            "  ],\n"
	            "  \"t35\": 0.35,\n"
	            "  \"tenth\": 0.1,\n"
	            "  \"tiny\": 1E-130\n"
	            "}");
	/* neither compact nor indented: Python's separators */
	json_t *small = json_pack("{s:o,s:[]}", "a", jsontext_number("0.35"), "b");
	expect_dump(small, 0, "{\"a\": 0.35, \"b\": []}");
	expect_dump(small, JT_INDENT(4), "{\n    \"a\": 0.35,\n    \"b\": []\n}");
	json_decref(small);
	json_decref(plain);
	json_decref(av);
}

static void test_exact_numbers_are_not_strings(void **st)
{
	(void)st;
	json_t *n = jsontext_number("0.35");
	assert_non_null(n);
	assert_string_equal(jsontext_number_text(n), "0.35");
	assert_true(jsontext_is_number(n));
	assert_false(jsontext_is_string(n));
	json_t *s = json_string("0.35");
	assert_null(jsontext_number_text(s));
	assert_false(jsontext_is_number(s));
	assert_true(jsontext_is_string(s));
	json_t *r = json_real(0.35);
	assert_true(jsontext_is_number(r));
	assert_null(jsontext_number_text(r));
	assert_null(jsontext_number("0.35 "));
	json_decref(n);
	json_decref(s);
	json_decref(r);
}

static void test_doubles_written_shortest(void **st)
{
	(void)st;
	static const struct {
		double d;
		const char *want;
	} cases[] = {
		{0.35, "0.35"}, {99.9, "99.9"}, {0.1, "0.1"}, {1.0, "1.0"}, {100.0, "100.0"},
		{1e-07, "1e-07"}, {1e16, "1e+16"}, {-0.0, "-0.0"}, {123456.789, "123456.789"},
		{1e-130, "1e-130"}, {0.30000000000000004, "0.30000000000000004"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *r = json_real(cases[i].d);
		expect_dump(r, JT_COMPACT, cases[i].want);
		json_decref(r);
	}
	json_t *i = json_integer(-9007199254740993LL);
	expect_dump(i, JT_COMPACT, "-9007199254740993");
	json_decref(i);
}

/* Numbers in JSON text (Stache's metadata) come back as their source text. */
static void expect_loads(const char *text, size_t flags, const char *want)
{
	json_error_t e;
	json_t *v = jsontext_loads(text, JSON_DECODE_ANY, &e);
	if (!v)
		fail_msg("jsontext_loads failed: %s: %s", e.text, text);
	expect_dump(v, flags, want);
	json_decref(v);
}

static void test_loads_keeps_source_numbers(void **st)
{
	(void)st;
	expect_loads("{\"score\": 99.9}", JT_COMPACT, "{\"score\":99.9}");
	expect_loads("{\"score\": 99.9, \"t\": 0.35, \"x\": 1e-07, \"one\": 1.0, \"z\": -0, "
	              "\"big\": " BIG38 ", \"huge\": 1e999, \"max\": " MAX38 ", \"tiny\": 1E-130, "
	              "\"h\": 100, \"tenth\": 0.1}",
	              JT_COMPACT,
	              "{\"score\":99.9,\"t\":0.35,\"x\":1e-07,\"one\":1.0,\"z\":-0,\"big\":" BIG38 ","
	              "\"huge\":1e999,\"max\":" MAX38 ",\"tiny\":1E-130,\"h\":100,\"tenth\":0.1}");
	/* strings that look like the tags used inside, keys before ':' after
	 * spaces, escaped quotes, numbers in nested arrays */
	expect_loads("{\"s\" :\"n1\", \"n\"\n:\t[\"s\", \"a\\\"b\", 2.50, {\"k\": -1.5E+3}], "
	              "\"e\": \"\", \"l\": [true, null, false]}",
	              JT_COMPACT,
	              "{\"s\":\"n1\",\"n\":[\"s\",\"a\\\"b\",2.50,{\"k\":-1.5E+3}],\"e\":\"\","
	              "\"l\":[true,null,false]}");
	expect_loads("42", JT_COMPACT, "42");
	expect_loads("\"text\"", JT_COMPACT, "\"text\"");
	expect_loads("[]", JT_COMPACT, "[]");
	/* no numbers: jansson's tree as it is */
	expect_loads("{\"icon\": \"wrench\"}", JT_COMPACT, "{\"icon\":\"wrench\"}");
	/* an exact number read from text is a number, not a string */
	json_t *v = jsontext_loads("[123456789012345678901234567890]", JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	assert_true(jsontext_is_number(json_array_get(v, 0)));
	assert_false(jsontext_is_string(json_array_get(v, 0)));
	json_decref(v);
}

static void test_loads_still_rejects_bad_json(void **st)
{
	(void)st;
	json_error_t e;
	assert_null(jsontext_loads("{'source': 'csv'}", JSON_DECODE_ANY, &e));
	assert_non_null(strstr(e.text, "string or '}' expected"));
	assert_null(jsontext_loads("[01]", JSON_DECODE_ANY, &e));
	assert_null(jsontext_loads("[1.]", JSON_DECODE_ANY, &e));
	assert_null(jsontext_loads("[1, 2", JSON_DECODE_ANY, &e));
	/* beyond 64 bits jansson stops; what follows is still checked */
	assert_null(jsontext_loads("[123456789012345678901234567890, 01]", JSON_DECODE_ANY, &e));
	assert_null(jsontext_loads("[123456789012345678901234567890, tru]", JSON_DECODE_ANY, &e));
	assert_null(jsontext_loads("{\"a\": 123456789012345678901234567890, \"b\": \"x\\u0000\"}",
	                           JSON_DECODE_ANY, &e));
	json_t *v = jsontext_loads("[\"x\\u0000\", 123456789012345678901234567890]",
	                           JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	assert_non_null(v);
	json_decref(v);
}

static void test_python_mode(void **st)
{
	(void)st;
	/* what Python's json.loads then json.dumps make of each number */
	json_t *v = jsontext_loads("[99.9, 0.35, 1E+5, -0, -0.0, " BIG38 ", 1e999, 1E-130, 1.0, 100]",
	                           JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	char *got = stache_json_dumps(v);
	assert_string_equal(got, "[99.9, 0.35, 100000.0, 0, -0.0, " BIG38 ", Infinity, 1e-130, 1.0, 100]");
	free(got);
	json_decref(v);
	json_t *s = json_string("caf\xc3\xa9 \x7f \xc2\x85 \xe2\x80\xae \xf0\x9f\x8d\xb3");
	expect_dump(s, JT_PYTHON, "\"caf\\u00e9 \\u007f \\u0085 \\u202e \\ud83c\\udf73\"");
	json_decref(s);
}

static void test_ensure_ascii(void **st)
{
	(void)st;
	/* C1 (NEL), bidi override, DEL, ESC, non-BMP: never raw with JT_ENSURE_ASCII */
	json_t *s = json_pack("{s:s}", "k\xe2\x80\xae",
	                      "\xc2\x85 \xe2\x80\xae \x7f \x1b[2J caf\xc3\xa9 \xf0\x9f\x8d\xb3 / \"\\\n\t\b\f\r");
	expect_dump(s, JT_COMPACT | JT_ENSURE_ASCII,
	            "{\"k\\u202E\":\"\\u0085 \\u202E \\u007F \\u001B[2J caf\\u00E9 \\uD83C\\uDF73 / "
	            "\\\"\\\\\\n\\t\\b\\f\\r\"}");
	/* without it, text stays UTF-8 (the browser sanitises what it shows);
	 * controls are escaped either way */
	expect_dump(s, JT_COMPACT,
	            "{\"k\xe2\x80\xae\":\"\xc2\x85 \xe2\x80\xae \x7f \\u001B[2J caf\xc3\xa9 "
	            "\xf0\x9f\x8d\xb3 / \\\"\\\\\\n\\t\\b\\f\\r\"}");
	json_decref(s);
	/* NUL inside a string and a key */
	json_t *o = json_object();
	json_object_setn_new(o, "a\0b", 3, json_stringn("x\0y", 3));
	expect_dump(o, JT_COMPACT, "{\"a\\u0000b\":\"x\\u0000y\"}");
	json_decref(o);
	/* bytes that are not UTF-8 (jansson never makes them) become U+FFFD */
	json_t *bad = json_stringn_nocheck("a\xc3(\xed\xa0\x80", 6);
	expect_dump(bad, JT_COMPACT | JT_ENSURE_ASCII, "\"a\\uFFFD(\\uFFFD\\uFFFD\\uFFFD\"");
	expect_dump(bad, JT_COMPACT, "\"a\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	json_decref(bad);
}

static void test_empty_and_nested(void **st)
{
	(void)st;
	json_t *v = load("{\"a\": {}, \"b\": [], \"c\": [[1, {\"d\": null}]], \"e\": true}");
	expect_dump(v, JT_COMPACT, "{\"a\":{},\"b\":[],\"c\":[[1,{\"d\":null}]],\"e\":true}");
	expect_dump(v, JT_INDENT(1),
	            "{\n \"a\": {},\n \"b\": [],\n \"c\": [\n  [\n   1,\n   {\n    \"d\": null\n"
	            "   }\n  ]\n ],\n \"e\": true\n}");
	/* what json_dumps writes for trees without reals, byte for byte */
	static const size_t flags[][2] = {
		{JT_COMPACT, JSON_COMPACT},
		{JT_INDENT(2) | JT_SORT_KEYS, JSON_INDENT(2) | JSON_SORT_KEYS},
		{JT_COMPACT | JT_ENSURE_ASCII, JSON_COMPACT | JSON_ENSURE_ASCII},
		{0, 0},
	};
	json_t *w = load("{\"z\": [\"\\u001b\\u00e9\\ud83c\\udf73\", 7, -3], \"a\": {\"x\": [], \"y\": {}}}");
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		char *want = json_dumps(w, flags[i][1]);
		expect_dump(w, flags[i][0], want);
		free(want);
	}
	json_decref(w);
	json_decref(v);
	assert_null(jsontext_dumps(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_n_values_keep_their_digits),
		cmocka_unit_test(test_n_texts_made_json_numbers),
		cmocka_unit_test(test_plain_tree_layouts),
		cmocka_unit_test(test_exact_numbers_are_not_strings),
		cmocka_unit_test(test_doubles_written_shortest),
		cmocka_unit_test(test_loads_keeps_source_numbers),
		cmocka_unit_test(test_loads_still_rejects_bad_json),
		cmocka_unit_test(test_python_mode),
		cmocka_unit_test(test_ensure_ascii),
		cmocka_unit_test(test_empty_and_nested),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
