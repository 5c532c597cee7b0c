/* tui/columns.h: a table's columns fitted to a pane's width, and its rows
 * laid out in them.  Pure (no curses). */
#ifndef DDTREE_TUI_COLUMNS_H
#define DDTREE_TUI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct column {
	const char *title;
	int max;        /* at most this many columns (0: no limit) */
	bool flex;      /* the variable text column: it takes what is left, and is cut */
	bool right;     /* aligned right (numbers) */
	bool optional;  /* left out when the flexible column would have fewer than
	                   COLUMN_FLEX_MIN columns */
};

/* The gap between two columns. */
#define COLUMN_GAP 1
#define COLUMN_FLEX_MIN 24

/* Widths w[0..n) for a pane `width` columns wide, each column as wide as
 * the widest of its cells need[] (its title included, at most its max); the
 * flexible column (at most one) takes the rest, at least its title.  When
 * even that does not fit, the columns after the first lose what they must,
 * from the right (a column may go to 0: it is left out). */
void columns_fit(const struct column *c, size_t n, const int *need, int width, int *w);
/* One row: each cell (sanitised text, NULL for empty) cut or padded to its
 * width, COLUMN_GAP spaces between the columns shown; the last column is
 * not padded. */
void columns_row(char *buf, size_t len, const struct column *c, size_t n, const int *w,
                 const char *const *cells);
/* The header row: the columns' titles. */
void columns_header(char *buf, size_t len, const struct column *c, size_t n, const int *w);
/* One line of text for a preview, in out (size len): newlines shown as
 * U+23CE (utf8) or a space, tabs expanded to the next multiple of 8,
 * carriage returns dropped; first_line: only the text before the first
 * newline.  Other controls are left to the caller's sanitising. */
void columns_preview(char *out, size_t len, const char *s, bool utf8, bool first_line);
/* The locale's characters are UTF-8 (else ASCII stands in for symbols). */
bool columns_utf8(void);

#endif
