/* tests/unit/test-sigv4.c: aws/sigv4 against every saved SigV4 vector.
 *
 * The vector directories are found at run time (so a new case is never
 * forgotten), one cmocka test per case; a separate test checks that at least
 * the known number of cases was found, so a missing data directory fails.
 * Only the Authorization-header files are used: the query-* (presigned URL)
 * files of v4/ are out of scope, and the classic .sreq files are not
 * compared (get-vanilla-with-session-token's .sreq carries a signature that
 * disagrees with its own .authz).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "aws/sigv4.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define SUITE "tests/data/sigv4-testsuite"

/* Known case counts; more is fine, fewer means data went missing. */
#define MIN_V4 38
#define MIN_CLASSIC 34
#define MIN_DYNAMODB 6

/* Fixed inputs of the classic (botocore) suite, which has no context file. */
#define CLASSIC_AKID "AKIDEXAMPLE"
#define CLASSIC_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define CLASSIC_REGION "us-east-1"
#define CLASSIC_SERVICE "service"
#define FIXED_TIME "2015-08-30T12:36:00Z"

enum layout { LAYOUT_V4, LAYOUT_CLASSIC };

struct vcase {
	char *label;      /* "v4/get-vanilla", shown as the test name */
	char *dir;        /* absolute directory of the case */
	char *base;       /* classic: file stem (the directory's name) */
	enum layout layout;
};

struct vlist {
	struct vcase *v;
	size_t n, cap;
	size_t n_v4, n_classic, n_dynamodb;
};

static struct vlist cases;

/* ---- small helpers ---------------------------------------------------- */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return d;
}

static char *join(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s = malloc(la + ls + lb + 1);
	if (!s) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

static const char *srcdir(void)
{
	const char *s = getenv("DDTREE_SRCDIR");
	return s && *s ? s : SRCDIR;
}

/* Whole file, NUL-terminated; *len excludes the terminator.  NULL if absent. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		char *nb = realloc(buf, cap);
		if (!nb)
			free(buf);
		buf = nb;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static char *read_case_file(const struct vcase *c, const char *name)
{
	char *path = join(c->dir, "/", name);
	char *s = read_file(path, NULL);
	free(path);
	return s;
}

static char *read_classic_file(const struct vcase *c, const char *ext)
{
	char *name = join(c->base, ".", ext);
	char *s = read_case_file(c, name);
	free(name);
	return s;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- discovery -------------------------------------------------------- */

static void add_case(const char *label, const char *dir, const char *base,
                     enum layout layout)
{
	if (cases.n == cases.cap) {
		cases.cap = cases.cap ? cases.cap * 2 : 64;
		cases.v = realloc(cases.v, cases.cap * sizeof *cases.v);
		if (!cases.v) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
	}
	cases.v[cases.n++] = (struct vcase){
		.label = xstrdup(label),
		.dir = xstrdup(dir),
		.base = base ? xstrdup(base) : NULL,
		.layout = layout,
	};
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sub-directory names of dir, sorted so the TAP order is stable. */
static char **list_dirs(const char *dir, size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *full = join(dir, "/", e->d_name);
		bool ok = is_dir(full);
		free(full);
		if (!ok)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names) {
				fprintf(stderr, "out of memory\n");
				exit(1);
			}
		}
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof *names, name_cmp);
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* v4/ and dynamodb/: one directory per case holding context.json. */
static size_t find_v4_layout(const char *root, const char *group)
{
	char *top = join(root, "/", group);
	size_t n, found = 0;
	char **names = list_dirs(top, &n);
	for (size_t i = 0; i < n; i++) {
		char *dir = join(top, "/", names[i]);
		char *ctx = join(dir, "/", "context.json");
		if (is_file(ctx)) {
			char *label = join(group, "/", names[i]);
			add_case(label, dir, NULL, LAYOUT_V4);
			free(label);
			found++;
		}
		free(ctx);
		free(dir);
	}
	free_names(names, n);
	free(top);
	return found;
}

/* classic/: NAME/NAME.req is a case; other directories (normalize-path/,
 * post-sts-token/) are groups and are searched in turn. */
