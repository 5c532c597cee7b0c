/* aws/sts.c: the assume role and web identity providers, and their STS
 * calls, AssumeRole and AssumeRoleWithWebIdentity (see sts.h).
 *
 * A form POST through aws/http.c's aws_http_call, signed with aws/sigv4
 * (service sts) for AssumeRole, unsigned for web identity.  The XML reply is
 * read with a small tag scanner: four leaves under Credentials, or Code and
 * Message under ErrorResponse/Error.  Every buffer that holds a secret (the
 * body with the web identity token, the Authorization and token headers,
 * the reply) is wiped before it is freed.
 */
#include "aws/util.h"
#include "aws/sts.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/clicache.h"
#include "aws/http.h"
#include "aws/mfa.h"
#include "aws/profile.h"
#include "aws/sigv4.h"
#include "aws/url.h"

#define MSG_MAX 400                        /* of STS's Code or Message */
#define STS_PAUSE_MS 200

static _Atomic long sts_timeout_ms = AWS_STS_TIMEOUT_MS;

void aws_sts_set_timeout_ms(long ms)
{
	sts_timeout_ms = ms > 0 ? ms : AWS_STS_TIMEOUT_MS;
}

/* A message that may be NULL after a failed allocation. */
static char *or_oom(char *msg)
{
	return msg ? msg : strdup("out of memory");
}

/* What the assume-role provider keeps. */
struct role {
	struct aws_sts_conf sts;
	char *profile;                /* the profile with role_arn, for messages */
	char *role_arn;
	char *session_name;           /* NULL: botocore-session-<now> */
	char *external_id;            /* NULL: none */
	char *serial;                 /* mfa_serial: a code is asked for; NULL: none */
	int duration;                 /* 0: STS's default (one hour) */
	char *source;                 /* "assume role (profile x)" */
	char *cache_path;             /* the AWS CLI's cache entry for this role, or
	                                 NULL (no home directory) */
	struct aws_cred_chain *from;  /* where the source credentials come from */
};

/* What the web identity provider keeps. */
struct web_identity {
	struct aws_sts_conf sts;
	char *what;                   /* "web identity (profile x)" or
	                                 "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)" */
	char *role_arn;
	char *session_name;           /* NULL: botocore-session-<now> */
	char *token_file;             /* read at each fetch */
	char *token_file_from;        /* "AWS_WEB_IDENTITY_TOKEN_FILE" or
	                                 "web_identity_token_file of profile x" */
};

/* ---- the endpoint ------------------------------------------------------ */

void aws_sts_conf_free(struct aws_sts_conf *c)
{
	if (!c)
		return;
	free(c->url);
	free(c->base);
	free(c->host);
	free(c->path);
	free(c->region);
	free(c->ca_bundle);
	memset(c, 0, sizeof *c);
}

int aws_sts_conf_make(const char *endpoint, const char *region, const char *ca_bundle,
                      struct aws_sts_conf *out)
{
	const char *auth, *path;

	memset(out, 0, sizeof *out);
	if (endpoint)
		out->base = strdup(endpoint);
	else if (region)
		out->base = util_fmt("https://sts.%s.amazonaws.com%s", region,
		                     strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
	else
		out->base = strdup("https://sts.amazonaws.com");
	if (!out->base)
		goto fail;
	auth = strstr(out->base, "://");
	auth = auth ? auth + 3 : out->base;
	path = auth + strcspn(auth, "/");
	out->host = strndup(auth, (size_t)(path - auth));
	out->path = strdup(*path ? path : "/");
	out->url = *path ? strdup(out->base) : util_fmt("%s/", out->base);
	out->region = strdup(region ? region : "us-east-1");
	out->ca_bundle = util_strdup_or_null(ca_bundle);
	out->no_proxy = aws_url_is_loopback(out->base);
	if (!out->host || !out->path || !out->url || !out->region || (ca_bundle && !out->ca_bundle))
		goto fail;
	return 0;
fail:
	aws_sts_conf_free(out);
	return -1;
}

/* ---- the XML reply ----------------------------------------------------- */

static void put_utf8(char **o, unsigned long cp)
{
	char *p = *o;

	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xc0 | (cp >> 6));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | (cp >> 12));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | (cp >> 18));
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = p;
}

