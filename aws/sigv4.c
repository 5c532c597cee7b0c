/* aws/sigv4.c: AWS Signature Version 4 (Authorization-header form).
 *
 * Built on OpenSSL 3's one-shot SHA256() and HMAC(EVP_sha256()), which are not
 * deprecated.  The rules follow the official test suite in
 * tests/data/sigv4-testsuite/ (see /work/shared/AWS-CLIENT.md section 1).
 * Nothing here prints: every failure is a -1 return.
 */
#include "aws/sigv4.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#define ALGORITHM "AWS4-HMAC-SHA256"

/* ---- growable string -------------------------------------------------- */

/* Appends never fail on the spot: a failed allocation sets `failed`, and the
 * caller checks once at the end, which keeps the builders below short. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void sb_addn(struct sbuf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (n > SIZE_MAX - b->len - 1) {
		b->failed = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
		/* not realloc: the old block (the canonical request holds the
		 * session token) is wiped before it is freed */
		char *s = malloc(cap);
		if (!s) {
			b->failed = true;
			return;
		}
		if (b->s) {
			memcpy(s, b->s, b->len + 1);
			OPENSSL_cleanse(b->s, b->cap);
			free(b->s);
		}
		b->s = s;
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addc(struct sbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

/* The buffers may hold the session token: wipe before releasing. */
static void sb_free(struct sbuf *b)
{
	if (b->s) {
		OPENSSL_cleanse(b->s, b->cap);
		free(b->s);
	}
	memset(b, 0, sizeof *b);
}

/* Hand over the string (never NULL on success, "" when empty). */
static char *sb_take(struct sbuf *b)
{
	sb_addn(b, "", 0);
	if (b->failed) {
		sb_free(b);
		return NULL;
	}
	char *s = b->s;
	memset(b, 0, sizeof *b);
	return s;
}

/* ---- small helpers ---------------------------------------------------- */

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Locale-independent on purpose: isalnum() would follow setlocale(). */
static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static int hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A valid %XX escape at s[0..2]?  Returns the byte or -1. */
static int pct_escape(const char *s, size_t avail)
{
	if (avail < 3 || s[0] != '%')
		return -1;
	int hi = hex_val((unsigned char)s[1]), lo = hex_val((unsigned char)s[2]);
	return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

static void hex_lower(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/* ---- public hashing / encoding ---------------------------------------- */

void aws_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	static const unsigned char empty[1];

	/* SHA256() returns NULL only when OpenSSL cannot allocate; "" tells the
	 * caller, since the prototype has no status. */
	if (!SHA256(data ? data : empty, data ? len : 0, md)) {
		out[0] = '\0';
		return;
	}
	hex_lower(md, sizeof md, out);
}

static void uri_encode_into(struct sbuf *b, const char *s, size_t len, bool keep_slash)
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			sb_addc(b, (char)c);
		} else {
			char esc[3] = { '%', digits[c >> 4], digits[c & 15] };
			sb_addn(b, esc, 3);
		}
	}
}

char *aws_uri_encode(const char *s, size_t len, bool keep_slash)
{
	if (!s && len)
		return NULL;
	struct sbuf b = {0};
	uri_encode_into(&b, s ? s : "", len, keep_slash);
	return sb_take(&b);
}

/* ---- canonical URI ---------------------------------------------------- */

struct seg {
	const char *p;
	size_t n;
};

/* Non-S3: the path as sent is already percent-encoded once, and SigV4 encodes
 * it again ("double encoding"), so a literal %XX becomes %25XX while a path
 * with no escapes comes out encoded once.  Dot segments and empty segments go
 * first (RFC 3986 remove_dot_segments); a trailing "/", "/." or "/.." leaves a
 * trailing slash, as the normalize-path vectors expect. */
static int append_normalized_path(struct sbuf *b, const char *path)
{
	size_t len = strlen(path), cap = 1, top = 0;
	for (size_t i = 0; i < len; i++)
		cap += path[i] == '/';
	struct seg *st = calloc(cap, sizeof *st);
	if (!st)
		return -1;

	bool trailing = false;
	const char *s = path, *end = path + len;
	for (;;) {
		const char *e = memchr(s, '/', (size_t)(end - s));
		if (!e)
			e = end;
		size_t n = (size_t)(e - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			trailing = true;
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (top)
				top--;
			trailing = true;
		} else {
			st[top].p = s;
			st[top].n = n;
			top++;
			trailing = false;
		}
		if (e == end)
			break;
		s = e + 1;
	}

	if (top == 0)
		sb_addc(b, '/');
	for (size_t i = 0; i < top; i++) {
		sb_addc(b, '/');
		uri_encode_into(b, st[i].p, st[i].n, false);
	}
	if (top && trailing)
		sb_addc(b, '/');
	free(st);
	return 0;
}

