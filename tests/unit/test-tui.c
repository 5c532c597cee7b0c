/* Unit tests for the pure parts of tui/: key names, bindings and the
 * config file, detail rendering and wrapping, freeing the tree, the module
 * table (:help, -c readiness, the README's command table), the line
 * editor. */
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

#include "aws/util.h"
#include "tui/columns.h"
#include "tui/keys.h"
#include "tui/detail.h"
#include "tui/browser.h"
#include "tui/help.h"
#include "tui/lineedit.h"
#include "tui/modules.h"
#include "tui/text.h"
#include "tui/tree.h"
#include "tui/ui.h"

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
	struct uiconf uc;
	memset(&uc, 0, sizeof uc);
	for (int i = 0; i < 16; i++)
		uc.color_fg[i] = uc.color_bg[i] = -2;
	keymap_defaults(&km);
	char *errors = NULL;
	uiconf_parse("# my bindings\n"
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
	lines_wrap(&l, "日本語のテキストはとても長いのでこの幅では折り返されなければならない", 20, 2);
	assert_true(l.n > 1);
	for (size_t i = 0; i < l.n; i++)
		assert_true(text_width(l.v[i]) <= 20);
	lines_free(&l);
	lines_wrap(&l, "short words wrap at spaces when they can", 16, 0);
	assert_string_equal(l.v[0], "short words ");
	lines_free(&l);
}

/* ---- the tree ----------------------------------------------------------------- */

static int loads_cancelled;

static void count_cancel(struct tnode_load *l)
{
	loads_cancelled++;
	free(l);
}

/* Freeing a user with 100,000 threads visits each node a bounded number of
 * times (it scanned a list of every live node for each one: quadratic),
 * and cancels what the nodes had in flight. */
static void test_freeing_many_threads_is_linear(void **st)
{
	(void)st;
	enum { N = 100000 };
	struct tnode *user = tnode_new("alice", NULL, NULL);
	for (int i = 0; i < N; i++) {
		struct tnode *t = tnode_new("thread", NULL, NULL);
		t->id = util_xasprintf("t%d", i);
		tnode_add(user, t);
	}
	struct tnode_load *l = util_xcalloc(1, sizeof *l);
	tnode_load_start(user, l, NULL, count_cancel);
	struct tnode_load *l2 = util_xcalloc(1, sizeof *l2);
	tnode_load_start(user->kids[N - 1], l2, NULL, count_cancel);
	loads_cancelled = 0;
	unsigned long before = tnode_free_visits();
	tnode_delete(user);
	unsigned long visits = tnode_free_visits() - before;
	assert_true(visits >= N);
	if (visits > 4UL * N)
		fail_msg("freeing %d nodes visited %lu", N + 1, visits);
	assert_int_equal(loads_cancelled, 2);
}

/* ---- the module table ------------------------------------------------------- */

/* The modules as the browser has them: tui/modules.c's, then the frame's. */
static const struct module *const *all_modules(size_t *n)
{
	static const struct module *mods[16];
	size_t nm;
	const struct module *const *m = modules_all(&nm);
	assert_true(nm + 1 <= sizeof mods / sizeof mods[0]);
	for (size_t i = 0; i < nm; i++)
		mods[i] = m[i];
	mods[nm] = &browser_module;
	*n = nm + 1;
	return mods;
}

static bool has_command(const struct module *const *mods, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++)
			if (!strcmp(c->name, name))
				return true;
	return false;
}

/* :help's command lines come from the module table: one line per listed
 * command of every module ("  :name ARGS   help"), and nothing else. */
static void test_help_lists_every_command(void **st)
{
	(void)st;
	size_t n;
	const struct module *const *mods = all_modules(&n);
	struct keymap km;
	keymap_defaults(&km);
	struct lines l = {0};
	help_build(&l, &km, false, mods, n, 0);
	size_t listed = 0, shown = 0;
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++) {
			if (!c->help)
				continue;
			listed++;
			char head[128];
			snprintf(head, sizeof head, "  :%s%s%s ", c->name, *c->args ? " " : "", c->args);
			bool found = false;
			for (size_t k = 0; k < l.n; k++)
				found |= !strncmp(l.v[k], head, strlen(head)) && strstr(l.v[k], c->help);
			if (!found)
				fail_msg("no help line for :%s", c->name);
		}
	for (size_t k = 0; k < l.n; k++)   /* (the binding of ':' is "  :   command") */
		shown += !strncmp(l.v[k], "  :", 3) && l.v[k][3] != ' ';
	assert_int_equal(shown, listed);
	/* the ones that once drifted, and those the frame brings */
	assert_true(has_command(mods, n, "documents"));
	assert_true(has_command(mods, n, "help"));
	assert_true(has_command(mods, n, "quit"));
	assert_true(listed >= 13);
	lines_free(&l);
}