static size_t find_classic(const char *dir, const char *label)
{
	size_t n, found = 0;
	char **names = list_dirs(dir, &n);
	for (size_t i = 0; i < n; i++) {
		char *sub = join(dir, "/", names[i]);
		char *sublabel = join(label, "/", names[i]);
		char *stem = join(sub, "/", names[i]);
		char *req = join(stem, ".", "req");
		if (is_file(req)) {
			add_case(sublabel, sub, names[i], LAYOUT_CLASSIC);
			found++;
		} else {
			found += find_classic(sub, sublabel);
		}
		free(req);
		free(stem);
		free(sublabel);
		free(sub);
	}
	free_names(names, n);
	return found;
}

static void discover(void)
{
	char *root = join(srcdir(), "/", SUITE);
	cases.n_v4 = find_v4_layout(root, "v4");
	cases.n_dynamodb = find_v4_layout(root, "dynamodb");
	char *classic = join(root, "/", "classic");
	cases.n_classic = find_classic(classic, "classic");
	free(classic);
	free(root);
}

static void free_cases(void)
{
	for (size_t i = 0; i < cases.n; i++) {
		free(cases.v[i].label);
		free(cases.v[i].dir);
		free(cases.v[i].base);
	}
	free(cases.v);
	memset(&cases, 0, sizeof cases);
}

/* ---- request file parser ---------------------------------------------- */

struct parsed_req {
	char *method, *path, *query;  /* query NULL when there is no '?' */
	struct aws_header *headers;
	size_t n_headers;
	char **hnames, **hvalues;     /* owned storage behind headers[] */
	char *body;
	size_t body_len;
};

static void parsed_free(struct parsed_req *r)
{
	free(r->method);
	free(r->path);
	free(r->query);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->hnames[i]);
		free(r->hvalues[i]);
	}
	free(r->hnames);
	free(r->hvalues);
	free(r->headers);
	free(r->body);
	memset(r, 0, sizeof *r);
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	assert_non_null(d);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* "METHOD TARGET HTTP/1.1", where TARGET may itself hold spaces
 * (get-space: "GET /example space/ HTTP/1.1"); then "Name:value" lines, a
 * line starting with a blank continuing the previous value (kept with its
 * line break, for the signer to fold); then a blank line and the body. */
static void parse_request(const char *text, size_t len, struct parsed_req *r)
{
	memset(r, 0, sizeof *r);
	const char *end = text + len;
	const char *eol = memchr(text, '\n', len);
	const char *line_end = eol ? eol : end;

	const char *sp1 = memchr(text, ' ', (size_t)(line_end - text));
	assert_non_null(sp1);
	const char *sp2 = line_end;
	while (sp2 > sp1 && sp2[-1] != ' ')
		sp2--;
	assert_true(sp2 - 1 > sp1);
	r->method = dup_range(text, (size_t)(sp1 - text));
	const char *target = sp1 + 1;
	size_t tlen = (size_t)(sp2 - 1 - target);
	const char *q = memchr(target, '?', tlen);
	if (q) {
		r->path = dup_range(target, (size_t)(q - target));
		r->query = dup_range(q + 1, tlen - (size_t)(q - target) - 1);
	} else {
		r->path = dup_range(target, tlen);
	}

	size_t cap = 16;
	r->hnames = calloc(cap, sizeof *r->hnames);
	r->hvalues = calloc(cap, sizeof *r->hvalues);
	assert_non_null(r->hnames);
	assert_non_null(r->hvalues);

	const char *s = eol ? eol + 1 : end;
	while (s < end) {
		eol = memchr(s, '\n', (size_t)(end - s));
		line_end = eol ? eol : end;
		size_t n = (size_t)(line_end - s);
		if (n == 0) {  /* blank line: the body follows */
			s = eol + 1;
			r->body_len = (size_t)(end - s);
			r->body = dup_range(s, r->body_len);
			break;
		}
		if (s[0] == ' ' || s[0] == '\t') {
			assert_true(r->n_headers > 0);
			char *prev = r->hvalues[r->n_headers - 1];
			char *line = dup_range(s, n);
			char *v = join(prev, "\n", line);
			free(line);
			free(prev);
			r->hvalues[r->n_headers - 1] = v;
		} else {
			const char *colon = memchr(s, ':', n);
			assert_non_null(colon);
			if (r->n_headers == cap) {
				cap *= 2;
				r->hnames = realloc(r->hnames, cap * sizeof *r->hnames);
				r->hvalues = realloc(r->hvalues, cap * sizeof *r->hvalues);
				assert_non_null(r->hnames);
				assert_non_null(r->hvalues);
			}
			r->hnames[r->n_headers] = dup_range(s, (size_t)(colon - s));
			r->hvalues[r->n_headers] = dup_range(colon + 1, (size_t)(line_end - colon - 1));
			r->n_headers++;
		}
		s = eol ? eol + 1 : end;
	}

	r->headers = calloc(r->n_headers + 1, sizeof *r->headers);
	assert_non_null(r->headers);
	for (size_t i = 0; i < r->n_headers; i++) {
		r->headers[i].name = r->hnames[i];
		r->headers[i].value = r->hvalues[i];
	}
}

