/* tui/text.c: sanitising and measuring text from the database. */
#include "ddconfig.h"

#include "aws/util.h"
#include "tui/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

char *text_sanitize(const char *s, size_t len, int keep_nl)
{
	/* worst case: every byte becomes "<U+FFFD>"-sized text */
	size_t cap = len * 8 + 1;
	char *out = util_xmalloc(cap), *o = out;
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned cp = *p;
		int n = cp < 0x80 ? 1 : text_utf8_decode(p, (size_t)(end - p), &cp);
		if (!n) {
			memcpy(o, "\xEF\xBF\xBD", 3);   /* U+FFFD */
			o += 3;
			p++;
			continue;
		}
		if (keep_nl && (cp == '\n' || cp == '\t')) {
			*o++ = (char)cp;
		} else if (cp < 0x20 || cp == 0x7F) {
			*o++ = '^';
			*o++ = cp == 0x7F ? '?' : (char)(cp + 0x40);
		} else if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp)) {
			o += sprintf(o, "<U+%04X>", cp);
		} else {
			memcpy(o, p, (size_t)n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

bool text_is_plain(const char *s, size_t len, int keep_nl)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++)
		if ((p[i] < 0x20 || p[i] >= 0x7F) && !(keep_nl && (p[i] == '\n' || p[i] == '\t')))
			return false;
	return true;
}

char *text_sanitize_line(const char *s)
{
	return text_sanitize(s ? s : "", s ? strlen(s) : 0, 0);
}

static int cp_width(unsigned cp)
{
	int w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;   /* unknown to the locale: assume one column */
	return w;
}

size_t text_fit(const char *s, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	int w = 0;
	while (i < n) {
		unsigned cp = p[i];
		int l = cp < 0x80 ? 1 : text_utf8_decode(p + i, n - i, &cp);
		if (!l) {
			l = 1;
			cp = 0xFFFD;
		}
		int cw = cp_width(cp);
		if (w + cw > cols)
			break;
		w += cw;
		i += (size_t)l;
	}
	if (used)
		*used = w;
	return i;
}

int text_width(const char *s)
{
	int w;
	text_fit(s, 1 << 30, &w);
	return w;
}

void text_pad(char *out, size_t outlen, const char *s, int cols)
{
	size_t used = strlen(out);
	int w;
	size_t n = text_fit(s ? s : "", cols, &w);
	if (used + n + (size_t)(cols - w) + 1 > outlen)
		return;
	memcpy(out + used, s, n);
	used += n;
	for (; w < cols; w++)
		out[used++] = ' ';
	out[used] = '\0';
}

size_t text_utf8_prev(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
		;
	return i;
}

size_t text_utf8_next(const char *s, size_t len, size_t i)
{
	if (i < len)
		i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

char *text_vfmt_line(const char *fmt, va_list ap)
{
	char *raw = util_xvasprintf(fmt, ap);
	char *safe = text_sanitize_line(raw);
	free(raw);
	return safe;
}