char *aws_xml_text(const char *s, size_t n)
{
	static const struct { const char *name; char c; } ent[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
	};
	char *out = malloc(n + 1), *o = out;
	size_t i = 0;

	if (!out)
		return NULL;
	while (i < n) {
		const char *semi;
		size_t len;
		bool ok = false;

		if (s[i] == '<' || s[i] == '\0')
			goto bad;
		if (s[i] != '&') {
			*o++ = s[i++];
			continue;
		}
		semi = memchr(s + i, ';', n - i);
		if (!semi || semi - (s + i) > 12)
			goto bad;
		len = (size_t)(semi - (s + i)) - 1;       /* the name between & and ; */
		if (len >= 2 && s[i + 1] == '#') {
			unsigned long cp = 0;
			bool hex = s[i + 2] == 'x';
			size_t j = hex ? 3 : 2;
			ok = i + j < (size_t)(semi - s);
			for (; ok && s + i + j < semi; j++) {
				int c = (unsigned char)s[i + j];
				if (hex && isxdigit(c))
					cp = cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
				else if (!hex && isdigit(c))
					cp = cp * 10 + (unsigned long)(c - '0');
				else
					ok = false;
			}
			ok = ok && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
			if (ok)
				put_utf8(&o, cp);
		} else {
			for (size_t k = 0; k < sizeof ent / sizeof ent[0]; k++) {
				if (strlen(ent[k].name) == len && memcmp(s + i + 1, ent[k].name, len) == 0) {
					*o++ = ent[k].c;
					ok = true;
					break;
				}
			}
		}
		if (!ok)
			goto bad;
		i = (size_t)(semi - s) + 1;
	}
	*o = '\0';
	return out;
bad:
	OPENSSL_cleanse(out, n + 1);
	free(out);
	return NULL;
}

/* The content of the first element `tag` in [s, s+n): true with *v and *vn
 * (an empty element <tag/> has length 0).  Attributes are skipped; a
 * namespace prefix is not expected (STS uses a default namespace). */
static bool xml_elem(const char *s, size_t n, const char *tag, const char **v, size_t *vn)
{
	size_t tl = strlen(tag);
	const char *end = s + n, *p = s;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
		const char *q = p + 1, *gt, *c;

		p++;
		if ((size_t)(end - q) <= tl || memcmp(q, tag, tl) != 0)
			continue;
		q += tl;
		if (*q != '>' && *q != '/' && !isspace((unsigned char)*q))
			continue;                          /* a longer name */
		gt = memchr(q, '>', (size_t)(end - q));
		if (!gt)
			return false;
		if (gt[-1] == '/') {
			*v = gt + 1;
			*vn = 0;
			return true;
		}
		for (c = gt + 1; c < end && (c = memchr(c, '<', (size_t)(end - c))); c++) {
			const char *r = c + 2 + tl;
			if ((size_t)(end - c) < tl + 3 || c[1] != '/' || memcmp(c + 2, tag, tl) != 0)
				continue;
			while (r < end && isspace((unsigned char)*r))
				r++;
			if (r < end && *r == '>') {
				*v = gt + 1;
				*vn = (size_t)(c - gt - 1);
				return true;
			}
		}
		return false;
	}
	return false;
}

/* A leaf's decoded, trimmed text: 1, 0 absent, -1 malformed or no memory. */
static int xml_leaf(const char *s, size_t n, const char *tag, char **out)
{
	const char *v;
	size_t vn;

	*out = NULL;
	if (!xml_elem(s, n, tag, &v, &vn))
		return 0;
	while (vn > 0 && isspace((unsigned char)*v))
		v++, vn--;
	while (vn > 0 && isspace((unsigned char)v[vn - 1]))
		vn--;
	*out = aws_xml_text(v, vn);
	return *out ? 1 : -1;
}

/* Make server text safe to show: control characters become '?', at most
 * MSG_MAX bytes. */
static char *tame(char *s)
{
	if (!s)
		return NULL;
	if (strlen(s) > MSG_MAX)
		strcpy(s + MSG_MAX - 3, "...");
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return s;
}