/* S3: the key must end up encoded exactly once, with no normalisation.  The
 * caller passes the path as sent, so existing escapes are decoded and
 * re-encoded (normalising e.g. %7E to ~); raw bytes (a space, UTF-8) are
 * encoded.  An escaped slash stays escaped: it is part of a key name. */
static void append_s3_path(struct sbuf *b, const char *path)
{
	size_t len = strlen(path);
	if (path[0] != '/')
		sb_addc(b, '/');
	for (size_t i = 0; i < len; i++) {
		int v = pct_escape(path + i, len - i);
		if (v < 0) {
			uri_encode_into(b, path + i, 1, true);
			continue;
		}
		char c = (char)v;
		uri_encode_into(b, &c, 1, false);
		i += 2;
	}
}

static int append_canonical_uri(struct sbuf *b, const struct aws_sigv4_params *p,
                                const char *path)
{
	if (p->s3_rules) {
		append_s3_path(b, path);
		return 0;
	}
	if (!p->no_normalize)
		return append_normalized_path(b, path);
	if (path[0] != '/')
		sb_addc(b, '/');
	uri_encode_into(b, path, strlen(path), true);
	return 0;
}

/* ---- canonical query string ------------------------------------------- */

struct qparam {
	char *name, *value;
};

/* Decode %XX, then UriEncode: whatever the caller escaped (or not), each
 * name and value ends up encoded exactly once.  '+' is not a space here. */
static char *reencode(const char *s, size_t n)
{
	char *dec = malloc(n + 1);
	if (!dec)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int v = pct_escape(s + i, n - i);
		if (v >= 0) {
			dec[m++] = (char)v;
			i += 2;
		} else {
			dec[m++] = s[i];
		}
	}
	char *enc = aws_uri_encode(dec, m, false);
	free(dec);
	return enc;
}

static int qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

/* Sorted by encoded name, then value: sorting whole "name=value" strings would
 * put "Param-3=" before "Param=" ('-' < '='). */
static int append_canonical_query(struct sbuf *b, const char *query)
{
	if (!query || !*query)
		return 0;
	size_t len = strlen(query), cap = 1, n = 0;
	for (size_t i = 0; i < len; i++)
		cap += query[i] == '&';
	struct qparam *qp = calloc(cap, sizeof *qp);
	if (!qp)
		return -1;

	int rc = 0;
	const char *s = query, *end = query + len;
	for (;;) {
		const char *e = memchr(s, '&', (size_t)(end - s));
		if (!e)
			e = end;
		if (e > s) {
			const char *eq = memchr(s, '=', (size_t)(e - s));
			const char *nend = eq ? eq : e;
			qp[n].name = reencode(s, (size_t)(nend - s));
			qp[n].value = eq ? reencode(eq + 1, (size_t)(e - eq - 1)) : dup_str("");
			n++;
			if (!qp[n - 1].name || !qp[n - 1].value) {
				rc = -1;
				break;
			}
		}
		if (e == end)
			break;
		s = e + 1;
	}

	if (rc == 0) {
		qsort(qp, n, sizeof *qp, qparam_cmp);
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_addc(b, '&');
			sb_adds(b, qp[i].name);
			sb_addc(b, '=');
			sb_adds(b, qp[i].value);
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(qp[i].name);
		free(qp[i].value);
	}
	free(qp);
	return rc;
}

/* ---- canonical headers ------------------------------------------------ */

struct chdr {
	char *name;   /* lower case */
	char *value;  /* trimmed, whitespace runs collapsed */
	size_t order; /* position as sent, so merged values keep their order */
};

/* Field names are HTTP tokens: no controls, space, ':' or DEL.  Above all no
 * CR/LF, which would let a name inject header lines. */
static bool valid_header_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == ':' || c == 0x7f)
			return false;
	}
	return true;
}

/* A line break in a value is only acceptable as an obsolete line folding
 * (CRLF or LF followed by space or tab, as in get-header-value-multiline);
 * any other CR or LF would end the header on the wire. */
