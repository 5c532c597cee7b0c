/* model/jsontext.c: the JSON writer and the exact-number parser (see
 * jsontext.h). */
#include "ddconfig.h"

#include "aws/util.h"
#include "model/jsontext.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MARK '\xFF'

/* ---- exact numbers ------------------------------------------------------------ */

/* s[0..n) is exactly one JSON number: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
static bool is_json_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return false;
	}
	return i == n;
}

static json_t *exact_new(const char *text, size_t len)
{
	char *b = util_xrealloc(NULL, len + 1);
	b[0] = EXACT_MARK;
	memcpy(b + 1, text, len);
	json_t *v = json_stringn_nocheck(b, len + 1);
	free(b);
	if (!v)
		abort();
	return v;
}

json_t *jsontext_number(const char *text)
{
	if (!text)
		return NULL;
	const char *s = text;
	bool neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	size_t ni = strspn(s, "0123456789");
	const char *frac = s + ni;
	size_t nf = 0;
	bool dot = *frac == '.';
	if (dot)
		nf = strspn(frac + 1, "0123456789");
	if (!ni && !nf)
		return NULL;
	const char *ex = frac + (dot ? 1 + nf : 0);
	size_t ne = 0;
	if (*ex == 'e' || *ex == 'E') {
		size_t k = 1 + (ex[1] == '+' || ex[1] == '-');
		size_t d = strspn(ex + k, "0123456789");
		if (!d)
			return NULL;
		ne = k + d;
	}
	if (ex[ne])
		return NULL;
	/* the integer part without leading zeros, "0" when none is left */
	const char *ip = s;
	while (ni > 1 && *ip == '0') {
		ip++;
		ni--;
	}
	size_t len = strlen(text);
	char *b = util_xrealloc(NULL, len + 3);
	size_t n = 0;
	if (neg)
		b[n++] = '-';
	if (ni) {
		memcpy(b + n, ip, ni);
		n += ni;
	} else {
		b[n++] = '0';
	}
	if (nf) {
		b[n++] = '.';
		memcpy(b + n, frac + 1, nf);
		n += nf;
	}
	memcpy(b + n, ex, ne);
	n += ne;
	json_t *v = exact_new(b, n);
	free(b);
	return v;
}

const char *jsontext_number_text(const json_t *v)
{
	const char *s = json_string_value(v);
	return s && s[0] == EXACT_MARK ? s + 1 : NULL;
}

bool jsontext_is_number(const json_t *v)
{
	return json_is_number(v) || jsontext_number_text(v);
}

bool jsontext_is_string(const json_t *v)
{
	return json_is_string(v) && !jsontext_number_text(v);
}

/* ---- writing ------------------------------------------------------------------ */