int aws_sts_parse_reply(const char *xml, size_t len, const char *result,
                        struct aws_credentials *out, char **code, char **message)
{
	const char *r, *cr, *er;
	size_t rn, crn, ern;
	char *exp = NULL;

	memset(out, 0, sizeof *out);
	*code = *message = NULL;
	if (xml_elem(xml, len, result, &r, &rn) && xml_elem(r, rn, "Credentials", &cr, &crn)) {
		if (xml_leaf(cr, crn, "AccessKeyId", &out->access_key_id) == 1 &&
		    xml_leaf(cr, crn, "SecretAccessKey", &out->secret_access_key) == 1 &&
		    xml_leaf(cr, crn, "SessionToken", &out->session_token) == 1 &&
		    xml_leaf(cr, crn, "Expiration", &exp) == 1 &&
		    *out->access_key_id && *out->secret_access_key && *out->session_token &&
		    util_rfc3339_parse(exp, &out->expiration) == 0) {
			free(exp);
			return 0;
		}
		free(exp);
		aws_credentials_free(out);
		return -1;
	}
	if (xml_elem(xml, len, "ErrorResponse", &er, &ern) &&
	    xml_elem(er, ern, "Error", &er, &ern)) {
		xml_leaf(er, ern, "Code", code);
		xml_leaf(er, ern, "Message", message);
		tame(*code);
		tame(*message);
		return 1;
	}
	return -1;
}

/* ---- the call ---------------------------------------------------------- */

/* Append "&Name=" and the URI-encoded value. */
static void form_add(FILE *ms, const char *name, const char *value)
{
	char *enc = aws_uri_encode(value, strlen(value), false);

	fprintf(ms, "&%s=%s", name, enc ? enc : "");
	util_wipe_free(enc);
}

/* Append "&Name=" and the URI-encoded value to a buffer that may hold a
 * secret (util_secure_append).  0, or -1 when out of memory. */
static int form_add_secure(char **buf, size_t *n, size_t *cap, const char *name,
                           const char *value)
{
	char *enc = aws_uri_encode(value, strlen(value), false);
	int rc = -1;

	if (enc && util_secure_append(buf, n, cap, "&", 1) == 0 &&
	    util_secure_append(buf, n, cap, name, strlen(name)) == 0 &&
	    util_secure_append(buf, n, cap, "=", 1) == 0 &&
	    util_secure_append(buf, n, cap, enc, strlen(enc)) == 0)
		rc = 0;
	util_wipe_free(enc);
	return rc;
}

/* Close a memstream: its text, or NULL (wiped) when it failed. */
static char *ms_close(FILE *ms, char **buf, size_t *len)
{
	if (fclose(ms) != 0) {
		util_wipe_free(*buf);
		*buf = NULL;
		return NULL;
	}
	if (len)
		*len = strlen(*buf);
	return *buf;
}

static char *default_session_name(const char *given, time_t now)
{
	return given && *given ? strdup(given) : util_fmt("botocore-session-%lld", (long long)now);
}

/* The form body of AssumeRole (malloc'd), or NULL when out of memory:
 * Action=AssumeRole&Version=2011-06-15&RoleArn=...&RoleSessionName=...
 * [&DurationSeconds=N][&ExternalId=...][&SerialNumber=...], values
 * URI-encoded, in the order of the API's members as botocore sends them. */
static char *role_body(const struct role *a, time_t now)
{
	char *buf = NULL, *name = default_session_name(a->session_name, now), dur[24];
	size_t n = 0;
	FILE *ms;

	if (!name || !(ms = open_memstream(&buf, &n))) {
		free(name);
		return NULL;
	}
	fputs("Action=AssumeRole&Version=" AWS_STS_API_VERSION, ms);
	form_add(ms, "RoleArn", a->role_arn);
	form_add(ms, "RoleSessionName", name);
	if (a->duration > 0) {
		snprintf(dur, sizeof dur, "%d", a->duration);
		form_add(ms, "DurationSeconds", dur);
	}
	if (a->external_id && *a->external_id)
		form_add(ms, "ExternalId", a->external_id);
	if (a->serial)
		form_add(ms, "SerialNumber", a->serial);   /* TokenCode follows: assume_role */
	free(name);
	return ms_close(ms, &buf, NULL);
}

