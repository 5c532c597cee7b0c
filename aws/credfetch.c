/* aws/credfetch.c: SSO and container credentials (see credfetch.h).
 *
 * Both ask their web service with aws/http.c's small blocking call.
 */
#include "aws/util.h"
#include "aws/credfetch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aws/credproc.h"
#include "aws/http.h"
#include "aws/profile.h"
#include "aws/url.h"

#define CONTAINER_PAUSE_MS 250

static _Atomic long sso_timeout_ms = AWS_SSO_TIMEOUT_MS;
static _Atomic long container_timeout_ms = AWS_CONTAINER_TIMEOUT_MS;
static _Atomic long container_pause_ms = CONTAINER_PAUSE_MS;

void aws_credfetch_set_timing(long sso_ms, long container_ms, long pause_ms)
{
	sso_timeout_ms = sso_ms > 0 ? sso_ms : AWS_SSO_TIMEOUT_MS;
	container_timeout_ms = container_ms > 0 ? container_ms : AWS_CONTAINER_TIMEOUT_MS;
	container_pause_ms = pause_ms > 0 ? pause_ms : CONTAINER_PAUSE_MS;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* ---- the request ----------------------------------------------------------- */

enum get_result { GET_OK = AWS_HTTP_OK, GET_TIMEOUT = AWS_HTTP_TIMEOUT,
                  GET_FAILED = AWS_HTTP_FAILED };

/* GET url with one extra header (may be NULL; it is a secret).  GET_OK with
 * r->status set, or GET_TIMEOUT / GET_FAILED with *why (a curl message that
 * names at most the host). */
static enum get_result http_get(const char *url, const char *header, const char *ca_bundle,
                                bool no_proxy, long timeout_ms, struct aws_http_reply *r,
                                char **why)
{
	const char *hs[1] = { header };

	return (enum get_result)aws_http_call(url, hs, header ? 1 : 0, NULL, 0, ca_bundle,
	                                      no_proxy, timeout_ms, r, why);
}

/* "2 s" or "1.5 s" */
static char *seconds(long ms)
{
	return ms % 1000 == 0 ? util_fmt("%ld s", ms / 1000)
	                      : util_fmt("%ld.%03ld s", ms / 1000, ms % 1000);
}

/* Percent-encode everything but RFC 3986's unreserved characters. */
static char *uri_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(3 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c && strchr("-._~", c))) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* A string member: 1 non-empty string, 0 absent or null, -1 other. */
static int member_str(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || !*json_string_value(v))
		return -1;
	*out = json_string_value(v);
	return 1;
}

/* ---- SSO --------------------------------------------------------------- */

void aws_sso_conf_free(struct aws_sso_conf *c)
{
	if (!c)
		return;
	free(c->profile);
	free(c->session);
	free(c->start_url);
	free(c->region);
	free(c->account_id);
	free(c->role_name);
	free(c->cache_path);
	free(c->portal_url);
	free(c->ca_bundle);
	memset(c, 0, sizeof *c);
}

