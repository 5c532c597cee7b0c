/* aws/container.c: the container credentials provider (see container.h).
 *
 * The settings come from the environment when the chain is built; each
 * fetch reads the authorization token (from its file, when one is named)
 * and GETs the endpoint with aws/http.c's small call.
 */
#include "aws/util.h"
#include "aws/container.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

#include "aws/http.h"
#include "aws/url.h"

#define CONTAINER_PAUSE_MS 250

static _Atomic long container_timeout_ms = AWS_CONTAINER_TIMEOUT_MS;
static _Atomic long container_pause_ms = CONTAINER_PAUSE_MS;

void aws_container_set_timing(long attempt_ms, long pause_ms)
{
	container_timeout_ms = attempt_ms > 0 ? attempt_ms : AWS_CONTAINER_TIMEOUT_MS;
	container_pause_ms = pause_ms > 0 ? pause_ms : CONTAINER_PAUSE_MS;
}

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

	if (!url || util_has_control(url) || strchr(url, ' ') ||
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
	const char *rel = util_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = util_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *tf = util_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = util_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");

	memset(c, 0, sizeof *c);
	*err = NULL;
	if (!rel && !full)
		return 0;
	if (rel) {
		c->url_source = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
		if (rel[0] != '/' || util_has_control(rel) || strchr(rel, ' ')) {
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
		if (util_has_control(full) || strchr(full, ' ') ||
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
	c->ca_bundle = util_strdup_or_null(ca_bundle);
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
	if (util_json_str(root, "AccessKeyId", &ak) <= 0 ||
	    util_json_str(root, "SecretAccessKey", &sk) <= 0) {
		*err = util_fmt("%s: the reply has no AccessKeyId and SecretAccessKey strings", what);
		goto fail;
	}
	if (util_json_str(root, "Token", &tok) < 0) {
		*err = util_fmt("%s: the reply's Token is not a string", what);
		goto fail;
	}
	r = util_json_str(root, "Expiration", &exp);
	if (r < 0 || (r > 0 && util_rfc3339_parse(exp, &out->expiration) < 0)) {
		*err = util_fmt("%s: the reply's Expiration is not an RFC 3339 time", what);
		goto fail;
	}
	out->access_key_id = strdup(ak);
	out->secret_access_key = strdup(sk);
	out->session_token = util_strdup_or_null(tok);
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

/* GET the credentials: up to AWS_CONTAINER_ATTEMPTS attempts (a connection
 * failure, a timeout, 429 or 5xx is tried again).  0 with *out (source left
 * NULL), or -1 with *err. */
static int container_fetch(const struct aws_container_conf *c, struct aws_credentials *out,
                           char **err)
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
		int g;

		if (attempt > 1) {
			struct timespec ts = { pause / 1000, (pause % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
		g = aws_http_get(c->url, header, c->ca_bundle, c->no_proxy, limit, &r, &why);
		free(last);
		last = NULL;
		if (g == AWS_HTTP_TIMEOUT) {
			char *s = aws_http_limit_text(limit);
			last = util_fmt("no answer within %s", s ? s : "the time limit");
			free(s);
			free(why);
			continue;
		}
		if (g == AWS_HTTP_FAILED) {
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

/* ---- the provider ------------------------------------------------------ */

static void container_free(void *data)
{
	aws_container_conf_free(data);
	free(data);
}

static int container_load(const void *data, time_t now, struct aws_credentials *out,
                          char **msg)
{
	const struct aws_container_conf *d = data;

	(void)now;
	if (container_fetch(d, out, msg) < 0) {
		if (!*msg)
			*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	out->source = util_fmt("container credentials (%s)", d->url_source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

static const struct aws_cred_provider container_provider = {
	.name = "container", .load = container_load, .free = container_free,
};

int aws_container_add(struct aws_cred_chain *c, const struct aws_cred_setup *s)
{
	char *where = strdup("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
	                     "AWS_CONTAINER_CREDENTIALS_FULL_URI)");
	struct aws_container_conf *d = calloc(1, sizeof *d);
	char *err = NULL;
	int r;

	if (!d) {
		free(where);
		return -1;
	}
	r = aws_container_conf_from_env(d, s->ca_bundle, &err);
	if (r <= 0) {
		container_free(d);
		if (r < 0)
			return aws_cred_chain_add_verdict(c, &container_provider, where,
			                                  err ? err : strdup("out of memory"), NULL);
		return aws_cred_chain_add_verdict(c, &container_provider, where, NULL,
		                                  strdup("not set"));
	}
	return aws_cred_chain_add(c, &container_provider, where, d);
}