/* Does s hold any of the secrets (NULL ones skipped)? */
static bool quotes(const char *s, const char *const *secrets, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (secrets[i] && strlen(secrets[i]) >= 4 && strstr(s, secrets[i]))
			return true;
	return false;
}

/* AssumedRoleUser's Arn and AssumedRoleId in a reply, each malloc'd or
 * NULL (for the AWS CLI's cache). */
static void assumed_user(const char *xml, size_t len, char **arn, char **id)
{
	const char *u;
	size_t un;

	*arn = *id = NULL;
	if (xml_elem(xml, len, "AssumedRoleUser", &u, &un)) {
		if (xml_leaf(u, un, "Arn", arn) != 1)
			*arn = NULL;
		if (xml_leaf(u, un, "AssumedRoleId", id) != 1)
			*id = NULL;
	}
}

/* POST the form (up to AWS_STS_ATTEMPTS attempts) and read the reply.
 * `headers` are the lines to send; `action` and `subject` name the call in
 * messages ("AssumeRole", "role ARN (profile x)"); `secrets` are withheld
 * from STS's messages.  With user_arn (and user_id), the reply's
 * AssumedRoleUser too (NULL each when absent).  0, or -1 with *err. */
static int sts_post(const struct aws_sts_conf *c, const char *const *headers, size_t nh,
                    const char *body, size_t blen, const char *action, const char *result,
                    const char *subject, const char *const *secrets, size_t nsecrets,
                    struct aws_credentials *out, char **user_arn, char **user_id, char **err)
{
	long limit = sts_timeout_ms;
	char *last = NULL;
	int rc = -1;

	for (int attempt = 1; attempt <= AWS_STS_ATTEMPTS; attempt++) {
		struct aws_http_reply r;
		char *why = NULL, *code = NULL, *msg = NULL;
		int g, p;

		if (attempt > 1) {
			struct timespec ts = { 0, STS_PAUSE_MS * 1000000L };
			nanosleep(&ts, NULL);
		}
		g = aws_http_call(c->url, headers, nh, body, blen, c->ca_bundle, c->no_proxy,
		                  limit, &r, &why);
		free(last);
		last = NULL;
		if (g == AWS_HTTP_TIMEOUT) {
			last = util_fmt("no answer within %ld.%03ld s", limit / 1000, limit % 1000);
			free(why);
			continue;
		}
		if (g != AWS_HTTP_OK) {
			last = why;
			continue;
		}
		p = aws_sts_parse_reply(r.body ? r.body : "", r.len, result, out, &code, &msg);
		bool quoted_code = quotes(code, secrets, nsecrets);
		if (quoted_code || quotes(msg, secrets, nsecrets)) {
			util_wipe_free(msg);
			msg = strdup("(withheld: it quotes a secret)");
		}
		if (quoted_code) {               /* the code is shown too */
			util_wipe_free(code);
			code = strdup("(withheld)");
		}
		if (r.status == 200 && p == 0) {
			rc = 0;
			if (user_arn)
				assumed_user(r.body, r.len, user_arn, user_id);
		} else if ((r.status == 429 || r.status >= 500) && attempt < AWS_STS_ATTEMPTS) {
			aws_credentials_free(out);
			last = util_fmt("HTTP %ld", r.status);
		} else if (p == 1) {
			aws_credentials_free(out);
			*err = util_fmt("STS %s for %s failed (HTTP %ld from %s): %s%s%s", action,
			                subject, r.status, c->base, code ? code : "(no code)",
			                msg ? ": " : "", msg ? msg : "");
		} else if (r.status == 200) {
			aws_credentials_free(out);
			*err = util_fmt("STS %s for %s: the reply from %s is not the expected XML "
			                "(%s/Credentials with AccessKeyId, SecretAccessKey, "
			                "SessionToken and Expiration)", action, subject, c->base, result);
		} else {
			aws_credentials_free(out);
			*err = util_fmt("STS %s for %s failed: %s answered HTTP %ld", action, subject,
			                c->base, r.status);
		}
		free(code);
		free(msg);
		aws_http_reply_free(&r);
		if (rc == 0 || *err)
			goto done;
	}
	*err = util_fmt("STS %s for %s failed after %d attempts at %s: %s", action, subject,
	                AWS_STS_ATTEMPTS, c->base, last ? last : "?");
done:
	free(last);
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	return rc;
}