int aws_sso_cache_key(const char *key, char hex[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	hex[0] = '\0';
	if (!key || EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL) != 1 || n != 20)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int aws_sso_parse_reply(const char *json, size_t len, struct aws_credentials *out,
                        char **err)
{
	static const char bad[] = "the SSO portal's reply is not the expected JSON "
		"(roleCredentials with accessKeyId, secretAccessKey, sessionToken and expiration)";
	json_error_t jerr;
	json_t *root, *rc, *exp;
	const char *ak, *sk, *tok;
	double ms;

	memset(out, 0, sizeof *out);
	*err = NULL;
	root = json_loadb(json, len, 0, &jerr);   /* jerr may quote a secret: unused */
	rc = json_object_get(root, "roleCredentials");
	exp = json_object_get(rc, "expiration");
	if (!json_is_object(rc) || member_str(rc, "accessKeyId", &ak) <= 0 ||
	    member_str(rc, "secretAccessKey", &sk) <= 0 ||
	    member_str(rc, "sessionToken", &tok) <= 0 || !json_is_number(exp)) {
		json_decref(root);
		*err = strdup(bad);
		return -1;
	}
	ms = json_number_value(exp);
	if (ms <= 0 || ms > 253402300799000.0) {         /* after year 9999 */
		json_decref(root);
		*err = strdup(bad);
		return -1;
	}
	out->expiration = (time_t)(ms / 1000);
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

/* The cached token: 0 with *token (wipe it), or -1 with *err. */
static int sso_read_token(const struct aws_sso_conf *c, time_t now, char **token, char **err)
{
	char *text = NULL, *why = NULL, when[40], exp_s[64];
	size_t len = 0;
	json_t *root;
	const char *tok, *exp;
	time_t expires;
	int rc = -1;

	*token = NULL;
	if (aws_profile_read_file(c->cache_path, &text, &len, &why) < 0) {
		*err = util_fmt("cannot read the SSO token cache for profile %s: %s", c->profile,
		                why ? why : "?");
		free(why);
		return -1;
	}
	if (!text) {
		*err = util_fmt("no SSO login found for profile %s (%s does not exist): "
		                "run: aws sso login --profile %s", c->profile, c->cache_path,
		                c->profile);
		return -1;
	}
	root = json_loadb(text, len, 0, NULL);
	util_wipe_free(text);
	if (member_str(root, "accessToken", &tok) <= 0 || member_str(root, "expiresAt", &exp) <= 0) {
		*err = util_fmt("the SSO token cache %s has no accessToken and expiresAt: "
		                "run: aws sso login --profile %s", c->cache_path, c->profile);
		goto done;
	}
	/* older CLIs wrote "2019-11-14T04:05:45UTC" */
	snprintf(exp_s, sizeof exp_s, "%s", exp);
	len = strlen(exp_s);
	if (len > 3 && strcmp(exp_s + len - 3, "UTC") == 0)
		strcpy(exp_s + len - 3, "Z");
	if (util_rfc3339_parse(exp_s, &expires) < 0) {
		*err = util_fmt("the SSO token cache %s has an expiresAt that is not a time: "
		                "run: aws sso login --profile %s", c->cache_path, c->profile);
		goto done;
	}
	if (expires <= now) {
		struct tm tm;
		gmtime_r(&expires, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		*err = util_fmt("the SSO session of profile %s expired at %s: "
		                "run: aws sso login --profile %s", c->profile, when, c->profile);
		goto done;
	}
	*token = strdup(tok);
	if (!*token) {
		*err = strdup("out of memory");
		goto done;
	}
	rc = 0;
done:
	json_decref(root);
	return rc;
}

int aws_sso_fetch(const struct aws_sso_conf *c, time_t now,
                  struct aws_credentials *out, char **err)
{
	char *token = NULL, *header = NULL, *url = NULL, *acct = NULL, *role = NULL;
	char *why = NULL, *limit = NULL;
	long timeout = sso_timeout_ms;
	struct aws_http_reply r;
	enum get_result g;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (sso_read_token(c, now, &token, err) < 0)
		return -1;
	if (has_control(token)) {
		*err = util_fmt("the SSO token cache %s holds a malformed accessToken: "
		                "run: aws sso login --profile %s", c->cache_path, c->profile);
		goto done;
	}
	acct = uri_encode(c->account_id);
	role = uri_encode(c->role_name);
	if (acct && role)
		url = util_fmt("%s/federation/credentials?account_id=%s&role_name=%s",
		               c->portal_url, acct, role);
	header = util_join_secure("x-amz-sso_bearer_token: ", token);
	if (!url || !header)
		goto done;
	g = http_get(url, header, c->ca_bundle, aws_url_is_loopback(c->portal_url),
	             timeout, &r, &why);
	if (g == GET_TIMEOUT) {
		limit = seconds(timeout);
		*err = util_fmt("the SSO portal %s did not answer within %s (profile %s)",
		                c->portal_url, limit ? limit : "the time limit", c->profile);
		goto done;
	}
	if (g == GET_FAILED) {
		*err = util_fmt("cannot reach the SSO portal %s (profile %s): %s", c->portal_url,
		                c->profile, why ? why : "?");
		goto done;
	}
	if (r.status == 401 || r.status == 403) {
		*err = util_fmt("the SSO portal refused the credentials (HTTP %ld): the SSO token "
		                "expired or was revoked, or it gives no access to account %s with "
		                "role %s (sso_account_id, sso_role_name of profile %s). "
		                "run: aws sso login --profile %s",
		                r.status, c->account_id, c->role_name, c->profile, c->profile);
	} else if (r.status != 200) {
		*err = util_fmt("the SSO portal %s answered HTTP %ld to the credentials request "
		                "(profile %s)", c->portal_url, r.status, c->profile);
	} else if (aws_sso_parse_reply(r.body ? r.body : "", r.len, out, &why) < 0) {
		free(why);
		why = NULL;
		*err = util_fmt("the SSO portal %s gave no credentials (profile %s): its reply is "
		                "not the expected JSON (roleCredentials with accessKeyId, "
		                "secretAccessKey, sessionToken and expiration)", c->portal_url,
		                c->profile);
	} else {
		rc = 0;
	}
	aws_http_reply_free(&r);
done:
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	util_wipe_free(token);
	util_wipe_free(header);
	free(url);
	free(acct);
	free(role);
	free(why);
	free(limit);
	return rc;
}

/* ---- container --------------------------------------------------------- */

void aws_container_conf_free(struct aws_container_conf *c)
{
	if (!c)
		return;
	free(c->url);
	free(c->base);
	free(c->token_file);
	util_wipe_free(c->token);
	free(c->ca_bundle);
	memset(c, 0, sizeof *c);
}

/* Is the host (as curl's URL parser gives it: IPv6 in brackets) one the
 * container rule lets plain http:// reach?  Sets *link_local for the two
 * ECS/EKS addresses. */
static bool host_allowed(const char *host, bool *loopback)
{
	static const char *const v4[] = { "169.254.170.2", "169.254.170.23" };
	char *probe;
	bool lo;

	*loopback = false;
	for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++)
		if (strcmp(host, v4[i]) == 0)
			return true;
	if (host[0] == '[') {
		char h[64];
		size_t n = strlen(host);
		struct in6_addr a, want;
		if (n < 3 || n - 2 >= sizeof h || host[n - 1] != ']')
			return false;
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		if (inet_pton(AF_INET6, h, &a) == 1 && inet_pton(AF_INET6, "fd00:ec2::23", &want) == 1 &&
		    memcmp(&a, &want, sizeof a) == 0)
			return true;
	}
	probe = util_fmt("http://%s/", host);
	lo = probe && aws_url_is_loopback(probe);
	free(probe);
	*loopback = lo;
	return lo;
}

/* Split with curl's parser (the one that will make the request): scheme and
 * host (lower-cased by curl), port or NULL.  0, or -1. */
static int url_parts(const char *url, char **scheme, char **host, char **port, bool *userinfo)
{
	CURLU *u = curl_url();
	char *user = NULL;
	int rc = -1;

	*scheme = *host = *port = NULL;
	*userinfo = false;
	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_PORT, port, 0);
		if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
			*userinfo = true;
			curl_free(user);
		}
		rc = 0;
	}
	curl_url_cleanup(u);
	if (rc < 0) {
		curl_free(*scheme);
		curl_free(*host);
		*scheme = *host = NULL;
	}
	return rc;
}

