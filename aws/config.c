/* aws/config.c: profile, region, endpoint and the credential chain.
 *
 * aws_conf_resolve reads the environment and both shared files once and
 * builds an ordered list of credential providers (botocore's order, see
 * AWS-CLIENT.md 4.1).  Each provider copies what it needs at that moment, so
 * aws_creds_get never touches the files or the environment again; only
 * credential_process runs anew, when its credentials near expiry.
 *
 * A provider answers "found", "not here" (with a reason, collected for the
 * message when nothing is found) or a hard error that ends the search (a
 * half-configured source, a failing credential_process, a profile that needs
 * something ddtree cannot do, such as an MFA prompt or IMDS).  Assume role
 * and web identity (in their botocore slots) ask STS through sts.c; a role's
 * source credentials come from a sub-chain built the same way for the
 * source_profile (or from credential_source), resolved anew each time the
 * role's credentials near expiry; loops are found when the chain is built.
 * SSO (in its botocore slot) and container credentials (after the config
 * file's keys) ask a web service, through credfetch.c, each time the cached
 * credentials near their expiry.  IMDS would go last.
 */
#include "aws/util.h"
#include "aws/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "aws/credfetch.h"
#include "aws/credproc.h"
#include "aws/profile.h"
#include "aws/sts.h"
#include "aws/url.h"

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* A message that may be NULL after a failed allocation. */
static char *or_oom(char *msg)
{
	return msg ? msg : strdup("out of memory");
}

/* ---- credential providers ---------------------------------------------- */

enum { PROV_ERROR = -1, PROV_NONE = 0, PROV_FOUND = 1 };

struct cred_provider {
	const char *name;       /* short name: "environment", "assume role", ... */
	char *where;            /* where it looks, for the list of sources tried */
	/* PROV_FOUND fills *out, source included; PROV_NONE sets *msg to why
	 * not; PROV_ERROR sets *msg to an error that ends the search. */
	int (*resolve)(const struct cred_provider *p, time_t now,
	               struct aws_credentials *out, char **msg);
	void (*free_data)(void *data);
	void *data;
};

struct aws_cred_chain {
	pthread_mutex_t lock;
	struct cred_provider *prov;
	size_t n, cap;
	char *profile;
	char *nothing;          /* a source chain's lead when nothing is found
	                           ("profile a's source_profile b has no credentials");
	                           NULL for the top-level chain */
	bool loopback;          /* placeholder credentials when nothing is found */
	time_t margin;
	bool cached;
	struct aws_credentials cache;
};

void aws_credentials_free(struct aws_credentials *cr)
{
	if (!cr)
		return;
	util_wipe_free(cr->access_key_id);
	util_wipe_free(cr->secret_access_key);
	util_wipe_free(cr->session_token);
	free(cr->source);
	memset(cr, 0, sizeof *cr);
}

static int creds_copy(struct aws_credentials *dst, const struct aws_credentials *src)
{
	memset(dst, 0, sizeof *dst);
	dst->access_key_id = xstrdup(src->access_key_id);
	dst->secret_access_key = xstrdup(src->secret_access_key);
	dst->session_token = xstrdup(src->session_token);
	dst->source = xstrdup(src->source);
	dst->expiration = src->expiration;
	if (!dst->access_key_id || !dst->secret_access_key || !dst->source ||
	    (src->session_token && !dst->session_token)) {
		aws_credentials_free(dst);
		return -1;
	}
	return 0;
}

/* Keys known when the chain was built (environment, either file), or just a
 * verdict (an unsupported source, partial keys). */
struct keys_data {
	struct aws_credentials cr;  /* access_key_id NULL: none here */
	char *none;                 /* why there are none */
	char *error;                /* a hard error instead */
};

static void keys_free(void *data)
{
	struct keys_data *d = data;

	aws_credentials_free(&d->cr);
	free(d->none);
	free(d->error);
	free(d);
}

static int keys_resolve(const struct cred_provider *p, time_t now,
                        struct aws_credentials *out, char **msg)
{
	const struct keys_data *d = p->data;

