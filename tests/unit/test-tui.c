/* Unit tests for the pure parts of tui/: key names, bindings and the
 * config file, detail rendering and wrapping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keys.h"
#include "tui/detail.h"
#include "tui/text.h"

static void test_key_names_roundtrip(void **st)
{
	(void)st;
	const char *names[] = {"j", "<Enter>", "<Esc>", "<C-f>", "<PgDn>", "<F5>", "<Space>", "<Tab>", "<lt>"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int k = key_parse(names[i]);
		assert_true(k >= 0);
		char back[32];
		keyname_of(k, back, sizeof back);
		assert_int_equal(key_parse(back), k);
	}
	assert_int_equal(key_parse("<C-a>"), 1);
	assert_int_equal(key_parse("<Nope>"), -1);
	assert_int_equal(key_parse(""), -1);
	assert_int_equal(key_parse("<C-1>"), -1);
}

static void test_defaults_cover_every_action(void **st)
{
	(void)st;
	struct keymap km;
	keymap_defaults(&km);
	for (int a = 0; a < ACT_COUNT; a++) {
		char keys[128];
		keymap_keys_for(&km, (enum action)a, keys, sizeof keys);
		if (!keys[0])
			fail_msg("action %s has no default key", action_info[a].name);
	}
	assert_int_equal(keymap_lookup(&km, 'q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(&km, '\n'), ACT_ENTER);
	assert_int_equal(keymap_lookup(&km, '\r'), ACT_ENTER);
	assert_int_equal(keymap_lookup(&km, 'Z'), ACT_NONE);
}

static void test_config_overrides(void **st)
{
	(void)st;
	struct keymap km;
	struct ui_config uc;
	memset(&uc, 0, sizeof uc);
	for (int i = 0; i < 16; i++)
		uc.color_fg[i] = uc.color_bg[i] = -2;
	keymap_defaults(&km);
	char *errors = NULL;
	config_parse("# my bindings\n"
	             "bind x quit\n"
	             "unbind q\n"
	             "\n"
	             "set read-only true\n"
	             "set colors mono\n"
	             "color header white blue\n"
	             "bind <C-x> no-such-action\n"
	             "frobnicate\n",
	             &km, &uc, &errors);
	assert_int_equal(keymap_lookup(&km, 'x'), ACT_QUIT);
	assert_int_equal(keymap_lookup(&km, 'q'), ACT_NONE);
	assert_true(uc.read_only);
	assert_true(uc.monochrome);
	assert_int_equal(uc.color_fg[0], COLOR_WHITE);
	assert_int_equal(uc.color_bg[0], COLOR_BLUE);
	assert_non_null(errors);
	/* line numbers count every line, blank ones included */
	assert_non_null(strstr(errors, "line 8: unknown action 'no-such-action'"));
	assert_non_null(strstr(errors, "line 9: not understood: frobnicate"));
	free(errors);
}

static void test_action_names_are_unique(void **st)
{
	(void)st;
	for (int a = 0; a < ACT_COUNT; a++)
		assert_int_equal(action_by_name(action_info[a].name), a);
}

static json_t *load(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, JSON_ALLOW_NUL, &e);
	assert_non_null(j);
	return j;
}

static bool has_line(const struct lines *l, const char *want)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], want))
			return true;
	return false;
}

static void test_detail_types(void **st)
{
	(void)st;
	json_t *item = load("{\"b\":{\"B\":\"AQ==\"},\"n\":{\"N\":\"1E+125\"},\"z\":{\"NULL\":true},"
	                    "\"ns\":{\"NS\":[\"3\",\"1\"]},\"bad\":{\"X\":1},\"e\":{\"S\":\"\"},"
	                    "\"nul\":{\"S\":\"a\\u0000b\"}}");
	struct lines l = {0};
	detail_render(&l, item, false, 80);
	assert_true(has_line(&l, "n  (N) 1E+125"));
	assert_true(has_line(&l, "z  (NULL)"));
	assert_true(has_line(&l, "ns  (NS, 2 members)"));
	assert_true(has_line(&l, "    - 1"));
	assert_true(has_line(&l, "e  (S) \"\""));
	assert_true(has_line(&l, "b  (B, base64, 4 chars)"));
	assert_true(has_line(&l, "nul  (S) \"a^@b\""));
	bool malformed = false;
	for (size_t i = 0; i < l.n; i++)
		malformed |= strstr(l.v[i], "bad  (malformed value)") != NULL;
	assert_true(malformed);
	lines_free(&l);
	json_decref(item);
}