/* Sign the POST with `src` (service sts) and ask STS for the role's
 * credentials; `code` is the MFA code (TokenCode) when the role has
 * mfa_serial.  0 with *out (source left NULL) and the reply's
 * AssumedRoleUser in *user_arn, *user_id (each NULL when absent), or -1
 * with *err. */
static int assume_role(const struct role *a, const struct aws_credentials *src, time_t now,
                       const char *code, struct aws_credentials *out, char **user_arn,
                       char **user_id, char **err)
{
	const struct aws_sts_conf *c = &a->sts;
	char *body = role_body(a, now), *subject = NULL;
	char *lines[6] = { 0 };
	const char *secrets[] = { src->secret_access_key, src->session_token };
	struct aws_header sh[] = {
		{ "Content-Type", AWS_STS_CONTENT_TYPE },
		{ "Host", c->host },
	};
	struct aws_sigv4_params sp = {
		.access_key_id = src->access_key_id,
		.secret_access_key = src->secret_access_key,
		.session_token = src->session_token,
		.region = c->region,
		.service = "sts",
		.when = time(NULL),
	};
	struct aws_sigv4_request rq = {
		.method = "POST", .path = c->path, .query = NULL,
		.headers = sh, .n_headers = sizeof sh / sizeof sh[0],
	};
	struct aws_sigv4_result sr;
	size_t nl = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	*user_arn = *user_id = NULL;
	subject = util_fmt("role %s (profile %s)", a->role_arn, a->profile);
	if (!body || !subject)
		goto done;
	if (code) {
		/* the code goes last, in a buffer that is wiped */
		char *sb = NULL;
		size_t sn = 0, sc = 0;
		if (util_secure_append(&sb, &sn, &sc, body, strlen(body)) < 0 ||
		    form_add_secure(&sb, &sn, &sc, "TokenCode", code) < 0) {
			if (sb)
				OPENSSL_cleanse(sb, sc);
			free(sb);
			goto done;
		}
		free(body);
		body = sb;
	}
	rq.body = body;
	rq.body_len = strlen(body);
	if (aws_sigv4_sign(&sp, &rq, &sr) != 0) {
		*err = util_fmt("STS AssumeRole for %s: cannot sign the request (the source "
		                "credentials are malformed)", subject);
		goto done;
	}
	lines[nl++] = util_fmt("Host: %s", c->host);
	lines[nl++] = strdup("Content-Type: " AWS_STS_CONTENT_TYPE);
	lines[nl++] = util_fmt("X-Amz-Date: %s", sr.amz_date);
	if (sr.security_token)
		lines[nl++] = util_join_secure("X-Amz-Security-Token: ", sr.security_token);
	lines[nl++] = util_join_secure("Authorization: ", sr.authorization);
	lines[nl++] = strdup("Expect:");
	aws_sigv4_result_free(&sr);
	for (size_t i = 0; i < nl; i++)
		if (!lines[i])
			goto done;
	rc = sts_post(c, (const char *const *)lines, nl, body, strlen(body), "AssumeRole",
	              "AssumeRoleResult", subject, secrets, 2, out, user_arn, user_id, err);
done:
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	for (size_t i = 0; i < nl; i++)
		util_wipe_free(lines[i]);
	util_wipe_free(body);
	free(subject);
	return rc;
}

/* Read the token file and POST AssumeRoleWithWebIdentity, unsigned.  0 with
 * *out (source left NULL), or -1 with *err. */