	if (d->error) {
		*msg = or_oom(xstrdup(d->error));
		return PROV_ERROR;
	}
	if (!d->cr.access_key_id) {
		*msg = or_oom(xstrdup(d->none ? d->none : "not set"));
		return PROV_NONE;
	}
	if (creds_copy(out, &d->cr) < 0) {
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

struct process_data {
	char *command;              /* NULL: the profile has none */
	char *what;                 /* "credential_process (profile x)" */
	char *none;
};

static void process_free(void *data)
{
	struct process_data *d = data;

	util_wipe_free(d->command);  /* arguments may hold secrets */
	free(d->what);
	free(d->none);
	free(d);
}

static int process_resolve(const struct cred_provider *p, time_t now,
                           struct aws_credentials *out, char **msg)
{
	const struct process_data *d = p->data;

	if (!d->command) {
		*msg = or_oom(xstrdup(d->none ? d->none : "not set"));
		return PROV_NONE;
	}
	if (aws_credproc_run(d->command, d->what, out, msg) < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	out->source = xstrdup(d->what);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

static void chain_free(struct aws_cred_chain *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->prov[i].where);
		if (c->prov[i].free_data)
			c->prov[i].free_data(c->prov[i].data);
	}
	free(c->prov);
	free(c->profile);
	free(c->nothing);
	aws_credentials_free(&c->cache);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Append a provider; takes ownership of where and data even on failure. */
static int chain_add(struct aws_cred_chain *c, const char *name, char *where,
                     int (*resolve)(const struct cred_provider *, time_t,
                                    struct aws_credentials *, char **),
                     void (*free_data)(void *), void *data)
{
	if (!where || !data)
		goto fail;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct cred_provider *np = realloc(c->prov, cap * sizeof *np);
		if (!np)
			goto fail;
		c->prov = np;
		c->cap = cap;
	}
	c->prov[c->n++] = (struct cred_provider){ .name = name, .where = where,
		.resolve = resolve, .free_data = free_data, .data = data };
	return 0;
fail:
	free(where);
	if (data)
		free_data(data);
	return -1;
}

/* A keys_data with nothing but a verdict: `error` (a hard error, may be
 * NULL) or else `none`.  Takes ownership of both strings. */
static struct keys_data *verdict(char *error, char *none)
{
	struct keys_data *d = calloc(1, sizeof *d);

	if (!d || (!error && !none)) {
		free(error);
		free(none);
		free(d);
		return NULL;
	}
	d->error = error;
	d->none = none;
	return d;
}

/* ---- what resolve found ------------------------------------------------ */

struct files {
	const char *profile, *profile_source;
	char *cfg_path, *cred_path;
	bool cfg_exists, cred_exists;
	struct aws_profile_file cfg, cred;
	const struct aws_profile_section *cfgp, *credp;  /* the profile in each */
	/* for the STS calls of assume role and web identity */
	const char *ca_bundle;
	const char *sts_region;     /* NULL: the global endpoint (no region was set) */
	char *sts_url;              /* AWS_ENDPOINT_URL_STS, checked, or NULL */
	char *sts_err;              /* why AWS_ENDPOINT_URL_STS is refused, or NULL */
};

/* A property of the profile, the credentials file winning. */
static const char *prof_get(const struct files *f, const char *key)
{
	const char *v = aws_profile_get(f->credp, key);

	return v ? v : aws_profile_get(f->cfgp, key);
}

static const char *prof_get_nonempty(const struct files *f, const char *key)
{
	const char *v = prof_get(f, key);

	return v && *v ? v : NULL;
}

/* "[default]" or "[profile x]" as the config file spells it. */
static char *config_header(const char *profile)
{
	return strcmp(profile, "default") == 0 ? strdup("[default]")
	                                       : util_fmt("[profile %s]", profile);
}

/* Keys with the SDKs' rules: an access key without its secret is an
 * error, a secret alone is ignored; the session token is optional. */
static struct keys_data *keys_make(const char *ak, const char *sk, const char *tok,
                                   const char *source, const char *partial_where,
                                   const char *ak_name, const char *sk_name, char *none)
{
	struct keys_data *d = calloc(1, sizeof *d);

	if (!d) {
		free(none);
		return NULL;
	}
	d->none = none;
	if (ak && *ak && !(sk && *sk)) {
		d->error = util_fmt("%s has %s but no %s", partial_where, ak_name, sk_name);
		if (!d->error)
			goto fail;
	} else if (ak && *ak) {
		d->cr.access_key_id = strdup(ak);
		d->cr.secret_access_key = strdup(sk);
		d->cr.session_token = tok && *tok ? strdup(tok) : NULL;
		d->cr.source = strdup(source);
		if (!d->cr.access_key_id || !d->cr.secret_access_key || !d->cr.source ||
		    (tok && *tok && !d->cr.session_token))
			goto fail;
	} else if (!d->none) {
		goto fail;
	}
	return d;
fail:
	keys_free(d);
	return NULL;
}

#define WORKAROUND \
	"Until then, add a profile that asks the AWS CLI for the credentials, e.g. in %s:\n" \
	"  [profile %s-ddtree]\n" \
	"  credential_process = aws configure export-credentials --profile %s\n" \
	"and run ddtree with --profile %s-ddtree."

/* `lead`, then the credential_process workaround for f's profile. */
static char *unsupported(const struct files *f, const char *lead)
{
	char *tail = util_fmt(WORKAROUND, f->cfg_path, f->profile, f->profile, f->profile);
	char *msg = tail ? util_fmt("%s %s", lead, tail) : NULL;

	free(tail);
	return or_oom(msg);
}

/* The environment's keys; `always` for credential_source = Environment,
 * which reads them even when --profile was given. */
static int add_env(struct aws_cred_chain *c, const struct files *f, bool always)
{
	const char *where = "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
	struct keys_data *d;

	if (!always && strcmp(f->profile_source, "--profile") == 0) {
		d = verdict(NULL, strdup("not used because --profile was given"));
	} else {
		const char *tok = env("AWS_SESSION_TOKEN");
		const char *exp = env("AWS_CREDENTIAL_EXPIRATION");
		const char *ak = env("AWS_ACCESS_KEY_ID");

		d = keys_make(ak, env("AWS_SECRET_ACCESS_KEY"),
		              tok ? tok : env("AWS_SECURITY_TOKEN"), "environment",
		              "the environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		              strdup(env("AWS_SECRET_ACCESS_KEY") ? "AWS_SECRET_ACCESS_KEY is set "
		                     "but AWS_ACCESS_KEY_ID is not" : "not set"));
		if (d && d->cr.access_key_id && exp &&
		    util_rfc3339_parse(exp, &d->cr.expiration) < 0) {
			d->error = strdup("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time "
			                  "such as 2026-11-23T12:34:56Z");
			if (!d->error) {
				keys_free(d);
				d = NULL;
			}
		}
	}
	return chain_add(c, "environment", strdup(where), keys_resolve, keys_free, d);
}

static bool is_true(const char *v);
static bool region_valid(const char *s);

/* ---- SSO and container credentials (credfetch.c) ------------------------- */

struct sso_data {
	struct aws_sso_conf conf;
	char *source;               /* "SSO (profile x)" */
};

static void sso_free(void *data)
{
	struct sso_data *d = data;

	aws_sso_conf_free(&d->conf);
	free(d->source);
	free(d);
}

static int sso_resolve(const struct cred_provider *p, time_t now,
                       struct aws_credentials *out, char **msg)
{
	const struct sso_data *d = p->data;

