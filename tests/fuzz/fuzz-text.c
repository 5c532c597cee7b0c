/* tests/fuzz/fuzz-text.c: the terminal text sanitiser (tui/text.h).
 *
 * Input: any bytes, as text read from the database.
 * Properties checked:
 *   - text_sanitize output is valid UTF-8 with no C0 control (except \n and
 *     \t when keep_nl), no DEL, no C1 control (U+0080..U+009F) and no
 *     bidirectional override; for ASCII input it is exactly the caret
 *     notation of the input; sanitising it again changes nothing;
 *   - text_sanitize_line(s) is text_sanitize(s, strlen(s), 0);
 *   - text_is_plain (tui/out.c's fast path, which writes the input as it is)
 *     says yes only when text_sanitize would return the input unchanged, and
 *     always does for printable ASCII;
 *   - text_utf8_decode agrees with an independent strict decoder;
 *   - text_fit never cuts inside a UTF-8 sequence, never exceeds the width
 *     asked for, reports the width of the prefix it returns, and stops only
 *     where the next character would not fit. */
#include "fuzz.h"

#include <locale.h>
#include <stdbool.h>

#include "tui/text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the browser runs in the user's (UTF-8) locale: wcwidth then knows
	 * wide and combining characters */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "en_US.UTF-8");
	return 0;
}

/* Strict UTF-8 (RFC 3629): bytes used (1..4), 0 if invalid or truncated. */
static int ref_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (!n)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	unsigned lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c == 0xE0)
		len = 3, lo = 0xA0;
	else if (c >= 0xE1 && c <= 0xEC)
		len = 3;
	else if (c == 0xED)
		len = 3, hi = 0x9F;
	else if (c >= 0xEE && c <= 0xEF)
		len = 3;
	else if (c == 0xF0)
		len = 4, lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		len = 4;
	else if (c == 0xF4)
		len = 4, hi = 0x8F;
	else
		return 0;
	if ((size_t)len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (int i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	unsigned v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (int i = 1; i < len; i++)
		v = (v << 6) | (s[i] & 0x3F);
	*cp = v;
	return len;
}

static bool is_bidi(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Safe for a terminal: valid UTF-8, no control of any kind. */
static void check_clean(const char *out, int keep_nl, const uint8_t *in, size_t in_len)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t n = strlen(out);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int l = ref_decode(s + i, n - i, &cp);
		FUZZ_CHECK(l > 0, "invalid UTF-8 at byte %zu of the output for input \"%s\"", i,
		           fuzz_show(in, in_len));
		if (keep_nl && (cp == '\n' || cp == '\t')) {
			/* kept on purpose */
		} else {
			FUZZ_CHECK(cp >= 0x20 && cp != 0x7F,
			           "control 0x%02X in the output (keep_nl %d) for input \"%s\"", cp,
			           keep_nl, fuzz_show(in, in_len));
		}
		FUZZ_CHECK(cp < 0x80 || cp > 0x9F, "C1 control U+%04X in the output for input \"%s\"",
		           cp, fuzz_show(in, in_len));
		FUZZ_CHECK(!is_bidi(cp), "bidi control U+%04X in the output for input \"%s\"", cp,
		           fuzz_show(in, in_len));
		i += (size_t)l;
	}
}

/* For ASCII input the output is known exactly. */
static void check_ascii(const uint8_t *in, size_t len, int keep_nl, const char *out)
{
	for (size_t i = 0; i < len; i++)
		if (in[i] >= 0x80)
			return;
	char *want = malloc(len * 2 + 1), *w = want;
	if (!want)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = in[i];
		if (keep_nl && (c == '\n' || c == '\t')) {
			*w++ = (char)c;
		} else if (c < 0x20 || c == 0x7F) {
			*w++ = '^';
			*w++ = c == 0x7F ? '?' : (char)(c + 0x40);
		} else {
			*w++ = (char)c;
		}
	}
	*w = '\0';
	FUZZ_CHECK(!strcmp(want, out), "ASCII input \"%s\" sanitised to \"%s\"", fuzz_show(in, len),
	           fuzz_show(out, strlen(out)));
	free(want);
}

/* Byte offsets where a character starts, walking as a terminal would
 * (an invalid byte is one replacement character). */
static bool on_boundary(const char *s, size_t at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < at && i < n) {
		unsigned cp;
		int l = ref_decode(p + i, n - i, &cp);
		i += l ? (size_t)l : 1;
	}
	return i == at;
}