static bool valid_header_value(const char *s)
{
	for (; *s; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				return false;
		} else if (*s == '\n') {
			if (s[1] != ' ' && s[1] != '\t')
				return false;
		}
	}
	return true;
}

static char *lower_dup(const char *s)
{
	char *d = dup_str(s);
	if (d)
		for (char *q = d; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	return d;
}

/* Trim, and collapse each run of blanks (including a folded line break) to
 * one space. */
static char *canon_value(const char *v)
{
	struct sbuf b = {0};
	bool started = false, pending = false;
	for (; *v; v++) {
		if (is_ws(*v)) {
			pending = started;
			continue;
		}
		if (pending)
			sb_addc(&b, ' ');
		pending = false;
		started = true;
		sb_addc(&b, *v);
	}
	return sb_take(&b);
}

static int chdr_cmp(const void *a, const void *b)
{
	const struct chdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int chdr_push(struct chdr *h, size_t *n, const char *name, const char *value)
{
	h[*n].name = lower_dup(name);
	h[*n].value = canon_value(value);
	h[*n].order = *n;
	(*n)++;
	return h[*n - 1].name && h[*n - 1].value ? 0 : -1;
}

static void chdrs_free(struct chdr *h, size_t n)
{
	if (!h)
		return;
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		wipe_free(h[i].value);
	}
	free(h);
}

/* ---- key derivation --------------------------------------------------- */

static int hmac256(const void *key, size_t klen, const void *data, size_t dlen,
                   unsigned char out[SHA256_DIGEST_LENGTH])
{
	unsigned int olen = 0;
	if (klen > INT_MAX)
		return -1;
	if (!HMAC(EVP_sha256(), key, (int)klen, data, dlen, out, &olen))
		return -1;
	return olen == SHA256_DIGEST_LENGTH ? 0 : -1;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" secret, date), region), service),
 * "aws4_request"); then the signature is HMAC(kSigning, string to sign). */
static int compute_signature(const char *secret, const char *date,
                             const char *region, const char *service,
                             const char *sts, char sig[65])
{
	size_t slen = strlen(secret);
	if (slen > SIZE_MAX - 5)
		return -1;
	char *ksecret = malloc(slen + 5);
	if (!ksecret)
		return -1;
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, secret, slen + 1);

	unsigned char k1[SHA256_DIGEST_LENGTH], k2[SHA256_DIGEST_LENGTH];
	unsigned char mac[SHA256_DIGEST_LENGTH];
	int rc = -1;
	/* date is X-Amz-Date: its first 8 characters are the scope date. */
	if (hmac256(ksecret, slen + 4, date, 8, k1) == 0 &&
	    hmac256(k1, sizeof k1, region, strlen(region), k2) == 0 &&
	    hmac256(k2, sizeof k2, service, strlen(service), k1) == 0 &&
	    hmac256(k1, sizeof k1, "aws4_request", 12, k2) == 0 &&
	    hmac256(k2, sizeof k2, sts, strlen(sts), mac) == 0) {
		hex_lower(mac, sizeof mac, sig);
		rc = 0;
	}
	OPENSSL_cleanse(ksecret, slen + 4);
	free(ksecret);
	OPENSSL_cleanse(k1, sizeof k1);
	OPENSSL_cleanse(k2, sizeof k2);
	OPENSSL_cleanse(mac, sizeof mac);
	return rc;
}

/* ---- the signer ------------------------------------------------------- */

/* Region and service go into the credential scope, where '/' separates
 * fields and the whole ends up in a header. */
static bool valid_scope_part(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == '/' || c == 0x7f)
			return false;
	}
	return true;
}

static bool valid_input(const struct aws_sigv4_params *p,
                        const struct aws_sigv4_request *req)
{
	if (!p->access_key_id || !*p->access_key_id || has_crlf(p->access_key_id))
		return false;
	if (!p->secret_access_key || !*p->secret_access_key)
		return false;
	if (p->session_token && has_crlf(p->session_token))
		return false;
	if (!valid_scope_part(p->region) || !valid_scope_part(p->service))
		return false;
	if (!req->method || !*req->method || strpbrk(req->method, " \t\r\n"))
		return false;
	if (!req->path || has_crlf(req->path))
		return false;
	if (req->query && has_crlf(req->query))
		return false;
	if (req->n_headers && !req->headers)
		return false;
	if (req->body_len && !req->body)
		return false;
	for (size_t i = 0; i < req->n_headers; i++) {
		const struct aws_header *h = &req->headers[i];
		if (!h->name || !h->value || !valid_header_name(h->name) ||
		    !valid_header_value(h->value))
			return false;
	}
	return true;
}

