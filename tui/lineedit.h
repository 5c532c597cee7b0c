/* tui/lineedit.h: one UTF-8 line editor for every text field (the ':'
 * and '/' prompts, the feedback comment box): pure, no curses calls, unit
 * tested.  Keys are curses' codes; Alt-x is KEY_ALT(x) (tui/keys.h).
 *
 *   Left Right Home End (Ctrl-A Ctrl-E)   move; Alt-b Alt-f: a word back / on
 *   Backspace Delete                      a character (UTF-8) before / at the cursor
 *   Ctrl-U Ctrl-K                         delete to the start / the end of the line
 *   Ctrl-W                                delete the word before the cursor
 *   Enter, Up, Down                       multi-line only: a new line, line up / down
 *   bytes 32-255                          inserted (UTF-8 comes byte by byte) */
#ifndef DDTREE_TUI_LINEEDIT_H
#define DDTREE_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct lineedit {
	char *text;          /* UTF-8, always NUL-terminated */
	size_t len, cap;
	size_t cur;          /* the cursor, a byte offset */
	size_t max;          /* the longest text in bytes; 0: no limit */
	bool multiline;      /* Enter inserts a newline; Up and Down change lines */
};

enum lineedit_result {
	LINEEDIT_NONE,       /* not an editing key: the caller's (Esc, Tab, Enter on one line...) */
	LINEEDIT_MOVED,      /* the cursor moved (or the key did nothing here) */
	LINEEDIT_CHANGED,    /* the text changed */
};

/* An empty editor. */
void lineedit_init(struct lineedit *e, bool multiline, size_t max);
void lineedit_free(struct lineedit *e);
/* Replace the text (NULL: empty); the cursor goes to its end. */
void lineedit_set(struct lineedit *e, const char *s);
/* Insert n bytes at the cursor (cut at e->max). */
void lineedit_insert(struct lineedit *e, const char *s, size_t n);
/* One key. */
enum lineedit_result lineedit_key(struct lineedit *e, int ch);

#endif
