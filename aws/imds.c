/* aws/imds.c: EC2 instance metadata, the credentials of the instance's role
 * and its region (see imds.h).
 *
 * One fetch is botocore's InstanceMetadataFetcher: PUT /latest/api/token
 * (x-aws-ec2-metadata-token-ttl-seconds), GET
 * /latest/meta-data/iam/security-credentials/ for the role's name, GET
 * .../security-credentials/NAME for its keys, each GET with
 * x-aws-ec2-metadata-token.  Each call makes up to `attempts` attempts (a
 * connection failure, a timeout, 429 or 5xx is tried again at once).  The
 * token lives only for one fetch, in a buffer wiped afterwards.
 */
#include "aws/util.h"
#include "aws/imds.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "aws/http.h"
#include "aws/url.h"

#define TOKEN_PATH "/latest/api/token"
#define ROLE_PATH "/latest/meta-data/iam/security-credentials/"
#define REGION_PATH "/latest/meta-data/placement/region"
#define TEXT_MAX 200                     /* of the service's Code or Message */

static _Atomic long imds_timeout_override;

void aws_imds_set_timeout_ms(long ms)
{
	imds_timeout_override = ms > 0 ? ms : 0;
}

/* A message that may be NULL after a failed allocation. */
static char *or_oom(char *msg)
{
	return msg ? msg : strdup("out of memory");
}

/* ---- the settings ------------------------------------------------------ */

void aws_imds_conf_free(struct aws_imds_conf *c)
{
	if (!c)
		return;
	free(c->base);
	free(c->base_from);
	free(c->ca_bundle);
	free(c->err);
	memset(c, 0, sizeof *c);
}

static int conf_copy(struct aws_imds_conf *dst, const struct aws_imds_conf *src)
{
	*dst = *src;
	dst->base = util_strdup_or_null(src->base);
	dst->base_from = util_strdup_or_null(src->base_from);
	dst->ca_bundle = util_strdup_or_null(src->ca_bundle);
	dst->err = util_strdup_or_null(src->err);
	if ((src->base && !dst->base) || (src->base_from && !dst->base_from) ||
	    (src->ca_bundle && !dst->ca_bundle) || (src->err && !dst->err)) {
		aws_imds_conf_free(dst);
		return -1;
	}
	return 0;
}

/* The environment variable `env`, else the profile's `key`; *from names the
 * one that was set ("AWS_X" or "key in profile p", malloc'd). */
static const char *setting(const struct aws_profile_view *p, const char *env, const char *key,
                           char **from)
{
	const char *v = util_getenv(env);

	*from = NULL;
	if (v) {
		*from = strdup(env);
		return v;
	}
	v = p ? aws_profile_view_get_nonempty(p, key) : NULL;
	if (v)
		*from = util_fmt("%s in profile %s", key, p->name);
	return v;
}