/* Issue 11: the detail view shows every number with its stored digits: an
 * N attribute as its text, numbers in JSON text (Stache metadata) as their
 * source text when pretty-printed (jansson wrote 99.900000000000006 and gave
 * up on integers beyond 64 bits), the raw view likewise. */
static void test_detail_numbers(void **st)
{
	(void)st;
	static const char *const n[] = {
		"12345678901234567890123456789012345678", "1E-130",
		"9.9999999999999999999999999999999999999E+125", "-0", "0.1", "0.35", "100", "1.0", "99.9",
	};
	json_t *item = json_object();
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		char k[8];
		snprintf(k, sizeof k, "n%zu", i);
		json_object_set_new(item, k, json_pack("{s:s}", "N", n[i]));
	}
	json_object_set_new(item, "meta", json_pack("{s:s}", "S",
		"{\"score\": 99.9, \"t\": 0.35, \"x\": 1e-07, \"one\": 1.0, \"z\": -0, \"h\": 100,"
		" \"big\": 12345678901234567890123456789012345678, \"tiny\": 1E-130,"
		" \"max\": 9.9999999999999999999999999999999999999E+125, \"l\": [0.1]}"));
	struct lines l = {0};
	detail_render(&l, item, false, 100);
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
		char want[128];
		snprintf(want, sizeof want, "n%zu  (N) %s", i, n[i]);
		assert_true(has_line(&l, want));
	}
	assert_true(has_line(&l, "    {"));
	assert_true(has_line(&l, "      \"score\": 99.9,"));
	assert_true(has_line(&l, "      \"t\": 0.35,"));
	assert_true(has_line(&l, "      \"x\": 1e-07,"));
	assert_true(has_line(&l, "      \"one\": 1.0,"));
	assert_true(has_line(&l, "      \"z\": -0,"));
	assert_true(has_line(&l, "      \"h\": 100,"));
	assert_true(has_line(&l, "      \"big\": 12345678901234567890123456789012345678,"));
	assert_true(has_line(&l, "      \"tiny\": 1E-130,"));
	assert_true(has_line(&l, "      \"max\": 9.9999999999999999999999999999999999999E+125,"));
	assert_true(has_line(&l, "        0.1"));
	lines_free(&l);

	/* raw: the wire JSON, N as its text; a number a server sent where the
	 * text belongs as its shortest form */
	json_object_set_new(item, "bad", json_pack("{s:f}", "N", 0.35));
	detail_render(&l, item, false, 100);
	assert_true(has_line(&l, "bad  (N) 0.35"));
	lines_free(&l);
	detail_render(&l, item, true, 100);
	assert_true(has_line(&l, "  \"n5\": {"));
	assert_true(has_line(&l, "    \"N\": \"0.35\""));
	assert_true(has_line(&l, "    \"N\": \"12345678901234567890123456789012345678\""));
	assert_true(has_line(&l, "    \"N\": 0.35"));
	lines_free(&l);
	json_decref(item);
}

static void test_detail_deep_nesting_is_bounded(void **st)
{
	(void)st;
	/* 100 nested maps: rendering stops descending instead of recursing forever */
	char *s = malloc(100 * 20 + 64);
	char *p = s;
	p += sprintf(p, "{\"a\":");
	for (int i = 0; i < 100; i++)
		p += sprintf(p, "{\"M\":{\"k\":");
	p += sprintf(p, "{\"S\":\"x\"}");
	for (int i = 0; i < 100; i++)
		p += sprintf(p, "}}");
	sprintf(p, "}");
	json_t *item = load(s);
	free(s);
	struct lines l = {0};
	detail_render(&l, item, false, 80);
	assert_true(l.n > 0 && l.n < 100);
	lines_free(&l);
	json_decref(item);
}

static void test_wrap_respects_width(void **st)
{
	(void)st;
	struct lines l = {0};
	wrap_text(&l, "日本語のテキストはとても長いのでこの幅では折り返されなければならない", 20, 2);
	assert_true(l.n > 1);
	for (size_t i = 0; i < l.n; i++)
		assert_true(text_width(l.v[i]) <= 20);
	lines_free(&l);
	wrap_text(&l, "short words wrap at spaces when they can", 16, 0);
	assert_string_equal(l.v[0], "short words ");
	lines_free(&l);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names_roundtrip),
		cmocka_unit_test(test_defaults_cover_every_action),
		cmocka_unit_test(test_config_overrides),
		cmocka_unit_test(test_action_names_are_unique),
		cmocka_unit_test(test_detail_types),
		cmocka_unit_test(test_detail_numbers),
		cmocka_unit_test(test_detail_deep_nesting_is_bounded),
		cmocka_unit_test(test_wrap_respects_width),
	};
	return cmocka_run_group_tests_name("tui", tests, NULL, NULL);
}
