/* Unit tests for the pure parts of model/search.c: matching (substring and
 * prefix, byte for byte or ignoring case, in any script, with NULs and
 * invalid bytes), the snippet around a match (context, ellipses,
 * whitespace made one space, the match's place kept), the options refused
 * before any request, and the JSON a match is printed as. */
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

static bool found(const char *hay, const char *needle, bool ic, bool prefix, size_t want_at,
                  size_t want_len)
{
	size_t at = 99, len = 99;
	if (!search_find(hay, strlen(hay), needle, ic, prefix, &at, &len))
		return false;
	assert_int_equal(at, want_at);
	assert_int_equal(len, want_len);
	return true;
}

static bool nope(const char *hay, const char *needle, bool ic, bool prefix)
{
	size_t at, len;
	return !search_find(hay, strlen(hay), needle, ic, prefix, &at, &len);
}

static void test_find_case_sensitive(void **st)
{
	(void)st;
	assert_true(found("Summarise the Q3 incident", "Q3", false, false, 14, 2));
	assert_true(nope("Summarise the Q3 incident", "q3", false, false));
	assert_true(found("abc", "abc", false, false, 0, 3));
	assert_true(nope("ab", "abc", false, false));
	assert_true(found("report.pdf", "rep", false, true, 0, 3));
	assert_true(nope("q3-report.pdf", "rep", false, true));
	/* quotes, backslashes, % and * are text, not syntax */
	assert_true(found("say \"hi\" \\ 100% *", "\"hi\" \\ 100%", false, false, 4, 11));
	assert_true(nope("abc", "a%", false, false));
}

static void test_find_ignoring_case(void **st)
{
	(void)st;
	assert_true(found("Summarise the Q3 incident", "q3", true, false, 14, 2));
	assert_true(found("INCIDENT", "incident", true, false, 0, 8));
	/* beyond ASCII: é/É (2 bytes each), Greek, Cyrillic */
	assert_true(found("L'ÉCOLE d'été", "école", true, false, 2, 6));
	assert_true(found("ΑΘΗΝΑ", "αθηνα", true, false, 0, 10));
	assert_true(found("Отчёт за КВАРТАЛ", "квартал", true, false, 16, 14));
	/* the match is reported in the haystack's bytes */
	assert_true(found("xxÉ", "é", true, false, 2, 2));
	/* prefix */
	assert_true(found("Attention.pdf", "att", true, true, 0, 3));
	assert_true(nope("my attention.pdf", "att", true, true));
	/* no false match across an invalid byte; the needle's own case kept */
	assert_true(nope("ab\xff" "c", "abc", true, false));
	assert_true(found("ab\xff" "c abc", "ABC", true, false, 5, 3));
	assert_true(nope("", "a", true, false));
	assert_true(nope("", "a", true, true));
	/* emoji and CJK have no case */
	assert_true(found("会議 😀 メモ", "😀", true, false, 7, 4));
}

static void test_find_with_nul_bytes(void **st)
{
	(void)st;
	const char hay[] = "before\0after needle";
	size_t at, len;
	assert_true(search_find(hay, sizeof hay - 1, "needle", false, false, &at, &len));
	assert_int_equal(at, 13);
	assert_true(search_find(hay, sizeof hay - 1, "NEEDLE", true, false, &at, &len));
	assert_int_equal(at, 13);
}

static void snip(const char *s, const char *needle, int ctx, const char *want, const char *hit)
{
	size_t at, len, h0, hl;
	assert_true(search_find(s, strlen(s), needle, true, false, &at, &len));
	char *out = search_snippet(s, strlen(s), at, len, ctx, &h0, &hl);
	assert_string_equal(out, want);
	assert_true(h0 + hl <= strlen(out));
	char *got = strndup(out + h0, hl);
	assert_string_equal(got, hit);
	free(got);
	free(out);
}

