/* tui/text.c: sanitising and measuring text from the database. */
#include "ddconfig.h"

#include "tui/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int text_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (!n)
		return 0;
	unsigned c = s[0];
	int len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

char *text_sanitize(const char *s, size_t len, int keep_nl)
{
	/* worst case: every byte becomes "<U+FFFD>"-sized text */
	size_t cap = len * 8 + 1;
	char *out = malloc(cap), *o = out;
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned cp;
		int n = text_utf8_decode(p, (size_t)(end - p), &cp);
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
		unsigned cp;
		int l = text_utf8_decode(p + i, n - i, &cp);
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
	char *raw = NULL;
	if (vasprintf(&raw, fmt, ap) < 0)
		raw = NULL;
	char *safe = text_sanitize_line(raw ? raw : "");
	free(raw);
	return safe;
}
