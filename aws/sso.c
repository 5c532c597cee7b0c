/* aws/sso.c: the SSO provider (see sso.h).
 *
 * The chain keeps the settings read from the profile; each fetch reads the
 * token cache the AWS CLI writes (aws sso login) and asks the portal's
 * GetRoleCredentials with aws/http.c's small call.
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

static _Atomic long sso_timeout_ms = AWS_SSO_TIMEOUT_MS;

void aws_sso_set_timeout_ms(long ms)
{
	sso_timeout_ms = ms > 0 ? ms : AWS_SSO_TIMEOUT_MS;
}

/* What the provider keeps. */
struct sso {
	char *profile;        /* for "run: aws sso login --profile NAME" */
	char *session;        /* sso_session NAME; NULL for a legacy profile */
	char *start_url;
	char *region;         /* sso_region */
	char *account_id;     /* sso_account_id */
	char *role_name;      /* sso_role_name */
	char *cache_path;     /* ~/.aws/sso/cache/<sha1>.json */
	char *portal_url;     /* https://portal.sso.REGION.amazonaws.com or
	                         AWS_ENDPOINT_URL_SSO; no trailing '/' */
	char *ca_bundle;      /* NULL: the system's */
	char *source;         /* "SSO (profile x)" */
};

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

static void sso_conf_free(struct sso *c)
{
	free(c->profile);
	free(c->session);
	free(c->start_url);
	free(c->region);
	free(c->account_id);
	free(c->role_name);
	free(c->cache_path);
	free(c->portal_url);
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
static int sso_read_token(const struct sso *c, time_t now, char **token, char **err)
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
		                "run: aws sso login --profile %s", c->cache_path, c->profile);
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
	sc->profile = strdup(f->name);
	sc->session = util_strdup_or_null(session);
	sc->start_url = strdup(start);
	sc->region = strdup(region);
	sc->account_id = strdup(acct);
	sc->role_name = strdup(role);
	sc->cache_path = util_fmt("%s/.aws/sso/cache/%s.json", home, hex);
	sc->ca_bundle = util_strdup_or_null(s->ca_bundle);
	sc->source = util_fmt("SSO (profile %s)", f->name);
	if (!sc->portal_url || !sc->profile || (session && !sc->session) || !sc->start_url ||
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