/* Two modules never claim the same command. */
static void test_command_names_are_unique(void **st)
{
	(void)st;
	size_t n;
	const struct module *const *mods = all_modules(&n);
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++) {
			assert_true(c->run != NULL);
			assert_ptr_equal(module_command_find(mods, n, c->name), c);
		}
	assert_null(module_command_find(mods, n, "no-such-command"));
}

/* -c readiness follows each command's flag: one that needs its module's
 * tables waits while they are neither named nor listed; any other runs at
 * once. */
static void test_start_command_readiness(void **st)
{
	(void)st;
	size_t n;
	const struct module *const *mods = all_modules(&n);
	struct session s;
	memset(&s, 0, sizeof s);
	struct ui ui;
	memset(&ui, 0, sizeof ui);
	ui.s = &s;
	ui.modules = mods;
	ui.nmodules = n;
	char line[128];
	for (int named = 0; named < 2; named++)
		for (int listed = 0; listed < 2; listed++) {
			s.chainlit_table = named ? "c" : NULL;
			s.namespace_table = named ? "ns" : NULL;
			s.documents_table = named ? "docs" : NULL;
			ui.tables_known = listed;
			for (size_t i = 0; i < n; i++)
				for (const struct module_command *c = mods[i]->commands; c && c->name; c++) {
					snprintf(line, sizeof line, "%s some-argument", c->name);
					bool want = !c->needs_tables || named || listed;
					if (module_command_ready(&ui, line) != want)
						fail_msg(":%s ready %d with named %d listed %d", c->name, !want,
						         named, listed);
					assert_int_equal(module_command_ready(&ui, c->name), want);
				}
		}
	/* the flags as they were when the lists were typed by hand */
	const char *wait[] = {"user", "thread", "only", "namespace", "documents", "document", "trash"};
	const char *now[] = {"table", "chainlit-table", "namespace-table", "documents-table", "help",
	                     "quit", "q"};
	for (size_t i = 0; i < sizeof wait / sizeof *wait; i++)
		assert_true(module_command_find(mods, n, wait[i])->needs_tables);
	for (size_t i = 0; i < sizeof now / sizeof *now; i++)
		assert_false(module_command_find(mods, n, now[i])->needs_tables);
	/* only the Chainlit table named: the Stache commands still wait */
	s.chainlit_table = "c";
	s.namespace_table = s.documents_table = NULL;
	ui.tables_known = false;
	assert_true(module_command_ready(&ui, "user alice"));
	assert_false(module_command_ready(&ui, "trash"));
	assert_true(module_command_ready(&ui, "no-such-command"));
}

/* Markdown table text: \| is | */
static void unescape(char *out, size_t size, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '|')
			i++;
		out[o++] = s[i];
	}
	out[o] = '\0';
}

/* The README's table of ':' commands is the module table: the same
 * commands with the same arguments and help, none missing, none extra. */
static void test_readme_lists_the_commands(void **st)
{
	(void)st;
	const char *src = getenv("DDTREE_SRCDIR");
	if (!src)
		skip();
	char path[4096];
	snprintf(path, sizeof path, "%s/README.md", src);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n;
	const struct module *const *mods = all_modules(&n);
	char line[1024];
	size_t rows = 0;
	while (fgets(line, sizeof line, f)) {
		/* "| `:name ARGS` | help |", with \| for | in either cell */
		if (strncmp(line, "| `:", 4) || line[4] == '`')
			continue;
		const char *cmd = line + 3, *cmd_end = strchr(cmd, '`');
		assert_non_null(cmd_end);
		assert_true(!strncmp(cmd_end, "` | ", 4));
		const char *help = cmd_end + 4, *help_end = strstr(help, " |\n");
		assert_non_null(help_end);
		char cell[2][512];
		unescape(cell[0], sizeof cell[0], cmd, (size_t)(cmd_end - cmd));
		unescape(cell[1], sizeof cell[1], help, (size_t)(help_end - help));
		rows++;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(cell[0] + 1, " "), cell[0] + 1);
		const struct module_command *c = module_command_find(mods, n, name);
		if (!c || !c->help)
			fail_msg("README lists %s, which is not a listed command", cell[0]);
		char want[256];
		snprintf(want, sizeof want, ":%s%s%s", c->name, *c->args ? " " : "", c->args);
		if (strcmp(cell[0], want) || strcmp(cell[1], c->help))
			fail_msg("README: \"%s\" | \"%s\"; the table: \"%s\" | \"%s\"", cell[0], cell[1],
			         want, c->help);
	}
	fclose(f);
	size_t listed = 0;
	for (size_t i = 0; i < n; i++)
		for (const struct module_command *c = mods[i]->commands; c && c->name; c++)
			listed += c->help != NULL;
	assert_int_equal(rows, listed);
}