static bool format_amz_date(time_t when, char out[17])
{
	struct tm tm;
	if (!gmtime_r(&when, &tm))
		return false;
	/* Four-digit years only: the format has no room for more. */
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return false;
	return strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) == 16;
}

/* The signed headers, sorted, and the payload hash a caller may have fixed. */
struct hdrset {
	struct chdr *h;
	size_t n;
	char *payload;  /* a listed x-amz-content-sha256 value, or NULL */
};

static void hdrset_free(struct hdrset *hs)
{
	chdrs_free(hs->h, hs->n);
	free(hs->payload);
	memset(hs, 0, sizeof *hs);
}

/* The caller's headers plus the ones the signer adds (x-amz-date, the token,
 * x-amz-content-sha256).  A header the signer would add may already be
 * listed: it is then signed once and must agree with what the signer
 * computed.  out->security_token / content_sha256 name what the caller still
 * has to send. */
static int collect_headers(const struct aws_sigv4_params *p,
                           const struct aws_sigv4_request *req,
                           const char *body_hash, struct aws_sigv4_result *out,
                           struct hdrset *hs)
{
	const char *token = p->session_token && *p->session_token ? p->session_token : NULL;
	bool have_date = false, have_token = false, listed_token = false, have_sha = false;
	char *token_canon = NULL;
	int rc = -1;

	/* Room for the caller's headers plus the three the signer may add. */
	hs->h = calloc(req->n_headers + 3, sizeof *hs->h);
	if (!hs->h)
		goto done;
	if (token && !(token_canon = canon_value(token)))
		goto done;

	for (size_t i = 0; i < req->n_headers; i++) {
		if (chdr_push(hs->h, &hs->n, req->headers[i].name, req->headers[i].value) != 0)
			goto done;
		struct chdr *c = &hs->h[hs->n - 1];
		if (strcmp(c->name, "x-amz-date") == 0) {
			if (have_date || strcmp(c->value, out->amz_date) != 0)
				goto done;
			have_date = true;
		} else if (strcmp(c->name, "x-amz-security-token") == 0) {
			listed_token = true;
			if (p->omit_session_token) {
				/* post-sts-header-after: sent, but not signed. */
				hs->n--;
				free(c->name);
				wipe_free(c->value);
			} else if (token) {
				if (have_token || strcmp(c->value, token_canon) != 0)
					goto done;
				have_token = true;
			}
		} else if (strcmp(c->name, "x-amz-content-sha256") == 0) {
			/* Its value is the payload hash (S3's UNSIGNED-PAYLOAD). */
			if (have_sha || !(hs->payload = dup_str(c->value)))
				goto done;
			have_sha = true;
		}
	}

	if (!have_date && chdr_push(hs->h, &hs->n, "x-amz-date", out->amz_date) != 0)
		goto done;
	if (token && !p->omit_session_token && !have_token &&
	    chdr_push(hs->h, &hs->n, "x-amz-security-token", token) != 0)
		goto done;
	if ((p->s3_rules || p->sign_body_header) && !have_sha) {
		if (chdr_push(hs->h, &hs->n, "x-amz-content-sha256", body_hash) != 0 ||
		    !(out->content_sha256 = dup_str(body_hash)))
			goto done;
	}
	if (token && !listed_token && !(out->security_token = dup_str(token)))
		goto done;

	/* Sort by name only (then by position): sorting "name:value" lines would
	 * misplace x-amz-meta-test vs x-amz-meta-test-two. */
	qsort(hs->h, hs->n, sizeof *hs->h, chdr_cmp);
	rc = 0;
done:
	wipe_free(token_canon);
	return rc;
}

/* Method, URI, query, header lines, signed headers, payload hash; the signed
 * header list also goes to *signed_headers for the Authorization header. */
