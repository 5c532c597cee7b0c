/* tui/text.h: making database text safe and measurable for a terminal.
 * Pure functions (no curses), unit-tested and fuzzed. */
#ifndef DDTREE_TUI_TEXT_H
#define DDTREE_TUI_TEXT_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

#include "aws/util.h"

/* A copy of s (len bytes, may hold NULs) where nothing can act on the
 * terminal: C0 controls and DEL become caret notation (ESC -> "^[", NUL ->
 * "^@"), C1 controls and bidirectional overrides become "<U+XXXX>", invalid
 * UTF-8 bytes become U+FFFD.  Newlines and tabs are kept only if keep_nl. */
char *text_sanitize(const char *s, size_t len, int keep_nl);
/* Same for a NUL-terminated string, newlines shown as "^J". */
char *text_sanitize_line(const char *s);
/* True when text_sanitize(s, len, keep_nl) would return s unchanged because
 * it is all printable ASCII (newlines and tabs too if keep_nl): the fast
 * path of tui/out.c for the common case. */
bool text_is_plain(const char *s, size_t len, int keep_nl);

/* The start of the UTF-8 character before byte i of s (0 at the start),
 * and of the one after the character at i (len at the end). */
size_t text_utf8_prev(const char *s, size_t i);
size_t text_utf8_next(const char *s, size_t len, size_t i);

/* printf, then text_sanitize_line (a new string). */
char *text_vfmt_line(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Display width in terminal columns of sanitized UTF-8 text (wide characters
 * count 2, combining marks 0). */
int text_width(const char *s);

/* Byte length of the longest prefix of s that fits in `cols` columns;
 * *used gets its width. */
size_t text_fit(const char *s, int cols, int *used);

/* Append s to out (size outlen), cut or padded with spaces to exactly
 * `cols` display columns, never splitting a character.  s should be
 * sanitised text. */
void text_pad(char *out, size_t outlen, const char *s, int cols);

/* Decode one UTF-8 sequence; returns bytes used (1..4), or 0 if invalid
 * (then *cp is undefined).  n is the bytes available.  The decoder is
 * aws/util.h's util_utf8_decode; this is its name among the text functions. */
static inline int text_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	return util_utf8_decode(s, n, cp);
}

#endif