/* ---- the line editor -------------------------------------------------------- */

static void type(struct lineedit *e, const char *keys)
{
	for (const char *p = keys; *p; p++)
		lineedit_key(e, (unsigned char)*p);
}

/* The text with the cursor shown as |. */
static const char *shown(const struct lineedit *e)
{
	static char buf[256];
	snprintf(buf, sizeof buf, "%.*s|%s", (int)e->cur, e->text, e->text + e->cur);
	return buf;
}

static void test_lineedit_keys(void **st)
{
	(void)st;
	struct lineedit e;
	lineedit_init(&e, false, 0);
	type(&e, "grep -r fünf words");
	assert_string_equal(shown(&e), "grep -r fünf words|");
	assert_int_equal(lineedit_key(&e, 23), LINEEDIT_CHANGED);   /* Ctrl-W */
	assert_string_equal(shown(&e), "grep -r fünf |");
	lineedit_key(&e, KEY_ALT('b'));                             /* Alt-b: the word before */
	assert_string_equal(shown(&e), "grep -r |fünf ");
	lineedit_key(&e, KEY_ALT('b'));                             /* "-" is no word */
	assert_string_equal(shown(&e), "grep -|r fünf ");
	lineedit_key(&e, KEY_ALT('f'));                             /* Alt-f: to a word's end */
	assert_string_equal(shown(&e), "grep -r| fünf ");
	lineedit_key(&e, KEY_ALT('f'));                             /* UTF-8 letters are letters */
	assert_string_equal(shown(&e), "grep -r fünf| ");
	lineedit_key(&e, 1);                                        /* Ctrl-A */
	assert_string_equal(shown(&e), "|grep -r fünf ");
	lineedit_key(&e, 5);                                        /* Ctrl-E */
	assert_string_equal(shown(&e), "grep -r fünf |");
	lineedit_key(&e, KEY_LEFT);
	lineedit_key(&e, KEY_LEFT);
	assert_string_equal(shown(&e), "grep -r fün|f ");
	lineedit_key(&e, KEY_LEFT);
	lineedit_key(&e, KEY_LEFT);                                 /* over ü, two bytes */
	assert_string_equal(shown(&e), "grep -r f|ünf ");
	lineedit_key(&e, KEY_RIGHT);
	assert_string_equal(shown(&e), "grep -r fü|nf ");
	assert_int_equal(lineedit_key(&e, KEY_BACKSPACE), LINEEDIT_CHANGED);   /* one character, two bytes */
	assert_string_equal(shown(&e), "grep -r f|nf ");
	lineedit_key(&e, 11);                                       /* Ctrl-K */
	assert_string_equal(shown(&e), "grep -r f|");
	lineedit_key(&e, KEY_ALT('b'));
	lineedit_key(&e, 21);                                       /* Ctrl-U */
	assert_string_equal(shown(&e), "|f");
	assert_int_equal(lineedit_key(&e, KEY_DC), LINEEDIT_CHANGED);
	assert_string_equal(shown(&e), "|");
	/* nothing to delete, nowhere to go: no change */
	assert_int_equal(lineedit_key(&e, KEY_BACKSPACE), LINEEDIT_MOVED);
	assert_int_equal(lineedit_key(&e, 23), LINEEDIT_MOVED);
	/* one line: Enter, Esc, Tab, Up are the caller's */
	assert_int_equal(lineedit_key(&e, '\n'), LINEEDIT_NONE);
	assert_int_equal(lineedit_key(&e, 27), LINEEDIT_NONE);
	assert_int_equal(lineedit_key(&e, '\t'), LINEEDIT_NONE);
	assert_int_equal(lineedit_key(&e, KEY_UP), LINEEDIT_NONE);
	assert_int_equal(lineedit_key(&e, KEY_ALT('x')), LINEEDIT_NONE);
	/* a Ctrl-W over spaces takes the word before them */
	lineedit_set(&e, "one two   ");
	lineedit_key(&e, 23);
	assert_string_equal(shown(&e), "one |");
	lineedit_free(&e);
}

