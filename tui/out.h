/* tui/out.h: the one way ddtree writes text to stdout and stderr.
 *
 * Everything written here passes the sanitiser (tui/text.h) after it is
 * formatted, keeping only the newlines and tabs: however a caller builds its
 * text, no byte that came from outside (a server's answer or error code, an
 * item, a file, a credential helper) can act on the terminal.  Callers still
 * sanitise each database field on its own (text_sanitize_line, cli_put_text)
 * so that a newline inside a value cannot start a line of its own; this is
 * the net under them.  Printable ASCII goes out untouched (the fast path for
 * JSON lines), so sanitised text passes unchanged.  Write whole UTF-8
 * characters: each call is sanitised on its own.
 *
 * Nothing else in tui/ names stdout or stderr (tests/e2e/e2e-hostile-server.sh
 * checks the sources).  The browser draws through ncurses (ui.c draw_text,
 * sanitised too); only its few messages before or after the screen come
 * here. */
#ifndef DDTREE_TUI_OUT_H
#define DDTREE_TUI_OUT_H

#include <stddef.h>

/* stdout */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_puts(const char *s);                /* no newline added (fputs) */
void out_line(const char *s);                /* s and a newline (puts) */
void out_write(const char *s, size_t n);     /* n bytes, NULs included */
void out_putc(char c);
/* fflush(stdout): 0, or EOF when the output failed */
int out_flush(void);

/* stderr */
void out_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A progress line on stderr that the next one overwrites: "\r", the text
 * (one line: a newline in it shows as "^J"), flushed.  out_progress_clear
 * wipes it ("\r" and erase to the end of the line).  These two are the only
 * terminal controls ddtree writes to stdout or stderr. */
void out_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_progress_clear(void);

#endif
