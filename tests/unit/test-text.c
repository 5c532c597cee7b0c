/* Unit tests for tui/text.c: nothing from the database may act on the terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tui/text.h"

static void expect_sanitized(const char *in, size_t len, int keep_nl, const char *want)
{
	char *out = text_sanitize(in, len, keep_nl);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_escape_sequences_are_visible(void **st)
{
	(void)st;
	expect_sanitized("\x1b[2J\x1b]0;pwned\x07", 14, 0, "^[[2J^[]0;pwned^G");
}

static void test_controls_and_del(void **st)
{
	(void)st;
	expect_sanitized("a\rb\x7f" "c", 5, 0, "a^Mb^?c");
	expect_sanitized("a\0b", 3, 0, "a^@b");
}

static void test_newlines_kept_only_when_asked(void **st)
{
	(void)st;
	expect_sanitized("a\nb\tc", 5, 1, "a\nb\tc");
	expect_sanitized("a\nb\tc", 5, 0, "a^Jb^Ic");
}

static void test_c1_and_bidi_controls(void **st)
{
	(void)st;
	/* U+009B is the 8-bit CSI; U+202E reverses text direction */
	expect_sanitized("x\xc2\x9b" "1m\xe2\x80\xae" "y", 9, 0, "x<U+009B>1m<U+202E>y");
}

static void test_invalid_utf8_replaced(void **st)
{
	(void)st;
	/* a lone continuation byte, an overlong '/', a surrogate, a truncated sequence */
	expect_sanitized("\x80", 1, 0, "\xef\xbf\xbd");
	expect_sanitized("\xc0\xaf", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
	expect_sanitized("\xed\xa0\x80", 3, 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect_sanitized("ab\xe2\x82", 4, 0, "ab\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_valid_utf8_untouched(void **st)
{
	(void)st;
	const char *s = "Grüße, 日本語, e\xcc\x81, 🍳";
	expect_sanitized(s, strlen(s), 0, s);
}

static void test_plain_is_printable_ascii_only(void **st)
{
	(void)st;
	const char *json = "{\"a\":\"\\u001b[2J\"}";   /* JSON escapes are plain */
	assert_true(text_is_plain(json, strlen(json), 0));
	assert_true(text_is_plain("a\tb\n", 4, 1));
	assert_false(text_is_plain("a\tb\n", 4, 0));
	assert_false(text_is_plain("a\rb", 3, 1));
	assert_false(text_is_plain("\x1b[2J", 4, 1));
	assert_false(text_is_plain("a\0b", 3, 1));
	assert_false(text_is_plain("del\x7f", 4, 1));
	assert_false(text_is_plain("\xc2\x9b", 2, 1));        /* C1 CSI */
	assert_false(text_is_plain("Gr\xc3\xbc\xc3\x9f", 6, 1));   /* valid, but not ASCII */
	assert_true(text_is_plain("", 0, 0));
}

static void test_width_wide_and_combining(void **st)
{
	(void)st;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("日本"), 4);
	assert_int_equal(text_width("e\xcc\x81"), 1);   /* e + combining acute */
}

static void test_fit_never_splits_a_character(void **st)
{
	(void)st;
	int used;
	/* three wide characters in 5 columns: two fit, using 4 */
	assert_int_equal(text_fit("日本語", 5, &used), 6);
	assert_int_equal(used, 4);
	assert_int_equal(text_fit("abc", 0, &used), 0);
	assert_int_equal(used, 0);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_are_visible),
		cmocka_unit_test(test_controls_and_del),
		cmocka_unit_test(test_newlines_kept_only_when_asked),
		cmocka_unit_test(test_c1_and_bidi_controls),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_valid_utf8_untouched),
		cmocka_unit_test(test_plain_is_printable_ascii_only),
		cmocka_unit_test(test_width_wide_and_combining),
		cmocka_unit_test(test_fit_never_splits_a_character),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