struct out {
	char *p;
	size_t n, cap;
	size_t flags;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->cap - o->n < n + 1) {
		size_t cap = o->cap ? o->cap : 256;
		while (cap - o->n < n + 1)
			cap *= 2;
		o->p = util_xrealloc(o->p, cap);
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putc_(struct out *o, char c)
{
	put(o, &c, 1);
}

/* One code point of UTF-8 at *p; -1 for a byte that does not start a valid
 * sequence (overlong, surrogate, beyond U+10FFFF, cut short), which is then
 * skipped alone. */
static long utf8_next(const unsigned char **p, const unsigned char *end)
{
	unsigned cp;
	int n = util_utf8_decode(*p, (size_t)(end - *p), &cp);
	*p += n ? n : 1;
	return n ? (long)cp : -1;
}

static void put_u(struct out *o, unsigned cp)
{
	char b[8];
	snprintf(b, sizeof b, (o->flags & JT_PYTHON) ? "\\u%04x" : "\\u%04X", cp);
	put(o, b, 6);
}

static void put_string(struct out *o, const char *str, size_t len)
{
	bool ascii = o->flags & (JT_ENSURE_ASCII | JT_PYTHON);
	const unsigned char *p = (const unsigned char *)str, *end = p + len;
	putc_(o, '"');
	while (p < end) {
		/* a run that goes out as it is */
		const unsigned char *run = p;
		while (p < end && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			put(o, (const char *)run, (size_t)(p - run));
		if (p >= end)
			break;
		const unsigned char *at = p;
		long cp = utf8_next(&p, end);
		bool bad = cp < 0;
		if (bad)
			cp = 0xFFFD;
		switch (cp) {
		case '"': puts_(o, "\\\""); break;
		case '\\': puts_(o, "\\\\"); break;
		case '\n': puts_(o, "\\n"); break;
		case '\r': puts_(o, "\\r"); break;
		case '\t': puts_(o, "\\t"); break;
		case '\b': puts_(o, "\\b"); break;
		case '\f': puts_(o, "\\f"); break;
		default:
			if (cp < 0x20 || (ascii && cp < 0x10000))
				put_u(o, (unsigned)cp);
			else if (ascii) {
				put_u(o, 0xD800 + (((unsigned)cp - 0x10000) >> 10));
				put_u(o, 0xDC00 + (((unsigned)cp - 0x10000) & 0x3FF));
			} else if (bad)
				puts_(o, "\xef\xbf\xbd");
			else
				put(o, (const char *)at, (size_t)(p - at));
		}
	}
	putc_(o, '"');
}

/* repr(float): the shortest digits that read back the same, in fixed
 * notation for exponents -4..15, else d.ddde+XX. */
static void put_real(struct out *o, double d)
{
	bool py = o->flags & JT_PYTHON;
	if (isnan(d)) {
		puts_(o, py ? "NaN" : "null");
		return;
	}
	if (isinf(d)) {
		puts_(o, !py ? "null" : d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	char buf[64];
	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof buf, "%.*e", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	/* buf: [-]D[.DDD]e[+-]XX */
	char digits[32];
	size_t nd = 0;
	const char *c = buf;
	bool neg = *c == '-';
	if (neg)
		c++;
	for (; *c && *c != 'e'; c++)
		if (*c != '.')
			digits[nd++] = *c;
	digits[nd] = '\0';
	int exp = atoi(c + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	char tmp[64];
	if (neg)
		putc_(o, '-');
	if (exp < -4 || exp >= 16) {
		putc_(o, digits[0]);
		if (nd > 1) {
			putc_(o, '.');
			puts_(o, digits + 1);
		}
		snprintf(tmp, sizeof tmp, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		puts_(o, tmp);
	} else if (exp < 0) {
		puts_(o, "0.");
		for (int i = -1; i > exp; i--)
			putc_(o, '0');
		puts_(o, digits);
	} else {
		for (int i = 0; i <= exp; i++)
			putc_(o, i < (int)nd ? digits[i] : '0');
		putc_(o, '.');
		puts_(o, (int)nd > exp + 1 ? digits + exp + 1 : "0");
	}
}

static void put_exact(struct out *o, const char *t, size_t n)
{
	if (!is_json_number(t, n)) {   /* not made by jsontext_number: a string */
		put_string(o, t - 1, n + 1);
		return;
	}
	if (!(o->flags & JT_PYTHON))
		put(o, t, n);
	else if (strcspn(t, ".eE") < n)
		put_real(o, strtod(t, NULL));   /* Python reads it as a float */
	else if (n == 2 && !memcmp(t, "-0", 2))
		put(o, "0", 1);                 /* and this as an int, of any size */
	else
		put(o, t, n);
}

static void newline(struct out *o, size_t depth)
{
	size_t ind = JT_INDENT(o->flags);
	if (!ind)
		return;
	putc_(o, '\n');
	for (size_t i = 0; i < depth * ind; i++)
		putc_(o, ' ');
}

struct key {
	const char *k;
	size_t len;
	json_t *v;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t m = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->k, y->k, m);
	return r ? r : (x->len > y->len) - (x->len < y->len);
}

static void put_value(struct out *o, const json_t *v, size_t depth)
{
	bool compact = o->flags & JT_COMPACT;
	bool spaced = !compact && !JT_INDENT(o->flags);
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		if (!n) {
			puts_(o, "{}");
			break;
		}
		struct key *keys = util_xcalloc(n, sizeof *keys);
		size_t k = 0;
		const char *key;
		size_t klen;
		json_t *x;
		json_object_keylen_foreach((json_t *)v, key, klen, x)
			if (k < n)
				keys[k++] = (struct key){key, klen, x};
		if (o->flags & JT_SORT_KEYS)
			qsort(keys, k, sizeof *keys, key_cmp);
		putc_(o, '{');
		newline(o, depth + 1);
		for (size_t i = 0; i < k; i++) {
			put_string(o, keys[i].k, keys[i].len);
			puts_(o, compact ? ":" : ": ");
			put_value(o, keys[i].v, depth + 1);
			if (i + 1 < k) {
				puts_(o, spaced ? ", " : ",");
				newline(o, depth + 1);
			} else {
				newline(o, depth);
			}
		}
		putc_(o, '}');
		free(keys);
		break;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(v);
		if (!n) {
			puts_(o, "[]");
			break;
		}
		putc_(o, '[');
		newline(o, depth + 1);
		for (size_t i = 0; i < n; i++) {
			put_value(o, json_array_get(v, i), depth + 1);
			if (i + 1 < n) {
				puts_(o, spaced ? ", " : ",");
				newline(o, depth + 1);
			} else {
				newline(o, depth);
			}
		}
		putc_(o, ']');
		break;
	}
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (n && s[0] == EXACT_MARK)
			put_exact(o, s + 1, n - 1);
		else
			put_string(o, s, n);
		break;
	}
	case JSON_INTEGER: {
		char b[32];
		snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		puts_(o, b);
		break;
	}
	case JSON_REAL:
		put_real(o, json_real_value(v));
		break;
	case JSON_TRUE: puts_(o, "true"); break;
	case JSON_FALSE: puts_(o, "false"); break;
	default: puts_(o, "null"); break;
	}
}

char *jsontext_dumps(const json_t *v, size_t flags)
{
	if (!v)
		return NULL;
	struct out o = {.flags = flags};
	put_value(&o, v, 0);
	return o.p;
}

/* ---- reading ------------------------------------------------------------------ */

static bool has_numbers(const json_t *v)
{
	size_t i;
	const char *k;
	json_t *x;
	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL:
		return true;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, x)
			if (has_numbers(x))
				return true;
		return false;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			if (has_numbers(x))
				return true;
		return false;
	default:
		return false;
	}
}