	if (aws_sso_fetch(&d->conf, now, out, msg) < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	out->source = strdup(d->source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

/* The SSO settings of the profile, new style (sso_session naming an
 * [sso-session NAME] section) or legacy (sso_start_url and sso_region in
 * the profile).  NULL, or a message for a half-configured profile. */
static char *sso_conf_build(const struct files *f, const char *session, const char *ca_bundle,
                            struct aws_sso_conf *sc)
{
	const char *start, *region, *acct, *role, *home, *v;
	const char *p_start = prof_get_nonempty(f, "sso_start_url");
	const char *p_region = prof_get_nonempty(f, "sso_region");
	const char *ign;
	char hex[41], *url = NULL, *err = NULL;
	bool lo;

	if (session) {
		const struct aws_profile_section *s = aws_profile_find(&f->cfg.sso_sessions, session);
		if (!s)
			return util_fmt("profile %s has sso_session = %s, but %s has no "
			                "[sso-session %s] section", f->profile, session, f->cfg_path,
			                session);
		start = aws_profile_get(s, "sso_start_url");
		region = aws_profile_get(s, "sso_region");
		if (!start || !*start || !region || !*region)
			return util_fmt("[sso-session %s] in %s needs sso_start_url and sso_region",
			                session, f->cfg_path);
		if ((p_start && strcmp(p_start, start) != 0) ||
		    (p_region && strcmp(p_region, region) != 0))
			return util_fmt("profile %s has an sso_start_url or sso_region that differs "
			                "from its [sso-session %s]: remove them from the profile",
			                f->profile, session);
	} else {
		start = p_start;
		region = p_region;
		if (!region)
			return util_fmt("profile %s has sso_start_url but no sso_region", f->profile);
	}
	acct = prof_get_nonempty(f, "sso_account_id");
	role = prof_get_nonempty(f, "sso_role_name");
	if (!acct || !role)
		return util_fmt("profile %s uses SSO but lacks %s: ddtree needs the account and "
		                "role to ask for credentials", f->profile,
		                !acct && !role ? "sso_account_id and sso_role_name" :
		                !acct ? "sso_account_id" : "sso_role_name");
	if (!region_valid(region))
		return util_fmt("the sso_region of profile %s is not a region name", f->profile);
	home = aws_profile_home();
	if (!home)
		return strdup("cannot find the home directory (for ~/.aws/sso/cache): set HOME");
	if (aws_sso_cache_key(session ? session : start, hex) < 0)
		return strdup("cannot compute the SSO token cache's name (SHA-1)");

	/* the portal: AWS_ENDPOINT_URL_SSO, as the SDKs let tests override it */
	ign = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if ((v = env("AWS_ENDPOINT_URL_SSO")) &&
	    !is_true(ign ? ign : prof_get(f, "ignore_configured_endpoint_urls"))) {
		if (aws_url_check_endpoint(v, "AWS_ENDPOINT_URL_SSO", false, &url, &lo, &err) < 0)
			return err;
	} else {
		url = util_fmt("https://portal.sso.%s.amazonaws.com%s", region,
		               strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
	}
	sc->portal_url = url;
	sc->profile = strdup(f->profile);
	sc->session = xstrdup(session);
	sc->start_url = strdup(start);
	sc->region = strdup(region);
	sc->account_id = strdup(acct);
	sc->role_name = strdup(role);
	sc->cache_path = util_fmt("%s/.aws/sso/cache/%s.json", home, hex);
	sc->ca_bundle = xstrdup(ca_bundle);
	if (!sc->portal_url || !sc->profile || (session && !sc->session) || !sc->start_url ||
	    !sc->region || !sc->account_id || !sc->role_name || !sc->cache_path ||
	    (ca_bundle && !sc->ca_bundle))
		return strdup("out of memory");
	return NULL;
}

static int add_sso(struct aws_cred_chain *c, const struct files *f, const char *ca_bundle)
{
	const char *session = prof_get_nonempty(f, "sso_session");
	char *where = util_fmt("SSO (sso_session, sso_start_url) in profile %s", f->profile);
	struct sso_data *d;
	char *err;

	if (!session && !prof_get_nonempty(f, "sso_start_url"))
		return chain_add(c, "SSO", where, keys_resolve, keys_free,
		                 verdict(NULL, strdup("not configured")));
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	err = sso_conf_build(f, session, ca_bundle, &d->conf);
	if (err) {
		sso_free(d);
		return chain_add(c, "SSO", where, keys_resolve, keys_free, verdict(err, NULL));
	}
	d->source = util_fmt("SSO (profile %s)", f->profile);
	if (!d->source) {
		sso_free(d);
		d = NULL;
	}
	return chain_add(c, "SSO", where, sso_resolve, sso_free, d);
}

struct container_data {
	struct aws_container_conf conf;
	char *source;               /* "container credentials (AWS_CONTAINER_...)" */
};

static void container_free(void *data)
{
	struct container_data *d = data;

	aws_container_conf_free(&d->conf);
	free(d->source);
	free(d);
}

static int container_resolve(const struct cred_provider *p, time_t now,
                             struct aws_credentials *out, char **msg)
{
	const struct container_data *d = p->data;

	if (aws_container_fetch(&d->conf, out, msg) < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	out->source = strdup(d->source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

static int add_container(struct aws_cred_chain *c, const char *ca_bundle)
{
	char *where = strdup("container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, "
	                     "AWS_CONTAINER_CREDENTIALS_FULL_URI)");
	struct container_data *d = calloc(1, sizeof *d);
	char *err = NULL;
	int r;

	if (!d) {
		free(where);
		return -1;
	}
	r = aws_container_conf_from_env(&d->conf, ca_bundle, &err);
	if (r <= 0) {
		container_free(d);
		return chain_add(c, "container", where, keys_resolve, keys_free,
		                 r < 0 ? verdict(or_oom(err), NULL) : verdict(NULL, strdup("not set")));
	}
	d->source = util_fmt("container credentials (%s)", d->conf.url_source);
	if (!d->source) {
		container_free(d);
		d = NULL;
	}
	return chain_add(c, "container", where, container_resolve, container_free, d);
}

/* Why a file's profile has no keys. */
static char *no_keys(bool exists, const struct aws_profile_section *s, const char *header)
{
	if (!exists)
		return strdup("file not found");
	if (!s)
		return util_fmt("no %s section", header);
	return strdup("no aws_access_key_id");
}

static int add_file_keys(struct aws_cred_chain *c, const struct files *f, bool credentials)
{
	const struct aws_profile_section *s = credentials ? f->credp : f->cfgp;
	const char *path = credentials ? f->cred_path : f->cfg_path;
	const char *tok = aws_profile_get(s, "aws_session_token");
	char *header = credentials ? util_fmt("[%s]", f->profile) : config_header(f->profile);
	char *source = credentials ? util_fmt("shared credentials file (profile %s)", f->profile)
	                           : util_fmt("config file (profile %s)", f->profile);
	char *where = util_fmt("%s %s profile %s", credentials ? "shared credentials file" :
	                  "config file", path, f->profile);
	char *partial = header ? util_fmt("%s in %s", header, path) : NULL;
	struct keys_data *d = NULL;

	if (header && source && partial)
		d = keys_make(aws_profile_get(s, "aws_access_key_id"),
		              aws_profile_get(s, "aws_secret_access_key"),
		              tok ? tok : aws_profile_get(s, "aws_security_token"),
		              source, partial, "aws_access_key_id", "aws_secret_access_key",
		              no_keys(credentials ? f->cred_exists : f->cfg_exists, s, header));
	free(header);
	free(source);
	free(partial);
	return chain_add(c, credentials ? "shared credentials file" : "config file",
	                 where, keys_resolve, keys_free, d);
}

static int add_process(struct aws_cred_chain *c, const struct files *f)
{
	struct process_data *d = calloc(1, sizeof *d);
	const char *cmd = prof_get_nonempty(f, "credential_process");

	if (d) {
		d->what = util_fmt("credential_process (profile %s)", f->profile);
		d->command = xstrdup(cmd);
		d->none = strdup("not set");
		if (!d->what || !d->none || (cmd && !d->command)) {
			process_free(d);
			d = NULL;
		}
	}
	return chain_add(c, "credential_process",
	                 util_fmt("credential_process in profile %s", f->profile),
	                 process_resolve, process_free, d);
}

/* ---- assume role and web identity (sts.c) --------------------------------- */

#define ROLE_CHAIN_MAX 16

/* The profiles met on the way down a chain of roles, for loop detection. */
struct visit {
	const char *names[ROLE_CHAIN_MAX + 1];
	size_t n;
};

static int chain_resolve(struct aws_cred_chain *c, time_t now,
                         struct aws_credentials *out, char **err);

/* An empty chain; takes ownership of `nothing` (may be NULL). */
static struct aws_cred_chain *chain_new(const char *profile, char *nothing)
{
	struct aws_cred_chain *c = calloc(1, sizeof *c);

	if (!c) {
		free(nothing);
		return NULL;
	}
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(nothing);
		free(c);
		return NULL;
	}
	c->margin = AWS_CREDS_REFRESH_MARGIN;
	c->nothing = nothing;
	c->profile = strdup(profile);
	if (!c->profile) {
		chain_free(c);
		return NULL;
	}
	return c;
}

/* The same files, seen from another profile (a shallow copy: nothing is
 * ever freed through it). */
static struct files files_for(const struct files *f, const char *profile)
{
	struct files g = *f;

	g.profile = profile;
	g.cfgp = aws_profile_find(&f->cfg.profiles, profile);
	g.credp = aws_profile_find(&f->cred.profiles, profile);
	return g;
}

/* botocore's _has_static_credentials */
static bool has_static_keys(const struct files *f)
{
	return prof_get_nonempty(f, "aws_access_key_id") ||
	       prof_get_nonempty(f, "aws_secret_access_key");
}

/* The STS endpoint: NULL, or a message. */
static char *sts_conf_build(const struct files *f, struct aws_sts_conf *sc)
{
	if (f->sts_err)
		return or_oom(strdup(f->sts_err));
	if (aws_sts_conf_make(f->sts_url, f->sts_region, f->ca_bundle, sc) < 0)
		return strdup("out of memory");
	return NULL;
}

struct role_data {
	struct aws_sts_conf sts;
	char *profile, *role_arn, *session_name, *external_id;
	int duration;                 /* 0: STS's default */
	char *source;                 /* "assume role (profile x)" */
	struct aws_cred_chain *from;  /* where the source credentials come from */
};

static void role_free(void *data)
{
	struct role_data *d = data;

	aws_sts_conf_free(&d->sts);
	free(d->profile);
	free(d->role_arn);
	free(d->session_name);
	free(d->external_id);
	free(d->source);
	chain_free(d->from);
	free(d);
}

/* The source credentials are resolved anew at each call, so a role whose
 * credentials expire is assumed again with fresh ones (a new SSO fetch, a
 * new credential_process run, the next role of a chain assumed again). */
static int role_resolve(const struct cred_provider *p, time_t now,
                        struct aws_credentials *out, char **msg)
{
	const struct role_data *d = p->data;
	const struct aws_assume_role a = {
		.profile = d->profile, .role_arn = d->role_arn, .session_name = d->session_name,
		.external_id = d->external_id, .duration_seconds = d->duration,
	};
	struct aws_credentials src;
	int r;

	if (chain_resolve(d->from, now, &src, msg) < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	r = aws_sts_assume_role(&d->sts, &a, &src, now, out, msg);
	aws_credentials_free(&src);
	if (r < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	out->source = strdup(d->source);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

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

static int add_role(struct aws_cred_chain *c, const struct files *f, struct visit *v);
static int add_web_identity(struct aws_cred_chain *c, const struct files *f, bool use_env);

/* The providers of a source_profile (botocore's
 * _resolve_credentials_from_profile): another role when the profile has a
 * role_arn and no keys of its own, else its own providers without the
 * environment: web identity, SSO, the two files' keys, credential_process. */
static struct aws_cred_chain *source_chain(const struct files *g, const char *parent,
                                           struct visit *v)
{
	struct aws_cred_chain *c = chain_new(g->profile,
		util_fmt("profile %s's source_profile %s has no credentials", parent, g->profile));
	int rc;

	if (!c || !c->nothing) {
		chain_free(c);
		return NULL;
	}
	if (prof_get_nonempty(g, "role_arn") && !prof_get_nonempty(g, "web_identity_token_file") &&
	    !has_static_keys(g))
		rc = add_role(c, g, v);
	else
		rc = add_web_identity(c, g, false) < 0 || add_sso(c, g, g->ca_bundle) < 0 ||
		     add_file_keys(c, g, true) < 0 || add_process(c, g) < 0 ||
		     add_file_keys(c, g, false) < 0 ? -1 : 0;
	if (rc < 0) {
		chain_free(c);
		return NULL;
	}
	return c;
}

/* source_profile = sp: NULL with *from, or a message (a missing profile, a
 * loop). */
static char *source_profile_chain(const struct files *f, const char *sp, struct visit *v,
                                  struct aws_cred_chain **from)
{
	struct files g = files_for(f, sp);
	bool seen = false;

	if (!g.cfgp && !g.credp)
		return util_fmt("profile %s has source_profile = %s, but there is no profile %s "
		                "in %s or %s", f->profile, sp, sp, f->cfg_path, f->cred_path);
	for (size_t i = 0; i < v->n; i++)
		seen = seen || strcmp(v->names[i], sp) == 0;
	/* a profile may name itself to use its own keys; any other return is a loop */
	if (seen && strcmp(sp, f->profile) == 0 && !has_static_keys(&g))
		return util_fmt("profile %s names itself as source_profile but has no "
		                "aws_access_key_id and aws_secret_access_key of its own to "
		                "assume role %s with", f->profile, prof_get_nonempty(f, "role_arn"));
	if (seen && strcmp(sp, f->profile) != 0) {
		char *path = NULL, *msg;
		size_t n = 0;
		FILE *ms = open_memstream(&path, &n);
		if (!ms)
			return strdup("out of memory");
		for (size_t i = 0; i < v->n; i++)
			fprintf(ms, "%s -> ", v->names[i]);
		fprintf(ms, "%s", sp);
		if (fclose(ms) != 0) {
			free(path);
			return strdup("out of memory");
		}
		msg = util_fmt("the source_profile settings make a loop (%s): a chain of roles "
		               "must end at a profile with credentials of its own", path);
		free(path);
		return or_oom(msg);
	}
	if (v->n >= ROLE_CHAIN_MAX)
		return util_fmt("the chain of roles from profile %s is longer than %d profiles",
		                v->names[0], ROLE_CHAIN_MAX);
	v->names[v->n++] = sp;
	*from = source_chain(&g, f->profile, v);
	return *from ? NULL : strdup("out of memory");
}

/* credential_source = cs: NULL with *from, or a message. */
static char *credential_source_chain(const struct files *f, const char *cs,
                                     struct aws_cred_chain **from)
{
	char *lead;

	if (strcmp(cs, "Ec2InstanceMetadata") == 0) {
		lead = util_fmt("profile %s has credential_source = Ec2InstanceMetadata: not "
		                "supported: IMDS (EC2 instance metadata) is a source ddtree "
		                "cannot use yet.", f->profile);
		if (!lead)
			return strdup("out of memory");
		char *msg = unsupported(f, lead);
		free(lead);
		return msg;
	}
	if (strcmp(cs, "Environment") != 0 && strcmp(cs, "EcsContainer") != 0)
		return util_fmt("profile %s has credential_source = %s, which is none of "
		                "Environment, EcsContainer and Ec2InstanceMetadata", f->profile, cs);
	*from = chain_new(f->profile, util_fmt("profile %s has credential_source = %s, but "
	                                       "found no credentials there", f->profile, cs));
	if (!*from || !(*from)->nothing)
		return strdup("out of memory");
	if (strcmp(cs, "Environment") == 0 ? add_env(*from, f, true) < 0
	                                   : add_container(*from, f->ca_bundle) < 0)
		return strdup("out of memory");
	return NULL;
}

static char *mfa_message(const struct files *f)
{
	char *msg = util_fmt(
		"profile %s has mfa_serial: assuming role %s needs a code from your MFA device, "
		"and ddtree cannot ask for one (its screen owns the terminal). Let the AWS CLI "
		"ask instead: run `aws sts get-caller-identity --profile %s` once in a terminal "
		"(it asks for the code and caches the role's credentials), and add a profile "
		"that hands them to ddtree, e.g. in %s:\n"
		"  [profile %s-ddtree]\n"
		"  credential_process = aws configure export-credentials --profile %s\n"
		"and run ddtree with --profile %s-ddtree.",
		f->profile, prof_get_nonempty(f, "role_arn"), f->profile, f->cfg_path, f->profile,
		f->profile, f->profile);

	return or_oom(msg);
}

/* Assume role: the profile's role_arn (without web_identity_token_file,
 * which makes it web identity), with source_profile or credential_source.
 * Every configuration error, loops included, is found here and reported
 * when credentials are asked for, before any request. */
static int add_role(struct aws_cred_chain *c, const struct files *f, struct visit *v)
{
	const char *arn = prof_get_nonempty(f, "role_arn");
	const char *sp = prof_get_nonempty(f, "source_profile");
	const char *cs = prof_get_nonempty(f, "credential_source");
	const char *dur = prof_get_nonempty(f, "duration_seconds");
	const char *sn = prof_get_nonempty(f, "role_session_name");
	const char *ext = prof_get_nonempty(f, "external_id");
	char *where = util_fmt("assume role (role_arn) in profile %s", f->profile);
	struct role_data *d;
	char *err = NULL;

	if (!arn || prof_get_nonempty(f, "web_identity_token_file"))
		return chain_add(c, "assume role", where, keys_resolve, keys_free,
		                 verdict(NULL, strdup("not configured")));
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	if (sp && cs)
		err = util_fmt("profile %s has both source_profile and credential_source (as "
		               "botocore, ddtree refuses that): keep the one that says whose "
		               "credentials assume role %s", f->profile, arn);
	else if (!sp && !cs)
		err = util_fmt("profile %s has role_arn but neither source_profile nor "
		               "credential_source: add source_profile = <a profile whose "
		               "credentials may assume role %s>", f->profile, arn);
	else if (prof_get_nonempty(f, "mfa_serial"))
		err = mfa_message(f);
	else if (dur && parse_duration(dur, &d->duration) < 0)
		err = util_fmt("duration_seconds of profile %s must be a whole number of seconds "
		               "from 900 to 43200", f->profile);
	else if (!(err = sts_conf_build(f, &d->sts)))
		err = cs ? credential_source_chain(f, cs, &d->from)
		         : source_profile_chain(f, sp, v, &d->from);
	if (err) {
		role_free(d);
		return chain_add(c, "assume role", where, keys_resolve, keys_free,
		                 verdict(err, NULL));
	}
	d->profile = strdup(f->profile);
	d->role_arn = strdup(arn);
	d->session_name = xstrdup(sn);
	d->external_id = xstrdup(ext);
	d->source = util_fmt("assume role (profile %s)", f->profile);
	if (!d->profile || !d->role_arn || (sn && !d->session_name) ||
	    (ext && !d->external_id) || !d->source) {
		role_free(d);
		d = NULL;
	}
	return chain_add(c, "assume role", where, role_resolve, role_free, d);
}

struct wi_data {
	struct aws_sts_conf sts;
	char *what;                 /* "web identity (profile x)" or "(AWS_WEB_IDENTITY_TOKEN_FILE)" */
	char *role_arn, *session_name, *token_file, *token_file_from;
};

static void wi_free(void *data)
{
	struct wi_data *d = data;

	aws_sts_conf_free(&d->sts);
	free(d->what);
	free(d->role_arn);
	free(d->session_name);
	free(d->token_file);
	free(d->token_file_from);
	free(d);
}

static int wi_resolve(const struct cred_provider *p, time_t now,
                      struct aws_credentials *out, char **msg)
{
	const struct wi_data *d = p->data;
	const struct aws_web_identity w = {
		.what = d->what, .role_arn = d->role_arn, .session_name = d->session_name,
		.token_file = d->token_file, .token_file_from = d->token_file_from,
	};

	if (aws_sts_web_identity(&d->sts, &w, now, out, msg) < 0) {
		*msg = or_oom(*msg);
		return PROV_ERROR;
	}
	out->source = strdup(d->what);
	if (!out->source) {
		aws_credentials_free(out);
		*msg = strdup("out of memory");
		return PROV_ERROR;
	}
	return PROV_FOUND;
}

/* Web identity, as botocore reads it: each of the token file, the role ARN
 * and the session name from its environment variable (unless --profile was
 * given, or this is a source profile), else from the profile. */
static int add_web_identity(struct aws_cred_chain *c, const struct files *f, bool use_env)
{
	const char *tf_env = use_env ? env("AWS_WEB_IDENTITY_TOKEN_FILE") : NULL;
	const char *arn_env = use_env ? env("AWS_ROLE_ARN") : NULL;
	const char *sn_env = use_env ? env("AWS_ROLE_SESSION_NAME") : NULL;
	const char *tf = tf_env ? tf_env : prof_get_nonempty(f, "web_identity_token_file");
	const char *arn = arn_env ? arn_env : prof_get_nonempty(f, "role_arn");
	const char *sn = sn_env ? sn_env : prof_get_nonempty(f, "role_session_name");
	char *where = util_fmt("web identity (web_identity_token_file in profile %s%s)",
	                       f->profile, use_env ? ", AWS_WEB_IDENTITY_TOKEN_FILE" : "");
	struct wi_data *d;
	char *err;

	if (!tf)
		return chain_add(c, "web identity", where, keys_resolve, keys_free,
		                 verdict(NULL, strdup("not configured")));
	if (!arn)
		return chain_add(c, "web identity", where, keys_resolve, keys_free,
		                 verdict(util_fmt("%s is set, but no role ARN to assume with the "
		                                  "web identity token: set AWS_ROLE_ARN or "
		                                  "role_arn in profile %s",
		                                  tf_env ? "AWS_WEB_IDENTITY_TOKEN_FILE" :
		                                  "web_identity_token_file", f->profile), NULL));
	d = calloc(1, sizeof *d);
	if (!d) {
		free(where);
		return -1;
	}
	err = sts_conf_build(f, &d->sts);
	if (err) {
		wi_free(d);
		return chain_add(c, "web identity", where, keys_resolve, keys_free,
		                 verdict(err, NULL));
	}
	d->what = tf_env ? strdup("web identity (AWS_WEB_IDENTITY_TOKEN_FILE)")
	                 : util_fmt("web identity (profile %s)", f->profile);
	d->token_file_from = tf_env ? strdup("AWS_WEB_IDENTITY_TOKEN_FILE")
	                            : util_fmt("web_identity_token_file of profile %s", f->profile);
	d->role_arn = strdup(arn);
	d->session_name = xstrdup(sn);
	d->token_file = strdup(tf);
	if (!d->what || !d->token_file_from || !d->role_arn || (sn && !d->session_name) ||
	    !d->token_file) {
		wi_free(d);
		d = NULL;
	}
	return chain_add(c, "web identity", where, wi_resolve, wi_free, d);
}

static struct aws_cred_chain *chain_build(const struct files *f, bool loopback,
                                          const char *ca_bundle)
{
	struct aws_cred_chain *c = chain_new(f->profile, NULL);
	struct visit v = { .names = { f->profile }, .n = 1 };

	if (!c)
		return NULL;
	c->loopback = loopback;
	/* botocore's order (AWS-CLIENT.md 4.1); IMDS would go last */
	if (add_env(c, f, false) < 0 || add_role(c, f, &v) < 0 ||
	    add_web_identity(c, f, strcmp(f->profile_source, "--profile") != 0) < 0 ||
	    add_sso(c, f, ca_bundle) < 0 || add_file_keys(c, f, true) < 0 ||
	    add_process(c, f) < 0 || add_file_keys(c, f, false) < 0 ||
	    add_container(c, ca_bundle) < 0) {
		chain_free(c);
		return NULL;
	}
	return c;
}

/* Try every provider in order.  Called with the lock held. */
static int chain_resolve(struct aws_cred_chain *c, time_t now,
                         struct aws_credentials *out, char **err)
{
	char *tried = NULL;
	size_t tn = 0;
	FILE *ms = open_memstream(&tried, &tn);

	memset(out, 0, sizeof *out);
	if (!ms) {
		*err = strdup("out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		char *msg = NULL;
		int r = c->prov[i].resolve(&c->prov[i], now, out, &msg);

		if (r == PROV_FOUND) {
			free(msg);
			fclose(ms);
			free(tried);
			return 0;
		}
		if (r == PROV_ERROR) {
			*err = or_oom(msg);
			fclose(ms);
			free(tried);
			return -1;
		}
		fprintf(ms, "%s%s: %s", i ? "; " : "", c->prov[i].where, msg ? msg : "?");
		free(msg);
	}
	if (fclose(ms) != 0) {
		free(tried);
		tried = NULL;
	}
	if (c->loopback) {
		free(tried);
		/* DynamoDB Local refuses key ids with "-" or "_" */
		out->access_key_id = strdup("ddtreelocal");
		out->secret_access_key = strdup("ddtreelocal");
		out->source = strdup("placeholder for local endpoint");
		if (!out->access_key_id || !out->secret_access_key || !out->source) {
			aws_credentials_free(out);
			*err = strdup("out of memory");
			return -1;
		}
		return 0;
	}
	if (c->nothing) {
		*err = or_oom(util_fmt("%s. Tried, in order: %s.", c->nothing,
		                       tried ? tried : "(out of memory)"));
		free(tried);
		return -1;
	}
	*err = or_oom(util_fmt("no AWS credentials found for profile %s. Tried, in order: %s. "
	                  "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, "
	                  "or choose another profile with --profile.",
	                  c->profile, tried ? tried : "(out of memory)"));
	free(tried);
	return -1;
}

int aws_creds_get(struct aws_cred_chain *c, time_t now, struct aws_credentials *out, char **err)
{
	int rc = 0;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (!c) {
		*err = strdup("no credentials configured");
		return -1;
	}
	pthread_mutex_lock(&c->lock);
	if (!c->cached || (c->cache.expiration != 0 && c->cache.expiration - now < c->margin)) {
		struct aws_credentials fresh;

		if (chain_resolve(c, now, &fresh, err) < 0) {
			rc = -1;
		} else {
			aws_credentials_free(&c->cache);
			c->cache = fresh;
			c->cached = true;
		}
	}
	if (rc == 0 && creds_copy(out, &c->cache) < 0) {
		*err = strdup("out of memory");
		rc = -1;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void aws_creds_invalidate(struct aws_cred_chain *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	aws_credentials_free(&c->cache);
	c->cached = false;
	pthread_mutex_unlock(&c->lock);
}

void aws_creds_set_refresh_margin(struct aws_cred_chain *c, time_t seconds)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->margin = seconds < 0 ? 0 : seconds;
	pthread_mutex_unlock(&c->lock);
}

/* ---- resolve ----------------------------------------------------------- */

static bool is_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

static void files_free(struct files *f)
{
	free(f->cfg_path);
	free(f->cred_path);
	free(f->sts_url);
	free(f->sts_err);
	aws_profile_file_free(&f->cfg);
	aws_profile_file_free(&f->cred);
}

static int load_file(const char *path, enum aws_profile_kind kind, const char *what,
                     struct aws_profile_file *pf, bool *exists, char **err)
{
	char *text = NULL, *origin;
	size_t len = 0;
	int rc;

	if (aws_profile_read_file(path, &text, &len, err) < 0)
		return -1;
	*exists = text != NULL;
	if (!text)
		return 0;
	origin = util_fmt("%s %s", what, path);
	rc = aws_profile_parse(text, len, kind, origin ? origin : path, pf, err);
	free(origin);
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

/* Known profile names, for "not found" messages. */
static char *profile_names(const struct files *f)
{
	char *s = NULL;
	size_t n = 0, count = 0;
	FILE *ms = open_memstream(&s, &n);
	const struct aws_profile_list *lists[] = { &f->cfg.profiles, &f->cred.profiles };

	if (!ms)
		return NULL;
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			const char *name = lists[l]->v[i].name;
			if (l == 1 && aws_profile_find(&f->cfg.profiles, name))
				continue;
			if (count++ < 20)
				fprintf(ms, "%s%s", count > 1 ? ", " : "", name);
		}
	}
	if (count > 20)
		fprintf(ms, ", ...");
	if (!count)
		fprintf(ms, "none");
	if (fclose(ms) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static bool service_valid(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(" -_", *s))
			return false;
	return true;
}

static bool region_valid(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

/* The name of the service-specific variable, as a literal. */
static const char *service_env_source(const char *service)
{
	if (strcasecmp(service, "dynamodb") == 0)
		return "AWS_ENDPOINT_URL_DYNAMODB";
	if (strcasecmp(service, "s3") == 0)
		return "AWS_ENDPOINT_URL_S3";
	return "AWS_ENDPOINT_URL_<SERVICE>";
}

/* The configured endpoint (steps 1-5 of AWS-CLIENT.md 4.13), or NULL.
 * *url is malloc'd.  0, or -1 when out of memory. */
static int configured_endpoint(const struct aws_conf_opts *o, const struct files *f,
                               const char *service, char **url, const char **source)
{
	const char *ign, *v;
	char name[96], key[80];
	size_t i;

	*url = NULL;
	*source = NULL;
	if (o->endpoint_url && *o->endpoint_url) {
		*source = "--endpoint-url";
		return (*url = strdup(o->endpoint_url)) ? 0 : -1;
	}
	ign = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (o->ignore_configured_endpoint_urls ||
	    is_true(ign ? ign : prof_get(f, "ignore_configured_endpoint_urls")))
		return 0;

	/* AWS_ENDPOINT_URL_<SERVICE ID>, and the services section's key */
	snprintf(name, sizeof name, "AWS_ENDPOINT_URL_%s", service);
	snprintf(key, sizeof key, "%s", service);
	for (i = strlen("AWS_ENDPOINT_URL_"); name[i]; i++)
		name[i] = name[i] == ' ' || name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	for (i = 0; key[i]; i++)
		key[i] = key[i] == ' ' ? '_' : (char)tolower((unsigned char)key[i]);

	if ((v = env(name))) {
		*source = service_env_source(service);
	} else if ((v = env("AWS_ENDPOINT_URL"))) {
		*source = "AWS_ENDPOINT_URL";
	} else {
		const char *sname = prof_get_nonempty(f, "services");
		const struct aws_profile_section *svc = aws_profile_find(&f->cfg.services, sname);
		const char *raw = aws_profile_get(svc, key);

		if (raw) {
			struct aws_profile_section sub;
			if (aws_profile_subprops(raw, &sub) < 0)
				return -1;
			v = aws_profile_get(&sub, "endpoint_url");
			if (v && *v) {
				*url = strdup(v);
				*source = "services section";
			}
			aws_profile_section_free(&sub);
			if (*source)
				return *url ? 0 : -1;
		}
		if ((v = prof_get_nonempty(f, "endpoint_url")))
			*source = "profile endpoint_url";
	}
	if (!v)
		return 0;
	return (*url = strdup(v)) ? 0 : -1;
}

static int parse_max_attempts(const char *v, const char *source, int *out, char **err)
{
	long n = 0;
	const char *p = v;

	for (; *p && isdigit((unsigned char)*p) && n <= 100; p++)
		n = n * 10 + (*p - '0');
	if (p == v || *p || n < 1 || n > 20) {
		*err = util_fmt("max_attempts from %s must be a whole number from 1 to 20", source);
		return -1;
	}
	*out = (int)n;
	return 0;
}

int aws_conf_resolve(const struct aws_conf_opts *opts, struct aws_conf *out, char **err)
{
	static const struct aws_conf_opts none;
	const struct aws_conf_opts *o = opts ? opts : &none;
	const char *service = o->service && *o->service ? o->service : "dynamodb";
	struct files f = { 0 };
	char *url = NULL;
	const char *src, *v;
	bool loopback = false;

	/* before any secret is read: no core dumps, wiping allocators */
	util_secure_init();
	memset(out, 0, sizeof *out);
	*err = NULL;
	if (!service_valid(service)) {
		*err = strdup("internal error: bad service name");
		return -1;
	}

	/* the profile and the files */
	f.profile = aws_profile_select(o->profile, &f.profile_source);
	out->profile_source = f.profile_source;
	if (aws_profile_paths(&f.cfg_path, &f.cred_path, err) < 0)
		goto fail;
	if (load_file(f.cfg_path, AWS_PROFILE_CONFIG, "config file", &f.cfg,
	              &f.cfg_exists, err) < 0 ||
	    load_file(f.cred_path, AWS_PROFILE_CREDENTIALS, "shared credentials file", &f.cred,
	              &f.cred_exists, err) < 0)
		goto fail;
	f.cfgp = aws_profile_find(&f.cfg.profiles, f.profile);
	f.credp = aws_profile_find(&f.cred.profiles, f.profile);
	if (!f.cfgp && !f.credp && strcmp(f.profile_source, "default") != 0) {
		char *names = profile_names(&f);
		*err = util_fmt("profile '%s' (from %s) is in neither %s%s nor %s%s; profiles found: %s",
		           f.profile, f.profile_source, f.cfg_path, f.cfg_exists ? "" : " (missing)",
		           f.cred_path, f.cred_exists ? "" : " (missing)", names ? names : "?");
		free(names);
		goto fail;
	}
	out->profile = strdup(f.profile);
	if (!out->profile)
		goto nomem;

	/* the endpoint someone configured, if any */
	if (configured_endpoint(o, &f, service, &url, &src) < 0)
		goto nomem;
	if (url) {
		if (aws_url_check_endpoint(url, src, o->allow_plain_http, &out->endpoint_url,
		                   &loopback, err) < 0)
			goto fail;
		out->endpoint_source = src;
	}

	/* the region */
	if (o->region && *o->region) {
		v = o->region;
		out->region_source = "--region";
	} else if ((v = env("AWS_REGION"))) {
		out->region_source = "AWS_REGION";
	} else if ((v = env("AWS_DEFAULT_REGION"))) {
		out->region_source = "AWS_DEFAULT_REGION";
	} else if ((v = prof_get_nonempty(&f, "region"))) {
		out->region_source = "profile";
	} else if (loopback) {
		v = "us-east-1";
		out->region_source = "default for local endpoint";
	} else {
		char *hdr = config_header(f.profile);
		bool dflt = strcmp(f.profile, "default") == 0;
		*err = util_fmt("no AWS region is set for profile %s. Pass --region, set AWS_REGION, "
		           "or add `region = us-east-1` (say) to the %s section of %s "
		           "(`aws configure set region us-east-1%s%s`)",
		           f.profile, hdr ? hdr : "profile", f.cfg_path,
		           dflt ? "" : " --profile ", dflt ? "" : f.profile);
		free(hdr);
		goto fail;
	}
	if (!region_valid(v)) {
		*err = util_fmt("the region from %s is not a region name (letters, digits and '-', "
		           "like us-east-1)", out->region_source);
		goto fail;
	}
	out->region = strdup(v);
	if (!out->region)
		goto nomem;

	/* the default endpoint */
	if (!out->endpoint_url) {
		char host[80];
		size_t i;
		snprintf(host, sizeof host, "%s", service);
		for (i = 0; host[i]; i++)
			host[i] = host[i] == ' ' || host[i] == '_' ? '-' :
			          (char)tolower((unsigned char)host[i]);
		out->endpoint_url = util_fmt("https://%s.%s.amazonaws.com%s", host, out->region,
		                        strncmp(out->region, "cn-", 3) == 0 ? ".cn" : "");
		if (!out->endpoint_url)
			goto nomem;
		out->endpoint_source = "default";
		loopback = false;
	}
	out->endpoint_is_loopback = loopback;

	/* the rest */
	if ((v = env("AWS_CA_BUNDLE")) || (v = prof_get_nonempty(&f, "ca_bundle"))) {
		if (!(out->ca_bundle = strdup(v)))
			goto nomem;
	}
	if ((v = env("AWS_MAX_ATTEMPTS"))) {
		if (parse_max_attempts(v, "AWS_MAX_ATTEMPTS", &out->max_attempts, err) < 0)
			goto fail;
	} else if ((v = prof_get_nonempty(&f, "max_attempts"))) {
		char *where = util_fmt("profile %s", f.profile);
		int r = parse_max_attempts(v, where ? where : "the profile",
		                           &out->max_attempts, err);
		free(where);
		if (r < 0)
			goto fail;
	}

	/* STS, for assume role and web identity: the region resolved here (none
	 * when it is only the local endpoint's default: the global endpoint),
	 * AWS_ENDPOINT_URL_STS as the SDKs let tests override it */
	f.ca_bundle = out->ca_bundle;
	f.sts_region = strcmp(out->region_source, "default for local endpoint") == 0 ? NULL
	                                                                          : out->region;
	v = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	if (!is_true(v ? v : prof_get(&f, "ignore_configured_endpoint_urls")) &&
	    (v = env("AWS_ENDPOINT_URL_STS"))) {
		bool sts_lo;
		char *sts_err = NULL;
		if (aws_url_check_endpoint(v, "AWS_ENDPOINT_URL_STS", false, &f.sts_url, &sts_lo,
		                   &sts_err) < 0)
			f.sts_err = or_oom(sts_err);
	}

	out->creds = chain_build(&f, loopback, out->ca_bundle);
	if (!out->creds)
		goto nomem;
	free(url);
	files_free(&f);
	return 0;
nomem:
	*err = strdup("out of memory");
fail:
	if (!*err)
		*err = strdup("out of memory");
	free(url);
	files_free(&f);
	aws_conf_free(out);
	return -1;
}

void aws_conf_free(struct aws_conf *c)
{
	if (!c)
		return;
	free(c->profile);
	free(c->region);
	free(c->endpoint_url);
	free(c->ca_bundle);
	chain_free(c->creds);
	memset(c, 0, sizeof *c);
}