/* Value of the first "Name:value" line of text whose name matches
 * (case-insensitively), or NULL. */
static char *find_header_line(const char *text, const char *name)
{
	size_t nl = strlen(name);
	for (const char *s = text; s && *s;) {
		const char *eol = strchr(s, '\n');
		size_t n = eol ? (size_t)(eol - s) : strlen(s);
		if (n > nl && s[nl] == ':' && strncasecmp(s, name, nl) == 0) {
			const char *v = s + nl + 1;
			size_t vn = n - nl - 1;
			while (vn && *v == ' ') {  /* classic .sreq: "Authorization: ..." */
				v++;
				vn--;
			}
			return dup_range(v, vn);
		}
		s = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static time_t parse_time(const char *iso)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int y, mo, d, h, mi, s;
	assert_int_equal(sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s), 6);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

/* ---- the vector tests ------------------------------------------------- */

static void assert_file_equal(const char *got, char *want, const char *what)
{
	if (!want)
		fail_msg("missing expected file for %s", what);
	if (strcmp(got, want) != 0) {
		print_error("%s differs\n--- got ---\n%s\n--- want ---\n%s\n", what, got, want);
		free(want);
		fail();
	}
	free(want);
}

static void run_v4_case(const struct vcase *c)
{
	char *ctxpath = join(c->dir, "/", "context.json");
	json_error_t jerr;
	json_t *ctx = json_load_file(ctxpath, 0, &jerr);
	free(ctxpath);
	if (!ctx)
		fail_msg("%s: context.json: %s", c->label, jerr.text);
	json_t *cred = json_object_get(ctx, "credentials");
	const char *akid = json_string_value(json_object_get(cred, "access_key_id"));
	const char *secret = json_string_value(json_object_get(cred, "secret_access_key"));
	const char *token = json_string_value(json_object_get(cred, "token"));
	const char *region = json_string_value(json_object_get(ctx, "region"));
	const char *service = json_string_value(json_object_get(ctx, "service"));
	const char *ts = json_string_value(json_object_get(ctx, "timestamp"));
	json_t *norm = json_object_get(ctx, "normalize");
	assert_non_null(akid);
	assert_non_null(secret);
	assert_non_null(region);
	assert_non_null(service);
	assert_non_null(ts);

	struct aws_sigv4_params p = {
		.access_key_id = akid,
		.secret_access_key = secret,
		.session_token = token,
		.region = region,
		.service = service,
		.when = parse_time(ts),
		/* The S3-shaped dynamodb/ cases need S3's path rules (a key that is
		 * already escaped once must not be escaped again). */
		.s3_rules = strcmp(service, "s3") == 0,
		.sign_body_header = json_is_true(json_object_get(ctx, "sign_body")),
		.omit_session_token = json_is_true(json_object_get(ctx, "omit_session_token")),
		.no_normalize = norm && json_is_false(norm),
	};

	size_t len;
	char *reqpath = join(c->dir, "/", "request.txt");
	char *text = read_file(reqpath, &len);
	free(reqpath);
	assert_non_null(text);
	struct parsed_req pr;
	parse_request(text, len, &pr);
	free(text);
	struct aws_sigv4_request req = {
		.method = pr.method, .path = pr.path, .query = pr.query,
		.headers = pr.headers, .n_headers = pr.n_headers,
		.body = pr.body, .body_len = pr.body_len,
	};

	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &req, &res), 0);
	assert_string_equal(res.amz_date, "20150830T123600Z");
	assert_file_equal(res.canonical_request,
	                  read_case_file(c, "header-canonical-request.txt"),
	                  "canonical request");
	assert_file_equal(res.string_to_sign, read_case_file(c, "header-string-to-sign.txt"),
	                  "string to sign");
	assert_file_equal(res.signature, read_case_file(c, "header-signature.txt"), "signature");

	/* The signed request shows every header the signer had to add. */
	char *sreq = read_case_file(c, "header-signed-request.txt");
	assert_non_null(sreq);
	char *authz = find_header_line(sreq, "Authorization");
	assert_file_equal(res.authorization, authz, "authorization");
	char *sha = find_header_line(sreq, "x-amz-content-sha256");
	if (sha) {
		assert_non_null(res.content_sha256);
		assert_string_equal(res.content_sha256, sha);
		free(sha);
	} else {
		assert_null(res.content_sha256);
	}
	if (token) {
		assert_non_null(res.security_token);
		assert_string_equal(res.security_token, token);
		char *sent = find_header_line(sreq, "X-Amz-Security-Token");
		/* get-vanilla-with-session-token signs a token it never shows. */
		if (sent) {
			assert_string_equal(sent, token);
			free(sent);
		}
	} else {
		assert_null(res.security_token);
	}
	free(sreq);

	aws_sigv4_result_free(&res);
	parsed_free(&pr);
	json_decref(ctx);
}

