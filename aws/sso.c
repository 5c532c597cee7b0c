/* aws/sso.c: the SSO provider (see sso.h).
 *
 * The chain keeps the settings read from the profile; each fetch reads the
 * token cache the AWS CLI writes (aws sso login), refreshes the token
 * through SSO OIDC's CreateToken when it is about to expire and the cache
 * holds what that takes (an sso-session profile, as botocore's
 * SSOTokenProvider), and asks the portal's GetRoleCredentials, each with
 * aws/http.c's small call.
 */
#include "aws/util.h"
#include "aws/sso.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/http.h"
#include "aws/sigv4.h"
#include "aws/url.h"

/* botocore's SSOTokenProvider._REFRESH_WINDOW: a token with less than this
 * left is refreshed when it can be */
#define SSO_REFRESH_WINDOW (15 * 60)
#define TEXT_MAX 200                     /* of the OIDC service's error */

static _Atomic long sso_timeout_ms = AWS_SSO_TIMEOUT_MS;

void aws_sso_set_timeout_ms(long ms)
{
	sso_timeout_ms = ms > 0 ? ms : AWS_SSO_TIMEOUT_MS;
}

/* What the provider keeps. */
struct sso {
	char *profile;        /* the profile, for messages */
	char *login;          /* what to run: "aws sso login --sso-session NAME", or
	                         "aws sso login --profile NAME" for a legacy profile */
	char *session;        /* sso_session NAME; NULL for a legacy profile */
	char *start_url;
	char *region;         /* sso_region */
	char *account_id;     /* sso_account_id */
	char *role_name;      /* sso_role_name */
	char *cache_path;     /* ~/.aws/sso/cache/<sha1>.json */
	char *portal_url;     /* https://portal.sso.REGION.amazonaws.com or
	                         AWS_ENDPOINT_URL_SSO; no trailing '/' */
	char *oidc_url;       /* https://oidc.REGION.amazonaws.com or
	                         AWS_ENDPOINT_URL_SSO_OIDC, for the refresh; NULL for
	                         a legacy profile (never refreshed, as in botocore) */
	char *ca_bundle;      /* NULL: the system's */
	char *source;         /* "SSO (profile x)" */
};

static void sso_conf_free(struct sso *c)
{
	free(c->profile);
	free(c->login);
	free(c->session);
	free(c->start_url);
	free(c->region);
	free(c->account_id);
	free(c->role_name);
	free(c->cache_path);
	free(c->portal_url);
	free(c->oidc_url);
	free(c->ca_bundle);
	free(c->source);
	free(c);
}

