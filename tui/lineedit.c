/* tui/lineedit.c: the line editor of every text field. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/lineedit.h"
#include "tui/keys.h"
#include "tui/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

void lineedit_init(struct lineedit *e, bool multiline, size_t max)
{
	memset(e, 0, sizeof *e);
	e->multiline = multiline;
	e->max = max;
	e->cap = 64;
	e->text = util_xcalloc(1, e->cap);
}

void lineedit_free(struct lineedit *e)
{
	free(e->text);
	e->text = NULL;
	e->len = e->cap = e->cur = 0;
}

void lineedit_insert(struct lineedit *e, const char *s, size_t n)
{
	if (e->max && e->len + n > e->max)
		n = e->len < e->max ? e->max - e->len : 0;
	if (e->len + n + 1 > e->cap) {
		e->cap = (e->len + n + 1) * 2;
		e->text = util_xrealloc(e->text, e->cap);
	}
	memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
	memcpy(e->text + e->cur, s, n);
	e->len += n;
	e->cur += n;
}

void lineedit_set(struct lineedit *e, const char *s)
{
	e->len = e->cur = 0;
	e->text[0] = '\0';
	if (s)
		lineedit_insert(e, s, strlen(s));
}

/* Delete the bytes from `from` to `to` (from <= to); the cursor goes to `from`. */
static void cut(struct lineedit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
}

/* Line starts. */
static size_t line_start(const char *s, size_t i)
{
	while (i > 0 && s[i - 1] != '\n')
		i--;
	return i;
}

static size_t line_end(const struct lineedit *e, size_t i)
{
	const char *nl = memchr(e->text + i, '\n', e->len - i);
	return nl ? (size_t)(nl - e->text) : e->len;
}

/* The same column (in characters) on the line above (dir < 0) or below. */
static void vertical(struct lineedit *e, int dir)
{
	size_t ls = line_start(e->text, e->cur);
	size_t col = 0;
	for (size_t i = ls; i < e->cur; i = text_utf8_next(e->text, e->len, i))
		col++;
	size_t target;
	if (dir < 0) {
		if (!ls)
			return;
		target = line_start(e->text, ls - 1);
	} else {
		const char *nl = memchr(e->text + e->cur, '\n', e->len - e->cur);
		if (!nl)
			return;
		target = (size_t)(nl - e->text) + 1;
	}
	size_t i = target;
	for (size_t c = 0; c < col && i < e->len && e->text[i] != '\n'; c++)
		i = text_utf8_next(e->text, e->len, i);
	e->cur = i;
}

/* Words for Alt-b and Alt-f are letters and digits (any non-ASCII
 * character counts as a letter), as readline's; Ctrl-W's end at spaces. */
static bool word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t word_back(const struct lineedit *e, size_t i)
{
	while (i > 0 && !word_byte((unsigned char)e->text[i - 1]))
		i--;
	while (i > 0 && word_byte((unsigned char)e->text[i - 1]))
		i--;
	return i;
}

static size_t word_forward(const struct lineedit *e, size_t i)
{
	while (i < e->len && !word_byte((unsigned char)e->text[i]))
		i++;
	while (i < e->len && word_byte((unsigned char)e->text[i]))
		i++;
	return i;
}

static size_t rubout_start(const struct lineedit *e, size_t i)
{
	while (i > 0 && space_byte((unsigned char)e->text[i - 1]))
		i--;
	while (i > 0 && !space_byte((unsigned char)e->text[i - 1]))
		i--;
	return i;
}

enum lineedit_result lineedit_key(struct lineedit *e, int ch)
{
	size_t was = e->len;
	switch (ch) {
	case KEY_LEFT: e->cur = text_utf8_prev(e->text, e->cur); break;
	case KEY_RIGHT: e->cur = text_utf8_next(e->text, e->len, e->cur); break;
	case KEY_HOME: case 1: /* Ctrl-A */ e->cur = line_start(e->text, e->cur); break;
	case KEY_END: case 5: /* Ctrl-E */ e->cur = line_end(e, e->cur); break;
	case KEY_ALT('b'): e->cur = word_back(e, e->cur); break;
	case KEY_ALT('f'): e->cur = word_forward(e, e->cur); break;
	case KEY_BACKSPACE: case 127: case 8:
		if (e->cur)
			cut(e, text_utf8_prev(e->text, e->cur), e->cur);
		break;
	case KEY_DC:
		if (e->cur < e->len)
			cut(e, e->cur, text_utf8_next(e->text, e->len, e->cur));
		break;
	case 21: /* Ctrl-U */ cut(e, line_start(e->text, e->cur), e->cur); break;
	case 11: /* Ctrl-K */ cut(e, e->cur, line_end(e, e->cur)); break;
	case 23: /* Ctrl-W */ cut(e, rubout_start(e, e->cur), e->cur); break;
	case '\n': case '\r': case KEY_ENTER:
		if (!e->multiline)
			return LINEEDIT_NONE;
		lineedit_insert(e, "\n", 1);
		break;
	case KEY_UP: case KEY_DOWN:
		if (!e->multiline)
			return LINEEDIT_NONE;
		vertical(e, ch == KEY_UP ? -1 : 1);
		break;
	default:
		if (ch >= 32 && ch < 256 && ch != 127) {
			char b = (char)ch;   /* UTF-8 arrives byte by byte; pastes too */
			lineedit_insert(e, &b, 1);
			break;
		}
		return LINEEDIT_NONE;
	}
	/* every change changes the length (an insertion at the limit none) */
	return e->len != was ? LINEEDIT_CHANGED : LINEEDIT_MOVED;
}
