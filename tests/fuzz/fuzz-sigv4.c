/* tests/fuzz/fuzz-sigv4.c: SigV4 canonicalisation of arbitrary requests
 * (aws/sigv4.h), plus aws_uri_encode.
 *
 * Input: one flags byte, then a request written as the SigV4 test suite
 * writes them (tests/data/sigv4-testsuite/.../request.txt):
 *
 *   METHOD PATH[?QUERY] HTTP/1.1\n
 *   Name:value\n             (a line starting with SP/HT continues the value)
 *   \n
 *   body
 *
 * Flags: 1 s3_rules, 2 sign_body_header, 4 omit_session_token,
 * 8 no_normalize, 16 a session token.  Credentials, region, service and time
 * are fixed (the suite's).
 *
 * Properties checked, when signing succeeds:
 *   - the signature is 64 lower-case hex digits, and signing again gives
 *     the same one;
 *   - the string to sign is the algorithm, the date, the scope and the
 *     SHA-256 of the canonical request; Authorization is built from the
 *     scope, the canonical request's signed-header list and the signature;
 *   - the canonical URI and query hold nothing but unreserved characters,
 *     upper-case %XX escapes and their separators ('/'; '=' and '&');
 *   - the canonical request has exactly one line per signed header;
 *   - the payload hash is the SHA-256 of the body unless the caller set one.
 * When it fails, the result is zeroed.  aws_uri_encode escapes every byte
 * that is not unreserved (upper-case hex) and decodes back to its input. */
#include "fuzz.h"

#include <stdbool.h>
#include <strings.h>

#include "aws/sigv4.h"

#define MAX_HEADERS 64

static const char *const AKID = "AKIDEXAMPLE";
static const char *const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static const char *const TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"
                                 "LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGd"
                                 "QrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU"
                                 "9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz"
                                 "+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_upper_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static int hexval(unsigned char c)
{
	return c <= '9' ? c - '0' : c - 'A' + 10;
}

/* s[0..n) uses only unreserved characters, %XX and the bytes in `seps`. */
static bool encoded_only(const char *s, size_t n, const char *seps)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (c && strchr(seps, c)))
			continue;
		if (c == '%' && i + 2 < n && is_upper_hex((unsigned char)s[i + 1]) &&
		    is_upper_hex((unsigned char)s[i + 2])) {
			i += 2;
			continue;
		}
		return false;
	}
	return true;
}

static void check_uri_encode(const uint8_t *data, size_t size, bool keep_slash)
{
	char *e = aws_uri_encode((const char *)data, size, keep_slash);
	FUZZ_CHECK(e != NULL, "aws_uri_encode returned NULL");
	size_t n = strlen(e);
	FUZZ_CHECK(encoded_only(e, n, keep_slash ? "/" : ""),
	           "aws_uri_encode(keep_slash %d) left a character unescaped: %s", keep_slash,
	           fuzz_show(e, n));
	/* decodes back to the input, NULs included */
	uint8_t *back = malloc(n + 1);
	if (!back)
		abort();
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i] == '%') {
			back[m++] = (uint8_t)(hexval((unsigned char)e[i + 1]) * 16 +
			                      hexval((unsigned char)e[i + 2]));
			i += 2;
		} else {
			back[m++] = (uint8_t)e[i];
		}
	}
	FUZZ_CHECK(m == size && (!size || !memcmp(back, data, size)),
	           "aws_uri_encode does not decode back to its input");
	free(back);
	free(e);
}

/* A header name made of RFC 9110 token characters only. */
static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_unreserved((unsigned char)*s) && !strchr("!#$%&'*+^`|", *s))
			return false;
	return true;
}

struct req {
	char *method, *path, *query;
	struct aws_header h[MAX_HEADERS];
	char *hname[MAX_HEADERS], *hval[MAX_HEADERS];
	size_t nh;
	const uint8_t *body;
	size_t body_len;
};

static char *cut(const uint8_t *p, size_t n)
{
	return fuzz_strndup(p, n);
}

static const uint8_t *find(const uint8_t *p, size_t n, const char *what)
{
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= n; i++)
		if (!memcmp(p + i, what, w))
			return p + i;
	return NULL;
}