static void check_fit(const char *s, int cols, bool valid)
{
	size_t n = strlen(s);
	int used = -12345;
	size_t i = text_fit(s, cols, &used);
	FUZZ_CHECK(i <= n, "text_fit returned %zu for a %zu-byte string", i, n);
	FUZZ_CHECK(used >= 0 && used <= (cols > 0 ? cols : 0),
	           "text_fit(\"%s\", %d) used %d columns", fuzz_show(s, n), cols, used);
	FUZZ_CHECK(on_boundary(s, i), "text_fit(\"%s\", %d) cut at byte %zu, inside a character",
	           fuzz_show(s, n), cols, i);
	FUZZ_CHECK(text_fit(s, cols, NULL) == i, "text_fit with used NULL differs");

	char *prefix = fuzz_strndup(s, i);
	int pw = text_width(prefix);
	FUZZ_CHECK(pw == used, "text_fit(\"%s\", %d) says %d columns, the prefix is %d wide",
	           fuzz_show(s, n), cols, used, pw);
	free(prefix);

	if (i < n && valid) {
		/* it stopped because the next character is too wide */
		unsigned cp;
		int l = ref_decode((const unsigned char *)s + i, n - i, &cp);
		FUZZ_CHECK(l > 0, "valid text, yet no character at byte %zu", i);
		char *next = fuzz_strndup(s + i, (size_t)l);
		int nw = text_width(next);
		FUZZ_CHECK(used + nw > cols, "text_fit(\"%s\", %d) stopped at byte %zu (%d columns) "
		           "though the next character is %d wide", fuzz_show(s, n), cols, i, used, nw);
		free(next);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the decoder against the reference, at every offset */
	for (size_t i = 0; i < size; i++) {
		unsigned a = 0, b = 0;
		int la = text_utf8_decode(data + i, size - i, &a);
		int lb = ref_decode(data + i, size - i, &b);
		FUZZ_CHECK(la == lb && (!la || a == b),
		           "text_utf8_decode(\"%s\") = %d (U+%04X), expected %d (U+%04X)",
		           fuzz_show(data + i, size - i < 4 ? size - i : 4), la, la ? a : 0, lb,
		           lb ? b : 0);
	}

	char *clean[2];
	for (int keep_nl = 0; keep_nl <= 1; keep_nl++) {
		char *out = text_sanitize((const char *)data, size, keep_nl);
		FUZZ_CHECK(out != NULL, "text_sanitize returned NULL");
		check_clean(out, keep_nl, data, size);
		check_ascii(data, size, keep_nl, out);
		char *again = text_sanitize(out, strlen(out), keep_nl);
		FUZZ_CHECK(again && !strcmp(again, out), "sanitising \"%s\" twice changes it",
		           fuzz_show(data, size));
		free(again);
		bool ascii = true;   /* printable ASCII, and \n \t when keep_nl */
		for (size_t i = 0; i < size; i++)
			if ((data[i] < 0x20 || data[i] >= 0x7F) &&
			    !(keep_nl && (data[i] == '\n' || data[i] == '\t')))
				ascii = false;
		bool plain = text_is_plain((const char *)data, size, keep_nl);
		FUZZ_CHECK(plain == ascii, "text_is_plain(\"%s\", %d) = %d", fuzz_show(data, size),
		           keep_nl, plain);
		FUZZ_CHECK(!plain || (strlen(out) == size && !memcmp(out, data, size)),
		           "text_is_plain(\"%s\", %d), yet sanitising changes it", fuzz_show(data, size),
		           keep_nl);
		clean[keep_nl] = out;
	}

	/* as a C string (up to the first NUL) */
	char *cstr = fuzz_strndup(data, size);
	char *line = text_sanitize_line(cstr);
	char *ref = text_sanitize(cstr, strlen(cstr), 0);
	FUZZ_CHECK(line && ref && !strcmp(line, ref), "text_sanitize_line differs from text_sanitize");
	free(line);
	free(ref);
	char *null_line = text_sanitize_line(NULL);
	FUZZ_CHECK(null_line && !*null_line, "text_sanitize_line(NULL) is not \"\"");
	free(null_line);

	/* widths: on sanitised text, and on the raw bytes (a caller may forget
	 * to sanitise; it must still not crash nor cut a character) */
	int widths[] = {-1, 0, 1, 2, 3, 5, 8, 80, size ? data[0] % 40 : 7, 1 << 30};
	const char *texts[] = {clean[0], clean[1], cstr};
	for (size_t t = 0; t < 3; t++) {
		int w = text_width(texts[t]);
		FUZZ_CHECK(w >= 0, "negative width %d", w);
		for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++)
			check_fit(texts[t], widths[k], t < 2);
		check_fit(texts[t], w, t < 2);
		if (w > 0)
			check_fit(texts[t], w - 1, t < 2);
		int used = 0;
		FUZZ_CHECK(text_fit(texts[t], w, &used) == strlen(texts[t]) && used == w,
		           "text_fit at the full width %d does not take the whole string", w);
	}

	free(cstr);
	free(clean[0]);
	free(clean[1]);
	return 0;
}