static int canonical_request(struct sbuf *b, struct sbuf *signed_headers,
                             const struct aws_sigv4_params *p,
                             const struct aws_sigv4_request *req,
                             const struct hdrset *hs, const char *body_hash)
{
	sb_adds(b, req->method);
	sb_addc(b, '\n');
	if (append_canonical_uri(b, p, req->path) != 0)
		return -1;
	sb_addc(b, '\n');
	if (append_canonical_query(b, req->query) != 0)
		return -1;
	sb_addc(b, '\n');

	for (size_t i = 0; i < hs->n; i++) {
		const struct chdr *c = &hs->h[i];
		if (i && strcmp(c->name, hs->h[i - 1].name) == 0) {
			/* A repeated name: one line, values in the order sent. */
			sb_addc(b, ',');
			sb_adds(b, c->value);
			continue;
		}
		if (i) {
			sb_addc(b, '\n');
			sb_addc(signed_headers, ';');
		}
		sb_adds(b, c->name);
		sb_addc(b, ':');
		sb_adds(b, c->value);
		sb_adds(signed_headers, c->name);
	}
	sb_adds(b, "\n\n");
	sb_addn(signed_headers, "", 0);
	if (signed_headers->failed)
		return -1;
	sb_adds(b, signed_headers->s);
	sb_addc(b, '\n');
	sb_adds(b, hs->payload ? hs->payload : body_hash);
	return b->failed ? -1 : 0;
}

int aws_sigv4_sign(const struct aws_sigv4_params *p,
                   const struct aws_sigv4_request *req,
                   struct aws_sigv4_result *out)
{
	struct hdrset hs = {0};
	struct sbuf creq = {0}, signed_headers = {0}, scope = {0}, sts = {0}, auth = {0};
	char body_hash[65], creq_hash[65];
	int rc = -1;

	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	if (!p || !req || !valid_input(p, req) || !format_amz_date(p->when, out->amz_date))
		goto done;
	aws_sha256_hex(req->body, req->body_len, body_hash);
	if (!body_hash[0])
		goto done;

	if (collect_headers(p, req, body_hash, out, &hs) != 0 ||
	    canonical_request(&creq, &signed_headers, p, req, &hs, body_hash) != 0 ||
	    !(out->canonical_request = sb_take(&creq)))
		goto done;
	aws_sha256_hex(out->canonical_request, strlen(out->canonical_request), creq_hash);
	if (!creq_hash[0])
		goto done;

	/* The scope date and X-Amz-Date come from the same reading of the clock,
	 * so a request signed at midnight cannot mix two days. */
	sb_addn(&scope, out->amz_date, 8);
	sb_addc(&scope, '/');
	sb_adds(&scope, p->region);
	sb_addc(&scope, '/');
	sb_adds(&scope, p->service);
	sb_adds(&scope, "/aws4_request");
	if (scope.failed)
		goto done;

	sb_adds(&sts, ALGORITHM "\n");
	sb_adds(&sts, out->amz_date);
	sb_addc(&sts, '\n');
	sb_adds(&sts, scope.s);
	sb_addc(&sts, '\n');
	sb_adds(&sts, creq_hash);
	if (!(out->string_to_sign = sb_take(&sts)) ||
	    compute_signature(p->secret_access_key, out->amz_date, p->region, p->service,
	                      out->string_to_sign, out->signature) != 0)
		goto done;

	/* Exactly ", " between the parts: the vectors compare bytes. */
	sb_adds(&auth, ALGORITHM " Credential=");
	sb_adds(&auth, p->access_key_id);
	sb_addc(&auth, '/');
	sb_adds(&auth, scope.s);
	sb_adds(&auth, ", SignedHeaders=");
	sb_adds(&auth, signed_headers.s);
	sb_adds(&auth, ", Signature=");
	sb_adds(&auth, out->signature);
	if (!(out->authorization = sb_take(&auth)))
		goto done;
	rc = 0;

done:
	hdrset_free(&hs);
	sb_free(&creq);
	sb_free(&signed_headers);
	sb_free(&scope);
	sb_free(&sts);
	sb_free(&auth);
	if (rc != 0)
		aws_sigv4_result_free(out);
	return rc;
}

void aws_sigv4_result_free(struct aws_sigv4_result *r)
{
	if (!r)
		return;
	/* The token and the canonical request that quotes it are credentials. */
	wipe_free(r->authorization);
	wipe_free(r->security_token);
	wipe_free(r->content_sha256);
	wipe_free(r->canonical_request);
	wipe_free(r->string_to_sign);
	memset(r, 0, sizeof *r);
}