/* The text with every value string prefixed by 's' and every number turned
 * into a string prefixed by 'n' (object keys as they are), or NULL when a
 * number or string is malformed.  Then each string of the parsed tree says
 * what it was. */
static char *tag_values(const char *text)
{
	struct out o = {0};
	const char *p = text;
	while (*p) {
		if (*p == '"') {
			const char *q = p + 1;
			while (*q && *q != '"')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			if (!*q)
				goto bad;
			const char *after = q + 1;
			after += strspn(after, " \t\r\n");
			if (*after == ':') {
				put(&o, p, (size_t)(q + 1 - p));
			} else {
				put(&o, "\"s", 2);
				put(&o, p + 1, (size_t)(q + 1 - (p + 1)));
			}
			p = q + 1;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			size_t n = strspn(p, "0123456789+-.eE");
			if (!is_json_number(p, n))
				goto bad;
			put(&o, "\"n", 2);
			put(&o, p, n);
			putc_(&o, '"');
			p += n;
		} else {
			size_t n = strcspn(p, "\"-0123456789");
			put(&o, p, n);
			p += n;
		}
	}
	if (!o.p)
		put(&o, "", 0);
	return o.p;
bad:
	free(o.p);
	return NULL;
}

static void untag(json_t *v)
{
	size_t i;
	const char *k;
	json_t *x;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, k, x)
			untag(x);
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			untag(x);
		break;
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (!n)
			break;
		if (s[0] == 'n') {
			char *b = util_xrealloc(NULL, n);
			b[0] = EXACT_MARK;
			memcpy(b + 1, s + 1, n - 1);
			json_string_setn_nocheck(v, b, n);
			free(b);
		} else {
			json_string_setn_nocheck(v, s + 1, n - 1);
		}
		break;
	}
	default:
		break;
	}
}

json_t *jsontext_loads(const char *text, size_t flags, json_error_t *e)
{
	json_error_t local;
	if (!e)
		e = &local;
	json_t *v = json_loads(text, flags, e);
	if (v && !has_numbers(v))
		return v;
	/* jansson gives up on an integer beyond 64 bits and a real beyond
	 * double's range; Python reads both, and so does this */
	if (!v && json_error_code(e) != json_error_numeric_overflow)
		return NULL;
	bool parsed = v != NULL;
	json_decref(v);
	char *tagged = tag_values(text);
	if (!tagged) {
		if (parsed)   /* cannot be: jansson read the numbers */
			snprintf(e->text, sizeof e->text, "invalid number");
		return NULL;
	}
	/* an error now is one jansson did not reach before the overflow (its
	 * column counts the tags) */
	v = json_loads(tagged, flags, e);
	free(tagged);
	if (v)
		untag(v);
	return v;
}
