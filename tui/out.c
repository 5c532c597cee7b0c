/* tui/out.c: all text on stdout and stderr, sanitised at the boundary. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/out.h"
#include "tui/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n bytes of s on f, made safe for a terminal (newlines and tabs kept, or
 * with one_line shown as "^J"/"^I"). */
static void emit(FILE *f, const char *s, size_t n, int one_line)
{
	if (!n)
		return;
	if (text_is_plain(s, n, !one_line)) {
		fwrite(s, 1, n, f);
		return;
	}
	char *m = text_sanitize(s, n, !one_line);
	if (m)   /* a NUL became "^@": m is a C string */
		fputs(m, f);
	free(m);
}

static void emit_vfmt(FILE *f, int one_line, const char *fmt, va_list ap)
{
	char *s = util_vfmt(fmt, ap);
	if (s)
		emit(f, s, strlen(s), one_line);
	free(s);
}

void out_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_vfmt(stdout, 0, fmt, ap);
	va_end(ap);
}

void out_puts(const char *s)
{
	if (s)
		emit(stdout, s, strlen(s), 0);
}

void out_line(const char *s)
{
	out_puts(s);
	emit(stdout, "\n", 1, 0);
}

void out_write(const char *s, size_t n)
{
	emit(stdout, s, n, 0);
}

void out_putc(char c)
{
	emit(stdout, &c, 1, 0);
}

int out_flush(void)
{
	return fflush(stdout);
}

void out_eprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_vfmt(stderr, 0, fmt, ap);
	va_end(ap);
}

void out_progress(const char *fmt, ...)
{
	fputc('\r', stderr);
	va_list ap;
	va_start(ap, fmt);
	emit_vfmt(stderr, 1, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void out_progress_clear(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}
