/* tui/keys.c: the action table, key names, bindings and the config file. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/keys.h"

#include <curses.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct action_info action_info[ACT_COUNT] = {
#define ACT_X_ROW(id, name, keys, writes, help) [id] = {name, keys, help, writes},
	ACTIONS(ACT_X_ROW)
#undef ACT_X_ROW
};

enum action action_by_name(const char *name)
{
	for (int i = 0; i < ACT_COUNT; i++)
		if (!strcmp(action_info[i].name, name))
			return (enum action)i;
	return ACT_NONE;
}

static const struct { const char *name; int key; } named[] = {
	{"Enter", '\n'}, {"Return", '\r'}, {"Tab", '\t'}, {"Esc", 27}, {"Space", ' '},
	{"Backspace", KEY_BACKSPACE}, {"BS", 127}, {"Up", KEY_UP}, {"Down", KEY_DOWN},
	{"Left", KEY_LEFT}, {"Right", KEY_RIGHT}, {"PgUp", KEY_PPAGE}, {"PgDn", KEY_NPAGE},
	{"Home", KEY_HOME}, {"End", KEY_END}, {"Del", KEY_DC}, {"Ins", KEY_IC},
	{"lt", '<'}, {"gt", '>'}, {"Colon", ':'}, {"BackTab", KEY_BTAB},
};

int key_combine_esc(int next)
{
	return next >= 32 && next < 127 ? KEY_ALT(next) : -1;
}

int key_alt_base(int key)
{
	return key & KEY_ALT_BIT && (key & ~KEY_ALT_BIT) >= 32 && (key & ~KEY_ALT_BIT) < 127
	     ? key & ~KEY_ALT_BIT : -1;
}

int key_parse(const char *s)
{
	if (!s || !*s)
		return -1;
	size_t n = strlen(s);
	if (n == 1)
		return (unsigned char)s[0];
	if (s[0] != '<' || s[n - 1] != '>')
		return -1;
	char in[32];
	if (n - 2 >= sizeof in)
		return -1;
	memcpy(in, s + 1, n - 2);
	in[n - 2] = '\0';
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strcasecmp(in, named[i].name))
			return named[i].key;
	if ((in[0] == 'C' || in[0] == 'c') && in[1] == '-' && in[2] && !in[3]) {
		int c = tolower((unsigned char)in[2]);
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
	}
	if ((in[0] == 'M' || in[0] == 'm') && in[1] == '-' && in[2] && !in[3])
		return key_combine_esc((unsigned char)in[2]);
	if ((in[0] == 'F' || in[0] == 'f') && isdigit((unsigned char)in[1])) {
		int f = atoi(in + 1);
		if (f >= 1 && f <= 12)
			return KEY_F(f);
	}
	return -1;
}

void keyname_of(int key, char *buf, int len)
{
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key && strcmp(named[i].name, "Return") && strcmp(named[i].name, "BS") &&
		    strcmp(named[i].name, "Colon")) {
			snprintf(buf, (size_t)len, "<%s>", named[i].name);
			return;
		}
	if (key_alt_base(key) >= 0)
		snprintf(buf, (size_t)len, "<M-%c>", key_alt_base(key));
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, (size_t)len, "<F%d>", key - KEY_F0);
	else if (key >= 1 && key <= 26)
		snprintf(buf, (size_t)len, "<C-%c>", 'a' + key - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, (size_t)len, "%c", key);
	else
		snprintf(buf, (size_t)len, "<%d>", key);
}

int keymap_bind(struct keymap *km, int key, enum action a)
{
	for (int i = 0; i < km->n; i++)
		if (km->key[i] == key) {
			km->act[i] = a;
			return 0;
		}
	if (km->n >= KEYMAP_MAX)
		return -1;
	km->key[km->n] = key;
	km->act[km->n] = a;
	km->n++;
	return 0;
}

void keymap_defaults(struct keymap *km)
{
	km->n = 0;
	for (int a = 0; a < ACT_COUNT; a++) {
		char keys[128];
		snprintf(keys, sizeof keys, "%s", action_info[a].keys);
		for (char *save = NULL, *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
			int code = key_parse(k);
			if (code >= 0)
				keymap_bind(km, code, (enum action)a);
		}
	}
	/* terminals differ on Enter and Backspace */
	keymap_bind(km, '\r', ACT_ENTER);
	keymap_bind(km, KEY_ENTER, ACT_ENTER);
	keymap_bind(km, 127, ACT_BACK);
	keymap_bind(km, 8, ACT_BACK);
}

enum action keymap_lookup(const struct keymap *km, int key)
{
	for (int i = 0; i < km->n; i++)
		if (km->key[i] == key)
			return km->act[i];
	return ACT_NONE;
}

void keymap_keys_for(const struct keymap *km, enum action a, char *buf, int len)
{
	int used = 0;
	buf[0] = '\0';
	for (int i = 0; i < km->n && used < len - 1; i++) {
		if (km->act[i] != a || km->key[i] == '\r' || km->key[i] == KEY_ENTER ||
		    km->key[i] == 8 || km->key[i] == 127)
			continue;
		char name[32];
		keyname_of(km->key[i], name, sizeof name);
		used += snprintf(buf + used, (size_t)(len - used), "%s%s", used ? " " : "", name);
	}
}

static const char *const color_roles[] = {
	"header", "selected", "status", "error", "title", "dim", "up", "down", "problem", "match",
	"focus", "inactive",
};