bool aws_container_url_allowed(const char *url)
{
	char *scheme, *host, *port;
	bool ok = false, userinfo, lo;

	if (!url || has_control(url) || strchr(url, ' ') ||
	    url_parts(url, &scheme, &host, &port, &userinfo) < 0)
		return false;
	if (!userinfo) {
		if (strcasecmp(scheme, "https") == 0)
			ok = true;
		else if (strcasecmp(scheme, "http") == 0)
			ok = host_allowed(host, &lo);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	return ok;
}

int aws_container_conf_from_env(struct aws_container_conf *c, const char *ca_bundle,
                                char **err)
{
	const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tf = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");

	memset(c, 0, sizeof *c);
	*err = NULL;
	if (!rel && !full)
		return 0;
	if (rel) {
		c->url_source = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
		if (rel[0] != '/' || has_control(rel) || strchr(rel, ' ')) {
			*err = strdup("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path that "
			              "starts with / (and holds no space or control character)");
			goto fail;
		}
		c->url = util_fmt("%s%s", AWS_CONTAINER_RELATIVE_HOST, rel);
		c->base = strdup(AWS_CONTAINER_RELATIVE_HOST);
		c->no_proxy = true;
	} else {
		char *scheme, *host, *port;
		bool userinfo, lo = false, https;

		c->url_source = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
		if (has_control(full) || strchr(full, ' ') ||
		    url_parts(full, &scheme, &host, &port, &userinfo) < 0) {
			*err = strdup("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL");
			goto fail;
		}
		https = strcasecmp(scheme, "https") == 0;
		if (userinfo)
			*err = strdup("AWS_CONTAINER_CREDENTIALS_FULL_URI must not contain "
			              "user:password@");
		else if (!https && strcasecmp(scheme, "http") != 0)
			*err = strdup("AWS_CONTAINER_CREDENTIALS_FULL_URI must start with "
			              "https:// or http://");
		else if (!https && !host_allowed(host, &lo))
			*err = util_fmt("AWS_CONTAINER_CREDENTIALS_FULL_URI points at %s, which ddtree "
			                "(like botocore) refuses: it must be an https:// URL, or an "
			                "http:// URL on a loopback address, 169.254.170.2, "
			                "169.254.170.23 or [fd00:ec2::23]", host);
		if (!*err) {
			c->url = strdup(full);
			c->base = util_fmt("%s://%s%s%s", scheme, host, port ? ":" : "",
			                   port ? port : "");
			c->no_proxy = !https || lo;
		}
		curl_free(scheme);
		curl_free(host);
		curl_free(port);
		if (*err)
			goto fail;
	}
	if (tf)
		c->token_file = strdup(tf);
	else if (tok)
		c->token = strdup(tok);
	c->ca_bundle = xstrdup(ca_bundle);
	if (!c->url || !c->base || (tf && !c->token_file) || (!tf && tok && !c->token) ||
	    (ca_bundle && !c->ca_bundle)) {
		*err = strdup("out of memory");
		goto fail;
	}
	return 1;
fail:
	if (!*err)
		*err = strdup("out of memory");
	aws_container_conf_free(c);
	return -1;
}

int aws_container_parse_reply(const char *json, size_t len, const char *what,
                              struct aws_credentials *out, char **err)
{
	json_t *root;
	const char *ak, *sk, *tok, *exp;
	int r;

	memset(out, 0, sizeof *out);
	*err = NULL;
	root = json_loadb(json, len, 0, NULL);
	if (!json_is_object(root)) {
		*err = util_fmt("%s: the reply is not a JSON object", what);
		goto fail;
	}
	if (member_str(root, "AccessKeyId", &ak) <= 0 ||
	    member_str(root, "SecretAccessKey", &sk) <= 0) {
		*err = util_fmt("%s: the reply has no AccessKeyId and SecretAccessKey strings", what);
		goto fail;
	}
	if (member_str(root, "Token", &tok) < 0) {
		*err = util_fmt("%s: the reply's Token is not a string", what);
		goto fail;
	}
	r = member_str(root, "Expiration", &exp);
	if (r < 0 || (r > 0 && util_rfc3339_parse(exp, &out->expiration) < 0)) {
		*err = util_fmt("%s: the reply's Expiration is not an RFC 3339 time", what);
		goto fail;
	}
	out->access_key_id = strdup(ak);
	out->secret_access_key = strdup(sk);
	out->session_token = xstrdup(tok);
	if (!out->access_key_id || !out->secret_access_key || (tok && !out->session_token)) {
		*err = strdup("out of memory");
		goto fail;
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	aws_credentials_free(out);
	if (!*err)
		*err = strdup("out of memory");
	return -1;
}

/* The Authorization value: 0 with *tok (NULL: none; wipe it), or -1. */
static int container_token(const struct aws_container_conf *c, char **tok, char **err)
{
	const char *from = c->token_file ? "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	                                 : "AWS_CONTAINER_AUTHORIZATION_TOKEN";
	char *why = NULL;
	size_t len = 0;

	*tok = NULL;
	if (c->token_file) {
		if (aws_profile_read_file(c->token_file, tok, &len, &why) < 0) {
			*err = util_fmt("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %s",
			                why ? why : "?");
			free(why);
			return -1;
		}
		if (!*tok) {
			*err = util_fmt("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s does not exist",
			                c->token_file);
			return -1;
		}
	} else if (c->token) {
		*tok = strdup(c->token);
		if (!*tok) {
			*err = strdup("out of memory");
			return -1;
		}
	}
	if (*tok && strpbrk(*tok, "\r\n")) {
		*err = util_fmt("the container authorization token from %s contains a line break "
		                "(CR or LF), which an HTTP header cannot carry%s", from,
		                c->token_file ? " (write the file without a trailing newline)" : "");
		util_wipe_free(*tok);
		*tok = NULL;
		return -1;
	}
	return 0;
}

int aws_container_fetch(const struct aws_container_conf *c,
                        struct aws_credentials *out, char **err)
{
	long limit = container_timeout_ms, pause = container_pause_ms;
	char *tok = NULL, *header = NULL, *last = NULL, *what = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (container_token(c, &tok, err) < 0)
		return -1;
	if (tok && !(header = util_join_secure("Authorization: ", tok)))
		goto done;
	what = util_fmt("container credentials from %s (%s)", c->base, c->url_source);
	if (!what)
		goto done;
	for (int attempt = 1; attempt <= AWS_CONTAINER_ATTEMPTS; attempt++) {
		struct aws_http_reply r;
		char *why = NULL;
		enum get_result g;

		if (attempt > 1) {
			struct timespec ts = { pause / 1000, (pause % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		g = http_get(c->url, header, c->ca_bundle, c->no_proxy, limit, &r, &why);
		free(last);
		last = NULL;
		if (g == GET_TIMEOUT) {
			char *s = seconds(limit);
			last = util_fmt("no answer within %s", s ? s : "the time limit");
			free(s);
			free(why);
			continue;
		}
		if (g == GET_FAILED) {
			last = why;
			continue;
		}
		if (r.status == 200) {
			if (aws_container_parse_reply(r.body ? r.body : "", r.len, what, out, err) == 0)
				rc = 0;
			aws_http_reply_free(&r);
			goto done;
		}
		if (r.status == 429 || r.status >= 500) {
			last = util_fmt("HTTP %ld", r.status);
			aws_http_reply_free(&r);
			continue;
		}
		*err = util_fmt("%s: HTTP %ld%s", what, r.status,
		                r.status == 401 || r.status == 403 ?
		                " (check AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or "
		                "AWS_CONTAINER_AUTHORIZATION_TOKEN)" : "");
		aws_http_reply_free(&r);
		goto done;
	}
	*err = util_fmt("%s failed after %d attempts: %s", what, AWS_CONTAINER_ATTEMPTS,
	                last ? last : "?");
done:
	if (rc < 0 && !*err)
		*err = strdup("out of memory");
	util_wipe_free(tok);
	util_wipe_free(header);
	free(last);
	free(what);
	return rc;
}
