/* tui/keys.h: key names and the key -> action bindings, with overrides from
 * $XDG_CONFIG_HOME/ddtree/config.  Pure (no curses calls), unit-tested. */
#ifndef DDTREE_TUI_KEYS_H
#define DDTREE_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/actions.h"

/* Key codes are ncurses' (ASCII, KEY_* values); names look like "j",
 * "<Enter>", "<C-f>", "<M-f>" (Alt), "<PgDn>", "<F5>", "<Space>", "<Esc>", "<lt>"
 * for '<'. */
int key_parse(const char *name);                 /* -1 if unknown */
void keyname_of(int key, char *buf, int len);

/* Alt-x: terminals send Esc then x at once; the browser reads the two as
 * one key, KEY_ALT(x) ("<M-x>" in the config file and scripts).  A key
 * nothing uses as Alt-x goes on as Esc, then x. */
#define KEY_ALT_BIT 0x40000
#define KEY_ALT(c) (KEY_ALT_BIT | (c))
/* Esc then `next` came at once: KEY_ALT(next), or -1 when next is not a
 * key Alt goes with (a curses key, a control character). */
int key_combine_esc(int next);
/* x for KEY_ALT(x), else -1. */
int key_alt_base(int key);

#define KEYMAP_MAX 512
struct keymap {
	int key[KEYMAP_MAX];
	enum action act[KEYMAP_MAX];
	int n;
};

void keymap_defaults(struct keymap *km);
/* ACT_NONE if unbound. */
enum action keymap_lookup(const struct keymap *km, int key);
/* Bind (replacing an existing binding of that key); returns 0 or -1. */
int keymap_bind(struct keymap *km, int key, enum action a);
/* All keys bound to an action, as text ("j <Down>"), into buf. */
void keymap_keys_for(const struct keymap *km, enum action a, char *buf, int len);

/* Settings from the config file besides bindings. */
struct uiconf {
	bool read_only;         /* set read-only = true */
	bool write;             /* set write = true */
	bool monochrome;        /* set colors = mono */
	int color_fg[16], color_bg[16];  /* per colour role; -2 = unset */
};

/* Parse a config file's text.  Lines: "bind KEY ACTION", "unbind KEY",
 * "set read-only true|false", "set write true|false", "set colors mono|default",
 * "color ROLE FG [BG]", "# comment".  Bad lines are reported in *errors
 * (malloc'd, one per line, "line N: ...") and skipped. */
void uiconf_parse(const char *text, struct keymap *km, struct uiconf *uc, char **errors);

/* Defaults, then the config file if there is one (1 when read).  Errors
 * (malloc'd, NULL when none) name the file and the lines. */
int uiconf_load(struct keymap *km, struct uiconf *uc, char **errors);

/* For the manual pages (man/mkdoc.c): the i-th key name key_parse knows
 * between < and > ("Enter"), the i-th colour role ("header"), the i-th
 * colour ("black"; "default" also works); NULL past the end. */
const char *keys_doc_name(size_t i);
const char *uiconf_doc_role(size_t i);
const char *uiconf_doc_color(size_t i);

/* The path of the config file ($XDG_CONFIG_HOME or ~/.config), malloc'd. */
char *uiconf_path(void);

#endif