static void parse_request(const uint8_t *data, size_t size, struct req *r)
{
	memset(r, 0, sizeof *r);
	const uint8_t *end = data + size, *head_end = find(data, size, "\n\n");
	const uint8_t *crlf = find(data, size, "\r\n\r\n");
	size_t sep = 2;
	if (crlf && (!head_end || crlf < head_end)) {
		head_end = crlf;
		sep = 4;
	}
	if (head_end) {
		r->body = head_end + sep;
		r->body_len = (size_t)(end - r->body);
		end = head_end;
	}

	/* request line */
	const uint8_t *p = data, *nl = memchr(p, '\n', (size_t)(end - p));
	const uint8_t *le = nl ? nl : end;
	size_t ll = (size_t)(le - p);
	if (ll && p[ll - 1] == '\r')
		ll--;
	const uint8_t *sp = memchr(p, ' ', ll);
	r->method = cut(p, sp ? (size_t)(sp - p) : ll);
	const uint8_t *t = sp ? sp + 1 : p + ll, *te = p + ll;
	/* the target runs to " HTTP/..." (paths may hold spaces) */
	for (const uint8_t *q = te; q > t; q--)
		if (q[-1] == ' ' && (size_t)(te - q) >= 5 && !memcmp(q, "HTTP/", 5)) {
			te = q - 1;
			break;
		}
	const uint8_t *qm = memchr(t, '?', (size_t)(te - t));
	r->path = cut(t, (size_t)((qm ? qm : te) - t));
	if (qm)
		r->query = cut(qm + 1, (size_t)(te - qm - 1));
	p = nl ? nl + 1 : end;

	/* headers */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl ? nl : end;
		ll = (size_t)(le - p);
		if (ll && p[ll - 1] == '\r')
			ll--;
		if ((*p == ' ' || *p == '\t') && r->nh) {
			/* obsolete line folding: continues the previous value */
			char *prev = r->hval[r->nh - 1];
			size_t pl = strlen(prev);
			char *v = malloc(pl + 1 + ll + 1);
			if (!v)
				abort();
			memcpy(v, prev, pl);
			v[pl] = '\n';
			memcpy(v + pl + 1, p, ll);
			v[pl + 1 + ll] = '\0';
			free(prev);
			r->hval[r->nh - 1] = v;
		} else if (r->nh < MAX_HEADERS) {
			const uint8_t *colon = memchr(p, ':', ll);
			r->hname[r->nh] = cut(p, colon ? (size_t)(colon - p) : ll);
			r->hval[r->nh] = colon ? cut(colon + 1, (size_t)(p + ll - colon - 1)) : cut(p, 0);
			r->nh++;
		}
		p = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < r->nh; i++)
		r->h[i] = (struct aws_header){r->hname[i], r->hval[i]};
}

static void free_request(struct req *r)
{
	free(r->method);
	free(r->path);
	free(r->query);
	for (size_t i = 0; i < r->nh; i++) {
		free(r->hname[i]);
		free(r->hval[i]);
	}
}

/* Line `k` (0-based) of s, as a malloc'd string, or NULL. */
static char *line_of(const char *s, size_t k)
{
	for (; k; k--) {
		s = strchr(s, '\n');
		if (!s)
			return NULL;
		s++;
	}
	return fuzz_strndup(s, strcspn(s, "\n"));
}