static int web_identity(const struct web_identity *w, time_t now, struct aws_credentials *out,
                        char **err)
{
	const struct aws_sts_conf *c = &w->sts;
	char *token = NULL, *why = NULL, *body = NULL, *name = NULL, *subject = NULL;
	char *lines[3] = { 0 };
	size_t len = 0, blen = 0, bcap = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (aws_profile_read_file(w->token_file, &token, &len, &why) < 0) {
		*err = util_fmt("%s: cannot read the web identity token file (%s): %s", w->what,
		                w->token_file_from, why ? why : "?");
		free(why);
		return -1;
	}
	if (!token) {
		*err = util_fmt("%s: the web identity token file %s (%s) does not exist", w->what,
		                w->token_file, w->token_file_from);
		return -1;
	}
	while (len > 0 && isspace((unsigned char)token[len - 1]))
		token[--len] = '\0';                   /* a trailing newline is not the token's */
	if (len == 0) {
		*err = util_fmt("%s: the web identity token file %s (%s) is empty", w->what,
		                w->token_file, w->token_file_from);
		goto done;
	}
	name = default_session_name(w->session_name, now);
	subject = util_fmt("role %s (%s)", w->role_arn, w->what);
	if (!name || !subject)
		goto done;
	/* not a memstream: its growth would leave copies of the token behind */
	{
		static const char head[] = "Action=AssumeRoleWithWebIdentity&Version=" AWS_STS_API_VERSION;
		if (util_secure_append(&body, &blen, &bcap, head, sizeof head - 1) < 0 ||
		    form_add_secure(&body, &blen, &bcap, "RoleArn", w->role_arn) < 0 ||
		    form_add_secure(&body, &blen, &bcap, "RoleSessionName", name) < 0 ||
		    form_add_secure(&body, &blen, &bcap, "WebIdentityToken", token) < 0)
			goto done;
	}
	lines[0] = util_fmt("Host: %s", c->host);
	lines[1] = strdup("Content-Type: " AWS_STS_CONTENT_TYPE);
	lines[2] = strdup("Expect:");
	if (!lines[0] || !lines[1] || !lines[2])
		goto done;
	{
		const char *secrets[] = { token };
		rc = sts_post(c, (const char *const *)lines, 3, body, blen,
		              "AssumeRoleWithWebIdentity", "AssumeRoleWithWebIdentityResult",
		              subject, secrets, 1, out, NULL, NULL, err);
	}
done:
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	for (size_t i = 0; i < 3; i++)
		free(lines[i]);
	util_wipe_free(token);
	if (body)
		OPENSSL_cleanse(body, bcap);
	free(body);
	free(name);
	free(subject);
	return rc;
}

/* ---- the providers ----------------------------------------------------- */

/* The STS endpoint: NULL, or a message. */
static char *sts_conf_build(const struct aws_cred_setup *s, struct aws_sts_conf *sc)
{
	if (s->sts_err)
		return or_oom(strdup(s->sts_err));
	if (aws_sts_conf_make(s->sts_url, s->sts_region, s->ca_bundle, sc) < 0)
		return strdup("out of memory");
	return NULL;
}

static void role_free(void *data)
{
	struct role *d = data;

	aws_sts_conf_free(&d->sts);
	free(d->profile);
	free(d->role_arn);
	free(d->session_name);
	free(d->external_id);
	free(d->serial);
	free(d->source);
	free(d->cache_path);
	aws_cred_chain_free(d->from);
	free(d);
}

/* The role's credentials: the AWS CLI's cache entry for the same
 * arguments while it has more than AWS_CLICACHE_WINDOW left, else a new
 * AssumeRole.  The source credentials are resolved anew at each call, so a
 * role whose credentials expire is assumed again with fresh ones (a new SSO
 * fetch, a new credential_process run, the next role of a chain assumed
 * again).  A role with mfa_serial needs a code (aws/mfa.h), asked for after
 * the source credentials are found, and what it gives is written to the
 * CLI's cache, so the next start within the session asks for none; a role
 * without one is not written there (ddtree keeps it in memory), but an entry
 * the CLI left is used. */