static void run_classic_case(const struct vcase *c)
{
	size_t len;
	char *name = join(c->base, ".", "req");
	char *reqpath = join(c->dir, "/", name);
	free(name);
	char *text = read_file(reqpath, &len);
	free(reqpath);
	assert_non_null(text);
	struct parsed_req pr;
	parse_request(text, len, &pr);
	free(text);

	/* The suite has no credentials file.  As botocore's runner does, take a
	 * session token from the canonical request (signed token); a token that
	 * only the signed request shows was sent unsigned (post-sts-header-after). */
	char *creq = read_classic_file(c, "creq");
	char *sreq = read_classic_file(c, "sreq");
	assert_non_null(creq);
	assert_non_null(sreq);
	char *token = find_header_line(creq, "x-amz-security-token");
	bool omit = false;
	if (!token) {
		token = find_header_line(sreq, "X-Amz-Security-Token");
		omit = token != NULL;
	}
	free(creq);
	free(sreq);

	struct aws_sigv4_params p = {
		.access_key_id = CLASSIC_AKID,
		.secret_access_key = CLASSIC_SECRET,
		.session_token = token,
		.region = CLASSIC_REGION,
		.service = CLASSIC_SERVICE,
		.when = parse_time(FIXED_TIME),
		.omit_session_token = omit,
	};
	struct aws_sigv4_request req = {
		.method = pr.method, .path = pr.path, .query = pr.query,
		.headers = pr.headers, .n_headers = pr.n_headers,
		.body = pr.body, .body_len = pr.body_len,
	};

	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &req, &res), 0);
	assert_file_equal(res.canonical_request, read_classic_file(c, "creq"),
	                  "canonical request");
	assert_file_equal(res.string_to_sign, read_classic_file(c, "sts"), "string to sign");
	assert_file_equal(res.authorization, read_classic_file(c, "authz"), "authorization");

	/* Where the .req already lists the token, the signer must not add it. */
	bool listed = false;
	for (size_t i = 0; i < pr.n_headers; i++)
		listed |= strcasecmp(pr.hnames[i], "x-amz-security-token") == 0;
	if (token && !listed) {
		assert_non_null(res.security_token);
		assert_string_equal(res.security_token, token);
	} else {
		assert_null(res.security_token);
	}
	assert_null(res.content_sha256);

	aws_sigv4_result_free(&res);
	parsed_free(&pr);
	free(token);
}

static void test_vector(void **state)
{
	const struct vcase *c = *state;
	if (c->layout == LAYOUT_V4)
		run_v4_case(c);
	else
		run_classic_case(c);
}