static void test_lineedit_limit_and_lines(void **st)
{
	(void)st;
	struct lineedit e;
	lineedit_init(&e, false, 5);
	type(&e, "abcdefgh");
	assert_string_equal(shown(&e), "abcde|");
	lineedit_free(&e);
	/* the comment box: several lines; Ctrl-A/E/U/K act on the cursor's line */
	lineedit_init(&e, true, 0);
	type(&e, "first line\nsecond");
	assert_int_equal(lineedit_key(&e, '\r'), LINEEDIT_CHANGED);
	type(&e, "third");
	assert_string_equal(shown(&e), "first line\nsecond\nthird|");
	lineedit_key(&e, KEY_UP);
	assert_string_equal(shown(&e), "first line\nsecon|d\nthird");
	lineedit_key(&e, 1);
	assert_string_equal(shown(&e), "first line\n|second\nthird");
	lineedit_key(&e, 11);
	assert_string_equal(shown(&e), "first line\n|\nthird");
	lineedit_key(&e, KEY_UP);
	lineedit_key(&e, 5);
	lineedit_key(&e, 21);
	assert_string_equal(shown(&e), "|\n\nthird");
	lineedit_key(&e, KEY_DOWN);
	lineedit_key(&e, KEY_DOWN);
	lineedit_key(&e, 5);
	lineedit_key(&e, 23);
	assert_string_equal(shown(&e), "\n\n|");
	lineedit_free(&e);
}

/* Alt-x is Esc and x at once: one key, named <M-x> */
static void test_alt_keys(void **st)
{
	(void)st;
	assert_int_equal(key_combine_esc('b'), KEY_ALT('b'));
	assert_int_equal(key_combine_esc(KEY_UP), -1);
	assert_int_equal(key_combine_esc(3), -1);
	assert_int_equal(key_alt_base(KEY_ALT('f')), 'f');
	assert_int_equal(key_alt_base('f'), -1);
	assert_int_equal(key_alt_base(KEY_UP), -1);
	assert_int_equal(key_parse("<M-b>"), KEY_ALT('b'));
	char name[32];
	keyname_of(KEY_ALT('f'), name, sizeof name);
	assert_string_equal(name, "<M-f>");
}

/* columns: the flexible column takes the rest; too narrow, the optional
 * ones go, then the columns after the first shrink from the right */
static void test_columns_fit(void **state)
{
	(void)state;
	const struct column c[] = {
		{.title = "time"}, {.title = "name", .flex = true}, {.title = "id", .max = 8, .optional = true},
	};
	int need[] = {16, 50, 36}, w[3];
	columns_fit(c, 3, need, 80, w);
	assert_int_equal(w[0], 16);
	assert_int_equal(w[2], 8);
	assert_int_equal(w[1], 80 - 16 - 8 - 2 * COLUMN_GAP);
	columns_fit(c, 3, need, 40, w);   /* the name would have 12: the id goes */
	assert_int_equal(w[2], 0);
	assert_int_equal(w[1], 40 - 16 - COLUMN_GAP);
	char buf[256];
	const char *cells[] = {"2026-03-01 10:00", "a name", "0123456789"};
	columns_fit(c, 3, need, 80, w);
	columns_row(buf, sizeof buf, c, 3, w, cells);
	char want[64];
	snprintf(want, sizeof want, "2026-03-01 10:00%*sa name ", COLUMN_GAP, "");
	assert_int_equal(strncmp(buf, want, strlen(want)), 0);
	snprintf(want, sizeof want, "%*s01234567", COLUMN_GAP, "");
	assert_non_null(strstr(buf, want));
	assert_null(strstr(buf, "89"));
}

static void test_columns_preview(void **state)
{
	(void)state;
	char out[64];
	columns_preview(out, sizeof out, "a\tb\nc\r\n", true, false);
	assert_string_equal(out, "a       b\xe2\x8f\x8e" "c\xe2\x8f\x8e");
	columns_preview(out, sizeof out, "a\nb", false, false);
	assert_string_equal(out, "a b");
	columns_preview(out, sizeof out, "first\nsecond", true, true);
	assert_string_equal(out, "first");
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
		cmocka_unit_test(test_freeing_many_threads_is_linear),
		cmocka_unit_test(test_help_lists_every_command),
		cmocka_unit_test(test_command_names_are_unique),
		cmocka_unit_test(test_start_command_readiness),
		cmocka_unit_test(test_readme_lists_the_commands),
		cmocka_unit_test(test_lineedit_keys),
		cmocka_unit_test(test_lineedit_limit_and_lines),
		cmocka_unit_test(test_alt_keys),
		cmocka_unit_test(test_columns_fit),
		cmocka_unit_test(test_columns_preview),
	};
	return cmocka_run_group_tests_name("tui", tests, NULL, NULL);
}