static int role_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	const struct role *d = data;
	struct aws_credentials src;
	char code[16], *user_arn = NULL, *user_id = NULL, *why = NULL;
	int r;

	memset(out, 0, sizeof *out);
	if (aws_clicache_load(d->cache_path, now, AWS_CLICACHE_WINDOW, out) == 1)
		goto found;
	if (aws_cred_chain_resolve(d->from, now, &src, msg) < 0) {
		*msg = or_oom(*msg);
		return AWS_CRED_ERROR;
	}
	if (d->serial && aws_mfa_code(d->profile, d->role_arn, d->serial, code, msg) < 0) {
		aws_credentials_free(&src);
		/* no code to be had (a refresh, no terminal): what is cached serves
		 * while it lasts at all */
		if (aws_clicache_load(d->cache_path, now, 60, out) == 1) {
			free(*msg);
			*msg = NULL;
			goto found;
		}
		*msg = or_oom(*msg);
		return AWS_CRED_ERROR;
	}
	r = assume_role(d, &src, now, d->serial ? code : NULL, out, &user_arn, &user_id, msg);
	OPENSSL_cleanse(code, sizeof code);
	aws_credentials_free(&src);
	if (r < 0) {
		*msg = or_oom(*msg);
		return AWS_CRED_ERROR;
	}
	/* a failed write costs only the next start's prompt */
	if (d->serial && d->cache_path &&
	    aws_clicache_store(d->cache_path, out, user_arn, user_id, &why) < 0)
		free(why);
	free(user_arn);
	free(user_id);