/* curses' colour numbers 0-7, in order */
static const char *const color_names[] = {"black", "red", "green", "yellow", "blue",
                                          "magenta", "cyan", "white"};

static int color_by_name(const char *s)
{
	if (!strcmp(s, "default"))
		return -1;
	for (int i = 0; i < 8; i++)
		if (!strcmp(s, color_names[i]))
			return i;
	return -3;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		return *out = true, true;
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		return *out = false, true;
	return false;
}

void uiconf_parse(const char *text, struct keymap *km, struct uiconf *uc, char **errors)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *ef = open_memstream(&out, &outlen);
	char *copy = util_xstrdup(text ? text : "");
	int lineno = 0;
	for (char *line = copy, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* a comment may end a line: "#" after whitespace */
		for (char *h = line; (h = strchr(h, '#')); h++)
			if (h > line && (h[-1] == ' ' || h[-1] == '\t')) {
				*h = '\0';
				break;
			}
		char *w[5] = {0};
		int nw = 0;
		for (char *s2 = NULL, *t = strtok_r(line, " \t\r", &s2); t && nw < 5;
		     t = strtok_r(NULL, " \t\r", &s2))
			w[nw++] = t;
		if (!nw || w[0][0] == '#')
			continue;
		if (!strcmp(w[0], "bind") && nw == 3) {
			int k = key_parse(w[1]);
			enum action a = action_by_name(w[2]);
			if (k < 0 || a == ACT_NONE)
				fprintf(ef, "line %d: unknown %s '%s'\n", lineno, k < 0 ? "key" : "action",
				        k < 0 ? w[1] : w[2]);
			else
				keymap_bind(km, k, a);
		} else if (!strcmp(w[0], "unbind") && nw == 2) {
			int k = key_parse(w[1]);
			if (k < 0)
				fprintf(ef, "line %d: unknown key '%s'\n", lineno, w[1]);
			else
				keymap_bind(km, k, ACT_NONE);
		} else if (!strcmp(w[0], "set") && nw == 3 && !strcmp(w[1], "read-only")) {
			if (!parse_bool(w[2], &uc->read_only))
				fprintf(ef, "line %d: read-only wants true or false\n", lineno);
		} else if (!strcmp(w[0], "set") && nw == 3 && !strcmp(w[1], "write")) {
			if (!parse_bool(w[2], &uc->write))
				fprintf(ef, "line %d: write wants true or false\n", lineno);
		} else if (!strcmp(w[0], "set") && nw == 3 && !strcmp(w[1], "colors")) {
			if (!strcmp(w[2], "mono"))
				uc->monochrome = true;
			else if (!strcmp(w[2], "default"))
				uc->monochrome = false;
			else
				fprintf(ef, "line %d: colors wants mono or default\n", lineno);
		} else if (!strcmp(w[0], "color") && (nw == 3 || nw == 4)) {
			int role = -1;
			for (int i = 0; i < (int)(sizeof color_roles / sizeof color_roles[0]); i++)
				if (!strcmp(w[1], color_roles[i]))
					role = i;
			int fg = color_by_name(w[2]), bg = nw == 4 ? color_by_name(w[3]) : -1;
			if (role < 0 || fg == -3 || bg == -3)
				fprintf(ef, "line %d: color ROLE FG [BG] (roles: header selected status "
				        "error title dim up down problem match focus inactive; colors: default black red "
				        "green yellow blue magenta cyan white)\n", lineno);
			else {
				uc->color_fg[role] = fg;
				uc->color_bg[role] = bg;
			}
		} else {
			fprintf(ef, "line %d: not understood: %s\n", lineno, w[0]);
		}
	}
	free(copy);
	fclose(ef);
	if (errors)
		*errors = out;
	else
		free(out);
}

int uiconf_load(struct keymap *km, struct uiconf *uc, char **errors)
{
	keymap_defaults(km);
	memset(uc, 0, sizeof *uc);
	for (int i = 0; i < 16; i++)
		uc->color_fg[i] = uc->color_bg[i] = -2;
	if (errors)
		*errors = NULL;
	char *path = uiconf_path();
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f) {
		free(path);
		return 0;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	char buf[4096];
	size_t n;
	while (m && (n = fread(buf, 1, sizeof buf, f)) > 0 && len < (1 << 20)) {
		fwrite(buf, 1, n, m);
		fflush(m);
	}
	if (m)
		fclose(m);
	fclose(f);
	char *errs = NULL;
	uiconf_parse(text, km, uc, &errs);
	if (errs && *errs && errors)
		*errors = util_xasprintf("%s: %s", path, errs);
	free(errs);
	free(text);
	free(path);
	return 1;
}

char *uiconf_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (x && *x)
		return util_xasprintf("%s/ddtree/config", x);
	if (home && *home)
		return util_xasprintf("%s/.config/ddtree/config", home);
	return NULL;
}

const char *keys_doc_name(size_t i)
{
	return i < sizeof named / sizeof named[0] ? named[i].name : NULL;
}

const char *uiconf_doc_role(size_t i)
{
	return i < sizeof color_roles / sizeof color_roles[0] ? color_roles[i] : NULL;
}

const char *uiconf_doc_color(size_t i)
{
	return i < sizeof color_names / sizeof color_names[0] ? color_names[i] : NULL;
}