static size_t count_lines(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void check_result(const struct aws_sigv4_params *prm, const struct req *r,
                         const struct aws_sigv4_request *sr, const struct aws_sigv4_result *res)
{
	const char *cr = res->canonical_request;
	FUZZ_CHECK(cr && res->string_to_sign && res->authorization, "a signed result lacks a part");
	FUZZ_CHECK(strlen(res->signature) == 64 && encoded_only(res->signature, 64, "") &&
	           strspn(res->signature, "0123456789abcdef") == 64,
	           "signature \"%s\" is not 64 lower-case hex digits", res->signature);
	FUZZ_CHECK(!strcmp(res->amz_date, "20150830T123600Z"), "amz_date %s", res->amz_date);

	char hash[65];
	aws_sha256_hex(cr, strlen(cr), hash);
	char *want = NULL;
	if (asprintf(&want, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/"
	             "aws4_request\n%s", hash) < 0)
		abort();
	FUZZ_CHECK(!strcmp(res->string_to_sign, want), "string to sign:\n%s\nexpected:\n%s",
	           res->string_to_sign, want);
	free(want);

	/* the canonical request, line by line; a method holding a newline
	 * (the caller's constant, never data) would shift the lines */
	if (strchr(r->method, '\n'))
		return;
	size_t nl = count_lines(cr);
	FUZZ_CHECK(nl >= 7, "canonical request of %zu lines", nl);
	char *method = line_of(cr, 0), *uri = line_of(cr, 1), *query = line_of(cr, 2);
	char *signed_list = line_of(cr, nl - 2), *payload = line_of(cr, nl - 1);
	FUZZ_CHECK(!strcmp(method, r->method), "method line \"%s\"", method);
	FUZZ_CHECK(uri[0] == '/' || (prm->s3_rules && !uri[0]) || !r->path[0],
	           "canonical URI \"%s\" does not start with '/'", fuzz_show(uri, strlen(uri)));
	FUZZ_CHECK(encoded_only(uri, strlen(uri), "/"), "canonical URI not fully encoded: %s",
	           fuzz_show(uri, strlen(uri)));
	FUZZ_CHECK(encoded_only(query, strlen(query), "=&"), "canonical query not encoded: %s",
	           fuzz_show(query, strlen(query)));

	if (asprintf(&want, "AWS4-HMAC-SHA256 Credential=%s/20150830/us-east-1/service/aws4_request,"
	             " SignedHeaders=%s, Signature=%s", AKID, signed_list, res->signature) < 0)
		abort();
	FUZZ_CHECK(!strcmp(res->authorization, want), "Authorization \"%s\", expected \"%s\"",
	           res->authorization, want);
	free(want);

	bool tokens = true, caller_hash = false;
	for (size_t i = 0; i < r->nh; i++) {
		tokens &= is_token(r->hname[i]);
		caller_hash |= !strcasecmp(r->hname[i], "x-amz-content-sha256");
	}
	if (tokens) {
		/* method, uri, query, one line per signed header, "", list, hash */
		size_t nsigned = 1;
		for (const char *c = signed_list; *c; c++)
			nsigned += *c == ';';
		FUZZ_CHECK(nl == 3 + nsigned + 3, "%zu lines for %zu signed headers:\n%s", nl, nsigned,
		           cr);
	}
	if (!caller_hash) {
		char body_hash[65];
		aws_sha256_hex(sr->body, sr->body_len, body_hash);
		FUZZ_CHECK(!strcmp(payload, body_hash), "payload hash \"%s\" is not the body's",
		           payload);
	}
	free(method);
	free(uri);
	free(query);
	free(signed_list);
	free(payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_uri_encode(data, size, false);
	check_uri_encode(data, size, true);
	if (!size)
		return 0;

	uint8_t flags = data[0];
	struct req r;
	parse_request(data + 1, size - 1, &r);

	struct aws_sigv4_params prm = {
		.access_key_id = AKID,
		.secret_access_key = SECRET,
		.session_token = flags & 16 ? TOKEN : NULL,
		.region = "us-east-1",
		.service = "service",
		.when = 1440938160,   /* 2015-08-30T12:36:00Z */
		.s3_rules = flags & 1,
		.sign_body_header = flags & 2,
		.omit_session_token = flags & 4,
		.no_normalize = flags & 8,
	};
	struct aws_sigv4_request sr = {
		.method = r.method,
		.path = r.path,
		.query = r.query,
		.headers = r.h,
		.n_headers = r.nh,
		.body = r.body,
		.body_len = r.body_len,
	};
	struct aws_sigv4_result res, again;
	int rc = aws_sigv4_sign(&prm, &sr, &res);
	FUZZ_CHECK(rc == 0 || rc == -1, "aws_sigv4_sign returned %d", rc);
	if (rc == 0) {
		check_result(&prm, &r, &sr, &res);
		FUZZ_CHECK(aws_sigv4_sign(&prm, &sr, &again) == 0, "signing again failed");
		FUZZ_CHECK(!strcmp(res.signature, again.signature) &&
		           !strcmp(res.canonical_request, again.canonical_request),
		           "signing twice gives two signatures");
		aws_sigv4_result_free(&again);
		if (prm.session_token && !prm.omit_session_token)
			FUZZ_CHECK(strstr(res.canonical_request, "x-amz-security-token:") != NULL,
			           "the session token is not signed");
	} else {
		FUZZ_CHECK(!res.authorization && !res.canonical_request && !res.string_to_sign &&
		           !res.security_token && !res.content_sha256 && !res.signature[0],
		           "a failed signing left a result");
	}
	aws_sigv4_result_free(&res);
	FUZZ_CHECK(!res.authorization && !res.canonical_request, "aws_sigv4_result_free left data");

	/* no path normalisation when the path is used as is */
	(void)aws_sigv4_sign(&prm, &(struct aws_sigv4_request){
		.method = "GET", .path = r.path, .query = r.query}, &res);
	aws_sigv4_result_free(&res);

	free_request(&r);
	return 0;
}