static void test_vector_counts(void **state)
{
	(void)state;
	if (cases.n_v4 < MIN_V4 || cases.n_classic < MIN_CLASSIC ||
	    cases.n_dynamodb < MIN_DYNAMODB)
		fail_msg("found v4=%zu classic=%zu dynamodb=%zu cases under %s/%s, "
		         "expected at least %d/%d/%d",
		         cases.n_v4, cases.n_classic, cases.n_dynamodb, srcdir(), SUITE,
		         MIN_V4, MIN_CLASSIC, MIN_DYNAMODB);
}

/* ---- focused unit tests ----------------------------------------------- */

static void test_uri_encode(void **state)
{
	(void)state;
	struct {
		const char *in;
		size_t len;
		bool keep_slash;
		const char *want;
	} t[] = {
		{ "", 0, false, "" },
		{ "AZaz09-._~", 10, false, "AZaz09-._~" },
		{ "a b", 3, false, "a%20b" },
		{ "a+b=c&d", 7, false, "a%2Bb%3Dc%26d" },
		{ "/a/b c/", 7, true, "/a/b%20c/" },
		{ "/a/b", 4, false, "%2Fa%2Fb" },
		{ "%41", 3, true, "%2541" },
		{ "\xe1\x88\xb4", 3, false, "%E1%88%B4" },
		{ "a\0b", 3, false, "a%00b" },
		{ "*!'()$", 6, false, "%2A%21%27%28%29%24" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *got = aws_uri_encode(t[i].in, t[i].len, t[i].keep_slash);
		assert_non_null(got);
		assert_string_equal(got, t[i].want);
		free(got);
	}
	char *e = aws_uri_encode(NULL, 0, false);
	assert_non_null(e);
	assert_string_equal(e, "");
	free(e);
	assert_null(aws_uri_encode(NULL, 1, false));
}

static void test_sha256_hex(void **state)
{
	(void)state;
	char out[65];
	aws_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	aws_sha256_hex(NULL, 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	aws_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* Binary-safe: the length counts, not a NUL. */
	aws_sha256_hex("\0", 1, out);
	assert_string_equal(out, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	aws_sha256_hex("{}", 2, out);
	assert_string_equal(out, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}

/* A known-good base request (v4/get-vanilla) that each case below breaks. */
static const struct aws_header base_headers[] = {
	{ "Host", "example.amazonaws.com" },
};

static struct aws_sigv4_params base_params(void)
{
	return (struct aws_sigv4_params){
		.access_key_id = CLASSIC_AKID,
		.secret_access_key = CLASSIC_SECRET,
		.region = CLASSIC_REGION,
		.service = CLASSIC_SERVICE,
		.when = 1440938160,  /* 2015-08-30T12:36:00Z */
	};
}

static struct aws_sigv4_request base_request(void)
{
	return (struct aws_sigv4_request){
		.method = "GET", .path = "/",
		.headers = base_headers, .n_headers = 1,
	};
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Sign, expecting -1 and a zeroed result even when it held garbage. */
static void expect_reject(const struct aws_sigv4_params *p,
                          const struct aws_sigv4_request *r)
{
	struct aws_sigv4_result res;
	memset(&res, 0xa5, sizeof res);
	assert_int_equal(aws_sigv4_sign(p, r, &res), -1);
	assert_true(all_zero(&res, sizeof res));
}

static void test_base_request_signs(void **state)
{
	(void)state;
	struct aws_sigv4_params p = base_params();
	struct aws_sigv4_request r = base_request();
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	/* v4/get-vanilla */
	assert_string_equal(res.signature,
	                    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
	aws_sigv4_result_free(&res);
	assert_true(all_zero(&res, sizeof res));
	aws_sigv4_result_free(NULL);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct aws_sigv4_params p;
	struct aws_sigv4_request r;
	struct aws_sigv4_result res;

	p = base_params();
	r = base_request();
	assert_int_equal(aws_sigv4_sign(&p, &r, NULL), -1);
	expect_reject(NULL, &r);
	expect_reject(&p, NULL);

	p = base_params(); p.access_key_id = NULL; expect_reject(&p, &r);
	p = base_params(); p.access_key_id = ""; expect_reject(&p, &r);
	p = base_params(); p.access_key_id = "AKID\r\nX-Evil: 1"; expect_reject(&p, &r);
	p = base_params(); p.secret_access_key = NULL; expect_reject(&p, &r);
	p = base_params(); p.region = NULL; expect_reject(&p, &r);
	p = base_params(); p.region = "us/east"; expect_reject(&p, &r);
	p = base_params(); p.service = NULL; expect_reject(&p, &r);
	p = base_params(); p.session_token = "tok\nX-Evil: 1"; expect_reject(&p, &r);
	/* Year 10000 does not fit the X-Amz-Date format. */
	p = base_params(); p.when = (time_t)253402300800LL; expect_reject(&p, &r);

	p = base_params();
	r = base_request(); r.method = NULL; expect_reject(&p, &r);
	r = base_request(); r.method = ""; expect_reject(&p, &r);
	r = base_request(); r.path = NULL; expect_reject(&p, &r);
	r = base_request(); r.path = "/a\r\nX-Evil: 1"; expect_reject(&p, &r);
	r = base_request(); r.query = "a=b\nc"; expect_reject(&p, &r);
	r = base_request(); r.headers = NULL; expect_reject(&p, &r);
	r = base_request(); r.body = NULL; r.body_len = 3; expect_reject(&p, &r);

	static const struct aws_header bad[][2] = {
		{ { "Host", "example.amazonaws.com" }, { "My\r\nHeader", "v" } },
		{ { "Host", "example.amazonaws.com" }, { "My\nHeader", "v" } },
		{ { "Host", "example.amazonaws.com" }, { "My\rHeader", "v" } },
		{ { "Host", "example.amazonaws.com" }, { "", "v" } },
		{ { "Host", "example.amazonaws.com" }, { "My:Header", "v" } },
		{ { "Host", "example.amazonaws.com" }, { "My Header", "v" } },
		{ { "Host", "example.amazonaws.com" }, { NULL, "v" } },
		{ { "Host", "example.amazonaws.com" }, { "My-Header", NULL } },
		/* A line break in a value that is not a folding would inject. */
		{ { "Host", "example.amazonaws.com" }, { "My-Header", "v\r\nX-Evil: 1" } },
		{ { "Host", "example.amazonaws.com" }, { "My-Header", "v\n" } },
		{ { "Host", "example.amazonaws.com" }, { "My-Header", "v\rw" } },
		/* A listed X-Amz-Date that disagrees with the signing time. */
		{ { "Host", "example.amazonaws.com" }, { "X-Amz-Date", "20150830T123601Z" } },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = base_request();
		r.headers = bad[i];
		r.n_headers = 2;
		expect_reject(&p, &r);
	}

	/* A listed token that disagrees with the credentials. */
	static const struct aws_header tok[] = {
		{ "Host", "example.amazonaws.com" }, { "X-Amz-Security-Token", "other" },
	};
	p = base_params();
	p.session_token = "token";
	r = base_request();
	r.headers = tok;
	r.n_headers = 2;
	expect_reject(&p, &r);

	/* Sanity: the same inputs, fixed, are accepted. */
	p = base_params();
	r = base_request();
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	aws_sigv4_result_free(&res);
}

/* The last line of a canonical request, and the canonical URI (line 2). */
static char *creq_line(const char *creq, int line)
{
	const char *s = creq;
	for (int i = 1; i < line; i++) {
		s = strchr(s, '\n');
		assert_non_null(s);
		s++;
	}
	const char *e = strchr(s, '\n');
	return dup_range(s, e ? (size_t)(e - s) : strlen(s));
}

static void expect_uri(bool s3, bool no_normalize, const char *path, const char *want)
{
	struct aws_sigv4_params p = base_params();
	p.s3_rules = s3;
	p.no_normalize = no_normalize;
	struct aws_sigv4_request r = base_request();
	r.path = path;
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	char *uri = creq_line(res.canonical_request, 2);
	assert_string_equal(uri, want);
	free(uri);
	aws_sigv4_result_free(&res);
}

static void test_canonical_uri(void **state)
{
	(void)state;
	/* Non-S3: normalised, and an existing escape is encoded again. */
	expect_uri(false, false, "", "/");
	expect_uri(false, false, "/a/./b/../c/", "/a/c/");
	expect_uri(false, false, "/a/b/..", "/a/");
	expect_uri(false, false, "/../..", "/");
	expect_uri(false, false, "//a//b", "/a/b");
	expect_uri(false, false, "/a%20b", "/a%2520b");
	expect_uri(false, false, "/a b", "/a%20b");
	expect_uri(false, true, "/a//./b%20", "/a//./b%2520");
	/* S3: never normalised, escaped exactly once whatever the input form. */
	expect_uri(true, false, "/a//./b", "/a//./b");
	expect_uri(true, false, "/k/a b+c~d", "/k/a%20b%2Bc~d");
	expect_uri(true, false, "/k/a%20b%2Bc%7Ed", "/k/a%20b%2Bc~d");
	expect_uri(true, false, "/k/a%2Fb", "/k/a%2Fb");
	expect_uri(true, false, "/k/100%", "/k/100%25");
	expect_uri(true, false, "", "/");
}

static void expect_query(const char *query, const char *want)
{
	struct aws_sigv4_params p = base_params();
	struct aws_sigv4_request r = base_request();
	r.query = query;
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	char *q = creq_line(res.canonical_request, 3);
	assert_string_equal(q, want);
	free(q);
	aws_sigv4_result_free(&res);
}

static void test_canonical_query(void **state)
{
	(void)state;
	expect_query(NULL, "");
	expect_query("", "");
	expect_query("b=2&a=1", "a=1&b=2");
	expect_query("a=2&a=1&a", "a=&a=1&a=2");
	expect_query("Param-3=x&Param=y", "Param=y&Param-3=x");
	expect_query("k=a b+c/d", "k=a%20b%2Bc%2Fd");
	expect_query("k=a%20b%2bc", "k=a%20b%2Bc");
	expect_query("x=1&&y=2&", "x=1&y=2");
	expect_query("e==", "e=%3D");
}

static void test_header_rules(void **state)
{
	(void)state;
	/* Sorting by name: x-amz-meta-test before x-amz-meta-test-two, which
	 * sorting whole "name:value" lines would get wrong. */
	static const struct aws_header hs[] = {
		{ "X-Amz-Meta-Test-Two", "b" },
		{ "Host", "example.amazonaws.com" },
		{ "x-amz-meta-test", "  a \t  z  " },
		{ "X-AMZ-META-TEST", "c" },
	};
	struct aws_sigv4_params p = base_params();
	struct aws_sigv4_request r = base_request();
	r.headers = hs;
	r.n_headers = 4;
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_string_equal(res.canonical_request,
	                    "GET\n/\n\n"
	                    "host:example.amazonaws.com\n"
	                    "x-amz-date:20150830T123600Z\n"
	                    "x-amz-meta-test:a z,c\n"
	                    "x-amz-meta-test-two:b\n"
	                    "\n"
	                    "host;x-amz-date;x-amz-meta-test;x-amz-meta-test-two\n"
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_non_null(strstr(res.authorization,
	                       "SignedHeaders=host;x-amz-date;x-amz-meta-test;x-amz-meta-test-two, "));
	aws_sigv4_result_free(&res);
}

static void test_s3_unsigned_payload(void **state)
{
	(void)state;
	/* A caller-supplied x-amz-content-sha256 is signed once and is the
	 * payload hash; the signer then has nothing to add. */
	static const struct aws_header hs[] = {
		{ "Host", "bucket.s3.amazonaws.com" },
		{ "X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD" },
	};
	struct aws_sigv4_params p = base_params();
	p.service = "s3";
	p.s3_rules = true;
	p.session_token = "tok";
	struct aws_sigv4_request r = base_request();
	r.path = "/key";
	r.headers = hs;
	r.n_headers = 2;
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_string_equal(res.canonical_request,
	                    "GET\n/key\n\n"
	                    "host:bucket.s3.amazonaws.com\n"
	                    "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"
	                    "x-amz-date:20150830T123600Z\n"
	                    "x-amz-security-token:tok\n"
	                    "\n"
	                    "host;x-amz-content-sha256;x-amz-date;x-amz-security-token\n"
	                    "UNSIGNED-PAYLOAD");
	assert_null(res.content_sha256);
	assert_non_null(res.security_token);
	assert_string_equal(res.security_token, "tok");
	aws_sigv4_result_free(&res);

	/* Listed twice is ambiguous. */
	static const struct aws_header twice[] = {
		{ "Host", "bucket.s3.amazonaws.com" },
		{ "x-amz-content-sha256", "UNSIGNED-PAYLOAD" },
		{ "x-amz-content-sha256", "UNSIGNED-PAYLOAD" },
	};
	r.headers = twice;
	r.n_headers = 3;
	expect_reject(&p, &r);
}

static void test_token_listed(void **state)
{
	(void)state;
	static const struct aws_header hs[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Security-Token", " tok " },
	};
	struct aws_sigv4_params p = base_params();
	p.session_token = "tok";
	struct aws_sigv4_request r = base_request();
	r.headers = hs;
	r.n_headers = 2;
	struct aws_sigv4_result res;

	/* Listed and signed: once, and the caller has nothing to add. */
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_non_null(strstr(res.canonical_request,
	                       "\nx-amz-date:20150830T123600Z\nx-amz-security-token:tok\n\n"));
	assert_null(res.security_token);
	aws_sigv4_result_free(&res);

	/* Listed but sent unsigned (post-sts-header-after). */
	p.omit_session_token = true;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_null(strstr(res.canonical_request, "x-amz-security-token"));
	assert_non_null(strstr(res.authorization, "SignedHeaders=host;x-amz-date, "));
	assert_null(res.security_token);
	aws_sigv4_result_free(&res);

	/* Not listed, unsigned: the caller must add it. */
	r.n_headers = 1;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_null(strstr(res.canonical_request, "x-amz-security-token"));
	assert_non_null(res.security_token);
	assert_string_equal(res.security_token, "tok");
	aws_sigv4_result_free(&res);

	/* An empty token means none. */
	p.omit_session_token = false;
	p.session_token = "";
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_null(strstr(res.canonical_request, "x-amz-security-token"));
	assert_null(res.security_token);
	aws_sigv4_result_free(&res);
}

static void test_binary_body(void **state)
{
	(void)state;
	/* The body is hashed by length: a NUL inside it counts. */
	static const char body[] = { 'a', '\0', 'b' };
	struct aws_sigv4_params p = base_params();
	p.sign_body_header = true;
	struct aws_sigv4_request r = base_request();
	r.method = "POST";
	r.body = body;
	r.body_len = sizeof body;
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	char want[65];
	aws_sha256_hex(body, sizeof body, want);
	assert_non_null(res.content_sha256);
	assert_string_equal(res.content_sha256, want);
	char *last = creq_line(res.canonical_request, 9);
	assert_string_equal(last, want);
	free(last);
	aws_sigv4_result_free(&res);
}

static void test_date_from_utc(void **state)
{
	(void)state;
	/* One second before midnight UTC: the scope date is that day, whatever
	 * the local time zone says. */
	struct aws_sigv4_params p = base_params();
	p.when = 1440979199;  /* 2015-08-30T23:59:59Z */
	struct aws_sigv4_request r = base_request();
	struct aws_sigv4_result res;
	assert_int_equal(aws_sigv4_sign(&p, &r, &res), 0);
	assert_string_equal(res.amz_date, "20150830T235959Z");
	assert_non_null(strstr(res.string_to_sign, "\n20150830/us-east-1/service/aws4_request\n"));
	aws_sigv4_result_free(&res);
}

int main(void)
{
	discover();

	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_vector_counts),
		cmocka_unit_test(test_uri_encode),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_base_request_signs),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_canonical_uri),
		cmocka_unit_test(test_canonical_query),
		cmocka_unit_test(test_header_rules),
		cmocka_unit_test(test_s3_unsigned_payload),
		cmocka_unit_test(test_token_listed),
		cmocka_unit_test(test_binary_body),
		cmocka_unit_test(test_date_from_utc),
	};
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	size_t total = nfixed + cases.n;
	struct CMUnitTest *tests = calloc(total, sizeof *tests);
	if (!tests) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	memcpy(tests, fixed, sizeof fixed);
	for (size_t i = 0; i < cases.n; i++) {
		tests[nfixed + i] = (struct CMUnitTest){
			.name = cases.v[i].label,
			.test_func = test_vector,
			.initial_state = &cases.v[i],
		};
	}

	/* One group only: several would break the TAP plan. */
	int rc = _cmocka_run_group_tests("sigv4", tests, total, NULL, NULL);
	free(tests);
	free_cases();
	return rc;
}