int aws_sso_cache_key(const char *key, char hex[41])
{
	hex[0] = '\0';
	return key ? util_sha1_hex(key, strlen(key), hex) : -1;
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
	if (!json_is_object(rc) || util_json_str(rc, "accessKeyId", &ak) <= 0 ||
	    util_json_str(rc, "secretAccessKey", &sk) <= 0 ||
	    util_json_str(rc, "sessionToken", &tok) <= 0 || !json_is_number(exp)) {
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

static void fmt_time(time_t t, char buf[40])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 40, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Server text made safe to show: control characters become '?', at most
 * TEXT_MAX bytes; NULL when it quotes one of the secrets. */
static char *tame(const char *s, const char *const *secrets, size_t n)
{
	char *t;

	for (size_t i = 0; i < n; i++)
		if (secrets[i] && strlen(secrets[i]) >= 4 && strstr(s, secrets[i]))
			return NULL;
	t = util_fmt("%.*s%s", TEXT_MAX, s, strlen(s) > TEXT_MAX ? "..." : "");
	for (char *p = t; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return t;
}

/* Refresh the token in the cache file `root` through SSO OIDC's CreateToken
 * (grantType refresh_token), as botocore's SSOTokenProvider does, and
 * replace the cache file with what the CLI would write.  1 with *token (the
 * new access token; wipe it); 0 when the cache lacks what it takes, -1 when
 * the call failed, each with *why. */
static int sso_refresh(const struct sso *c, json_t *root, time_t now, char **token,
                       char **why)
{
	const char *rt, *cid, *csec, *regexp;
	const char *secrets[3];
	time_t reg;
	json_t *req = NULL, *rep = NULL, *cache = NULL;
	char *body = NULL, *url = NULL, *w = NULL, *text = NULL, *limit = NULL;
	char when[40];
	const char *hs[2] = { "Content-Type: application/json", "Expect:" };
	struct aws_http_reply r = { 0 };
	long timeout = sso_timeout_ms;
	int g, rc = -1;

	*token = NULL;
	*why = NULL;
	if (util_json_str(root, "refreshToken", &rt) <= 0) {
		*why = strdup("the cached token has no refreshToken to renew it with");
		return 0;
	}
	if (util_json_str(root, "clientId", &cid) <= 0 || util_json_str(root, "clientSecret", &csec) <= 0 ||
	    util_json_str(root, "registrationExpiresAt", &regexp) <= 0 ||
	    util_cli_time_parse(regexp, &reg) < 0) {
		*why = strdup("the cache holds no client registration (clientId, clientSecret, "
		              "registrationExpiresAt) to renew the token with");
		return 0;
	}
	if (reg <= now) {
		fmt_time(reg, when);
		*why = util_fmt("the client registration the token is renewed with expired at %s",
		                when);
		return 0;
	}
	secrets[0] = rt;
	secrets[1] = cid;
	secrets[2] = csec;
	/* jansson's buffers are wiped when freed (util_secure_init) */
	req = json_pack("{s:s,s:s,s:s,s:s}", "clientId", cid, "clientSecret", csec,
	                "grantType", "refresh_token", "refreshToken", rt);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	url = util_fmt("%s/token", c->oidc_url);
	if (!body || !url)
		goto done;
	g = aws_http_request("POST", url, hs, 2, body, strlen(body), c->ca_bundle,
	                     aws_url_is_loopback(c->oidc_url), timeout, &r, &w);
	if (g == AWS_HTTP_TIMEOUT) {
		limit = aws_http_limit_text(timeout);
		*why = util_fmt("SSO OIDC at %s did not answer within %s", c->oidc_url,
		                limit ? limit : "the time limit");
		goto done;
	}
	if (g != AWS_HTTP_OK) {
		*why = util_fmt("cannot reach SSO OIDC at %s: %s", c->oidc_url, w ? w : "?");
		goto done;
	}
	rep = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
	if (r.status != 200) {
		const char *e = NULL, *d = NULL;
		char *te = NULL, *td = NULL;
		util_json_str(rep, "error", &e);
		util_json_str(rep, "error_description", &d);
		te = e ? tame(e, secrets, 3) : NULL;
		td = d ? tame(d, secrets, 3) : NULL;
		*why = util_fmt("SSO OIDC at %s refused to renew the token (HTTP %ld%s%s%s%s)",
		                c->oidc_url, r.status, te ? ": " : "", te ? te : "",
		                td ? ": " : "", td ? td : "");
		free(te);
		free(td);
		goto done;
	}
	{
		const char *at, *nrt;
		json_t *exp = json_object_get(rep, "expiresIn");
		json_int_t secs = json_is_integer(exp) ? json_integer_value(exp) : 0;
		int has_rt;

		if (util_json_str(rep, "accessToken", &at) <= 0 || secs <= 0 || secs > 366 * 86400 ||
		    util_has_control(at) || (has_rt = util_json_str(rep, "refreshToken", &nrt)) < 0) {
			*why = util_fmt("SSO OIDC at %s renewed the token, but its reply is not the "
			                "expected JSON (accessToken, expiresIn)", c->oidc_url);
			goto done;
		}
		/* the CLI's new cache entry: the registration kept, the new refresh
		 * token when there is one */
		fmt_time(now + (time_t)secs, when);
		cache = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "startUrl", c->start_url,
		                  "region", c->region, "accessToken", at, "expiresAt", when,
		                  "clientId", cid, "clientSecret", csec,
		                  "registrationExpiresAt", regexp);
		if (cache && has_rt > 0 && json_object_set_new(cache, "refreshToken",
		                                               json_string(nrt)) != 0) {
			json_decref(cache);
			cache = NULL;
		}
		text = cache ? json_dumps(cache, JSON_COMPACT) : NULL;
		*token = strdup(at);
		if (!text || !*token) {
			util_wipe_free(*token);
			*token = NULL;
			goto done;
		}
	}
	/* a failed write costs the next start another refresh, or a login */
	free(w);
	w = NULL;
	if (util_write_private_file(c->cache_path, text, strlen(text), &w) < 0) {
		free(w);
		w = NULL;
	}
	rc = 1;
done:
	if (rc < 0 && !*why)
		*why = strdup("out of memory");
	json_decref(req);
	json_decref(rep);
	json_decref(cache);
	util_wipe_free(body);
	util_wipe_free(text);
	aws_http_reply_free(&r);
	free(url);
	free(w);
	free(limit);
	return rc;
}

/* The cached token, renewed when it is about to expire and can be: 0 with
 * *token (wipe it), or -1 with *err. */
static int sso_read_token(const struct sso *c, time_t now, char **token, char **err)
{
	char *text = NULL, *why = NULL, when[40];
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
		                "run: %s", c->profile, c->cache_path, c->login);
		return -1;
	}
	root = json_loadb(text, len, 0, NULL);
	util_wipe_free(text);
	if (util_json_str(root, "accessToken", &tok) <= 0 || util_json_str(root, "expiresAt", &exp) <= 0) {
		*err = util_fmt("the SSO token cache %s has no accessToken and expiresAt: "
		                "run: %s", c->cache_path, c->login);
		goto done;
	}
	if (util_cli_time_parse(exp, &expires) < 0) {
		*err = util_fmt("the SSO token cache %s has an expiresAt that is not a time: "
		                "run: %s", c->cache_path, c->login);
		goto done;
	}
	if (c->oidc_url && expires - now < SSO_REFRESH_WINDOW) {
		int r = sso_refresh(c, root, now, token, &why);
		if (r == 1) {
			rc = 0;
			goto done;
		}
		if (expires > now) {             /* not renewed, but still good */
			free(why);
			why = NULL;
		}
	}
	if (expires <= now) {
		fmt_time(expires, when);
		*err = util_fmt("the SSO session of profile %s expired at %s%s%s%s: run: %s",
		                c->profile, when, why ? " and could not be renewed (" : "",
		                why ? why : "", why ? ")" : "", c->login);
		goto done;
	}
	*token = strdup(tok);
	if (!*token) {
		*err = strdup("out of memory");
		goto done;
	}
	rc = 0;
done:
	free(why);
	json_decref(root);
	return rc;
}