/* A whole number from lo to hi: 0, or -1. */
static int whole(const char *v, long lo, long hi, long *out)
{
	long n = 0;
	const char *s = v;

	for (; *s && isdigit((unsigned char)*s) && n <= hi; s++)
		n = n * 10 + (*s - '0');
	if (s == v || *s || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

int aws_imds_conf_read(const struct aws_profile_view *p, const char *ca_bundle,
                       struct aws_imds_conf *out)
{
	const char *v;
	char *from = NULL;
	long n;

	memset(out, 0, sizeof *out);
	out->timeout_ms = AWS_IMDS_TIMEOUT_MS;
	out->attempts = AWS_IMDS_ATTEMPTS;
	/* botocore: os.environ.get('AWS_EC2_METADATA_DISABLED', 'false').lower() == 'true' */
	v = util_getenv("AWS_EC2_METADATA_DISABLED");
	out->disabled = v && strcasecmp(v, "true") == 0;
	v = setting(p, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled", &from);
	out->v1_disabled = v && strcasecmp(v, "true") == 0;
	free(from);
	if (ca_bundle && !(out->ca_bundle = strdup(ca_bundle)))
		goto nomem;

	if ((v = setting(p, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", &from))) {
		if (whole(v, 1, 60, &n) < 0 &&
		    !(out->err = util_fmt("%s must be a whole number of seconds from 1 to 60",
		                          from ? from : "metadata_service_timeout"))) {
			free(from);
			goto nomem;
		}
		out->timeout_ms = out->err ? AWS_IMDS_TIMEOUT_MS : n * 1000;
		free(from);
	}
	if (!out->err &&
	    (v = setting(p, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts",
	                 &from))) {
		if (whole(v, 1, 10, &n) < 0 &&
		    !(out->err = util_fmt("%s must be a whole number from 1 to 10",
		                          from ? from : "metadata_service_num_attempts"))) {
			free(from);
			goto nomem;
		}
		out->attempts = out->err ? AWS_IMDS_ATTEMPTS : (int)n;
		free(from);
	}

	/* botocore's _select_base_url: the configured endpoint wins over the
	 * mode (a warning when both are set); the mode picks a fixed address */
	if (!out->err &&
	    (v = setting(p, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint",
	                 &from))) {
		bool lo;
		char *err = NULL;
		/* http:// allowed: IMDS is plain http, and its own requests are not
		 * DynamoDB's (--allow-http) */
		if (aws_url_check_endpoint(v, from ? from : "ec2_metadata_service_endpoint", true,
		                           &out->base, &lo, &err) < 0)
			out->err = or_oom(err);
		out->base_from = from;
		from = NULL;
		if (!out->err && !out->base_from)
			goto nomem;
	} else if (!out->err) {
		const char *mode = setting(p, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		                           "ec2_metadata_service_endpoint_mode", &from);
		if (!mode || strcasecmp(mode, "ipv4") == 0) {
			out->base = strdup(AWS_IMDS_IPV4);
			out->base_from = strdup("the default address");
		} else if (strcasecmp(mode, "ipv6") == 0) {
			out->base = strdup(AWS_IMDS_IPV6);
			out->base_from = util_fmt("the IPv6 address (%s)", from ? from : "IPv6");
		} else {
			out->err = util_fmt("%s is %s, which is neither IPv4 nor IPv6",
			                    from ? from : "ec2_metadata_service_endpoint_mode", mode);
		}
		free(from);
		if (!out->err && (!out->base || !out->base_from))
			goto nomem;
	}
	if (out->err && util_has_control(out->err)) {
		for (char *s = out->err; *s; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				*s = '?';
	}
	return 0;
nomem:
	aws_imds_conf_free(out);
	return -1;
}

/* ---- the calls --------------------------------------------------------- */

enum { CALL_REPLY = 0, CALL_NO_ANSWER = -1, CALL_OOM = -2 };

/* One call: `method` ("PUT" for the token, else "GET") of base+path, with
 * the token header when `token`.  Up to c->attempts attempts: a connection
 * failure, a timeout, 429 or 5xx is tried again.  CALL_REPLY with *r (its
 * status may be 429 or 5xx after the last attempt), or CALL_NO_ANSWER with
 * *why (the last failure, curl's words, which name at most the host). */
static int imds_call(const struct aws_imds_conf *c, const char *method, const char *path,
                     const char *token, struct aws_http_reply *r, char **why)
{
	long limit = imds_timeout_override ? imds_timeout_override : c->timeout_ms;
	char *url = util_fmt("%s%s", c->base, path), *header = NULL;
	const char *hs[1];
	int rc = CALL_NO_ANSWER;

	*why = NULL;
	memset(r, 0, sizeof *r);
	if (strcmp(method, "PUT") == 0)
		header = strdup("x-aws-ec2-metadata-token-ttl-seconds: " AWS_IMDS_TOKEN_TTL);
	else if (token)
		header = util_join_secure("x-aws-ec2-metadata-token: ", token);
	if (!url || ((token || strcmp(method, "PUT") == 0) && !header)) {
		rc = CALL_OOM;
		goto done;
	}
	hs[0] = header;
	for (int attempt = 1; attempt <= c->attempts; attempt++) {
		char *w = NULL;
		int g = aws_http_request(method, url, hs, header ? 1 : 0, NULL, 0, c->ca_bundle,
		                         true, limit, r, &w);

		free(*why);
		*why = NULL;
		if (g == AWS_HTTP_OK && (r->status == 429 || r->status >= 500) &&
		    attempt < c->attempts) {
			aws_http_reply_free(r);
			continue;
		}
		if (g == AWS_HTTP_OK) {
			rc = CALL_REPLY;
			break;
		}
		if (g == AWS_HTTP_TIMEOUT) {
			char *s = aws_http_limit_text(limit);
			*why = util_fmt("no answer within %s", s ? s : "the time limit");
			free(s);
			free(w);
		} else {
			*why = w;
		}
	}
	if (rc == CALL_NO_ANSWER && *why) {
		char *s = util_fmt("%s (%d attempt%s)", *why, c->attempts, c->attempts > 1 ? "s" : "");
		free(*why);
		*why = s;
	}
	if (rc == CALL_NO_ANSWER && !*why)
		rc = CALL_OOM;
done:
	free(url);
	util_wipe_free(header);
	return rc;
}

/* What the token request gave. */
enum { TOKEN_V2, TOKEN_V1, TOKEN_ABSENT, TOKEN_ERROR };

/* The session token.  TOKEN_V2 with *token (wipe it); TOKEN_V1: go on
 * without one; TOKEN_ABSENT with *why: nothing answered; TOKEN_ERROR with
 * *why.
 *
 * The IMDSv1 fallback.  botocore's IMDSFetcher._fetch_metadata_token gives
 * "no token" (so the GETs go without one: IMDSv1) when the PUT is answered
 * 403, 404 or 405: a service that does not know or allow the token request
 * (an IMDSv1-only service or emulator, a PUT refused on the way); 400 is an
 * error (BadIMDSRequestError).  botocore also falls back after a read
 * timeout and after its attempts all failed otherwise (connection errors,
 * other statuses such as 5xx).  ddtree falls back only on 403, 404 and
 * 405: after a timeout or a connection failure the same service would most
 * likely not answer the GETs either, which would only double the wait on a
 * machine without IMDS, and a 5xx is a failing service, not an IMDSv1-only
 * one.  The one setup this loses is a container behind an instance's hop
 * limit of 1 with IMDSv1 still allowed (the token's reply is dropped, a
 * GET's is not); AWS advises a hop limit of 2 for containers.
 * AWS_EC2_METADATA_V1_DISABLED (ec2_metadata_v1_disabled) turns the
 * fallback off, as in botocore. */
static int imds_token(const struct aws_imds_conf *c, char **token, char **why)
{
	struct aws_http_reply r;
	char *w = NULL;
	int g = imds_call(c, "PUT", TOKEN_PATH, NULL, &r, &w);
	int rc;

	*token = NULL;
	*why = NULL;
	if (g == CALL_OOM) {
		*why = strdup("out of memory");
		return TOKEN_ERROR;
	}
	if (g == CALL_NO_ANSWER) {
		*why = util_fmt("nothing answers at %s (%s): %s", c->base, c->base_from, w);
		free(w);
		return TOKEN_ABSENT;
	}
	if (r.status == 200) {
		size_t n = r.len;
		while (n > 0 && isspace((unsigned char)r.body[n - 1]))
			n--;
		if (n == 0 || n > 4096 || memchr(r.body, '\0', n)) {
			*why = util_fmt("the instance metadata service at %s answered the token "
			                "request with no usable token", c->base);
			rc = TOKEN_ERROR;
		} else {
			r.body[n] = '\0';
			if (util_has_control(r.body)) {
				*why = util_fmt("the instance metadata service at %s answered the token "
				                "request with no usable token", c->base);
				rc = TOKEN_ERROR;
			} else {
				*token = strdup(r.body);
				rc = *token ? TOKEN_V2 : TOKEN_ERROR;
			}
		}
	} else if (r.status == 403 || r.status == 404 || r.status == 405) {
		if (c->v1_disabled) {
			*why = util_fmt("the instance metadata service at %s refused the IMDSv2 token "
			                "request (HTTP %ld), and IMDSv1 is disabled "
			                "(AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)",
			                c->base, r.status);
			rc = TOKEN_ERROR;
		} else {
			rc = TOKEN_V1;
		}
	} else {
		*why = util_fmt("the instance metadata service at %s answered the token request "
		                "with HTTP %ld%s", c->base, r.status,
		                r.status >= 500 || r.status == 429 ? (c->attempts > 1 ?
		                " after every attempt" : "") : "");
		rc = TOKEN_ERROR;
	}
	aws_http_reply_free(&r);
	if (rc == TOKEN_ERROR && !*why)
		*why = strdup("out of memory");
	return rc;
}

/* GET base+path with the token (NULL: IMDSv1).  0 with *body (malloc'd,
 * wipe it) for a 200 with a body; 1 for a 404, -1 for anything else, each
 * with *why. */
static int imds_get(const struct aws_imds_conf *c, const char *path, const char *what,
                    const char *token, char **body, size_t *len, char **why)
{
	struct aws_http_reply r;
	char *w = NULL;
	int g = imds_call(c, "GET", path, token, &r, &w), rc = -1;

	*body = NULL;
	*why = NULL;
	if (g == CALL_OOM) {
		*why = strdup("out of memory");
		return -1;
	}
	if (g == CALL_NO_ANSWER) {
		*why = util_fmt("the instance metadata service at %s stopped answering (%s): %s",
		                c->base, what, w);
		free(w);
		return -1;
	}
	if (r.status == 200 && r.len > 0 && !memchr(r.body, '\0', r.len)) {
		*body = r.body;
		*len = r.len;
		r.body = NULL;
		r.cap = 0;
		rc = 0;
	} else if (r.status == 200) {
		*why = util_fmt("the instance metadata service at %s sent an empty reply (%s)",
		                c->base, what);
	} else if (r.status == 404) {
		*why = util_fmt("the instance metadata service at %s answered HTTP 404 (%s)",
		                c->base, what);
		rc = 1;
	} else if (r.status == 401 && !token) {
		*why = util_fmt("the instance metadata service at %s refused a request without "
		                "a token (HTTP 401, %s): the instance requires IMDSv2, but its "
		                "token request was refused", c->base, what);
	} else {
		*why = util_fmt("the instance metadata service at %s answered HTTP %ld (%s)",
		                c->base, r.status, what);
	}
	aws_http_reply_free(&r);
	if (rc != 0 && !*why)
		*why = strdup("out of memory");
	return rc;
}

/* ---- the credentials --------------------------------------------------- */

/* Server text made safe to show: control characters become '?', at most
 * TEXT_MAX bytes. */
static char *tame(const char *s)
{
	char *t = util_fmt("%.*s%s", TEXT_MAX, s, strlen(s) > TEXT_MAX ? "..." : "");

	for (char *p = t; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

int aws_imds_parse_credentials(const char *json, size_t len, struct aws_credentials *out,
                               char **err)
{
	static const char bad[] = "the instance metadata service's credentials are not the "
		"expected JSON (AccessKeyId, SecretAccessKey, Token and Expiration)";
	json_t *root;
	const char *code, *msg, *ak, *sk, *tok, *exp;

	memset(out, 0, sizeof *out);
	*err = NULL;
	root = json_loadb(json, len, 0, NULL);   /* the parser's error may quote a secret */
	if (!json_is_object(root)) {
		json_decref(root);
		*err = strdup(bad);
		return -1;
	}
	/* an error the service explains ({"Code":"AssumeRoleUnauthorizedAccess",
	 * "Message":...}): botocore logs it and finds nothing */
	if (util_json_str(root, "Code", &code) > 0 && strcmp(code, "Success") != 0) {
		char *c = tame(code), *m = NULL;
		if (util_json_str(root, "Message", &msg) > 0)
			m = tame(msg);
		*err = util_fmt("the instance metadata service has no credentials for the role: "
		                "%s%s%s", c ? c : "?", m ? ": " : "", m ? m : "");
		free(c);
		free(m);
		json_decref(root);
		return -1;
	}
	if (util_json_str(root, "AccessKeyId", &ak) <= 0 ||
	    util_json_str(root, "SecretAccessKey", &sk) <= 0 || util_json_str(root, "Token", &tok) <= 0 ||
	    util_json_str(root, "Expiration", &exp) <= 0 ||
	    util_rfc3339_parse(exp, &out->expiration) < 0) {
		json_decref(root);
		out->expiration = 0;
		*err = strdup(bad);
		return -1;
	}
	out->access_key_id = strdup(ak);
	out->secret_access_key = strdup(sk);
	out->session_token = strdup(tok);
	json_decref(root);
	if (!out->access_key_id || !out->secret_access_key || !out->session_token) {
		aws_credentials_free(out);
		*err = strdup("out of memory");
		return -1;
	}
	return 0;
}

/* IAM role names: letters, digits and + = , . @ _ -, at most 64. */
static bool role_name_valid(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+=,.@_-", s[i]))
			return false;
	return true;
}

/* A fetch: AWS_CRED_FOUND with *out (source set), AWS_CRED_NONE with *msg
 * (nothing answers, no role attached) or AWS_CRED_ERROR with *msg. */
static int imds_fetch(const struct aws_imds_conf *c, struct aws_credentials *out, char **msg)
{
	char *token = NULL, *why = NULL, *body = NULL, *role = NULL, *path = NULL, *what = NULL;
	size_t len = 0, n;
	int t, g, rc = AWS_CRED_ERROR;

	memset(out, 0, sizeof *out);
	*msg = NULL;
	t = imds_token(c, &token, &why);
	if (t == TOKEN_ABSENT || t == TOKEN_ERROR) {
		*msg = why;
		return t == TOKEN_ABSENT ? AWS_CRED_NONE : AWS_CRED_ERROR;
	}
	g = imds_get(c, ROLE_PATH, "the role's name", token, &body, &len, &why);
	if (g == 1) {
		free(why);
		*msg = util_fmt("no IAM role is attached to this instance (an instance profile; "
		                "%s answered 404 for %s)", c->base, ROLE_PATH);
		rc = AWS_CRED_NONE;
		goto done;
	}
	if (g < 0) {
		*msg = why;
		goto done;
	}
	n = strcspn(body, "\r\n");           /* the first line */
	if (!role_name_valid(body, n)) {
		*msg = util_fmt("the instance metadata service at %s gave no valid role name",
		                c->base);
		goto done;
	}
	role = strndup(body, n);
	util_wipe_free(body);
	body = NULL;
	path = role ? util_fmt("%s%s", ROLE_PATH, role) : NULL;
	what = role ? util_fmt("the credentials of role %s", role) : NULL;
	if (!path || !what)
		goto done;
	g = imds_get(c, path, what, token, &body, &len, &why);
	if (g != 0) {
		*msg = why;
		goto done;
	}
	if (aws_imds_parse_credentials(body, len, out, &why) < 0) {
		*msg = util_fmt("%s (role %s, from %s)", why, role, c->base);
		free(why);
		goto done;
	}
	out->source = util_fmt("EC2 instance metadata (role %s%s)", role,
	                       t == TOKEN_V1 ? ", IMDSv1" : "");
	if (!out->source) {
		aws_credentials_free(out);
		goto done;
	}
	rc = AWS_CRED_FOUND;
done:
	if (rc != AWS_CRED_FOUND && !*msg)
		*msg = strdup("out of memory");
	util_wipe_free(token);
	util_wipe_free(body);
	free(role);
	free(path);
	free(what);
	return rc;
}

int aws_imds_region(const struct aws_imds_conf *c, char **region, char **why)
{
	char *token = NULL, *body = NULL, *w = NULL;
	size_t len = 0, n;
	int t, g, rc = -1;

	*region = NULL;
	*why = NULL;
	if (c->disabled) {
		*why = strdup("disabled (AWS_EC2_METADATA_DISABLED)");
		return -1;
	}
	if (c->err) {
		*why = strdup(c->err);
		return -1;
	}
	t = imds_token(c, &token, &w);
	if (t == TOKEN_ABSENT || t == TOKEN_ERROR) {
		*why = w;
		return -1;
	}
	g = imds_get(c, REGION_PATH, "the region", token, &body, &len, &w);
	if (g != 0) {
		*why = w;
		goto done;
	}
	n = strcspn(body, "\r\n");
	body[n] = '\0';
	if (!aws_url_region_valid(body)) {
		*why = util_fmt("the instance metadata service at %s gave no valid region name",
		                c->base);
		goto done;
	}
	*region = strdup(body);
	rc = *region ? 0 : -1;
done:
	if (rc < 0 && !*why)
		*why = strdup("out of memory");
	util_wipe_free(token);
	util_wipe_free(body);
	return rc;
}

/* ---- the provider ------------------------------------------------------ */

static void imds_free(void *data)
{
	aws_imds_conf_free(data);
	free(data);
}

static int imds_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	(void)now;
	return imds_fetch(data, out, msg);
}

static const struct aws_cred_provider imds_provider = {
	.name = "EC2 instance metadata", .load = imds_load, .free = imds_free,
};

int aws_imds_add(struct aws_cred_chain *c, const struct aws_cred_setup *s, bool local)
{
	const struct aws_imds_conf *conf = s->imds;
	char *where = util_fmt("EC2 instance metadata (IMDS%s%s)", conf && conf->base ? " at " : "",
	                       conf && conf->base ? conf->base : "");
	struct aws_imds_conf *d;

	if (!conf)
		return aws_cred_chain_add_verdict(c, &imds_provider, where, NULL,
		                                  strdup("not configured"));
	if (conf->disabled)
		return aws_cred_chain_add_verdict(c, &imds_provider, where, NULL,
		                                  strdup("disabled (AWS_EC2_METADATA_DISABLED=true)"));
	if (local)
		return aws_cred_chain_add_verdict(c, &imds_provider, where, NULL,
		                                  strdup("not asked: the endpoint is on this machine"));
	if (conf->err)
		return aws_cred_chain_add_verdict(c, &imds_provider, where, strdup(conf->err), NULL);
	d = calloc(1, sizeof *d);
	if (!d || conf_copy(d, conf) < 0) {
		free(d);
		free(where);
		return -1;
	}
	return aws_cred_chain_add(c, &imds_provider, where, d);
}