static void test_snippet(void **st)
{
	(void)st;
	snip("short text", "text", 40, "short text", "text");
	snip("0123456789 needle 0123456789", "needle", 3, "\xe2\x80\xa6" "89 needle 01\xe2\x80\xa6",
	     "needle");
	/* whitespace runs become one space, inside the match too */
	snip("{\n    \"query\":\n\t\"Q3  report\"\n}", "q3  report", 40,
	     "{ \"query\": \"Q3 report\" }", "Q3 report");
	/* context counts characters, and cuts never split one */
	snip("ééééé X ééééé", "x", 2, "\xe2\x80\xa6" "é X é\xe2\x80\xa6", "X");
	/* a match at either end */
	snip("needle then more", "needle", 3, "needle th\xe2\x80\xa6", "needle");
	snip("more then needle", "needle", 3, "\xe2\x80\xa6" "en needle", "needle");
	/* a NUL shows as U+FFFD, so the snippet stays one C string */
	const char s[] = "a\0b key";
	size_t h0, hl;
	char *out = search_snippet(s, sizeof s - 1, 4, 3, 10, &h0, &hl);
	assert_string_equal(out, "a\xef\xbf\xbd" "b key");
	assert_int_equal(h0, 6);
	assert_int_equal(hl, 3);
	free(out);
}

static void refused(struct search_opts o, const char *why_part)
{
	char *why = NULL;
	assert_int_equal(search_check(&o, &why), -1);
	assert_non_null(why);
	if (!strstr(why, why_part))
		fail_msg("\"%s\" does not say \"%s\"", why, why_part);
	free(why);
}

static void test_check_options(void **st)
{
	(void)st;
	struct search_opts ok = {.scope = SEARCH_STEPS, .text = "x", .table = "t"};
	char *why = NULL;
	assert_int_equal(search_check(&ok, &why), 0);
	assert_null(why);

	struct search_opts o = ok;
	o.text = "";
	refused(o, "empty");
	o.text = NULL;
	refused(o, "empty");
	char big[SEARCH_TEXT_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	o.text = big;
	refused(o, "at most 1024");
	big[SEARCH_TEXT_MAX] = 0;   /* exactly the limit is fine */
	assert_int_equal(search_check(&o, &why), 0);
	o.text = "\xff";
	refused(o, "UTF-8");
	o.text = "\xed\xa0\x80";    /* a surrogate */
	refused(o, "UTF-8");

	o = ok;
	o.table = NULL;
	refused(o, "no table");
	o = ok;
	o.scope = SEARCH_THREAD_NAMES;
	refused(o, "user");
	o.user = "alice";
	assert_int_equal(search_check(&o, &why), 0);
	o.step_type = "tool";
	refused(o, "steps");
	o = ok;
	o.namespace_ = "ns";
	refused(o, "documents");
	o = ok;
	o.scope = SEARCH_DOCUMENTS;
	o.with_feedback = true;
	refused(o, "steps");
	o = ok;
	o.user = "";
	refused(o, "user is empty");
	o = ok;
	o.step_type = "";
	refused(o, "type is empty");
}

static void test_match_json(void **st)
{
	(void)st;
	json_error_t e;
	struct search_match m = {.kind = SEARCH_KIND_STEP, .field = "output", .vote = 0};
	m.snippet = strdup("say \x1b[31m \"hi\"");
	m.key = json_loads("{\"PK\":{\"S\":\"THREAD#t\"},\"SK\":{\"S\":\"STEP#s\"}}", 0, &e);
	m.thread_id = "t";
	m.step_id = "s";
	m.step_type = "tool";
	json_t *j = search_match_json(&m);
	char *text = jsontext_dumps(j, JT_COMPACT | JT_ENSURE_ASCII);
	assert_string_equal(text, "{\"kind\":\"step\",\"key\":{\"PK\":\"THREAD#t\",\"SK\":\"STEP#s\"},"
	                    "\"thread_id\":\"t\",\"thread_name\":null,\"user\":null,\"step_id\":\"s\","
	                    "\"type\":\"tool\",\"name\":null,\"created_at\":null,\"vote\":0,"
	                    "\"field\":\"output\",\"snippet\":\"say \\u001B[31m \\\"hi\\\"\"}");
	free(text);
	json_decref(j);
	struct search_match c;
	search_match_copy(&c, &m);
	assert_string_equal(c.snippet, m.snippet);
	assert_ptr_equal(c.key, m.key);
	search_match_clear(&c);
	search_match_clear(&m);
	assert_string_equal(search_kind_name(SEARCH_KIND_DOCUMENT), "document");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_case_sensitive),
		cmocka_unit_test(test_find_ignoring_case),
		cmocka_unit_test(test_find_with_nul_bytes),
		cmocka_unit_test(test_snippet),
		cmocka_unit_test(test_check_options),
		cmocka_unit_test(test_match_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