/* Read the cached token, refuse an expired one, ask the portal for the
 * role's credentials.  0 with *out (source left NULL), or -1 with *err. */
static int sso_fetch(const struct sso *c, time_t now, struct aws_credentials *out, char **err)
{
	char *token = NULL, *header = NULL, *url = NULL, *acct = NULL, *role = NULL;
	char *why = NULL, *limit = NULL;
	long timeout = sso_timeout_ms;
	struct aws_http_reply r;
	int g;
	int rc = -1;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (sso_read_token(c, now, &token, err) < 0)
		return -1;
	if (util_has_control(token)) {
		*err = util_fmt("the SSO token cache %s holds a malformed accessToken: "
		                "run: %s", c->cache_path, c->login);
		goto done;
	}
	acct = aws_uri_encode(c->account_id, strlen(c->account_id), false);
	role = aws_uri_encode(c->role_name, strlen(c->role_name), false);
	if (acct && role)
		url = util_fmt("%s/federation/credentials?account_id=%s&role_name=%s",
		               c->portal_url, acct, role);
	header = util_join_secure("x-amz-sso_bearer_token: ", token);
	if (!url || !header)
		goto done;
	g = aws_http_get(url, header, c->ca_bundle, aws_url_is_loopback(c->portal_url),
	             timeout, &r, &why);
	if (g == AWS_HTTP_TIMEOUT) {
		limit = aws_http_limit_text(timeout);
		*err = util_fmt("the SSO portal %s did not answer within %s (profile %s)",
		                c->portal_url, limit ? limit : "the time limit", c->profile);
		goto done;
	}
	if (g == AWS_HTTP_FAILED) {
		*err = util_fmt("cannot reach the SSO portal %s (profile %s): %s", c->portal_url,
		                c->profile, why ? why : "?");
		goto done;
	}
	if (r.status == 401 || r.status == 403) {
		*err = util_fmt("the SSO portal refused the credentials (HTTP %ld): the SSO token "
		                "expired or was revoked, or it gives no access to account %s with "
		                "role %s (sso_account_id, sso_role_name of profile %s). "
		                "run: %s",
		                r.status, c->account_id, c->role_name, c->profile, c->login);
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

/* ---- the provider ------------------------------------------------------ */

static void sso_free(void *data)
{
	sso_conf_free(data);
}

static int sso_load(const void *data, time_t now, struct aws_credentials *out, char **msg)
{
	const struct sso *d = data;

	if (sso_fetch(d, now, out, msg) < 0) {
		if (!*msg)
			*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	out->source = strdup(d->source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return AWS_CRED_ERROR;
	}
	return AWS_CRED_FOUND;
}

static const struct aws_cred_provider sso_provider = {
	.name = "SSO", .load = sso_load, .free = sso_free,
};

/* The SSO settings of the profile, new style (sso_session naming an
 * [sso-session NAME] section) or legacy (sso_start_url and sso_region in
 * the profile).  NULL, or a message for a half-configured profile. */
static char *sso_read(const struct aws_cred_setup *s, const char *session, struct sso *sc)
{
	const struct aws_profile_view *f = &s->prof;
	const char *start, *region, *acct, *role, *home, *v;
	const char *p_start = aws_profile_view_get_nonempty(f, "sso_start_url");
	const char *p_region = aws_profile_view_get_nonempty(f, "sso_region");
	char hex[41], *url = NULL, *err = NULL;
	bool lo;

	if (session) {
		const struct aws_profile_section *ss = aws_profile_find(&f->cfg->sso_sessions, session);
		if (!ss)
			return util_fmt("profile %s has sso_session = %s, but %s has no "
			                "[sso-session %s] section", f->name, session, f->cfg_path,
			                session);
		start = aws_profile_get(ss, "sso_start_url");
		region = aws_profile_get(ss, "sso_region");
		if (!start || !*start || !region || !*region)
			return util_fmt("[sso-session %s] in %s needs sso_start_url and sso_region",
			                session, f->cfg_path);
		if ((p_start && strcmp(p_start, start) != 0) ||
		    (p_region && strcmp(p_region, region) != 0))
			return util_fmt("profile %s has an sso_start_url or sso_region that differs "
			                "from its [sso-session %s]: remove them from the profile",
			                f->name, session);
	} else {
		start = p_start;
		region = p_region;
		if (!region)
			return util_fmt("profile %s has sso_start_url but no sso_region", f->name);
	}
	acct = aws_profile_view_get_nonempty(f, "sso_account_id");
	role = aws_profile_view_get_nonempty(f, "sso_role_name");
	if (!acct || !role)
		return util_fmt("profile %s uses SSO but lacks %s: ddtree needs the account and "
		                "role to ask for credentials", f->name,
		                !acct && !role ? "sso_account_id and sso_role_name" :
		                !acct ? "sso_account_id" : "sso_role_name");
	if (!aws_url_region_valid(region))
		return util_fmt("the sso_region of profile %s is not a region name", f->name);
	home = aws_profile_home();
	if (!home)
		return strdup("cannot find the home directory (for ~/.aws/sso/cache): set HOME");
	if (aws_sso_cache_key(session ? session : start, hex) < 0)
		return strdup("cannot compute the SSO token cache's name (SHA-1)");

	/* the portal: AWS_ENDPOINT_URL_SSO, as the SDKs let tests override it */
	if ((v = util_getenv("AWS_ENDPOINT_URL_SSO")) && !aws_profile_view_ignores_endpoints(f)) {
		if (aws_url_check_endpoint(v, "AWS_ENDPOINT_URL_SSO", false, &url, &lo, &err) < 0)
			return err;
	} else {
		url = util_fmt("https://portal.sso.%s.amazonaws.com%s", region,
		               strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
	}
	sc->portal_url = url;
	if (!url)
		return strdup("out of memory");
	/* SSO OIDC, to renew an sso-session's token: AWS_ENDPOINT_URL_SSO_OIDC
	 * (service id "SSO OIDC"), as for the portal */
	if (session) {
		url = NULL;
		if ((v = util_getenv("AWS_ENDPOINT_URL_SSO_OIDC")) &&
		    !aws_profile_view_ignores_endpoints(f)) {
			if (aws_url_check_endpoint(v, "AWS_ENDPOINT_URL_SSO_OIDC", false, &url, &lo,
			                           &err) < 0)
				return err;
		} else {
			url = util_fmt("https://oidc.%s.amazonaws.com%s", region,
			               strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
		}
		if (!(sc->oidc_url = url))
			return strdup("out of memory");
	}
	sc->login = session ? util_fmt("aws sso login --sso-session %s", session)
	                    : util_fmt("aws sso login --profile %s", f->name);
	sc->profile = strdup(f->name);
	sc->session = util_strdup_or_null(session);
	sc->start_url = strdup(start);
	sc->region = strdup(region);
	sc->account_id = strdup(acct);
	sc->role_name = strdup(role);
	sc->cache_path = util_fmt("%s/.aws/sso/cache/%s.json", home, hex);
	sc->ca_bundle = util_strdup_or_null(s->ca_bundle);
	sc->source = util_fmt("SSO (profile %s)", f->name);
	if (!sc->login || !sc->profile || (session && !sc->session) || !sc->start_url ||
	    !sc->region || !sc->account_id || !sc->role_name || !sc->cache_path ||
	    (s->ca_bundle && !sc->ca_bundle) || !sc->source)
		return strdup("out of memory");
	return NULL;
}

int aws_sso_add(struct aws_cred_chain *c, const struct aws_cred_setup *s)
{
	const char *session = aws_profile_view_get_nonempty(&s->prof, "sso_session");
	char *where = util_fmt("SSO (sso_session, sso_start_url) in profile %s", s->prof.name);
	struct sso *d;
	char *err;

	if (!session && !aws_profile_view_get_nonempty(&s->prof, "sso_start_url"))
		return aws_cred_chain_add_verdict(c, &sso_provider, where, NULL,
		                                  strdup("not configured"));
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	err = sso_read(s, session, d);
	if (err) {
		sso_conf_free(d);
		return aws_cred_chain_add_verdict(c, &sso_provider, where, err, NULL);
	}
	return aws_cred_chain_add(c, &sso_provider, where, d);
}