found:
	out->source = strdup(d->source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

/* Asking for an MFA code: this role's, or a role's further down. */
static bool role_interactive(const void *data)
{
	const struct role *d = data;

	return d->serial || aws_cred_chain_interactive(d->from);
}

static const struct aws_cred_provider role_provider = {
	.name = "assume role", .load = role_load, .free = role_free,
	.interactive = role_interactive,
};

static int parse_duration(const char *v, int *out)
{
	long n = 0;
	const char *p = v;

	for (; *p && isdigit((unsigned char)*p) && n <= 100000; p++)
		n = n * 10 + (*p - '0');
	if (p == v || *p || n < 900 || n > 43200)
		return -1;
	*out = (int)n;
	return 0;
}

int aws_role_add(struct aws_cred_chain *c, const struct aws_cred_setup *s,
                 aws_role_source_fn *source, void *ud)
{
	const struct aws_profile_view *f = &s->prof;
	const char *arn = aws_profile_view_get_nonempty(f, "role_arn");
	const char *sp = aws_profile_view_get_nonempty(f, "source_profile");
	const char *cs = aws_profile_view_get_nonempty(f, "credential_source");
	const char *dur = aws_profile_view_get_nonempty(f, "duration_seconds");
	const char *sn = aws_profile_view_get_nonempty(f, "role_session_name");
	const char *ext = aws_profile_view_get_nonempty(f, "external_id");
	const char *serial = aws_profile_view_get_nonempty(f, "mfa_serial");
	char *where = util_fmt("assume role (role_arn) in profile %s", f->name);
	struct role *d;
	char *err = NULL;

	if (!arn || aws_profile_view_get_nonempty(f, "web_identity_token_file"))
		return aws_cred_chain_add_verdict(c, &role_provider, where, NULL,
		                                  strdup("not configured"));
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	if (sp && cs)
		err = util_fmt("profile %s has both source_profile and credential_source (as "
		               "botocore, ddtree refuses that): keep the one that says whose "
		               "credentials assume role %s", f->name, arn);
	else if (!sp && !cs)
		err = util_fmt("profile %s has role_arn but neither source_profile nor "
		               "credential_source: add source_profile = <a profile whose "
		               "credentials may assume role %s>", f->name, arn);
	else if (dur && parse_duration(dur, &d->duration) < 0)
		err = util_fmt("duration_seconds of profile %s must be a whole number of seconds "
		               "from 900 to 43200", f->name);
	else if (!(err = sts_conf_build(s, &d->sts)))
		err = source(s, sp, cs, ud, &d->from);
	if (err) {
		role_free(d);
		return aws_cred_chain_add_verdict(c, &role_provider, where, err, NULL);
	}
	d->profile = strdup(f->name);
	d->role_arn = strdup(arn);
	d->session_name = util_strdup_or_null(sn);
	d->external_id = util_strdup_or_null(ext);
	d->serial = util_strdup_or_null(serial);
	d->source = util_fmt("assume role (profile %s)", f->name);
	if (!d->profile || !d->role_arn || (sn && !d->session_name) ||
	    (ext && !d->external_id) || (serial && !d->serial) || !d->source) {
		role_free(d);
		return aws_cred_chain_add(c, &role_provider, where, NULL);
	}
	/* the AWS CLI's cache entry: none without a home directory, or for
	 * arguments botocore could not have hashed (not UTF-8) */
	{
		struct aws_clicache_args ka = {
			.role_arn = arn, .session_name = sn, .external_id = ext, .serial = serial,
			.duration = d->duration,
		};
		const char *home = aws_profile_home();
		char hex[41];
		if (home && aws_clicache_key(&ka, hex) == 0 &&
		    !(d->cache_path = aws_clicache_path(home, hex))) {
			role_free(d);
			d = NULL;
		}
	}
	return aws_cred_chain_add(c, &role_provider, where, d);
}

static void wi_free(void *data)
{
	struct web_identity *d = data;

	aws_sts_conf_free(&d->sts);
	free(d->what);
	free(d->role_arn);
	free(d->session_name);
	free(d->token_file);
	free(d->token_file_from);
	free(d);
}

static int wi_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	const struct web_identity *d = data;

	if (web_identity(d, now, out, msg) < 0) {
		*msg = or_oom(*msg);
		return AWS_CRED_ERROR;
	}
	out->source = strdup(d->what);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

static const struct aws_cred_provider wi_provider = {
	.name = "web identity", .load = wi_load, .free = wi_free,
};

int aws_web_identity_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool use_env)
{
	const struct aws_profile_view *f = &s->prof;
	const char *tf_env = use_env ? util_getenv("AWS_WEB_IDENTITY_TOKEN_FILE") : NULL;
	const char *arn_env = use_env ? util_getenv("AWS_ROLE_ARN") : NULL;
	const char *sn_env = use_env ? util_getenv("AWS_ROLE_SESSION_NAME") : NULL;
	const char *tf = tf_env ? tf_env : aws_profile_view_get_nonempty(f, "web_identity_token_file");
	const char *arn = arn_env ? arn_env : aws_profile_view_get_nonempty(f, "role_arn");
	const char *sn = sn_env ? sn_env : aws_profile_view_get_nonempty(f, "role_session_name");
	char *where = util_fmt("web identity (web_identity_token_file in profile %s%s)",
	                       f->name, use_env ? ", AWS_WEB_IDENTITY_TOKEN_FILE" : "");
	struct web_identity *d;
	char *err;

	if (!tf)
		return aws_cred_chain_add_verdict(c, &wi_provider, where, NULL,
		                                  strdup("not configured"));
	if (!arn)
		return aws_cred_chain_add_verdict(c, &wi_provider, where,
		                                  util_fmt("%s is set, but no role ARN to assume "
		                                           "with the web identity token: set "
		                                           "AWS_ROLE_ARN or role_arn in profile %s",
		                                           tf_env ? "AWS_WEB_IDENTITY_TOKEN_FILE" :
		                                           "web_identity_token_file", f->name),
		                                  NULL);
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	err = sts_conf_build(s, &d->sts);
	if (err) {
		wi_free(d);
		return aws_cred_chain_add_verdict(c, &wi_provider, where, err, NULL);
	}
	d->what = tf_env ? strdup("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)")
	                 : util_fmt("web identity (profile %s)", f->name);
	d->token_file_from = tf_env ? strdup("AWS_WEB_IDENTITY_TOKEN_FILE")
	                            : util_fmt("web_identity_token_file of profile %s", f->name);
	d->role_arn = strdup(arn);
	d->session_name = util_strdup_or_null(sn);
	d->token_file = strdup(tf);
	if (!d->what || !d->token_file_from || !d->role_arn || (sn && !d->session_name) ||
	    !d->token_file) {
		wi_free(d);
		d = NULL;
	}
	return aws_cred_chain_add(c, &wi_provider, where, d);
}
